/**
 * One timer table per engine object (after quinn-proto): timers are named by a key, each holds
 * an absolute deadline in milliseconds of the caller's clock, and the next wake-up is the
 * minimum. The engine never reads a clock; `now` always comes in from the driver.
 *
 * Kept in two small parallel stores in insertion order (a table holds a handful of keys), not a
 * Map: the data path sets and clears timers per packet (GRE acks, window stalls) and asks for
 * the next deadline after every input, and none of that may allocate (issue 12): the stores
 * never shrink (an Array popped to empty drops its backing store, and the next push makes a new
 * one), deadlines are raw doubles, and the next deadline is kept until a timer changes. The
 * order is the Map's: a new key goes last, re-setting a key keeps its place, clearing removes it.
 */
export class TimerTable<K extends string> {
  /** Slots 0..count-1 are armed, in insertion order; capacity only grows (doubling, rarely). */
  private keys: (K | undefined)[] = new Array<K | undefined>(INITIAL_SLOTS).fill(undefined);
  /** Deadlines as raw doubles: storing one allocates nothing (a number[] may box it). */
  private deadlines = new Float64Array(INITIAL_SLOTS);
  private count = 0;
  /**
   * nextTimeout()'s answer, kept until a timer changes. The driver asks after every input while
   * timers change rarely; returning this held number allocates nothing, where computing a
   * fractional minimum afresh boxes a new heap number per call (issue 12). `stale` = recompute.
   */
  private next: number | undefined;
  private stale = false;

  set(key: K, at: number): void {
    this.stale = true;
    const n = this.indexOf(key);
    if (n >= 0) {
      this.deadlines[n] = at;
      return;
    }
    if (this.count === this.keys.length) this.grow();
    this.keys[this.count] = key;
    this.deadlines[this.count] = at;
    this.count++;
  }

  clear(key: K): void {
    const n = this.indexOf(key);
    if (n >= 0) this.removeAt(n);
  }

  clearAll(): void {
    while (this.count > 0) this.removeAt(this.count - 1);
  }

  get(key: K): number | undefined {
    const n = this.indexOf(key);
    return n >= 0 ? this.deadlines[n] : undefined;
  }

  isArmed(key: K): boolean {
    return this.indexOf(key) >= 0;
  }

  /** The earliest deadline, or undefined when nothing is armed. */
  nextTimeout(): number | undefined {
    if (this.stale) {
      let min: number | undefined;
      for (let n = 0; n < this.count; n++) {
        const at = this.deadlines[n]!;
        if (min === undefined || at < min) min = at;
      }
      this.next = min;
      this.stale = false;
    }
    return this.next;
  }

  /** Removes and returns every timer whose deadline is <= now, earliest first. */
  expire(now: number): K[] {
    let any = false;
    for (let n = 0; n < this.count; n++) if (this.deadlines[n]! <= now) any = true;
    if (!any) return NOTHING_DUE as K[];
    const due: [K, number][] = [];
    for (let n = 0; n < this.count; n++) if (this.deadlines[n]! <= now) due.push([this.keys[n]!, this.deadlines[n]!]);
    due.sort((a, b) => a[1] - b[1]);
    for (const [k] of due) this.clear(k);
    return due.map(([k]) => k);
  }

  private indexOf(key: K): number {
    for (let n = 0; n < this.count; n++) if (this.keys[n] === key) return n;
    return -1;
  }

  /** Removes entry n, keeping the order of the rest (the storage keeps its capacity). */
  private removeAt(n: number): void {
    this.stale = true;
    const last = this.count - 1;
    for (let k = n; k < last; k++) {
      this.keys[k] = this.keys[k + 1];
      this.deadlines[k] = this.deadlines[k + 1]!;
    }
    this.keys[last] = undefined;
    this.count = last;
  }

  private grow(): void {
    const keys = new Array<K | undefined>(this.keys.length * 2).fill(undefined);
    const deadlines = new Float64Array(this.keys.length * 2);
    for (let n = 0; n < this.count; n++) keys[n] = this.keys[n];
    deadlines.set(this.deadlines);
    this.keys = keys;
    this.deadlines = deadlines;
  }
}

/** A table holds a handful of keys (the GRE call three, the session two). */
const INITIAL_SLOTS = 4;

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
