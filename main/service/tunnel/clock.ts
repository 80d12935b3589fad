/**
 * Time for the tunnel runtime, injectable: the one place the driver's pieces read the clock or
 * arm a timer, so the reconnect loop, the engine timer and the stats interval run on a virtual
 * clock in tests and on the real one in the service.
 *
 * Owns: the Clock interface, the system clock (performance.now(): monotonic, so wall-clock jumps
 * do not fire timers; Node's setTimeout/setInterval) and the connect timeline (the `at` of
 * events). Must not: know about sessions, sockets or events.
 */
import { performance } from 'node:perf_hooks';

/** Stops a timer armed with Clock.after or Clock.every; calling it twice is harmless. */
export type CancelTimer = () => void;

export interface Clock {
  /** Monotonic milliseconds (the engine's `now`). */
  now(): number;
  /** Calls `fn` once, `ms` from now. */
  after(ms: number, fn: () => void): CancelTimer;
  /** Calls `fn` every `ms` until cancelled. */
  every(ms: number, fn: () => void): CancelTimer;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
  every(ms, fn) {
    const t = setInterval(fn, ms);
    return () => clearInterval(t);
  },
};

/**
 * The connect timeline: phase and log events carry `at`, milliseconds since the current connect
 * attempt began. Restarted by `connect` and by each reconnect, shared by the attempt that runs.
 */
export class ConnectTimeline {
  private t0 = 0;

  constructor(private readonly clock: Clock) {}

  restart(): void {
    this.t0 = this.clock.now();
  }

  /** Milliseconds since the attempt began (never negative). */
  at(): number {
    return this.sinceStart(this.clock.now());
  }

  /** An engine timestamp (the same clock) as milliseconds since the attempt began. */
  sinceStart(time: number): number {
    return Math.max(0, time - this.t0);
  }
}
