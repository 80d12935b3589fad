/**
 * The service tunnel's lifecycle and its reconnect loop:
 *   idle → connecting → connected → … → idle, with disconnecting while the user's stop runs and
 *   reconnecting while a backoff delay runs (then connecting again).
 * One connect attempt at a time is started through an injected `StartAttempt` (the real one is
 * ConnectAttempt in connect-attempt.ts); when it ends, reconnect-policy.ts decides whether to
 * try again, and the delay is armed on the injected Clock, so tests drive the loop on a virtual
 * clock with fake attempts.
 *
 * Owns: the state `status` reports, the user's stop request, the retry count since the last
 * successful connect, the backoff timer, the end-of-attempt events ('error', 'reconnecting',
 * 'disconnected', in that order) and the waiters for the tunnel's final end.
 * Must not: do I/O (the attempt does) or decide which failures are worth a retry (the policy does).
 */
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import type { FailureReason } from '../../../preload/vocabulary';
import type { Failure } from '../../engine/failure';
import type { RandomSource } from '../../engine/random';
import type { ConnectOptions } from '../connect-options';
import { adviceFor } from '../doctor/advice';
import type { ServiceStatus } from '../rpc/protocol';
import { RpcError } from '../rpc/server';
import { ConnectTimeline, type CancelTimer, type Clock } from './clock';
import { decideReconnect } from './reconnect-policy';

export type ConnectedInfo = NonNullable<ServiceStatus['connected']>;

/** How an attempt ended, as it reports it to the lifecycle. */
export type AttemptEnd =
  /** The user's stop was seen before the session ran (between connect steps, or while TCP connected): nothing to restore. */
  | { readonly kind: 'stopped' }
  /** Torn down: sockets closed, TUN closed, the network restored (`restored` false if that failed). */
  | { readonly kind: 'ended'; readonly failure: Failure; readonly restored: boolean; readonly uptimeMs?: number };

/** What an attempt gets from the lifecycle. */
export interface AttemptHooks {
  /** The `at` of the attempt's events; restarted before each attempt. */
  readonly timeline: ConnectTimeline;
  emit(event: TunnelEvent): void;
  /** True once the user asked to disconnect; checked between the connect steps. */
  stopRequested(): boolean;
  /** The tunnel is up; called just before the attempt emits 'connected'. */
  connected(info: ConnectedInfo): void;
  ended(end: AttemptEnd): void;
}

/** What the lifecycle needs of a running attempt. */
export interface RunningAttempt {
  /** True once the PPTP session exists (after the server name resolved). */
  readonly hasSession: boolean;
  /** Asks the session to close (PPP Terminate, Call-Clear, Stop-Control-Connection). */
  disconnect(): void;
  /** Emits a stats event now, if connected. */
  emitStats(): void;
}

/** Starts one attempt (synchronously up to its first await) and returns its handle. */
export type StartAttempt = (options: ConnectOptions, hooks: AttemptHooks) => RunningAttempt;

export interface TunnelLifecycleDeps {
  readonly emit: (event: TunnelEvent) => void;
  readonly startAttempt: StartAttempt;
  readonly clock: Clock;
  /** Backoff jitter. */
  readonly random: RandomSource;
}

/** The public error event for a failure, with the doctor's advice as the hint. */
export function errorEvent(failure: Failure): TunnelEvent {
  const detail: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(failure.detail ?? {})) detail[k] = v;
  return {
    event: 'error',
    reason: failure.reason,
    message: failure.message,
    hint: adviceFor(failure).fix,
    ...(Object.keys(detail).length ? { detail } : {}),
  };
}

export class TunnelLifecycle {
  private state: ServiceStatus['state'] = 'idle';
  private options: ConnectOptions | undefined;
  private attempt: RunningAttempt | undefined;
  private readonly timeline: ConnectTimeline;
  private userStopped = false;
  private cancelBackoff: CancelTimer | undefined;
  /** Reconnect attempts since the last successful connect. */
  private retries = 0;
  /** Whether the attempt that ended before the current backoff restored the network. */
  private restoredBeforeBackoff = true;
  private connectedInfo: ConnectedInfo | undefined;
  private endWaiters: ((reason: FailureReason) => void)[] = [];
  private lastReason: FailureReason = 'local-disconnect';

  constructor(private readonly deps: TunnelLifecycleDeps) {
    this.timeline = new ConnectTimeline(deps.clock);
  }

  status(): ServiceStatus {
    return {
      state: this.state,
      ...(this.options?.label ? { label: this.options.label } : {}),
      ...(this.connectedInfo ? { connected: this.connectedInfo } : {}),
    };
  }

  /** Starts connecting; the first attempt runs up to its first await before this returns. */
  connect(options: ConnectOptions): void {
    if (this.state !== 'idle') throw new RpcError('busy', `a tunnel is already ${this.state}`);
    this.options = options;
    this.userStopped = false;
    this.timeline.restart();
    this.state = 'connecting';
    this.startAttempt();
  }

  /** Resolves with the final reason once the tunnel is down for good (no more reconnects). */
  waitForEnd(): Promise<FailureReason> {
    if (this.state === 'idle') return Promise.resolve(this.lastReason);
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /** Stops the tunnel: cancels a pending reconnect, or asks the running session to close. */
  disconnect(): void {
    if (this.state === 'idle') throw new RpcError('not-connected', 'no tunnel is up');
    this.userStopped = true;
    if (this.cancelBackoff) {
      // Nothing is running during the backoff: the last attempt already tore down and restored.
      // Say so, as every other end does, so the app and `pptpctl --json` see the tunnel end.
      this.cancelBackoff();
      this.cancelBackoff = undefined;
      this.deps.emit({ event: 'disconnected', reason: 'local-disconnect', restored: this.restoredBeforeBackoff });
      this.finish('local-disconnect');
      return;
    }
    // Before the session exists the attempt sees the stop at its next step.
    const a = this.attempt;
    if (!a?.hasSession) return;
    this.state = 'disconnecting';
    a.disconnect();
  }

  emitStats(): void {
    this.attempt?.emitStats();
  }

  private startAttempt(): void {
    const hooks: AttemptHooks = {
      timeline: this.timeline,
      emit: (event) => this.deps.emit(event),
      stopRequested: () => this.userStopped,
      connected: (info) => {
        this.state = 'connected';
        this.retries = 0;
        this.connectedInfo = info;
      },
      ended: (end) => this.onAttemptEnded(end),
    };
    this.attempt = this.deps.startAttempt(this.options!, hooks);
  }

  private onAttemptEnded(end: AttemptEnd): void {
    this.attempt = undefined;
    if (end.kind === 'stopped') {
      // Every end is reported, this one too (nothing was applied, so nothing to restore): the
      // app and `pptpctl --json` see the tunnel end instead of waiting out a timeout.
      this.connectedInfo = undefined;
      this.deps.emit({ event: 'disconnected', reason: 'local-disconnect', restored: true });
      return this.finish('local-disconnect');
    }
    const { failure } = end;
    this.connectedInfo = undefined;
    if (failure.reason !== 'local-disconnect') this.deps.emit(errorEvent(failure));
    if (!this.userStopped) {
      const attempt = this.retries + 1;
      const decision = decideReconnect(attempt, failure.reason, this.options?.reconnect, this.deps.random);
      if (decision.retry) {
        this.restoredBeforeBackoff = end.restored;
        return this.scheduleReconnect(attempt, decision.delayMs, failure.reason);
      }
    }
    this.deps.emit({ event: 'disconnected', reason: failure.reason, restored: end.restored, ...(end.uptimeMs !== undefined ? { uptimeMs: end.uptimeMs } : {}) });
    this.finish(failure.reason);
  }

  private scheduleReconnect(attempt: number, delayMs: number, reason: FailureReason): void {
    this.retries = attempt;
    this.state = 'reconnecting';
    this.deps.emit({ event: 'reconnecting', attempt, delayMs, reason });
    this.cancelBackoff = this.deps.clock.after(delayMs, () => {
      this.cancelBackoff = undefined;
      this.timeline.restart();
      this.state = 'connecting';
      this.startAttempt();
    });
  }

  private finish(reason: FailureReason): void {
    this.state = 'idle';
    this.lastReason = reason;
    this.retries = 0;
    const waiters = this.endWaiters;
    this.endWaiters = [];
    for (const w of waiters) w(reason);
  }
}
