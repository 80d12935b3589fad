/**
 * Bundles what the end-to-end benchmark runs in its namespaces, from the current sources (so a
 * stale dist/ is never measured): the real service (main/service/main.ts, exactly as
 * scripts/build.mjs builds dist/service.mjs) and the benchmark's PPTP server. Output goes to
 * dist/bench-e2e/, under the repository so the native modules resolve from node_modules.
 */
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const external = ['raw-socket', '@github/keytar', 'electron', 'pptp-native-helper'];
const banner = "import { createRequire as __pptpCreateRequire } from 'node:module'; const require = __pptpCreateRequire(import.meta.url);";

export interface E2eBundles {
  readonly service: string;
  readonly server: string;
}

export async function buildE2eBundles(): Promise<E2eBundles> {
  const out = join(root, 'dist/bench-e2e');
  const bundles = { service: join(out, 'service.mjs'), server: join(out, 'server.mjs') };
  for (const [entry, outfile] of [
    ['main/service/main.ts', bundles.service],
    ['bench/e2e/server-main.ts', bundles.server],
  ] as const) {
    await build({
      entryPoints: [join(root, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      sourcemap: true,
      external,
      logLevel: 'warning',
      banner: { js: banner },
    });
  }
  return bundles;
}
