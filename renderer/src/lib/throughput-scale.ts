/**
 * The throughput graph's numbers, pure: rates in bit/s with SI prefixes ("0 b/s", "500 kb/s",
 * "1.5 Mb/s" — the unit links and speed tests use, while amounts of data stay in bytes), the
 * y scale with "nice" 1-2-5 ticks and a floor, the scrolling time window and its m:ss ticks, and
 * the sentence that describes the graph to screen readers.
 *
 * Decisions:
 *  - Rates arrive in bytes per second (StatsEvent) and are shown in bits per second (×8, SI
 *    prefixes, 1 kb/s = 1000 b/s), as WireGuard, Mullvad and Windows' network monitor do.
 *  - The y scale never tops out below MIN_RATE_SCALE (10 kb/s): keepalives and acks (a few
 *    bytes per second) lie flat along the bottom instead of filling the plot with noise.
 *    Above the floor the top is the peak plus 10 % headroom, rounded up to a whole tick.
 *  - The x axis is the time since connecting; it shows a fixed window (the samples the store
 *    keeps), filled from the left until the window is full, then scrolling.
 * Owns no state and touches no DOM: ThroughputGraph.tsx feeds these to uPlot.
 */

export const BITS_PER_BYTE = 8;
/** The smallest top of the y scale, in bit/s. */
export const MIN_RATE_SCALE = 10_000;
/** Headroom above the peak so the line does not run along the top edge. */
const HEADROOM = 1.1;

const SI_PREFIXES = ['', 'k', 'M', 'G', 'T', 'P'] as const;

export function bytesToBits(bytesPerSecond: number): number {
  return bytesPerSecond * BITS_PER_BYTE;
}

/** "0 b/s", "812 b/s", "12.5 kb/s", "1 Mb/s": up to 3 significant digits, no trailing zeros. */
export function formatBitRate(bitsPerSecond: number): string {
  if (!Number.isFinite(bitsPerSecond) || bitsPerSecond < 0) return '–';
  let value = bitsPerSecond;
  let prefix = 0;
  for (;;) {
    while (value >= 1000 && prefix < SI_PREFIXES.length - 1) {
      value /= 1000;
      prefix += 1;
    }
    const rounded = Number(value.toPrecision(3));
    // 999.7 rounds up to 1000: one prefix up ("1 Mb/s", not "1000 kb/s").
    if (rounded >= 1000 && prefix < SI_PREFIXES.length - 1) {
      value = rounded;
      continue;
    }
    return `${rounded} ${SI_PREFIXES[prefix]}b/s`;
  }
}

/** The smallest 1-2-5 step (× a power of ten) that splits `span` into at most `maxTicks` parts. */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0) || !Number.isFinite(span) || maxTicks < 1) return 1;
  const raw = span / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    if (m * magnitude >= raw - 1e-9 * magnitude) return m * magnitude;
  }
  return 10 * magnitude;
}

export interface RateScale {
  /** Top of the y scale, bit/s (a whole number of steps). */
  readonly max: number;
  readonly step: number;
  /** 0, step, 2·step, …, max. */
  readonly ticks: readonly number[];
}

/** The y scale for a graph whose highest rate is `peak` bit/s. */
export function rateScale(peak: number, maxTicks = 4, floor = MIN_RATE_SCALE): RateScale {
  const top = Math.max(Number.isFinite(peak) && peak > 0 ? peak * HEADROOM : 0, floor);
  const step = niceStep(top, maxTicks);
  const count = Math.ceil(top / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  return { max: ticks[ticks.length - 1] ?? step, step, ticks };
}

/** The visible time range, seconds since connecting: `span` wide, ending at the newest sample. */
export function timeWindow(latest: number, span: number): readonly [number, number] {
  const end = Number.isFinite(latest) ? Math.max(latest, span) : span;
  return [end - span, end];
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/** Tick positions (seconds) for the time axis: whole steps of 1, 2, 5, 10, 15, 30 s, 1, 2, 5 … min. */
export function timeTicks(min: number, max: number, maxTicks = 6): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min) return [];
  const span = max - min;
  const step = TIME_STEPS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / 86_400) * 86_400;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step) ticks.push(t);
  return ticks;
}

/** Elapsed time as the time axis shows it: "0:05", "2:30", "1:02:03". */
export function formatElapsed(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Plain duration for sentences: "45 s", "2 min", "2 min 30 s". */
function spokenDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

export interface RateSample {
  /** seconds since connected */
  readonly t: number;
  /** bytes per second */
  readonly rxRate: number;
  readonly txRate: number;
}

/**
 * The graph in words, for its accessible name: the current rates and the peaks of the window.
 * "Receiving 1.2 Mb/s, sending 48 kb/s. Peak over the last 2 min: 3.5 Mb/s received, 96 kb/s sent."
 */
export function describeThroughput(samples: readonly RateSample[]): string {
  const last = samples.at(-1);
  const first = samples[0];
  if (!last || !first) return 'No traffic measured yet.';
  const now = `Receiving ${formatBitRate(bytesToBits(last.rxRate))}, sending ${formatBitRate(bytesToBits(last.txRate))}.`;
  if (samples.length < 2) return now;
  const peakRx = Math.max(...samples.map((s) => s.rxRate));
  const peakTx = Math.max(...samples.map((s) => s.txRate));
  return `${now} Peak over the last ${spokenDuration(last.t - first.t)}: ${formatBitRate(bytesToBits(peakRx))} received, ${formatBitRate(bytesToBits(peakTx))} sent.`;
}
