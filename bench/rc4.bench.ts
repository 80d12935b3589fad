/**
 * This project's RC4 (main/engine/crypto/rc4.ts) vs OpenSSL's RC4 in C, two ways, in the same
 * run: node:crypto's "rc4" (OpenSSL 3 only offers it through its legacy provider: `npm run bench`
 * starts node with --openssl-legacy-provider; each update() also allocates its output Buffer),
 * and `openssl speed -evp rc4 -bytes 1400` in a child process (the C loop alone, no JS
 * boundary; its legacy provider loaded with -provider legacy -provider default). Two shapes: a
 * continuing keystream over 1400-octet packets (stateful MPPE), and re-key + 1400 octets (what
 * stateless MPPE does per packet). The issue's target: ours >= 80 % of OpenSSL's keystream. Ours
 * is two RC4s side by side: the TypeScript one (rc4.ts) and the WebAssembly one (rc4-wasm.ts)
 * the data path runs; the ratio lines after the group put each over OpenSSL's figure.
 */
import { spawnSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { Rc4 } from '../main/engine/crypto/rc4';
import { WasmRc4, wasmRc4Available } from '../main/engine/crypto/rc4-wasm';
import { registerBenchmark, registerExternal, registerRatio, registerUnavailable } from './harness';

const PACKET = 1400;
const key = Uint8Array.from({ length: 16 }, (_, i) => (i * 29 + 3) & 0xff);
const input = new Uint8Array(PACKET).map((_, i) => i & 0xff);
const output = new Uint8Array(PACKET);

function nodeRc4Reason(): string | undefined {
  try {
    createCipheriv('rc4', key, null);
    return undefined;
  } catch (e) {
    return `node:crypto rc4 not offered (${(e as Error).message}); try NODE_OPTIONS=--openssl-legacy-provider`;
  }
}
const unavailable = nodeRc4Reason();

const STREAM = 'RC4 keystream, 1400-octet packets';
const ours = new Rc4(key);
registerBenchmark({
  group: STREAM,
  name: 'pure TS Rc4.crypt (into a reused buffer)',
  bytesPerOp: PACKET,
  run: () => ours.crypt(input, 0, PACKET, output, 0),
});
const wasmReason = wasmRc4Available() ? undefined : 'WebAssembly is not available in this runtime';
if (wasmReason === undefined) {
  const wasm = new WasmRc4(key);
  registerBenchmark({
    group: STREAM,
    name: 'WebAssembly WasmRc4.crypt (copy in + out)',
    bytesPerOp: PACKET,
    allocations: true,
    run: () => wasm.crypt(input, 0, PACKET, output, 0),
  });
} else {
  registerUnavailable(STREAM, 'WebAssembly WasmRc4.crypt (copy in + out)', wasmReason);
}
if (unavailable === undefined) {
  const cipher = createCipheriv('rc4', key, null);
  registerBenchmark({
    group: STREAM,
    name: 'node:crypto rc4 update()',
    bytesPerOp: PACKET,
    run: () => {
      cipher.update(input);
    },
  });
} else {
  registerUnavailable(STREAM, 'node:crypto rc4 update()', unavailable);
}

/** `openssl speed` for 1400-octet blocks: octets/s from its "RC4  <n>k" line (1000s of bytes/s). */
function opensslSpeed(secondsOverride?: number): { opsPerSecond: number; bytesPerOp: number } | string {
  const seconds = secondsOverride ?? Math.max(1, Math.round(Number(process.env.BENCH_TIME_MS ?? 1500) / 1000));
  const args = ['speed', '-provider', 'legacy', '-provider', 'default', '-evp', 'rc4', '-seconds', String(seconds), '-bytes', String(PACKET)];
  const r = spawnSync('openssl', args, { encoding: 'utf8', timeout: 30_000 });
  if (r.error) return `openssl not runnable (${r.error.message})`;
  const line = r.stdout.split('\n').find((l) => /^RC4\s+[\d.]+k/i.test(l.trim()));
  const kilobytes = line ? Number(/([\d.]+)k/.exec(line)![1]) : NaN;
  if (!Number.isFinite(kilobytes)) return `openssl speed printed no RC4 figure (exit ${r.status}): ${r.stderr.trim().split('\n')[0] ?? ''}`;
  return { opsPerSecond: (kilobytes * 1000) / PACKET, bytesPerOp: PACKET };
}
registerExternal(STREAM, 'openssl speed -evp rc4 (C, child process)', opensslSpeed);
registerRatio(
  STREAM,
  'WebAssembly WasmRc4.crypt (copy in + out)',
  'openssl speed -evp rc4 (C, child process)',
  "the data path's RC4 (WebAssembly) / OpenSSL's C (issue 12 target >= 0.80x)",
);
registerRatio(STREAM, 'pure TS Rc4.crypt (into a reused buffer)', 'openssl speed -evp rc4 (C, child process)', 'the TS RC4 / OpenSSL');

/*
 * The same comparison in alternating rounds: one figure each for ours and OpenSSL's is taken at
 * two different moments, and on a shared machine the load between them moves the ratio (0.71x to
 * 0.82x across runs of the group above). Here each round times ours for about a second, then runs
 * `openssl speed -seconds 1`, ROUNDS times; the two medians and the median of the per-round
 * ratios are printed. Both entries come from one measurement (the first runs it, the second reads it).
 */
const PAIRED = 'RC4 keystream, 1400-octet packets, ours and OpenSSL alternating';
const ROUNDS = 5;
type Paired = { ours: number; openssl: number; ratios: number[] } | string;
let paired: Paired | undefined;
function pairedRounds(): Paired {
  if (paired !== undefined) return paired;
  if (wasmReason !== undefined) return (paired = wasmReason);
  const wasm = new WasmRc4(key);
  const timeOurs = (ms: number): number => {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    while ((elapsed = performance.now() - start) < ms) {
      for (let i = 0; i < 200; i++) wasm.crypt(input, 0, PACKET, output, 0);
      ops += 200;
    }
    return ops / (elapsed / 1000);
  };
  timeOurs(300); // warm-up: the JIT and the module's first-length view
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ours.push(timeOurs(1000));
    const o = opensslSpeed(1);
    if (typeof o === 'string') return (paired = o);
    theirs.push(o.opsPerSecond);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const ratios = ours.map((v, i) => v / theirs[i]!);
  console.log(`  (rounds, MB/s ours / OpenSSL: ${ours.map((v, i) => `${((v * PACKET) / 1e6).toFixed(0)} / ${((theirs[i]! * PACKET) / 1e6).toFixed(0)}`).join(', ')}; per-round ratios ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
  return (paired = { ours: median(ours), openssl: median(theirs), ratios });
}
const pairedFigure = (pick: (p: Exclude<Paired, string>) => number) => () => {
  const p = pairedRounds();
  return typeof p === 'string' ? p : { opsPerSecond: pick(p), bytesPerOp: PACKET };
};
registerExternal(PAIRED, `openssl speed -evp rc4, median of ${ROUNDS} rounds`, pairedFigure((p) => p.openssl));
registerExternal(PAIRED, `WebAssembly WasmRc4.crypt, median of ${ROUNDS} rounds`, pairedFigure((p) => p.ours));
registerRatio(
  PAIRED,
  `WebAssembly WasmRc4.crypt, median of ${ROUNDS} rounds`,
  `openssl speed -evp rc4, median of ${ROUNDS} rounds`,
  "the data path's RC4 / OpenSSL's C, alternating (issue 12 target >= 0.80x)",
);

const REKEY = 'RC4 re-key + 1400 octets (stateless MPPE shape)';
const rekeyed = new Rc4(key);
registerBenchmark({
  group: REKEY,
  name: 'pure TS Rc4.setKey + crypt',
  bytesPerOp: PACKET,
  run: () => {
    rekeyed.setKey(key);
    rekeyed.crypt(input, 0, PACKET, output, 0);
  },
});
if (wasmReason === undefined) {
  const wasm = new WasmRc4(key);
  registerBenchmark({
    group: REKEY,
    name: 'WebAssembly WasmRc4.setKey + crypt',
    bytesPerOp: PACKET,
    run: () => {
      wasm.setKey(key);
      wasm.crypt(input, 0, PACKET, output, 0);
    },
  });
} else {
  registerUnavailable(REKEY, 'WebAssembly WasmRc4.setKey + crypt', wasmReason);
}
if (unavailable === undefined) {
  registerBenchmark({
    group: REKEY,
    name: 'node:crypto createCipheriv(rc4) + update()',
    bytesPerOp: PACKET,
    run: () => {
      createCipheriv('rc4', key, null).update(input);
    },
  });
} else {
  registerUnavailable(REKEY, 'node:crypto createCipheriv(rc4) + update()', unavailable);
}
