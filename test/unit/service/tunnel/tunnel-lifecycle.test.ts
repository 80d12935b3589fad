/**
 * The reconnect loop on a virtual clock: fake attempts end when the test says so, the backoff
 * delay is a ManualClock timer, and the jitter byte is fixed at 0 (−20 %), so the delays are
 * exact: 800, 1600, 3200 ms …
 */
import { describe, expect, it } from 'vitest';
import type { TunnelEvent } from '../../../../preload/schema/tunnel';
import type { FailureReason } from '../../../../preload/vocabulary';
import type { ConnectOptions } from '../../../../main/service/connect-options';
import { DEFAULT_MPPE_POLICY } from '../../../../main/engine/ppp/ccp/mppe-option';
import { RpcError } from '../../../../main/service/rpc/server';
import {
  TunnelLifecycle,
  errorEvent,
  type AttemptHooks,
  type RunningAttempt,
} from '../../../../main/service/tunnel/tunnel-lifecycle';
import { ManualClock } from './manual-clock';

class FakeAttempt implements RunningAttempt {
  hasSession = false;
  disconnects = 0;
  statsRequests = 0;
  /** The timeline's `at` when the attempt started. */
  readonly startedAt: number;

  constructor(
    readonly options: ConnectOptions,
    readonly hooks: AttemptHooks,
  ) {
    this.startedAt = hooks.timeline.at();
  }

  disconnect(): void {
    this.disconnects++;
  }

  emitStats(): void {
    this.statsRequests++;
  }

  up(): void {
    this.hasSession = true;
    this.hooks.connected({ localIp: '10.0.0.2', remoteIp: '10.0.0.1', dns: ['10.0.0.53'], mtu: 1400, auth: 'mschapv2' });
  }

  end(reason: FailureReason, extra: { restored?: boolean; uptimeMs?: number } = {}): void {
    this.hooks.ended({ kind: 'ended', failure: { reason, message: `ended: ${reason}` }, restored: extra.restored ?? true, ...(extra.uptimeMs !== undefined ? { uptimeMs: extra.uptimeMs } : {}) });
  }
}

function options(reconnect?: ConnectOptions['reconnect']): ConnectOptions {
  return {
    server: '192.0.2.1',
    username: 'alice',
    password: 'secret',
    auth: ['mschapv2'],
    mppe: DEFAULT_MPPE_POLICY,
    routes: 'default',
    dns: true,
    label: 'office',
    ...(reconnect ? { reconnect } : {}),
  };
}

function setup() {
  const clock = new ManualClock();
  const events: TunnelEvent[] = [];
  const attempts: FakeAttempt[] = [];
  const lifecycle = new TunnelLifecycle({
    emit: (e) => events.push(e),
    clock,
    random: (n) => new Uint8Array(n), // jitter byte 0: −20 %
    startAttempt: (o, hooks) => {
      const a = new FakeAttempt(o, hooks);
      attempts.push(a);
      return a;
    },
  });
  const last = () => attempts[attempts.length - 1]!;
  const kinds = () => events.map((e) => e.event);
  return { clock, events, attempts, lifecycle, last, kinds };
}

describe('TunnelLifecycle reconnect loop', () => {
  it('retries a retryable failure after a growing backoff, on the clock', () => {
    const { clock, events, attempts, lifecycle, last } = setup();
    lifecycle.connect(options({ enabled: true, maxAttempts: 0 }));
    expect(attempts).toHaveLength(1);

    const delays: number[] = [];
    for (let n = 1; n <= 4; n++) {
      last().end('peer-disconnected');
      const r = events.at(-1)!;
      expect(r).toEqual({ event: 'reconnecting', attempt: n, delayMs: 1000 * 2 ** (n - 1) * 0.8, reason: 'peer-disconnected' });
      expect(lifecycle.status().state).toBe('reconnecting');
      delays.push((r as { delayMs: number }).delayMs);
      // Nothing starts before the delay has passed…
      clock.advance(delays[n - 1]! - 1);
      expect(attempts).toHaveLength(n);
      // …and the next attempt starts exactly when it has, on a fresh timeline.
      clock.advance(1);
      expect(attempts).toHaveLength(n + 1);
      expect(lifecycle.status().state).toBe('connecting');
      expect(last().startedAt).toBe(0);
    }
    expect(delays).toEqual([800, 1600, 3200, 6400]);
  });

  it('emits error then reconnecting for each failure, and disconnected only at the end', () => {
    const { clock, lifecycle, last, kinds, events } = setup();
    lifecycle.connect(options({ enabled: true, maxAttempts: 2 }));
    last().end('keepalive-timeout');
    clock.advance(800);
    last().end('gre-blocked');
    clock.advance(1600);
    last().end('tcp-unreachable');
    expect(kinds()).toEqual(['error', 'reconnecting', 'error', 'reconnecting', 'error', 'disconnected']);
    expect(events[0]).toEqual(errorEvent({ reason: 'keepalive-timeout', message: 'ended: keepalive-timeout' }));
    expect(events.at(-1)).toEqual({ event: 'disconnected', reason: 'tcp-unreachable', restored: true });
  });

  it('stops at maxAttempts: the tunnel ends with the last reason', async () => {
    const { clock, attempts, lifecycle, last, events } = setup();
    lifecycle.connect(options({ enabled: true, maxAttempts: 3 }));
    const ended = lifecycle.waitForEnd();
    for (let n = 1; n <= 3; n++) {
      last().end('peer-disconnected');
      clock.advance(60_000);
    }
    expect(attempts).toHaveLength(4);
    last().end('peer-disconnected');
    expect(events.filter((e) => e.event === 'reconnecting')).toHaveLength(3);
    expect(events.at(-1)).toEqual({ event: 'disconnected', reason: 'peer-disconnected', restored: true });
    expect(lifecycle.status().state).toBe('idle');
    expect(clock.pendingTimers).toBe(0);
    await expect(ended).resolves.toBe('peer-disconnected');
  });

  it.each(['auth-failed', 'encryption-refused', 'control-refused', 'network-config-failed'] as const)('does not retry %s', async (reason) => {
    const { clock, attempts, lifecycle, last, kinds } = setup();
    lifecycle.connect(options({ enabled: true, maxAttempts: 0 }));
    last().end(reason);
    expect(kinds()).toEqual(['error', 'disconnected']);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(120_000);
    expect(attempts).toHaveLength(1);
    await expect(lifecycle.waitForEnd()).resolves.toBe(reason);
  });

  it('does not retry when reconnect is off', () => {
    const { lifecycle, last, kinds } = setup();
    lifecycle.connect(options());
    last().end('peer-disconnected', { uptimeMs: 5000 });
    expect(kinds()).toEqual(['error', 'disconnected']);
  });

  it('disconnect during the backoff cancels it: no further attempt, the end is local-disconnect', async () => {
    const { clock, attempts, lifecycle, last, kinds, events } = setup();
    lifecycle.connect(options({ enabled: true, maxAttempts: 0 }));
    const ended = lifecycle.waitForEnd();
    last().end('peer-disconnected');
    expect(lifecycle.status().state).toBe('reconnecting');
    await lifecycle.disconnect();
    expect(lifecycle.status().state).toBe('idle');
    expect(clock.pendingTimers).toBe(0);
    clock.advance(120_000);
    expect(attempts).toHaveLength(1);
    await expect(ended).resolves.toBe('local-disconnect');
    // A cancelled backoff ends like every other end: one 'disconnected' (the app waits for it).
    expect(kinds()).toEqual(['error', 'reconnecting', 'disconnected']);
    expect(events.at(-1)).toEqual({ event: 'disconnected', reason: 'local-disconnect', restored: true });
  });

  it('a successful connect resets the retry count', () => {
    const { clock, lifecycle, last, events } = setup();
    lifecycle.connect(options({ enabled: true, maxAttempts: 2 }));
    last().end('peer-disconnected');
    clock.advance(800);
    last().end('peer-disconnected');
    clock.advance(1600);
    last().up();
    last().end('keepalive-timeout');
    expect(events.at(-1)).toEqual({ event: 'reconnecting', attempt: 1, delayMs: 800, reason: 'keepalive-timeout' });
  });

  it('a user disconnect is not retried and is not an error', async () => {
    const { lifecycle, last, kinds, events } = setup();
    lifecycle.connect(options({ enabled: true, maxAttempts: 0 }));
    last().up();
    lifecycle.disconnect();
    expect(lifecycle.status().state).toBe('disconnecting');
    expect(last().disconnects).toBe(1);
    last().end('local-disconnect', { uptimeMs: 1234 });
    expect(kinds()).toEqual(['disconnected']);
    expect(events[0]).toEqual({ event: 'disconnected', reason: 'local-disconnect', restored: true, uptimeMs: 1234 });
    await expect(lifecycle.waitForEnd()).resolves.toBe('local-disconnect');
  });

  it('a failure after the user asked to stop is reported but not retried', () => {
    const { lifecycle, last, kinds } = setup();
    lifecycle.connect(options({ enabled: true, maxAttempts: 0 }));
    last().up();
    lifecycle.disconnect();
    last().end('peer-disconnected', { restored: false });
    expect(kinds()).toEqual(['error', 'disconnected']);
  });
});

describe('TunnelLifecycle state', () => {
  it('reports label and connection while connected, and clears them at the end', () => {
    const { lifecycle, last } = setup();
    expect(lifecycle.status()).toEqual({ state: 'idle' });
    lifecycle.connect(options());
    expect(lifecycle.status()).toEqual({ state: 'connecting', label: 'office' });
    last().up();
    expect(lifecycle.status()).toEqual({
      state: 'connected',
      label: 'office',
      connected: { localIp: '10.0.0.2', remoteIp: '10.0.0.1', dns: ['10.0.0.53'], mtu: 1400, auth: 'mschapv2' },
    });
    last().end('peer-disconnected');
    expect(lifecycle.status()).toEqual({ state: 'idle', label: 'office' });
  });

  it('refuses a second connect and a disconnect with no tunnel', () => {
    const { lifecycle } = setup();
    expect(() => lifecycle.disconnect()).toThrow(RpcError);
    lifecycle.connect(options());
    expect(() => lifecycle.connect(options())).toThrow(expect.objectContaining({ code: 'busy' }));
  });

  it('a stop before the session exists waits for the attempt to notice it, then reports the end', async () => {
    const { lifecycle, last, kinds, events } = setup();
    lifecycle.connect(options({ enabled: true, maxAttempts: 0 }));
    lifecycle.disconnect();
    // No session to close yet: still connecting, and the attempt was not asked to disconnect.
    expect(lifecycle.status().state).toBe('connecting');
    expect(last().disconnects).toBe(0);
    expect(last().hooks.stopRequested()).toBe(true);
    last().hooks.ended({ kind: 'stopped' });
    expect(lifecycle.status().state).toBe('idle');
    // The end is reported like every other: nothing was applied, so restored.
    expect(kinds()).toEqual(['disconnected']);
    expect(events.at(-1)).toEqual({ event: 'disconnected', reason: 'local-disconnect', restored: true });
    await expect(lifecycle.waitForEnd()).resolves.toBe('local-disconnect');
  });

  it('passes stats requests to the running attempt only', () => {
    const { lifecycle, last } = setup();
    lifecycle.emitStats();
    lifecycle.connect(options());
    lifecycle.emitStats();
    expect(last().statsRequests).toBe(1);
    last().end('peer-disconnected');
    lifecycle.emitStats();
    expect(last().statsRequests).toBe(1);
  });

  it('the timeline restarts at connect and at each reconnect', () => {
    const { clock, lifecycle, last } = setup();
    clock.advance(5000);
    lifecycle.connect(options({ enabled: true, maxAttempts: 0 }));
    clock.advance(300);
    expect(last().hooks.timeline.at()).toBe(300);
    last().end('peer-disconnected');
    clock.advance(800);
    expect(last().hooks.timeline.at()).toBe(0);
    expect(last().hooks.timeline.sinceStart(clock.now() + 42)).toBe(42);
  });
});
