// Types for scripts/service-bundle.mjs (plain JavaScript so `node scripts/build.mjs` runs it as is).
import type { BuildOptions } from 'esbuild';
export const SERVICE_EXTERNAL: string[];
export function serviceBundleOptions(entry: string, outfile: string): BuildOptions;
export function asciiComments(outfile: string): Promise<void>;
