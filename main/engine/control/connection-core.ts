/**
 * The state one client control connection shares between its parts (./connection.ts dispatches;
 * ./control-lifecycle.ts, ./call.ts and ./keepalive.ts act), and the primitives they all use:
 * queue a message, report an event, count and report an ignored input, begin a graceful stop,
 * close. One TimerTable holds every timer, so the next wake-up is one minimum.
 *
 * Owns: the connection's mutable state and output queues. Must not: decide transitions (the
 * parts do) or be used outside this folder (index.ts does not export it).
 */
import type { Failure } from '../failure';
import type { RandomSource } from '../random';
import { randomU16 } from '../random';
import { TimerTable } from '../timers';
import type { WireError } from '../wire/wire-error';
import type { ResolvedControlConfig } from './connection-config';
import { StopControlReason, type ControlMessageKind } from './constants';
import { encodeControlMessage } from './encode';
import type { CallInfo, ControlCounters, ControlEvent, ControlState, IgnoredCause, PeerInfo, WanErrorCounters } from './events';
import type { ControlMessage } from './messages';

export type ControlTimer = 'reply' | 'teardown' | 'echo-idle' | 'echo-reply';

export class ControlCore {
  state: ControlState = 'idle';
  readonly timers = new TimerTable<ControlTimer>();
  readonly transmitQueue: Uint8Array[] = [];
  readonly eventQueue: ControlEvent[] = [];
  readonly stats: ControlCounters = {
    messagesSent: 0,
    messagesReceived: 0,
    malformed: 0,
    unexpected: 0,
    wrongCallId: 0,
    echoRequestsAnswered: 0,
    echoRequestsSent: 0,
    echoRepliesReceived: 0,
    wanErrorNotifies: 0,
    setLinkInfos: 0,
  };
  /** Our Call ID, sent in OCRQ (RFC 2637 §2.7). */
  readonly ourCallId: number;
  readonly callSerialNumber: number;
  peerInfo: PeerInfo | undefined;
  callInfo: CallInfo | undefined;
  accm: { readonly sendAccm: number; readonly receiveAccm: number } | undefined;
  wanErrors: WanErrorCounters | undefined;
  /** The failure that started a graceful stop, reported when the stop completes. */
  stopFailure: Failure | undefined;
  closeFailure: Failure | undefined;

  constructor(
    readonly cfg: ResolvedControlConfig,
    random: RandomSource,
  ) {
    // A random non-zero Call ID (0 reads as "none" to some servers) and a random serial.
    this.ourCallId = (randomU16(random) % 0xffff) + 1;
    this.callSerialNumber = randomU16(random);
  }

  isClosed(): boolean {
    return this.state === 'closed';
  }

  /** SCCRP accepted and the connection not yet stopping: wait-ocrp or established. */
  controlUp(): boolean {
    return this.state === 'wait-ocrp' || this.state === 'established';
  }

  /** With one call per connection, either Call ID names it (see ./connection.ts). */
  isOurCall(id: number): boolean {
    return id === this.ourCallId || (this.callInfo !== undefined && id === this.callInfo.peerCallId);
  }

  send(m: ControlMessage): void {
    this.stats.messagesSent++;
    this.transmitQueue.push(encodeControlMessage(m));
  }

  emit(e: ControlEvent): void {
    this.eventQueue.push(e);
  }

  unexpected(kind: ControlMessageKind): void {
    this.stats.unexpected++;
    this.ignore('unexpected', `${kind} is not expected in state ${this.state}`, kind);
  }

  wrongCall(kind: ControlMessageKind, id: number): void {
    this.stats.wrongCallId++;
    this.ignore('wrong-call-id', `${kind} names call ID ${id}, which is not ours`, kind);
  }

  ignore(cause: IgnoredCause, message: string, kind?: ControlMessageKind, error?: WireError): void {
    this.emit({
      type: 'ignored',
      cause,
      message,
      ...(kind !== undefined ? { kind } : {}),
      ...(error !== undefined ? { error } : {}),
    });
  }

  stopEchoTimers(): void {
    this.timers.clear('echo-idle');
    this.timers.clear('echo-reply');
  }

  /** Stop-Control-Connection-Request (RFC 2637 §2.3) and wait for the reply, bounded by teardown. */
  beginStop(now: number, failure: Failure | undefined): void {
    this.stopFailure = failure ?? this.stopFailure;
    this.send({ kind: 'StopControlConnectionRequest', reason: StopControlReason.None });
    this.state = 'wait-stopccrp';
    this.timers.clear('reply');
    this.stopEchoTimers();
    this.timers.set('teardown', now + this.cfg.teardownTimeoutMs);
  }

  /** Closed, now: no timers; the 'closed' event carries the failure, if any. */
  finish(failure: Failure | undefined): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.timers.clearAll();
    this.closeFailure = failure;
    this.emit(failure ? { type: 'closed', failure } : { type: 'closed' });
  }
}
