/**
 * Round-trip-time estimate for one GRE call, from the send time of a sequence number to the
 * acknowledgement that covers it. The smoothing is the Jacobson/Karels estimator RFC 2637 §4.4
 * describes for the adaptive acknowledgement timeout (gains 1/8 and 1/4, deviation weight 4),
 * initialised the RFC 6298 §2.2 way from the first sample. Owns numbers only: no clock, no timers.
 */

// RFC 2637 §4.4: alpha = 1/8 for the average, beta = 1/4 for the deviation, chi = 4.
const ALPHA = 1 / 8;
const BETA = 1 / 4;
const CHI = 4;

export class RttEstimator {
  /**
   * NaN until the first sample. Plain numbers, never undefined: a field that held undefined is
   * stored boxed, and each update of a fractional value would allocate one heap number per
   * acknowledgement (issue 12); a number-only field is updated in place.
   */
  private srtt = Number.NaN;
  private rttvar = 0;
  private count = 0;

  /** Adds one sample in ms; negative samples (a clock that went backwards) are ignored. */
  addSample(sampleMs: number): void {
    if (!(sampleMs >= 0) || !Number.isFinite(sampleMs)) return;
    this.count++;
    if (this.count === 1) {
      this.srtt = sampleMs;
      this.rttvar = sampleMs / 2;
      return;
    }
    const diff = sampleMs - this.srtt;
    this.srtt += ALPHA * diff;
    this.rttvar += BETA * (Math.abs(diff) - this.rttvar);
  }

  /** Smoothed RTT in ms, undefined before the first sample. */
  get smoothedMs(): number | undefined {
    return this.count === 0 ? undefined : this.srtt;
  }

  get deviationMs(): number {
    return this.rttvar;
  }

  get samples(): number {
    return this.count;
  }

  /** RFC 2637 §4.4: ATO = average + chi * deviation, clamped to [minMs, maxMs]; `initialMs` before any sample. */
  timeoutMs(initialMs: number, minMs: number, maxMs: number): number {
    if (this.count === 0) return initialMs;
    return Math.min(maxMs, Math.max(minMs, this.srtt + CHI * this.rttvar));
  }
}
