/**
 * One timer table per engine object (after quinn-proto): timers are named by a key, each holds
 * an absolute deadline in milliseconds of the caller's clock, and the next wake-up is the
 * minimum. The engine never reads a clock; `now` always comes in from the driver.
 *
 * Kept in two small parallel arrays in insertion order (a table holds a handful of keys), not a
 * Map: the data path sets and clears timers per packet (GRE acks, window stalls) and asks for
 * the next deadline after every input, and none of that may allocate (issue 12). The order is
 * the Map's: a new key goes last, re-setting a key keeps its place, clearing removes it.
 */
export class TimerTable<K extends string> {
  private readonly keys: K[] = [];
  private readonly deadlines: number[] = [];

  set(key: K, at: number): void {
    const n = this.keys.indexOf(key);
    if (n >= 0) {
      this.deadlines[n] = at;
      return;
    }
    this.keys.push(key);
    this.deadlines.push(at);
  }

  clear(key: K): void {
    const n = this.keys.indexOf(key);
    if (n >= 0) this.removeAt(n);
  }

  clearAll(): void {
    while (this.keys.length > 0) this.removeAt(this.keys.length - 1);
  }

  get(key: K): number | undefined {
    const n = this.keys.indexOf(key);
    return n >= 0 ? this.deadlines[n] : undefined;
  }

  isArmed(key: K): boolean {
    return this.keys.indexOf(key) >= 0;
  }

  /** The earliest deadline, or undefined when nothing is armed. */
  nextTimeout(): number | undefined {
    let min: number | undefined;
    for (let n = 0; n < this.deadlines.length; n++) {
      const at = this.deadlines[n]!;
      if (min === undefined || at < min) min = at;
    }
    return min;
  }

  /** Removes and returns every timer whose deadline is <= now, earliest first. */
  expire(now: number): K[] {
    const due: [K, number][] = [];
    for (let n = 0; n < this.keys.length; n++) if (this.deadlines[n]! <= now) due.push([this.keys[n]!, this.deadlines[n]!]);
    if (due.length === 0) return NOTHING_DUE as K[];
    due.sort((a, b) => a[1] - b[1]);
    for (const [k] of due) this.clear(k);
    return due.map(([k]) => k);
  }

  /** Removes entry n, keeping the order of the rest (the arrays keep their capacity). */
  private removeAt(n: number): void {
    const last = this.keys.length - 1;
    for (let k = n; k < last; k++) {
      this.keys[k] = this.keys[k + 1]!;
      this.deadlines[k] = this.deadlines[k + 1]!;
    }
    this.keys.pop();
    this.deadlines.pop();
  }
}

/** The empty result of expire(), shared (callers only iterate it). */
const NOTHING_DUE: readonly string[] = Object.freeze([]);

/** The earliest of up to six deadlines (fixed parameters: no rest array per call). */
export function earliest(
  a?: number,
  b?: number,
  c?: number,
  d?: number,
  e?: number,
  f?: number,
): number | undefined {
  let min = a;
  if (b !== undefined && (min === undefined || b < min)) min = b;
  if (c !== undefined && (min === undefined || c < min)) min = c;
  if (d !== undefined && (min === undefined || d < min)) min = d;
  if (e !== undefined && (min === undefined || e < min)) min = e;
  if (f !== undefined && (min === undefined || f < min)) min = f;
  return min;
}
