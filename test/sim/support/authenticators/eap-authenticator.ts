/**
 * An EAP authenticator over PPP (RFC 3748): Request/Identity, then MD5-Challenge (§5.4) or
 * EAP-MS-CHAPv2 (type 26), EAP-Success / EAP-Failure. `firstType` makes it offer another type
 * first so the client's Legacy Nak (§5.3.1) can steer it; `notification` sends a
 * Request/Notification before the Identity.
 */
import { md5 } from '../../../../main/engine/crypto/hash';
import { PPP_PROTO_EAP } from '../../../../main/engine/ppp/auth/auth-client';
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
  encodeEapStatus,
  encodeValueName,
  parseEapMschapv2,
  parseEapPacket,
  parseValueName,
} from '../../../../main/engine/ppp/auth/eap-packet';
import { bytesEqual } from '../../../../main/engine/wire/bytes';
import { AuthenticatorBase, bytes, nameMatches, text } from './authenticator-base';
import { judgeMschapv2Response } from './mschap-v2-server';
import type { AuthenticatorConfig, SimAuthResult } from './types';

export interface EapAuthenticatorConfig extends AuthenticatorConfig {
  readonly method: 'md5' | 'mschapv2';
  /** Offer this EAP type first (e.g. 13, EAP-TLS); the server moves to `method` if the client's Nak lists it. */
  readonly firstType?: number;
  readonly notification?: string;
}

type Phase = 'notification' | 'identity' | 'method' | 'inner-success' | 'inner-failure' | 'done';

const METHOD_TYPE = { md5: EAP_TYPE_MD5_CHALLENGE, mschapv2: EAP_TYPE_MSCHAPV2 } as const;

export class EapAuthenticator extends AuthenticatorBase {
  readonly protocol = PPP_PROTO_EAP;
  private identifier = 0;
  private phase: Phase = 'identity';
  private offered = 0;
  private challenge: Uint8Array = new Uint8Array(16);
  private pending: SimAuthResult | undefined;
  /** Identity the client sent. */
  identity: string | undefined;
  /** The types listed in the client's last Legacy Nak. */
  nakTypes: number[] | undefined;

  constructor(private readonly eap: EapAuthenticatorConfig) {
    super(eap);
  }

  start(_now: number): void {
    this.identifier = this.config.random(1)[0]!;
    if (this.eap.notification !== undefined) {
      this.phase = 'notification';
      this.request(EAP_TYPE_NOTIFICATION, bytes(this.eap.notification));
    } else {
      this.request(EAP_TYPE_IDENTITY, new Uint8Array(0));
    }
  }

  private request(type: number, typeData: Uint8Array): void {
    this.send(encodeEapMessage('request', this.identifier, type, typeData), this.stale());
  }

  private stale(): Uint8Array | undefined {
    // Only once the client has answered something can a wrong identifier be recognised as stale.
    return this.received.length > 0 ? encodeEapStatus('failure', (this.identifier + 100) & 0xff) : undefined;
  }

  private next(): number {
    this.identifier = (this.identifier + 1) & 0xff;
    return this.identifier;
  }

  private finish(code: 'success' | 'failure', result: SimAuthResult): void {
    this.phase = 'done';
    this.send(encodeEapStatus(code, this.identifier), this.stale());
    this.decide(result);
  }

  private offer(type: number): void {
    this.offered = type;
    this.next();
    if (type === EAP_TYPE_MD5_CHALLENGE) {
      this.challenge = this.config.random(16);
      this.request(type, encodeValueName(this.challenge, bytes(this.serverName)));
    } else if (type === EAP_TYPE_MSCHAPV2) {
      this.challenge = this.config.random(16);
      const inner = encodeEapMschapv2(EAP_MSCHAPV2_CHALLENGE, this.identifier, encodeValueName(this.challenge, bytes(this.serverName)));
      this.request(type, inner);
    } else {
      this.request(type, Uint8Array.of(0x20)); // e.g. EAP-TLS Start
    }
  }

  protected onPacket(_now: number, info: Uint8Array): void {
    const parsed = parseEapPacket(info);
    if (!parsed.ok || parsed.value.code !== 'response' || parsed.value.identifier !== this.identifier) return;
    const { type, typeData } = parsed.value;
    switch (this.phase) {
      case 'notification':
        if (type !== EAP_TYPE_NOTIFICATION) return;
        this.phase = 'identity';
        this.next();
        return this.request(EAP_TYPE_IDENTITY, new Uint8Array(0));
      case 'identity':
        if (type !== EAP_TYPE_IDENTITY) return;
        this.identity = text.decode(typeData);
        this.phase = 'method';
        return this.offer(this.eap.firstType ?? METHOD_TYPE[this.eap.method]);
      case 'method':
        if (type === EAP_TYPE_NAK) {
          this.nakTypes = [...typeData];
          const ours = METHOD_TYPE[this.eap.method];
          if (this.offered !== ours && this.nakTypes.includes(ours)) return this.offer(ours);
          return this.finish('failure', { ok: false });
        }
        if (type !== this.offered) return;
        return type === EAP_TYPE_MD5_CHALLENGE ? this.onMd5(typeData) : this.onMschapv2Response(typeData);
      case 'inner-success':
      case 'inner-failure': {
        const inner = parseEapMschapv2(typeData.length >= 4 ? typeData : Uint8Array.of(typeData[0] ?? 0, 0, 0, 0));
        if (type !== EAP_TYPE_MSCHAPV2 || !inner.ok) return;
        if (this.phase === 'inner-success' && inner.value.opCode === EAP_MSCHAPV2_SUCCESS) {
          return this.finish('success', this.pending!);
        }
        if (this.phase === 'inner-failure' && inner.value.opCode === EAP_MSCHAPV2_FAILURE) {
          return this.finish('failure', { ok: false });
        }
        return;
      }
      case 'done':
        return;
    }
  }

  private onMd5(typeData: Uint8Array): void {
    const vn = parseValueName(typeData);
    if (!vn.ok) return;
    const expected = md5(Uint8Array.of(this.identifier), bytes(this.config.password), this.challenge);
    const good =
      this.config.hostile?.failWith === undefined &&
      nameMatches(text.decode(vn.value.name), this.config.username) &&
      bytesEqual(vn.value.value, expected);
    this.finish(good ? 'success' : 'failure', { ok: good });
  }

  private onMschapv2Response(typeData: Uint8Array): void {
    const inner = parseEapMschapv2(typeData);
    if (!inner.ok || inner.value.opCode !== EAP_MSCHAPV2_RESPONSE) return;
    const vn = parseValueName(inner.value.body);
    if (!vn.ok) return;
    const verdict = judgeMschapv2Response(this.config, this.challenge, vn.value.value, text.decode(vn.value.name));
    if (verdict.result.ok && this.config.hostile?.skipInnerSuccess === true) {
      return this.finish('success', verdict.result);
    }
    this.pending = verdict.result;
    this.phase = verdict.result.ok ? 'inner-success' : 'inner-failure';
    const opCode = verdict.result.ok ? EAP_MSCHAPV2_SUCCESS : EAP_MSCHAPV2_FAILURE;
    const msId = inner.value.msId;
    this.next();
    this.request(EAP_TYPE_MSCHAPV2, encodeEapMschapv2(opCode, msId, bytes(verdict.message)));
  }
}
