/**
 * The auto-reconnect policy, pure: given the number of the retry about to be made, the reason the
 * last attempt ended, the profile's reconnect options and a random source, it says whether to try
 * again and after how long. Exponential backoff (1 s, 2 s, 4 s … capped at 60 s) with ±20 %
 * jitter so many clients cut off by the same outage do not all retry in step.
 *
 * Owns: which failure reasons are worth retrying, the backoff curve, the attempt limit.
 * Must not: read a clock, arm a timer or know whether the user asked to stop (the reconnect loop
 * in tunnel-lifecycle.ts does that and schedules the delay).
 */
import type { FailureReason } from '../../../preload/vocabulary';
import type { RandomSource } from '../../engine/random';
import type { ConnectOptions } from '../connect-options';

export type ReconnectOptions = NonNullable<ConnectOptions['reconnect']>;

/** Reasons worth another attempt when auto-reconnect is on; the others need the user. */
export const RETRYABLE_REASONS: ReadonlySet<FailureReason> = new Set<FailureReason>([
  'tcp-unreachable',
  // A name that did not resolve may resolve once the network is back (after sleep, Wi-Fi roaming).
  'server-not-found',
  'gre-blocked',
  'peer-disconnected',
  'keepalive-timeout',
  'protocol-error',
  'negotiation-failed',
  // The server's encryption or IP side did not start (accel-ppp's race): a fresh session usually works.
  'data-path-dead',
]);

/** The first retry waits this long (before jitter); each further retry doubles it. */
export const RECONNECT_BASE_MS = 1_000;
/** No retry waits longer than this (before jitter). */
export const RECONNECT_MAX_MS = 60_000;
/** The delay varies by up to this fraction of the base either way (±20 %). */
export const RECONNECT_JITTER_FRACTION = 0.2;

export type ReconnectDecision = { readonly retry: false } | { readonly retry: true; readonly delayMs: number };

/**
 * @param attempt the 1-based number of the retry being considered (1 after the first failure,
 *   counted since the last successful connect)
 * @param options the profile's reconnect options; absent or disabled means never retry
 * @param random consulted (one byte) only when the answer is to retry
 */
export function decideReconnect(attempt: number, reason: FailureReason, options: ReconnectOptions | undefined, random: RandomSource): ReconnectDecision {
  if (!options?.enabled || !RETRYABLE_REASONS.has(reason)) return { retry: false };
  // maxAttempts 0: no limit.
  if (options.maxAttempts !== 0 && attempt > options.maxAttempts) return { retry: false };
  return { retry: true, delayMs: backoffDelayMs(attempt, random) };
}

/** The delay before retry number `attempt`: base × 2^(attempt−1), capped, ± jitter, rounded. */
export function backoffDelayMs(attempt: number, random: RandomSource): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** (attempt - 1));
  // One random byte mapped to [-0.5, +0.5], times the full jitter span (2 × 20 %) of the base.
  const jitter = (random(1)[0]! / 255 - 0.5) * (2 * RECONNECT_JITTER_FRACTION) * base;
  return Math.round(base + jitter);
}
