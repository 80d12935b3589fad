// Types for scripts/build-report.mjs (plain JavaScript so `node scripts/build.mjs` runs it as is).
export interface BuildOutput {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  bytes: number;
  /** Size of the source map written beside it, if any. */
  mapBytes?: number;
}
export function formatSize(bytes: number): string;
export function formatDuration(ms: number): string;
export function formatBuildReport(outputs: BuildOutput[], elapsedMs: number): string;
