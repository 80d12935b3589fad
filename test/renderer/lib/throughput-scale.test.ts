/**
 * The throughput graph's numbers: bit/s labels with SI prefixes, the y scale's floor and 1-2-5
 * ticks, the time window and its ticks, and the sentence screen readers hear.
 */
import { describe, expect, it } from 'vitest';
import {
  bytesToBits,
  describeThroughput,
  formatBitRate,
  formatElapsed,
  MIN_RATE_SCALE,
  niceStep,
  rateScale,
  timeTicks,
  timeWindow,
} from '../../../renderer/src/lib/throughput-scale';

describe('formatBitRate', () => {
  it('uses SI prefixes on bit/s with up to three significant digits', () => {
    expect([0, 500_000, 1_000_000].map(formatBitRate)).toEqual(['0 b/s', '500 kb/s', '1 Mb/s']);
    expect(formatBitRate(812)).toBe('812 b/s');
    expect(formatBitRate(12_345)).toBe('12.3 kb/s');
    expect(formatBitRate(1_500_000)).toBe('1.5 Mb/s');
    expect(formatBitRate(2.5e9)).toBe('2.5 Gb/s');
    expect(formatBitRate(2.4)).toBe('2.4 b/s');
  });

  it('rounds across a prefix boundary to the next prefix, not "1000 kb/s"', () => {
    expect(formatBitRate(999_700)).toBe('1 Mb/s');
    expect(formatBitRate(999.9)).toBe('1 kb/s');
    expect(formatBitRate(999.4)).toBe('999 b/s');
  });

  it('shows a dash for values that are not rates', () => {
    expect(formatBitRate(Number.NaN)).toBe('–');
    expect(formatBitRate(-1)).toBe('–');
    expect(formatBitRate(Number.POSITIVE_INFINITY)).toBe('–');
  });

  it('converts bytes to bits', () => {
    expect(bytesToBits(125_000)).toBe(1_000_000);
  });
});

describe('niceStep', () => {
  it('picks 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(10_000, 4)).toBe(5000);
    expect(niceStep(1_100_000, 4)).toBe(500_000);
    expect(niceStep(800, 4)).toBe(200);
    expect(niceStep(100, 4)).toBe(50);
    expect(niceStep(9, 4)).toBe(5);
    expect(niceStep(0.3, 3)).toBe(0.1);
  });

  it('falls back to 1 for an empty or broken span', () => {
    expect(niceStep(0, 4)).toBe(1);
    expect(niceStep(Number.NaN, 4)).toBe(1);
  });
});

describe('rateScale', () => {
  it('never tops out below the floor, so a few bytes per second stay flat at the bottom', () => {
    for (const peak of [0, 24, 400, Number.NaN, -5]) {
      const scale = rateScale(peak);
      expect(scale.max).toBe(MIN_RATE_SCALE);
      expect(scale.ticks).toEqual([0, 5000, 10_000]);
    }
    expect(rateScale(24).ticks.map(formatBitRate)).toEqual(['0 b/s', '5 kb/s', '10 kb/s']);
  });

  it('leaves headroom above the peak and ends on a whole tick', () => {
    const scale = rateScale(1_000_000);
    expect(scale.step).toBe(500_000);
    expect(scale.max).toBe(1_500_000);
    expect(scale.ticks.map(formatBitRate)).toEqual(['0 b/s', '500 kb/s', '1 Mb/s', '1.5 Mb/s']);
    expect(scale.max).toBeGreaterThanOrEqual(1_000_000 * 1.1);
  });

  it('keeps the number of ticks small for any peak', () => {
    for (const peak of [11_000, 37_500, 123_456, 9_999_999, 4.2e9]) {
      const { ticks, max, step } = rateScale(peak);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(6);
      expect(max).toBeGreaterThanOrEqual(peak);
      expect(ticks[0]).toBe(0);
      expect(ticks.at(-1)).toBe(max);
      ticks.forEach((t, i) => expect(t).toBeCloseTo(i * step, 6));
    }
  });
});

describe('time axis', () => {
  it('shows a fixed window, filled from the left, then scrolling with the newest sample', () => {
    expect(timeWindow(0, 120)).toEqual([0, 120]);
    expect(timeWindow(45, 120)).toEqual([0, 120]);
    expect(timeWindow(300, 120)).toEqual([180, 300]);
    expect(timeWindow(Number.NaN, 120)).toEqual([0, 120]);
  });

  it('ticks at whole steps of seconds and minutes', () => {
    expect(timeTicks(0, 120)).toEqual([0, 30, 60, 90, 120]);
    expect(timeTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(timeTicks(181, 301)).toEqual([210, 240, 270, 300]);
    expect(timeTicks(0, 3 * 3600)).toEqual([0, 1800, 3600, 5400, 7200, 9000, 10_800]);
    expect(timeTicks(5, 5)).toEqual([]);
  });

  it('labels elapsed time as m:ss, or h:mm:ss past an hour', () => {
    expect([0, 5, 90, 600, 3723].map(formatElapsed)).toEqual(['0:00', '0:05', '1:30', '10:00', '1:02:03']);
    expect(formatElapsed(-1)).toBe('–');
  });
});

describe('describeThroughput', () => {
  it('says when nothing was measured', () => {
    expect(describeThroughput([])).toBe('No traffic measured yet.');
  });

  it('states the current rates, then the peaks of the window', () => {
    expect(describeThroughput([{ t: 1, rxRate: 125_000, txRate: 1000 }])).toBe('Receiving 1 Mb/s, sending 8 kb/s.');
    const samples = [
      { t: 10, rxRate: 125_000, txRate: 1000 },
      { t: 70, rxRate: 437_500, txRate: 12_000 },
      { t: 160, rxRate: 150_000, txRate: 6000 },
    ];
    expect(describeThroughput(samples)).toBe('Receiving 1.2 Mb/s, sending 48 kb/s. Peak over the last 2 min 30 s: 3.5 Mb/s received, 96 kb/s sent.');
  });
});
