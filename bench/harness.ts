/**
 * A small side-by-side benchmark harness. Benchmarks are measurements to read, never tests: no
 * result here is asserted, and nothing under bench/ runs in `npm test`.
 *
 * A benchmark file (`bench/<topic>.bench.ts`, found by bench/run.ts) calls `registerBenchmark`
 * at import time. Benchmarks in the same `group` are printed together with their ratio to the
 * group's first available entry (the baseline), so one run shows "A vs B". An entry that cannot
 * run here (e.g. an OpenSSL algorithm behind the legacy provider) is registered with
 * `registerUnavailable` and printed as such, with the reason.
 *
 * Each benchmark is warmed up, calibrated so one sample takes ~1/SAMPLES of the time budget, and
 * sampled SAMPLES times; the median sample is reported. BENCH_TIME_MS sets the budget per
 * benchmark (default 1500 ms).
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

export interface BenchmarkSpec {
  /** Benchmarks with the same group are compared with each other. */
  readonly group: string;
  readonly name: string;
  /** Payload octets processed per operation, for the MB/s column. */
  readonly bytesPerOp?: number;
  /** One operation. */
  readonly run: () => void;
  /**
   * Called outside the timing before each batch of `iterations` operations (e.g. to build the
   * packets they will consume). Its allocations are not counted either: the allocation probe
   * calls it once for all its operations before it starts counting.
   */
  readonly prepare?: (iterations: number) => void;
  /** Also report allocations per operation (see measureAllocations). */
  readonly allocations?: boolean;
  /** A line printed under the entry after it ran (e.g. counters the run left behind). */
  readonly note?: () => string;
}

/** Allocation figures of one benchmark (see measureAllocations). */
export interface AllocationFigures {
  /** JS heap octets allocated per operation (objects, small typed arrays, views). */
  readonly heapBytesPerOp: number;
  /** Off-heap octets per operation (ArrayBuffer backing stores: packet buffers). */
  readonly externalBytesPerOp: number;
  /** Garbage collections per million operations. */
  readonly gcsPerMillion: number;
  readonly ops: number;
}

interface Entry {
  readonly spec: BenchmarkSpec | undefined;
  readonly group: string;
  readonly name: string;
  readonly unavailable?: string;
  /** A figure measured outside the harness (e.g. `openssl speed` in a child process), lazily. */
  readonly external?: () => { opsPerSecond: number; bytesPerOp?: number } | string;
}

export interface BenchmarkResult {
  readonly group: string;
  readonly name: string;
  readonly allocations?: AllocationFigures;
  readonly opsPerSecond?: number;
  readonly megabytesPerSecond?: number;
  readonly unavailable?: string;
}

const entries: Entry[] = [];
/** Extra ratio lines printed after a group: `label`: numerator / denominator (by benchmark name). */
const ratios: { group: string; numerator: string; denominator: string; label: string }[] = [];
const SAMPLES = 5;

export function registerBenchmark(spec: BenchmarkSpec): void {
  entries.push({ spec, group: spec.group, name: spec.name });
}

/**
 * An entry measured outside the harness, at its turn in the run: `measure` returns the figure,
 * or a string saying why it is unavailable. Printed like the others, with its ratio.
 */
export function registerExternal(
  group: string,
  name: string,
  measure: () => { opsPerSecond: number; bytesPerOp?: number } | string,
): void {
  entries.push({ spec: undefined, group, name, external: measure });
}

/**
 * After `group` is printed, also print `label`: the figure of `numerator` over that of
 * `denominator` (both benchmark names in the group), e.g. ours against OpenSSL's when neither is
 * the group's baseline.
 */
export function registerRatio(group: string, numerator: string, denominator: string, label: string): void {
  ratios.push({ group, numerator, denominator, label });
}

export function registerUnavailable(group: string, name: string, reason: string): void {
  entries.push({ spec: undefined, group, name, unavailable: reason });
}

function timeOps(run: () => void, iterations: number, prepare?: (iterations: number) => void): number {
  prepare?.(iterations);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) run();
  return performance.now() - start;
}

function measure(spec: BenchmarkSpec, budgetMs: number): BenchmarkResult {
  // Warm up (lets the JIT settle) and calibrate the iterations of one sample.
  let iterations = 1;
  const sampleMs = budgetMs / SAMPLES;
  for (;;) {
    const ms = timeOps(spec.run, iterations, spec.prepare);
    if (ms >= sampleMs / 4) {
      iterations = Math.max(1, Math.round((iterations * sampleMs) / Math.max(ms, 0.001)));
      break;
    }
    iterations *= 2;
  }
  const rates: number[] = [];
  for (let s = 0; s < SAMPLES; s++) rates.push((iterations * 1000) / Math.max(timeOps(spec.run, iterations, spec.prepare), 0.001));
  rates.sort((a, b) => a - b);
  const opsPerSecond = rates[Math.floor(SAMPLES / 2)]!;
  return {
    group: spec.group,
    name: spec.name,
    opsPerSecond,
    ...(spec.bytesPerOp !== undefined ? { megabytesPerSecond: (opsPerSecond * spec.bytesPerOp) / 1e6 } : {}),
  };
}

/**
 * Allocations per operation without --expose-gc or natives syntax: `ops` operations run in chunks
 * of CHUNK; v8.getHeapStatistics() is read around each chunk. A chunk where the JS heap (or the
 * external memory) shrank saw a garbage collection: it is counted as one GC (a lower bound:
 * counted at most once per chunk) and its deltas are left out; the others' growth, summed and
 * divided by their operations, is the allocation rate. The probe's own allocation (one
 * statistics object per chunk) is measured with an empty operation and subtracted. So "0 B/op,
 * 0 GCs" means no heap growth at all over `ops` operations. `prepare`, if any, runs once for
 * all `ops` before counting starts: run between chunks, its own allocations leak a few octets
 * per operation into the figure (the heap statistics lag behind an allocating burst).
 */
export function measureAllocations(
  run: () => void,
  ops = 200_000,
  prepare?: (iterations: number) => void,
): AllocationFigures {
  const CHUNK = 1000;
  const probe = (op: () => void) => {
    let heap = 0;
    let external = 0;
    let counted = 0;
    let gcs = 0;
    let before = getHeapStatistics();
    for (let done = 0; done < ops; done += CHUNK) {
      for (let k = 0; k < CHUNK; k++) op();
      const after = getHeapStatistics();
      const dh = after.used_heap_size - before.used_heap_size;
      const de = after.external_memory - before.external_memory;
      if (dh < 0 || de < 0) gcs++;
      else {
        heap += dh;
        external += de;
        counted += CHUNK;
      }
      before = after;
    }
    return { heap: counted ? heap / counted : 0, external: counted ? external / counted : 0, gcs };
  };
  const empty = probe(() => {});
  prepare?.(ops);
  const r = probe(run);
  return {
    heapBytesPerOp: Math.max(0, r.heap - empty.heap),
    externalBytesPerOp: Math.max(0, r.external - empty.external),
    gcsPerMillion: (r.gcs * 1e6) / ops,
    ops,
  };
}

function formatRate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(1);
}

/** Runs every registered benchmark whose "group / name" contains `filter`, printing as it goes. */
export function runBenchmarks(options: { filter?: string; budgetMs?: number; print?: (line: string) => void } = {}): BenchmarkResult[] {
  const print = options.print ?? ((line: string) => console.log(line));
  const budgetMs = options.budgetMs ?? 1500;
  const selected = entries.filter((e) => !options.filter || `${e.group} / ${e.name}`.includes(options.filter));
  const groups = [...new Set(selected.map((e) => e.group))];
  const results: BenchmarkResult[] = [];
  for (const group of groups) {
    print(`\n${group}`);
    print(`  ${'benchmark'.padEnd(44)} ${'ops/s'.padStart(10)} ${'MB/s'.padStart(9)}  ratio`);
    let baseline: number | undefined;
    for (const entry of selected.filter((e) => e.group === group)) {
      if (entry.external !== undefined) {
        const figure = entry.external();
        if (typeof figure === 'string') {
          results.push({ group, name: entry.name, unavailable: figure });
          print(`  ${entry.name.padEnd(44)} ${'-'.padStart(10)} ${'-'.padStart(9)}  unavailable: ${figure}`);
          continue;
        }
        const ops = figure.opsPerSecond;
        const mb = figure.bytesPerOp !== undefined ? (ops * figure.bytesPerOp) / 1e6 : undefined;
        results.push({ group, name: entry.name, opsPerSecond: ops, ...(mb !== undefined ? { megabytesPerSecond: mb } : {}) });
        const ratio = baseline === undefined ? '1.00x (baseline)' : `${(ops / baseline).toFixed(2)}x`;
        baseline ??= ops;
        print(`  ${entry.name.padEnd(44)} ${formatRate(ops).padStart(10)} ${(mb?.toFixed(1) ?? '-').padStart(9)}  ${ratio}`);
        continue;
      }
      if (entry.spec === undefined) {
        results.push({ group, name: entry.name, unavailable: entry.unavailable ?? 'unavailable' });
        print(`  ${entry.name.padEnd(44)} ${'-'.padStart(10)} ${'-'.padStart(9)}  unavailable: ${entry.unavailable}`);
        continue;
      }
      const r = measure(entry.spec, budgetMs);
      results.push(r);
      const ops = r.opsPerSecond!;
      const ratio = baseline === undefined ? '1.00x (baseline)' : `${(ops / baseline).toFixed(2)}x`;
      baseline ??= ops;
      const mbs = r.megabytesPerSecond !== undefined ? r.megabytesPerSecond.toFixed(1) : '-';
      print(`  ${entry.name.padEnd(44)} ${formatRate(ops).padStart(10)} ${mbs.padStart(9)}  ${ratio}`);
      if (entry.spec.allocations) {
        const a = measureAllocations(entry.spec.run, 200_000, entry.spec.prepare);
        results[results.length - 1] = { ...r, allocations: a };
        print(
          `  ${''.padEnd(44)} allocations: ${a.heapBytesPerOp.toFixed(1)} heap + ${a.externalBytesPerOp.toFixed(1)} buffer octets/op, ` +
            `${a.gcsPerMillion.toFixed(0)} GCs per million ops (${a.ops / 1000}k ops)`,
        );
      }
      if (entry.spec.note) print(`  ${''.padEnd(44)} ${entry.spec.note()}`);
    }
    for (const r of ratios.filter((x) => x.group === group)) {
      const top = results.find((x) => x.group === group && x.name === r.numerator)?.opsPerSecond;
      const bottom = results.find((x) => x.group === group && x.name === r.denominator)?.opsPerSecond;
      print(`  ${r.label}: ${top !== undefined && bottom !== undefined ? `${(top / bottom).toFixed(2)}x` : 'n/a (one side did not run)'}`);
    }
  }
  return results;
}
