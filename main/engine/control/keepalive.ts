/**
 * The PPTP control connection keepalive (RFC 2637 §2.5, §2.6, §3.1.4): answer the server's
 * Echo-Request in every open state; send ours after echoIdleMs without receiving anything (in
 * wait-ocrp and established); fail with 'keepalive-timeout' when nothing at all arrives within
 * echoReplyTimeoutMs after it; report the round-trip time of each answered request.
 *
 * Owns: the echo identifiers, the outstanding request and the two echo timers' meaning.
 * Must not: use a clock or timer of its own (the core's TimerTable holds 'echo-idle' and
 * 'echo-reply'), nor change the connection state except by the core's finish().
 */
import type { ControlCore } from './connection-core';
import { EchoResult, GeneralError } from './constants';
import type { EchoReply, EchoRequest } from './messages';
import { echoTimedOut } from './failures';

export class ControlKeepalive {
  private nextIdentifier: number;
  private outstanding: { readonly identifier: number; readonly sentAt: number } | undefined;

  constructor(
    private readonly core: ControlCore,
    /** A random first identifier (RFC 2637 §2.5 leaves the choice to the sender). */
    firstIdentifier: number,
  ) {
    this.nextIdentifier = firstIdentifier;
  }

  /** RFC 2637 §2.6: the identifier is echoed; answered in every open state. */
  answerRequest(m: EchoRequest): void {
    this.core.stats.echoRequestsAnswered++;
    this.core.send({ kind: 'EchoReply', identifier: m.identifier, resultCode: EchoResult.Ok, errorCode: GeneralError.None });
  }

  handleReply(now: number, m: EchoReply): void {
    if (this.outstanding && m.identifier === this.outstanding.identifier) {
      this.core.stats.echoRepliesReceived++;
      const rttMs = now - this.outstanding.sentAt;
      this.outstanding = undefined;
      this.core.emit({ type: 'echo-rtt', rttMs });
    } else {
      this.core.ignore('unknown-echo-id', `Echo-Reply with identifier ${m.identifier} we are not waiting for`, m.kind);
    }
  }

  /** RFC 2637 §3.1.4: any message received shows the peer is alive. */
  noteLiveness(now: number): void {
    const core = this.core;
    core.timers.clear('echo-reply');
    if (core.state === 'wait-ocrp' || core.state === 'established') {
      core.timers.set('echo-idle', now + core.cfg.echoIdleMs);
    }
  }

  /** The 'echo-idle' timer: nothing received for echoIdleMs. */
  onIdle(now: number): void {
    const core = this.core;
    if (core.state !== 'wait-ocrp' && core.state !== 'established') return;
    const identifier = this.nextIdentifier;
    this.nextIdentifier = (this.nextIdentifier + 1) >>> 0;
    this.outstanding = { identifier, sentAt: now };
    core.stats.echoRequestsSent++;
    core.send({ kind: 'EchoRequest', identifier });
    core.timers.set('echo-reply', now + core.cfg.echoReplyTimeoutMs);
  }

  /** The 'echo-reply' timer: nothing at all arrived since our Echo-Request. */
  onReplyTimeout(): void {
    const core = this.core;
    if (!core.controlUp()) return;
    core.finish(echoTimedOut(core.state, core.cfg.echoReplyTimeoutMs));
  }
}
