/**
 * `npm run bench` (node --import tsx bench/run.ts [filter]): imports every bench/*.bench.ts
 * (each registers its benchmarks with bench/harness.ts) and runs them side by side, printing
 * ops/s, MB/s and the ratio to each group's baseline. A filter argument keeps only benchmarks
 * whose "group / name" contains it. Benchmarks are read, never asserted (see harness.ts).
 *
 * After the synchronous engine benchmarks comes the asynchronous end-to-end run through real
 * sockets (bench/e2e/e2e.ts: netns + veth + iperf3, needs root; prints "unavailable: <why>"
 * otherwise), short by default: BENCH_E2E_SECONDS per iperf3 run (5), BENCH_SOAK_SECONDS of RSS
 * soak (60). A filter that does not match "end to end" skips it; BENCH_E2E=0 skips it too.
 * `npm run bench:e2e` runs it alone with the 10-minute soak.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runBenchmarks } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

for (const file of files) await import(pathToFileURL(join(here, file)).href);

const filter = process.argv[2];
const budget = Number(process.env.BENCH_TIME_MS ?? '');
console.log(
  `node ${process.version}, ${files.length} benchmark file(s): ${files.join(', ')}` +
    (filter ? `; filter "${filter}"` : ''),
);
runBenchmarks({
  ...(filter ? { filter } : {}),
  ...(Number.isFinite(budget) && budget > 0 ? { budgetMs: budget } : {}),
});

if (process.env.BENCH_E2E !== '0' && (!filter || 'end to end'.includes(filter))) {
  const { runEndToEnd } = await import('./e2e/e2e');
  const seconds = Number(process.env.BENCH_E2E_SECONDS ?? '5');
  const soakSeconds = Number(process.env.BENCH_SOAK_SECONDS ?? '60');
  await runEndToEnd({
    seconds: Number.isFinite(seconds) && seconds >= 1 ? seconds : 5,
    soakSeconds: Number.isFinite(soakSeconds) && soakSeconds >= 0 ? soakSeconds : 60,
  });
}
