/**
 * One timer table per engine object (after quinn-proto): timers are named by a key, each holds
 * an absolute deadline in milliseconds of the caller's clock, and the next wake-up is the
 * minimum. The engine never reads a clock; `now` always comes in from the driver.
 */
export class TimerTable<K extends string> {
  private readonly deadlines = new Map<K, number>();

  set(key: K, at: number): void {
    this.deadlines.set(key, at);
  }

  clear(key: K): void {
    this.deadlines.delete(key);
  }

  clearAll(): void {
    this.deadlines.clear();
  }

  get(key: K): number | undefined {
    return this.deadlines.get(key);
  }

  isArmed(key: K): boolean {
    return this.deadlines.has(key);
  }

  /** The earliest deadline, or undefined when nothing is armed. */
  nextTimeout(): number | undefined {
    let min: number | undefined;
    for (const at of this.deadlines.values()) if (min === undefined || at < min) min = at;
    return min;
  }

  /** Removes and returns every timer whose deadline is <= now, earliest first. */
  expire(now: number): K[] {
    const due: [K, number][] = [];
    for (const [k, at] of this.deadlines) if (at <= now) due.push([k, at]);
    due.sort((a, b) => a[1] - b[1]);
    for (const [k] of due) this.deadlines.delete(k);
    return due.map(([k]) => k);
  }
}

/** The earliest of several optional deadlines. */
export function earliest(...deadlines: (number | undefined)[]): number | undefined {
  let min: number | undefined;
  for (const d of deadlines) if (d !== undefined && (min === undefined || d < min)) min = d;
  return min;
}
