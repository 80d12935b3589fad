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

export interface BenchmarkSpec {
  /** Benchmarks with the same group are compared with each other. */
  readonly group: string;
  readonly name: string;
  /** Payload octets processed per operation, for the MB/s column. */
  readonly bytesPerOp?: number;
  /** One operation. */
  readonly run: () => void;
}

interface Entry {
  readonly spec: BenchmarkSpec | undefined;
  readonly group: string;
  readonly name: string;
  readonly unavailable?: string;
}

export interface BenchmarkResult {
  readonly group: string;
  readonly name: string;
  readonly opsPerSecond?: number;
  readonly megabytesPerSecond?: number;
  readonly unavailable?: string;
}

const entries: Entry[] = [];
const SAMPLES = 5;

export function registerBenchmark(spec: BenchmarkSpec): void {
  entries.push({ spec, group: spec.group, name: spec.name });
}

export function registerUnavailable(group: string, name: string, reason: string): void {
  entries.push({ spec: undefined, group, name, unavailable: reason });
}

function timeOps(run: () => void, iterations: number): number {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) run();
  return performance.now() - start;
}

function measure(spec: BenchmarkSpec, budgetMs: number): BenchmarkResult {
  // Warm up (lets the JIT settle) and calibrate the iterations of one sample.
  let iterations = 1;
  const sampleMs = budgetMs / SAMPLES;
  for (;;) {
    const ms = timeOps(spec.run, iterations);
    if (ms >= sampleMs / 4) {
      iterations = Math.max(1, Math.round((iterations * sampleMs) / Math.max(ms, 0.001)));
      break;
    }
    iterations *= 2;
  }
  const rates: number[] = [];
  for (let s = 0; s < SAMPLES; s++) rates.push((iterations * 1000) / Math.max(timeOps(spec.run, iterations), 0.001));
  rates.sort((a, b) => a - b);
  const opsPerSecond = rates[Math.floor(SAMPLES / 2)]!;
  return {
    group: spec.group,
    name: spec.name,
    opsPerSecond,
    ...(spec.bytesPerOp !== undefined ? { megabytesPerSecond: (opsPerSecond * spec.bytesPerOp) / 1e6 } : {}),
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
    }
  }
  return results;
}
