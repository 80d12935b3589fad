/**
 * The closing report of `npm run build` (scripts/build-report.mjs): one aligned line per output
 * with its map's size beside it, and one summary line with count, total and time.
 */
import { describe, expect, it } from 'vitest';
import { formatBuildReport, formatDuration, formatSize } from '../../../scripts/build-report.mjs';

describe('formatSize', () => {
  it('uses bytes, kB and MB of 1000 bytes, as Vite and esbuild print them', () => {
    expect(formatSize(999)).toBe('999 B');
    expect(formatSize(2_700)).toBe('2.7 kB');
    expect(formatSize(951_049)).toBe('951.0 kB');
    expect(formatSize(1_480_123)).toBe('1.48 MB');
  });
});

describe('formatDuration', () => {
  it('shows tenths under ten seconds and whole seconds above', () => {
    expect(formatDuration(2_345)).toBe('2.3 s');
    expect(formatDuration(11_400)).toBe('11 s');
  });
});

describe('formatBuildReport', () => {
  it('prints one aligned line per output, the map beside its file, then the total and the time', () => {
    const report = formatBuildReport(
      [
        { path: 'dist/pptpctl.mjs', bytes: 1_480_000, mapBytes: 2_880_000 },
        { path: 'dist/preload/index.cjs', bytes: 2_700, mapBytes: 4_300 },
        { path: 'dist/renderer/index.html', bytes: 1_000 },
      ],
      3_210,
    );
    expect(report.split('\n')).toEqual([
      'dist/pptpctl.mjs          1.48 MB  (map 2.88 MB)',
      'dist/preload/index.cjs     2.7 kB  (map 4.3 kB)',
      'dist/renderer/index.html   1.0 kB',
      'built 3 files, 1.48 MB, in 3.2 s',
    ]);
  });

  it('says "1 file" for a single output', () => {
    expect(formatBuildReport([{ path: 'dist/a.js', bytes: 10 }], 100)).toBe('dist/a.js  10 B\nbuilt 1 file, 10 B, in 0.1 s');
  });
});
