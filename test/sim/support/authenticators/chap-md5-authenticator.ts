/** A CHAP-MD5 authenticator (RFC 1994): random challenge, checks MD5(id || secret || challenge). */
import { md5 } from '../../../../main/engine/crypto/hash';
import { PPP_PROTO_CHAP } from '../../../../main/engine/ppp/auth/auth-client';
import { encodeChapStatus, encodeChapValue, parseChapPacket } from '../../../../main/engine/ppp/auth/chap-packet';
import { bytesEqual } from '../../../../main/engine/wire/bytes';
import { AuthenticatorBase, bytes, nameMatches, text } from './authenticator-base';
import type { AuthenticatorConfig } from './types';

export class ChapMd5Authenticator extends AuthenticatorBase {
  readonly protocol = PPP_PROTO_CHAP;
  private identifier = 0;
  private challenge: Uint8Array = new Uint8Array(16);

  constructor(config: AuthenticatorConfig) {
    super(config);
  }

  start(_now: number): void {
    this.identifier = this.config.random(1)[0]!;
    this.challenge = this.config.random(16);
    this.sendChallenge();
  }

  /** Sends the current challenge again (what a server's restart timer does). */
  repeatChallenge(): void {
    this.sendChallenge();
  }

  /** A fresh challenge with the next identifier (RFC 1994 §2 periodic re-authentication). */
  rechallenge(): void {
    this.identifier = (this.identifier + 1) & 0xff;
    this.challenge = this.config.random(16);
    this.sendChallenge();
  }

  private sendChallenge(): void {
    this.send(encodeChapValue('challenge', this.identifier, this.challenge, bytes(this.serverName)));
  }

  protected onPacket(_now: number, info: Uint8Array): void {
    const parsed = parseChapPacket(info);
    if (!parsed.ok || parsed.value.code !== 'response' || parsed.value.identifier !== this.identifier) return;
    const { value, name } = parsed.value;
    const expected = md5(Uint8Array.of(this.identifier), bytes(this.config.password), this.challenge);
    const good =
      this.config.hostile?.failWith === undefined &&
      nameMatches(text.decode(name), this.config.username) &&
      bytesEqual(value, expected);
    const stale = encodeChapStatus('failure', (this.identifier + 3) & 0xff, bytes('stale'));
    if (good) {
      this.send(encodeChapStatus('success', this.identifier, bytes('Access granted')), stale);
      this.decide({ ok: true });
    } else {
      this.send(encodeChapStatus('failure', this.identifier, bytes(this.failureText('Access denied'))), stale);
      this.decide({ ok: false });
    }
  }
}
