import { describe, expect, it } from 'vitest';
import { RttEstimator } from '../../../../main/engine/gre/rtt';

describe('RttEstimator', () => {
  it('noSamples_usesInitialTimeout', () => {
    const e = new RttEstimator();
    expect(e.smoothedMs).toBeUndefined();
    expect(e.timeoutMs(1000, 200, 3000)).toBe(1000);
  });
  it('firstSample_setsAverageAndHalfDeviation', () => {
    const e = new RttEstimator();
    e.addSample(100);
    expect(e.smoothedMs).toBe(100);
    expect(e.deviationMs).toBe(50);
    expect(e.timeoutMs(1000, 200, 3000)).toBe(300);
  });
  it('laterSamples_smoothWithGainOneEighth', () => {
    const e = new RttEstimator();
    e.addSample(100);
    e.addSample(180);
    expect(e.smoothedMs).toBe(110);
    expect(e.deviationMs).toBe(50 + (80 - 50) / 4);
    for (let i = 0; i < 200; i++) e.addSample(40);
    expect(e.smoothedMs!).toBeCloseTo(40, 3);
    expect(e.timeoutMs(1000, 200, 3000)).toBe(200);
  });
  it('negativeOrNanSamples_areIgnored', () => {
    const e = new RttEstimator();
    e.addSample(-5);
    e.addSample(Number.NaN);
    expect(e.samples).toBe(0);
  });
});
