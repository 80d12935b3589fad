// Builds what runs outside the TypeScript toolchain: the CLI/service bundles (esbuild) and,
// once they exist, the Electron main/preload bundles and the renderer (Vite). Native modules
// (raw-socket, keytar, the native helper) stay external and are loaded from node_modules.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const external = ['raw-socket', '@github/keytar', 'electron', 'pptp-native-helper'];
// ESM bundles of CommonJS dependencies (commander, zod's CJS build) call require():
// give them a real one.
const esmRequireBanner = "import { createRequire as __pptpCreateRequire } from 'node:module'; const require = __pptpCreateRequire(import.meta.url);";
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, external, logLevel: 'warning' };

const entries = [
  { in: 'main/cli.ts', out: 'dist/pptpctl.mjs', format: 'esm', banner: '#!/usr/bin/env node' },
  { in: 'main/service/main.ts', out: 'dist/service.mjs', format: 'esm' },
  { in: 'main/app/main.ts', out: 'dist/app/main.js', format: 'esm' },
  { in: 'preload/index.ts', out: 'dist/preload/index.cjs', format: 'cjs' },
];

for (const e of entries) {
  if (!existsSync(e.in)) continue;
  await build({
    ...common,
    entryPoints: [e.in],
    outfile: e.out,
    format: e.format,
    ...(e.format === 'esm' || e.banner ? { banner: { js: [e.banner, e.format === 'esm' ? esmRequireBanner : ''].filter(Boolean).join('\n') } } : {}),
  });
}
if (existsSync('renderer/index.html')) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });
}
