// What `npm run build` prints when it is done: one line per output file (path and size, its
// source map's size beside it rather than on a line of its own) and a closing line with the
// count, the total size and the time taken. Pure: gets the list, returns the text; the build
// script (scripts/build.mjs) measures the files and the clock. Sizes in kB/MB of 1000 bytes,
// as Vite and esbuild print them.

/** @param {number} bytes */
export function formatSize(bytes) {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

/** @param {number} ms */
export function formatDuration(ms) {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * @param {{ path: string, bytes: number, mapBytes?: number }[]} outputs
 * @param {number} elapsedMs
 * @returns {string}
 */
export function formatBuildReport(outputs, elapsedMs) {
  const width = Math.max(0, ...outputs.map((o) => o.path.length));
  const sizeWidth = Math.max(0, ...outputs.map((o) => formatSize(o.bytes).length));
  const lines = outputs.map((o) => {
    const size = formatSize(o.bytes).padStart(sizeWidth);
    const map = o.mapBytes === undefined ? '' : `  (map ${formatSize(o.mapBytes)})`;
    return `${o.path.padEnd(width)}  ${size}${map}`;
  });
  const total = outputs.reduce((sum, o) => sum + o.bytes, 0);
  const files = outputs.length === 1 ? '1 file' : `${outputs.length} files`;
  lines.push(`built ${files}, ${formatSize(total)}, in ${formatDuration(elapsedMs)}`);
  return lines.join('\n');
}
