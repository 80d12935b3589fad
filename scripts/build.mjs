// Builds what runs outside the TypeScript toolchain: the CLI/service bundles and the Electron
// main/preload bundles (esbuild), and the renderer (Vite). Native modules (keytar, the native
// helper) stay external and are loaded from node_modules. The service's bundle has
// its own options and after-step, shared with the benchmark (scripts/service-bundle.mjs).
// Quiet while it works (only warnings and errors); at the end one line per output file with its
// size and a closing line with the total and the time taken (scripts/build-report.mjs). On a
// failure the tools' own messages stand, then one "build failed" line and exit status 1.
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { formatBuildReport } from './build-report.mjs';
import { asciiComments, serviceBundleOptions } from './service-bundle.mjs';

const external = ['@github/keytar', 'electron', 'pptp-native-helper'];
// ESM bundles of CommonJS dependencies (commander, zod's CJS build) call require():
// give them a real one.
const esmRequireBanner = "import { createRequire as __pptpCreateRequire } from 'node:module'; const require = __pptpCreateRequire(import.meta.url);";
const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, external, logLevel: 'warning' };

const entries = [
  { in: 'main/cli.ts', out: 'dist/pptpctl.mjs', format: 'esm', banner: '#!/usr/bin/env node' },
  { in: 'main/service/main.ts', out: 'dist/service.mjs', service: true },
  { in: 'main/app/main.ts', out: 'dist/app/main.js', format: 'esm' },
  { in: 'preload/index.ts', out: 'dist/preload/index.cjs', format: 'cjs' },
];
const rendererOut = 'dist/renderer';

const toPosix = (path) => path.split(sep).join('/');
const mapSize = (path) => {
  try {
    return statSync(`${path}.map`).size;
  } catch {
    return undefined;
  }
};
const describe = (path) => ({ path: toPosix(path), bytes: statSync(path).size, mapBytes: mapSize(path) });
const filesUnder = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative('.', join(d.parentPath, d.name)))
    .sort();

const started = performance.now();
try {
  const outputs = [];
  for (const e of entries) {
    if (e.service) {
      await build(serviceBundleOptions(e.in, e.out));
      await asciiComments(e.out);
      outputs.push(describe(e.out));
      continue;
    }
    await build({
      ...common,
      entryPoints: [e.in],
      outfile: e.out,
      format: e.format,
      ...(e.format === 'esm' || e.banner ? { banner: { js: [e.banner, e.format === 'esm' ? esmRequireBanner : ''].filter(Boolean).join('\n') } } : {}),
    });
    outputs.push(describe(e.out));
  }
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });
  // emptyOutDir: everything under dist/renderer is from this build; maps go beside their file.
  for (const file of filesUnder(rendererOut).filter((f) => !f.endsWith('.map'))) outputs.push(describe(file));
  console.log(formatBuildReport(outputs, performance.now() - started));
} catch (error) {
  // esbuild and Vite have already printed their diagnostics; anything else gets its message.
  if (!Array.isArray(error?.errors)) console.error(error instanceof Error ? error.message : String(error));
  console.error('build failed');
  process.exitCode = 1;
}
