/** An MS-CHAPv2 authenticator (RFC 2759): 16-octet challenge, NT-Response check, "S=" proof, MPPE keys. */
import { PPP_PROTO_CHAP } from '../../../../main/engine/ppp/auth/auth-client';
import { encodeChapStatus, encodeChapValue, parseChapPacket } from '../../../../main/engine/ppp/auth/chap-packet';
import { AuthenticatorBase, bytes, text } from './authenticator-base';
import { judgeMschapv2Response } from './mschap-v2-server';
import type { AuthenticatorConfig } from './types';

export class MschapV2Authenticator extends AuthenticatorBase {
  readonly protocol = PPP_PROTO_CHAP;
  private identifier = 0;
  private challenge: Uint8Array = new Uint8Array(16);

  constructor(config: AuthenticatorConfig) {
    super(config);
  }

  start(_now: number): void {
    this.identifier = this.config.random(1)[0]!;
    this.challenge = this.config.random(16);
    this.repeatChallenge();
  }

  repeatChallenge(): void {
    this.send(encodeChapValue('challenge', this.identifier, this.challenge, bytes(this.serverName)));
  }

  protected onPacket(_now: number, info: Uint8Array): void {
    const parsed = parseChapPacket(info);
    if (!parsed.ok || parsed.value.code !== 'response' || parsed.value.identifier !== this.identifier) return;
    const verdict = judgeMschapv2Response(this.config, this.challenge, parsed.value.value, text.decode(parsed.value.name));
    const stale = encodeChapStatus('failure', (this.identifier + 3) & 0xff, bytes('E=691 R=0'));
    this.send(encodeChapStatus(verdict.result.ok ? 'success' : 'failure', this.identifier, bytes(verdict.message)), stale);
    this.decide(verdict.result);
  }
}
