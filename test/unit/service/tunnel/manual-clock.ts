/**
 * A Clock (main/service/tunnel/clock.ts) on virtual time for the tunnel runtime's unit tests:
 * timers fire only when the test calls advance(), in due order, and nothing reads real time.
 */
import type { CancelTimer, Clock } from '../../../../main/service/tunnel/clock';

interface Timer {
  readonly id: number;
  due: number;
  readonly fn: () => void;
  readonly repeatMs: number | undefined;
}

export class ManualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): CancelTimer {
    return this.arm(ms, fn, undefined);
  }

  every(ms: number, fn: () => void): CancelTimer {
    return this.arm(ms, fn, ms);
  }

  /** Timers armed and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Delay until the next timer fires (undefined: none armed). */
  get nextDelay(): number | undefined {
    const next = this.earliest();
    return next ? next.due - this.time : undefined;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let t = this.earliest(); t && t.due <= end; t = this.earliest()) {
      this.time = t.due;
      if (t.repeatMs !== undefined) t.due += t.repeatMs;
      else this.timers = this.timers.filter((x) => x !== t);
      t.fn();
    }
    this.time = end;
  }

  private arm(ms: number, fn: () => void, repeatMs: number | undefined): CancelTimer {
    const timer: Timer = { id: this.nextId++, due: this.time + Math.max(0, ms), fn, repeatMs };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    return best;
  }
}
