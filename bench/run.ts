/**
 * `npm run bench` (node --import tsx bench/run.ts [filter]): imports every bench/*.bench.ts
 * (each registers its benchmarks with bench/harness.ts) and runs them side by side, printing
 * ops/s, MB/s and the ratio to each group's baseline. A filter argument keeps only benchmarks
 * whose "group / name" contains it. Benchmarks are read, never asserted (see harness.ts).
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
