/**
 * EAP, the client (peer) side over PPP (RFC 3748): Identity and Notification are answered,
 * MD5-Challenge (RFC 3748 §5.4) and EAP-MS-CHAPv2 (type 26, draft-kamath-pppext-eap-mschapv2)
 * are run when the profile allows them, and any other requested type gets a Legacy Nak
 * (RFC 3748 §5.3.1) naming the types we allow. The outcome's method is 'eap'.
 *
 * Rules:
 * - a Request with the identifier of the one we last answered is a retransmission: the same
 *   Response is sent again without reprocessing (RFC 3748 §4.1);
 * - Success/Failure must carry the identifier of our last Response (RFC 3748 §4.2) or the next
 *   one (a common server quirk hostapd also accepts); otherwise ignored and counted;
 * - EAP-MS-CHAPv2: the server's "S=" authenticator response is verified before we acknowledge
 *   its Success; a wrong or missing one, or an EAP-Success that skips the MS-CHAPv2 Success,
 *   fails with 'auth-failed' (the server did not prove it knows the password). MPPE start keys
 *   come only from a verified exchange. A MS-CHAPv2 Failure is acknowledged and ends the
 *   exchange at once with the error code in words (no retry, no password change).
 * - EAP-Success without any method run is accepted without keys (MPPE will then be refused if
 *   the profile requires it).
 *
 * Driver order: start(now) → { handlePacket(now, info) | handleTimeout(now) }*, draining
 * pollTransmit() then pollResult() after each call.
 */
import { md5 } from '../../crypto/hash';
import { PPP_PROTO_EAP, type AuthClientOptions, type MppeStartKeys } from './auth-client';
import { AuthMethodBase } from './auth-method-base';
import { fullUserName, serverText, utf8 } from './auth-text';
import {
  EAP_MSCHAPV2_CHALLENGE,
  EAP_MSCHAPV2_FAILURE,
  EAP_MSCHAPV2_RESPONSE,
  EAP_MSCHAPV2_SUCCESS,
  EAP_TYPE_IDENTITY,
  EAP_TYPE_MD5_CHALLENGE,
  EAP_TYPE_MSCHAPV2,
  EAP_TYPE_NAK,
  EAP_TYPE_NOTIFICATION,
  encodeEapMessage,
  encodeEapMschapv2,
  encodeValueName,
  parseEapMschapv2,
  parseEapPacket,
  parseValueName,
} from './eap-packet';
import { mschapFailure, parseMschapFailure } from './mschap-failure';
import { refusalFailure } from '../refusal';
import {
  MSCHAPV2_CHALLENGE_LENGTH,
  checkMschapv2Success,
  mschapv2Answer,
  serverNotAuthenticatedMessage,
  type Mschapv2Answer,
} from './mschap-v2-exchange';

export type EapInnerType = 'md5' | 'mschapv2';
export const DEFAULT_EAP_TYPES: readonly EapInnerType[] = ['mschapv2', 'md5'];

const TYPE_NUMBER: Readonly<Record<EapInnerType, number>> = { md5: EAP_TYPE_MD5_CHALLENGE, mschapv2: EAP_TYPE_MSCHAPV2 };
const TYPE_LABEL: Readonly<Record<EapInnerType, string>> = { md5: 'EAP-MD5', mschapv2: 'EAP-MS-CHAPv2' };
const LABEL = 'EAP-MS-CHAPv2';

type MethodState =
  | { readonly kind: 'none' }
  | { readonly kind: 'md5' }
  | { readonly kind: 'mschapv2'; answer: Mschapv2Answer; msId: number; verified?: { message?: string; keys: MppeStartKeys } };

export class EapClient extends AuthMethodBase {
  readonly method = 'eap' as const;
  readonly protocol = PPP_PROTO_EAP;

  private readonly allowed: readonly EapInnerType[];
  private started = false;
  private lastResponse: { identifier: number; packet: Uint8Array } | undefined;
  private state: MethodState = { kind: 'none' };
  private notification: string | undefined;

  constructor(options: AuthClientOptions) {
    super(options);
    const types = options.eapTypes ?? DEFAULT_EAP_TYPES;
    this.allowed = types.filter((t, i) => types.indexOf(t) === i);
  }

  start(now: number): void {
    if (this.started) return;
    this.started = true;
    this.armGiveUp(now);
  }

  protected onPacket(now: number, packet: Uint8Array): void {
    if (!this.started) this.start(now);
    if (this.finished) return this.ignore('EAP packet after authentication finished');
    const parsed = parseEapPacket(packet);
    if (!parsed.ok) return this.ignore(`EAP: ${parsed.error.message}`);
    const p = parsed.value;
    switch (p.code) {
      case 'response':
        return this.ignore('EAP Response sent to the peer');
      case 'request':
        if (this.lastResponse !== undefined && this.lastResponse.identifier === p.identifier) {
          this.send(this.lastResponse.packet); // RFC 3748 §4.1: a duplicate Request gets the original Response
          return;
        }
        return this.onRequest(p.identifier, p.type, p.typeData);
      case 'success':
      case 'failure':
        if (!this.statusIdentifierMatches(p.identifier)) {
          return this.ignore(`EAP ${p.code} for identifier ${p.identifier}, expected ${this.lastResponse?.identifier}`);
        }
        return p.code === 'success' ? this.onEapSuccess() : this.onEapFailure();
    }
  }

  private statusIdentifierMatches(identifier: number): boolean {
    if (this.lastResponse === undefined) return true;
    const last = this.lastResponse.identifier;
    return identifier === last || identifier === ((last + 1) & 0xff);
  }

  private respond(identifier: number, type: number, typeData: Uint8Array): void {
    const packet = encodeEapMessage('response', identifier, type, typeData);
    this.lastResponse = { identifier, packet };
    this.send(packet);
  }

  private onRequest(identifier: number, type: number, typeData: Uint8Array): void {
    const { username, domain, password } = this.options.credentials;
    switch (type) {
      case EAP_TYPE_IDENTITY: // RFC 3748 §5.1
        return this.respond(identifier, EAP_TYPE_IDENTITY, utf8(fullUserName(username, domain)));
      case EAP_TYPE_NOTIFICATION: // RFC 3748 §5.2: shown to the user, answered with an empty Response
        this.notification = serverText(typeData, password) ?? this.notification;
        return this.respond(identifier, EAP_TYPE_NOTIFICATION, new Uint8Array(0));
      case EAP_TYPE_NAK:
        return this.ignore('EAP Nak sent as a Request');
      case EAP_TYPE_MD5_CHALLENGE:
        if (this.allowed.includes('md5')) return this.onMd5Challenge(identifier, typeData);
        return this.nak(identifier, type);
      case EAP_TYPE_MSCHAPV2:
        if (this.allowed.includes('mschapv2')) return this.onMschapv2(identifier, typeData);
        return this.nak(identifier, type);
      default:
        return this.nak(identifier, type);
    }
  }

  /**
   * RFC 3748 §5.3.1: Legacy Nak listing the types we would accept (0 = none). The refused type
   * is remembered: if the server then sends Failure (RRAS offering only PEAP or EAP-TLS does),
   * or gives up otherwise, that is the cause, said at once.
   */
  private nak(identifier: number, refusedType: number): void {
    const desired = this.allowed.length > 0 ? this.allowed.map((t) => TYPE_NUMBER[t]) : [0];
    const earlier = this.refused?.kind === 'eap-type' ? this.refused.eapTypes.filter((t) => t !== refusedType) : [];
    this.refused = { kind: 'eap-type', eapTypes: [...earlier, refusedType], allowed: this.allowed.map((t) => TYPE_LABEL[t]) };
    this.respond(identifier, EAP_TYPE_NAK, Uint8Array.from(desired));
  }

  private onMd5Challenge(identifier: number, typeData: Uint8Array): void {
    const parsed = parseValueName(typeData);
    if (!parsed.ok) return this.ignore(`EAP-MD5: ${parsed.error.message}`);
    const { username, domain, password } = this.options.credentials;
    // RFC 3748 §5.4: the CHAP MD5 computation (RFC 1994 §4.1) with the EAP Identifier.
    const digest = md5(Uint8Array.of(identifier), utf8(password), parsed.value.value);
    this.state = { kind: 'md5' };
    this.respond(identifier, EAP_TYPE_MD5_CHALLENGE, encodeValueName(digest, utf8(fullUserName(username, domain))));
  }

  private onMschapv2(identifier: number, typeData: Uint8Array): void {
    const parsed = parseEapMschapv2(typeData);
    if (!parsed.ok) return this.ignore(`EAP-MS-CHAPv2: ${parsed.error.message}`);
    const { opCode, msId, body } = parsed.value;
    const { credentials, random } = this.options;
    switch (opCode) {
      case EAP_MSCHAPV2_CHALLENGE: {
        const vn = parseValueName(body);
        if (!vn.ok) return this.ignore(`EAP-MS-CHAPv2 Challenge: ${vn.error.message}`);
        if (vn.value.value.length !== MSCHAPV2_CHALLENGE_LENGTH) {
          return this.ignore(`EAP-MS-CHAPv2 Challenge of ${vn.value.value.length} octets, expected 16`);
        }
        const answer = mschapv2Answer(vn.value.value, credentials, random);
        this.state = { kind: 'mschapv2', answer, msId };
        const inner = encodeEapMschapv2(EAP_MSCHAPV2_RESPONSE, msId, encodeValueName(answer.value, utf8(answer.name)));
        return this.respond(identifier, EAP_TYPE_MSCHAPV2, inner);
      }
      case EAP_MSCHAPV2_SUCCESS: {
        if (this.state.kind !== 'mschapv2') return this.ignore('EAP-MS-CHAPv2 Success before any Challenge');
        const check = checkMschapv2Success(body, this.state.answer, credentials.password);
        if (!check.ok) {
          return this.fail('auth-failed', serverNotAuthenticatedMessage(LABEL, check.why), { serverAuthenticated: false });
        }
        const message = check.message !== undefined ? serverText(check.message, credentials.password) : undefined;
        this.state.verified = { keys: check.mppeKeys, ...(message !== undefined ? { message } : {}) };
        // draft-kamath-pppext-eap-mschapv2 ("Success Response"): the peer acknowledges with a bare OpCode.
        return this.respond(identifier, EAP_TYPE_MSCHAPV2, Uint8Array.of(EAP_MSCHAPV2_SUCCESS));
      }
      case EAP_MSCHAPV2_FAILURE: {
        // draft-kamath-pppext-eap-mschapv2 ("Failure Response"): a bare OpCode; we do not retry, so the outcome is known now.
        this.respond(identifier, EAP_TYPE_MSCHAPV2, Uint8Array.of(EAP_MSCHAPV2_FAILURE));
        const f = mschapFailure(LABEL, parseMschapFailure(body), credentials.password);
        return this.fail(f.reason, f.message, f.detail);
      }
      default:
        return this.ignore(`EAP-MS-CHAPv2 OpCode ${opCode} not supported`);
    }
  }

  private onEapSuccess(): void {
    const s = this.state;
    if (s.kind === 'mschapv2') {
      if (s.verified === undefined) {
        return this.fail('auth-failed', serverNotAuthenticatedMessage(LABEL, 'missing'), { serverAuthenticated: false });
      }
      return this.succeed(s.verified.message, s.verified.keys);
    }
    this.succeed(this.notification);
  }

  private onEapFailure(): void {
    // Failure after our Legacy Nak with no method run: the server wants a type we do not do.
    if (this.refused && this.state.kind === 'none') return this.failWith(refusalFailure(this.refused, this.notification));
    const said = this.notification !== undefined ? ` Server said: "${this.notification}"` : '';
    const what =
      this.state.kind === 'md5'
        ? 'EAP-MD5: the server rejected the user name or password.'
        : this.lastResponse === undefined
          ? 'EAP: the server refused the login before any method ran.'
          : 'EAP: the server refused the login (no method both sides allow, or the credentials were rejected).';
    this.fail('auth-failed', `${what}${said}`, this.notification !== undefined ? { serverMessage: this.notification } : undefined);
  }
}
