/**
 * The exchange all three CHAP-family clients share (RFC 1994 §4, used unchanged by RFC 2433 and
 * RFC 2759): wait for a Challenge, answer it, then take the Success or Failure that carries the
 * Response's Identifier. Rules kept here once:
 * - a Challenge identical to the last one (the server's retransmission) is answered with the
 *   very same Response, without recomputing (MS-CHAPv2's peer challenge must not change);
 *   a Challenge with a new identifier or value is answered afresh;
 * - Success/Failure with any other Identifier, or before any Response, is ignored and counted;
 * - after Success, later Challenges (RFC 1994 §2 periodic re-authentication) are still
 *   answered so the link stays up; their Success/Failure no longer changes the outcome
 *   (a server that rejects a rechallenge terminates LCP itself).
 * Subclasses supply the algorithm: how a Response is computed and what Success/Failure mean.
 */
import { bytesEqual, copyBytes } from '../../wire/bytes';
import { PPP_PROTO_CHAP, type AuthClientOptions } from './auth-client';
import { AuthMethodBase } from './auth-method-base';
import { encodeChapValue, parseChapPacket } from './chap-packet';

export interface ChapAnswer {
  /** The Response Value field. */
  readonly value: Uint8Array;
  /** The Response Name field. */
  readonly name: Uint8Array;
}

export abstract class ChapClientBase extends AuthMethodBase {
  readonly protocol = PPP_PROTO_CHAP;

  private started = false;
  private lastChallenge: { identifier: number; value: Uint8Array; response: Uint8Array } | undefined;

  protected constructor(options: AuthClientOptions) {
    super(options);
  }

  start(now: number): void {
    if (this.started) return;
    this.started = true;
    this.armGiveUp(now);
  }

  /** The answer to a challenge, or a reason (no secrets) to ignore the challenge. */
  protected abstract answer(identifier: number, challenge: Uint8Array): ChapAnswer | string;
  /** A Success for the current Response; call succeed() or fail(). */
  protected abstract onSuccess(message: Uint8Array): void;
  /** A Failure for the current Response; call fail(). */
  protected abstract onFailure(message: Uint8Array): void;

  protected onPacket(now: number, packet: Uint8Array): void {
    if (!this.started) this.start(now);
    const parsed = parseChapPacket(packet);
    if (!parsed.ok) return this.ignore(`CHAP: ${parsed.error.message}`);
    const p = parsed.value;
    if (p.code === 'response') return this.ignore('CHAP Response sent to the client');
    if (p.code === 'challenge') return this.onChallenge(p.identifier, p.value);

    const current = this.lastChallenge;
    if (this.finished) return this.ignore(`CHAP ${p.code} after authentication finished`);
    if (current === undefined) return this.ignore(`CHAP ${p.code} before any Response`);
    if (p.identifier !== current.identifier) {
      return this.ignore(`CHAP ${p.code} for identifier ${p.identifier}, expected ${current.identifier}`);
    }
    if (p.code === 'success') this.onSuccess(p.message);
    else this.onFailure(p.message);
  }

  private onChallenge(identifier: number, value: Uint8Array): void {
    if (this.outcomeKind === 'failure') return this.ignore('CHAP Challenge after authentication failed');
    const last = this.lastChallenge;
    if (last !== undefined && last.identifier === identifier && bytesEqual(last.value, value)) {
      this.send(last.response);
      return;
    }
    const answer = this.answer(identifier, value);
    if (typeof answer === 'string') return this.ignore(answer);
    const response = encodeChapValue('response', identifier, answer.value, answer.name);
    this.lastChallenge = { identifier, value: copyBytes(value), response };
    this.send(response);
  }
}
