/**
 * Bundles what the end-to-end benchmark runs in its namespaces, from the current sources (so a
 * stale dist/ is never measured): the real service (main/service/main.ts, exactly as
 * scripts/build.mjs builds dist/service.mjs, both through scripts/service-bundle.mjs) and the
 * benchmark's PPTP server. Output goes to dist/bench-e2e/, under the repository so the native
 * modules resolve from node_modules.
 */
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asciiComments, serviceBundleOptions } from '../../scripts/service-bundle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface E2eBundles {
  readonly service: string;
  readonly server: string;
}

export async function buildE2eBundles(): Promise<E2eBundles> {
  const out = join(root, 'dist/bench-e2e');
  const bundles = { service: join(out, 'service.mjs'), server: join(out, 'server.mjs') };
  // The service exactly as scripts/build.mjs builds it; the bench server with the same options.
  await build(serviceBundleOptions(join(root, 'main/service/main.ts'), bundles.service));
  await asciiComments(bundles.service);
  await build(serviceBundleOptions(join(root, 'bench/e2e/server-main.ts'), bundles.server));
  return bundles;
}
