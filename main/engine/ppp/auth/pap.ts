/**
 * PAP, the client side (RFC 1334 §2): on start, send an Authenticate-Request carrying the
 * peer-id and password in the clear, resend it on the restart timer until the server answers
 * Ack (success) or Nak (failure), and give up after maxRequests unanswered requests. The
 * Identifier stays the same across retransmissions (RFC 1661 §5 allows it), so a late Ack to
 * any copy counts. Owns the PAP codec too. Must not put the password in anything but the
 * request itself.
 *
 * Driver order: start(now) → { handlePacket(now, info) | handleTimeout(now) }*, draining
 * pollTransmit() then pollResult() after each call.
 */
import { ByteReader, ByteWriter } from '../../wire/bytes';
import { err, ok, type Result } from '../../wire/result';
import { wireError, type WireError } from '../../wire/wire-error';
import { PPP_PROTO_PAP, type AuthClientOptions } from './auth-client';
import { encodeAuthPacket, parseAuthHeader } from './auth-packet';
import { AuthMethodBase } from './auth-method-base';
import { serverText, utf8 } from './auth-text';

/** RFC 1334 §2.2: PAP packet codes. */
export const PAP_AUTHENTICATE_REQUEST = 1;
export const PAP_AUTHENTICATE_ACK = 2;
export const PAP_AUTHENTICATE_NAK = 3;

/** RFC 1334 §2.2 leaves retransmission to the implementation; pppd uses 3 s and 10 tries. */
export const PAP_DEFAULT_RESTART_MS = 3000;
export const PAP_DEFAULT_MAX_REQUESTS = 10;

export type PapPacket =
  | { readonly code: 'request'; readonly identifier: number; readonly peerId: Uint8Array; readonly password: Uint8Array }
  | { readonly code: 'ack' | 'nak'; readonly identifier: number; readonly message: Uint8Array };

/** Step two: the typed PAP packet. A missing Msg-Length is an empty message (as pppd reads it). */
export function parsePapPacket(packet: Uint8Array): Result<PapPacket, WireError> {
  const view = parseAuthHeader(packet);
  if (!view.ok) return view;
  const { code, identifier, data } = view.value;
  const r = new ByteReader(data);
  if (code === PAP_AUTHENTICATE_REQUEST) {
    // RFC 1334 §2.2.1: Peer-ID Length, Peer-ID, Passwd-Length, Password.
    const idLen = r.u8();
    const peerId = idLen === undefined ? undefined : r.bytesView(idLen);
    const pwLen = r.u8();
    const password = pwLen === undefined ? undefined : r.bytesView(pwLen);
    if (peerId === undefined || password === undefined) {
      return err(wireError('truncated', 'PAP Authenticate-Request fields exceed the packet'));
    }
    return ok({ code: 'request', identifier, peerId, password });
  }
  if (code === PAP_AUTHENTICATE_ACK || code === PAP_AUTHENTICATE_NAK) {
    // RFC 1334 §2.2.2: Msg-Length, Message.
    const msgLen = r.u8();
    const message = msgLen === undefined ? new Uint8Array(0) : r.bytesView(msgLen);
    if (message === undefined) return err(wireError('truncated', 'PAP message length exceeds the packet'));
    return ok({ code: code === PAP_AUTHENTICATE_ACK ? 'ack' : 'nak', identifier, message });
  }
  return err(wireError('unknown-type', `unknown PAP code ${code}`));
}

export function encodePapRequest(identifier: number, peerId: Uint8Array, password: Uint8Array): Uint8Array {
  const data = new ByteWriter(2 + peerId.length + password.length)
    .u8(peerId.length)
    .bytesFrom(peerId)
    .u8(password.length)
    .bytesFrom(password)
    .finish();
  return encodeAuthPacket(PAP_AUTHENTICATE_REQUEST, identifier, data);
}

export function encodePapReply(code: 'ack' | 'nak', identifier: number, message: Uint8Array): Uint8Array {
  const msg = message.subarray(0, 255);
  const data = new ByteWriter(1 + msg.length).u8(msg.length).bytesFrom(msg).finish();
  return encodeAuthPacket(code === 'ack' ? PAP_AUTHENTICATE_ACK : PAP_AUTHENTICATE_NAK, identifier, data);
}

export class PapClient extends AuthMethodBase {
  readonly method = 'pap' as const;
  readonly protocol = PPP_PROTO_PAP;

  private readonly restartMs: number;
  private readonly maxRequests: number;
  private identifier = 0;
  private request: Uint8Array | undefined;
  private requestsSent = 0;

  constructor(options: AuthClientOptions) {
    super(options);
    this.restartMs = options.restartMs ?? PAP_DEFAULT_RESTART_MS;
    this.maxRequests = Math.max(1, options.maxRequests ?? PAP_DEFAULT_MAX_REQUESTS);
  }

  start(now: number): void {
    if (this.request !== undefined || this.finished) return;
    const peerId = utf8(this.options.credentials.username);
    const password = utf8(this.options.credentials.password);
    if (peerId.length > 255 || password.length > 255) {
      this.fail('auth-failed', 'the user name or password is longer than PAP allows (255 octets)');
      return;
    }
    this.identifier = this.options.random(1)[0]!;
    this.request = encodePapRequest(this.identifier, peerId, password);
    this.transmitRequest(now);
  }

  protected override onRestartTimer(now: number): void {
    if (this.requestsSent >= this.maxRequests) {
      // Unanswered, not refused: a path problem, not the password (auth-method-base.ts).
      this.fail('negotiation-failed', `PAP: the server did not answer ${this.requestsSent} Authenticate-Requests`, {
        requests: this.requestsSent,
      });
      return;
    }
    this.transmitRequest(now);
  }

  protected onPacket(_now: number, packet: Uint8Array): void {
    if (this.finished || this.request === undefined) return this.ignore('PAP packet outside the authentication phase');
    const parsed = parsePapPacket(packet);
    if (!parsed.ok) return this.ignore(`PAP: ${parsed.error.message}`);
    const p = parsed.value;
    if (p.code === 'request') return this.ignore('PAP Authenticate-Request sent to the client');
    if (p.identifier !== this.identifier) return this.ignore(`PAP reply for identifier ${p.identifier}, expected ${this.identifier}`);
    const text = serverText(p.message, this.options.credentials.password);
    if (p.code === 'ack') {
      this.succeed(text);
    } else {
      this.fail(
        'auth-failed',
        `PAP: the server rejected the user name or password${text !== undefined ? `: "${text}"` : ''}`,
        text !== undefined ? { serverMessage: text } : undefined,
      );
    }
  }

  private transmitRequest(now: number): void {
    this.requestsSent++;
    this.send(this.request!);
    this.timers.set('restart', now + this.restartMs);
  }
}
