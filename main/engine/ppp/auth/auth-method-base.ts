/**
 * What every client-side method shares, so each method file holds only its protocol: the
 * transmit queue, the one-shot outcome, the packet counters, and the "server never finished"
 * deadline. It owns no protocol knowledge and never puts packet contents or secrets into the
 * ignore reasons or failure messages it records.
 */
import type { AuthMethod } from '../../../../preload/vocabulary';
import type { Failure } from '../../failure';
import { TimerTable } from '../../timers';
import { refusalFailure, type Refusal } from '../refusal';
import type {
  AuthClient,
  AuthClientOptions,
  AuthCounters,
  AuthOutcome,
  MppeStartKeys,
} from './auth-client';

/** Default for AuthClientOptions.timeoutMs: how long CHAP/MS-CHAP/EAP wait for an outcome. */
export const DEFAULT_AUTH_TIMEOUT_MS = 30_000;

export type AuthTimer = 'restart' | 'give-up';

export abstract class AuthMethodBase implements AuthClient {
  abstract readonly method: AuthMethod;
  abstract readonly protocol: number;

  protected readonly timers = new TimerTable<AuthTimer>();
  /** What we refused of the server's requests (EAP: a type we Nak'd), the cause if this fails. */
  protected refused: Refusal | undefined;
  private readonly tx: Uint8Array[] = [];
  private outcome: AuthOutcome | undefined;
  private outcomeTaken = false;
  private stats = { received: 0, ignored: 0, transmitted: 0, lastIgnored: undefined as string | undefined };

  protected constructor(protected readonly options: AuthClientOptions) {}

  get counters(): AuthCounters {
    return { ...this.stats };
  }

  /** True once an outcome (success or failure) is decided. */
  get finished(): boolean {
    return this.outcome !== undefined;
  }

  /** What this method refused of the server's requests, while that may explain a failure. */
  get refusal(): Refusal | undefined {
    return this.outcome?.kind === 'success' ? undefined : this.refused;
  }

  /** 'success' or 'failure' once decided. */
  protected get outcomeKind(): AuthOutcome['kind'] | undefined {
    return this.outcome?.kind;
  }

  abstract start(now: number): void;
  protected abstract onPacket(now: number, packet: Uint8Array): void;
  protected onRestartTimer(_now: number): void {}

  handlePacket(now: number, packet: Uint8Array): void {
    this.stats.received++;
    this.onPacket(now, packet);
  }

  handleTimeout(now: number): void {
    for (const timer of this.timers.expire(now)) {
      if (this.finished) return;
      if (timer === 'restart') this.onRestartTimer(now);
      else if (this.refused) this.failWith(refusalFailure(this.refused));
      // No answer is not a refusal: a lossy, frozen or cut path (the soak suite's pause and loss
      // cases) must not be blamed on the password, and reconnect may retry it.
      else this.fail('negotiation-failed', `the server did not complete ${this.method} authentication in time`);
    }
  }

  nextTimeout(): number | undefined {
    return this.timers.nextTimeout();
  }

  pollTransmit(): Uint8Array | undefined {
    return this.tx.shift();
  }

  pollResult(): AuthOutcome | undefined {
    if (this.outcome === undefined || this.outcomeTaken) return undefined;
    this.outcomeTaken = true;
    return this.outcome;
  }

  protected send(packet: Uint8Array): void {
    this.stats.transmitted++;
    this.tx.push(packet);
  }

  /** Counts a packet that was dropped; `why` names the problem, never the packet's contents. */
  protected ignore(why: string): void {
    this.stats.ignored++;
    this.stats.lastIgnored = why;
  }

  protected armGiveUp(now: number): void {
    this.timers.set('give-up', now + (this.options.timeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS));
  }

  protected succeed(message: string | undefined, mppeKeys?: MppeStartKeys): void {
    if (this.finished) return;
    this.timers.clearAll();
    this.outcome = {
      kind: 'success',
      method: this.method,
      ...(message !== undefined ? { message } : {}),
      ...(mppeKeys !== undefined ? { mppeKeys } : {}),
    };
  }

  protected fail(reason: Failure['reason'], message: string, detail?: Failure['detail']): void {
    this.failWith({ reason, message, ...(detail !== undefined ? { detail } : {}) });
  }

  protected failWith(failure: Failure): void {
    if (this.finished) return;
    this.timers.clearAll();
    this.outcome = { kind: 'failure', failure };
  }
}
