/**
 * Simulated time for the harness: milliseconds as plain numbers, moved only by the driver
 * (Pair) or the test, never backwards. Nothing here reads the real clock.
 */
export class VirtualClock {
  private current: number;

  constructor(start = 0) {
    this.current = start;
  }

  get now(): number {
    return this.current;
  }

  /** Moves to `at`; earlier times are ignored (time never runs backwards). */
  advanceTo(at: number): void {
    if (at > this.current) this.current = at;
  }

  advanceBy(ms: number): void {
    if (ms > 0) this.current += ms;
  }
}
