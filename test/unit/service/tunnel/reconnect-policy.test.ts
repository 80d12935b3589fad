import { describe, expect, it } from 'vitest';
import {
  RECONNECT_BASE_MS,
  RECONNECT_MAX_MS,
  RETRYABLE_REASONS,
  backoffDelayMs,
  decideReconnect,
} from '../../../../main/service/tunnel/reconnect-policy';
import { FAILURE_REASONS } from '../../../../preload/vocabulary';
import type { RandomSource } from '../../../../main/engine/random';

/** A random source that always yields `byte` and counts how often it was asked. */
function fixedByte(byte: number): RandomSource & { calls: number } {
  const f = Object.assign((length: number) => {
    f.calls++;
    return new Uint8Array(length).fill(byte);
  }, { calls: 0 });
  return f;
}

const on = (maxAttempts: number) => ({ enabled: true, maxAttempts });

describe('decideReconnect', () => {
  it.each(['tcp-unreachable', 'server-not-found', 'gre-blocked', 'peer-disconnected', 'keepalive-timeout', 'protocol-error', 'negotiation-failed'] as const)(
    'retries %s',
    (reason) => {
      expect(decideReconnect(1, reason, on(3), fixedByte(0))).toEqual({ retry: true, delayMs: 800 });
    },
  );

  it.each(['auth-failed', 'control-refused', 'encryption-refused', 'network-config-failed', 'local-disconnect', 'internal-error'] as const)(
    'does not retry %s: it needs the user',
    (reason) => {
      expect(decideReconnect(1, reason, on(0), fixedByte(0))).toEqual({ retry: false });
    },
  );

  it('names only real failure reasons as retryable', () => {
    for (const r of RETRYABLE_REASONS) expect(FAILURE_REASONS).toContain(r);
  });

  it('never retries when reconnect is off or absent', () => {
    expect(decideReconnect(1, 'peer-disconnected', undefined, fixedByte(0))).toEqual({ retry: false });
    expect(decideReconnect(1, 'peer-disconnected', { enabled: false, maxAttempts: 5 }, fixedByte(0))).toEqual({ retry: false });
  });

  it('stops after maxAttempts retries', () => {
    expect(decideReconnect(3, 'peer-disconnected', on(3), fixedByte(0)).retry).toBe(true);
    expect(decideReconnect(4, 'peer-disconnected', on(3), fixedByte(0))).toEqual({ retry: false });
  });

  it('maxAttempts 0 means no limit', () => {
    expect(decideReconnect(1000, 'keepalive-timeout', on(0), fixedByte(0)).retry).toBe(true);
  });

  it('consults the random source only when it retries', () => {
    const random = fixedByte(0);
    decideReconnect(1, 'auth-failed', on(3), random);
    decideReconnect(4, 'peer-disconnected', on(3), random);
    expect(random.calls).toBe(0);
    decideReconnect(1, 'peer-disconnected', on(3), random);
    expect(random.calls).toBe(1);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from 1 s per attempt and caps at 60 s (lowest jitter: −20 %)', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffDelayMs(n, fixedByte(0)));
    expect(delays).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 48_000, 48_000, 48_000]);
    expect(RECONNECT_BASE_MS).toBe(1_000);
    expect(RECONNECT_MAX_MS).toBe(60_000);
  });

  it('adds at most +20 % jitter', () => {
    expect(backoffDelayMs(1, fixedByte(255))).toBe(1200);
    expect(backoffDelayMs(7, fixedByte(255))).toBe(72_000);
  });

  it('keeps every jitter byte within ±20 % of the base', () => {
    for (let byte = 0; byte <= 255; byte++) {
      const d = backoffDelayMs(2, fixedByte(byte));
      expect(d).toBeGreaterThanOrEqual(1600);
      expect(d).toBeLessThanOrEqual(2400);
    }
  });

  it('is the old formula exactly: round(base + (byte/255 − 0.5) × 0.4 × base)', () => {
    for (const byte of [1, 77, 128, 200]) {
      const base = 4000;
      expect(backoffDelayMs(3, fixedByte(byte))).toBe(Math.round(base + (byte / 255 - 0.5) * 0.4 * base));
    }
  });
});
