/** An MS-CHAPv1 authenticator (RFC 2433): 8-octet challenge, checks the NT-Response, derives MPPE keys. */
import { mppeStartKeysFromMschapv1 } from '../../../../main/engine/crypto/mppe-keys';
import { mschapv1NtResponse } from '../../../../main/engine/crypto/mschap';
import { PPP_PROTO_CHAP } from '../../../../main/engine/ppp/auth/auth-client';
import { encodeChapStatus, encodeChapValue, parseChapPacket } from '../../../../main/engine/ppp/auth/chap-packet';
import { bytesEqual } from '../../../../main/engine/wire/bytes';
import { AuthenticatorBase, bytes, nameMatches, serverKeys, text } from './authenticator-base';
import { mschapFailureText } from './mschap-failure-text';
import type { AuthenticatorConfig } from './types';

export class MschapV1Authenticator extends AuthenticatorBase {
  readonly protocol = PPP_PROTO_CHAP;
  private identifier = 0;
  private challenge: Uint8Array = new Uint8Array(8);

  constructor(config: AuthenticatorConfig) {
    super(config);
  }

  start(_now: number): void {
    this.identifier = this.config.random(1)[0]!;
    this.challenge = this.config.random(8);
    this.repeatChallenge();
  }

  repeatChallenge(): void {
    this.send(encodeChapValue('challenge', this.identifier, this.challenge, bytes(this.serverName)));
  }

  protected onPacket(_now: number, info: Uint8Array): void {
    const parsed = parseChapPacket(info);
    if (!parsed.ok || parsed.value.code !== 'response' || parsed.value.identifier !== this.identifier) return;
    const { value, name } = parsed.value;
    const { username, password, hostile } = this.config;
    const good =
      hostile?.failWith === undefined &&
      value.length === 49 &&
      value[48] === 1 &&
      nameMatches(text.decode(name), username) &&
      bytesEqual(value.subarray(24, 48), mschapv1NtResponse(this.challenge, password));
    const stale = encodeChapStatus('failure', (this.identifier + 3) & 0xff, bytes('E=691 R=0'));
    if (good) {
      this.send(encodeChapStatus('success', this.identifier, bytes('Welcome')), stale);
      this.decide({ ok: true, mppeKeys: serverKeys(mppeStartKeysFromMschapv1(password, this.challenge)) });
      return;
    }
    const f = hostile?.failWith ?? { errorCode: 691, retry: false };
    const msg = mschapFailureText(f.errorCode, f.retry ?? false, this.config.random(8), 0, this.failureText(f.message ?? 'Access denied'));
    this.send(encodeChapStatus('failure', this.identifier, bytes(msg)), stale);
    this.decide({ ok: false });
  }
}
