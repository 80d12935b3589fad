/** A PAP authenticator (RFC 1334 §2): checks peer-id and password, answers Ack or Nak. */
import { PPP_PROTO_PAP } from '../../../../main/engine/ppp/auth/auth-client';
import { encodePapReply, parsePapPacket } from '../../../../main/engine/ppp/auth/pap';
import { AuthenticatorBase, bytes, text } from './authenticator-base';
import type { AuthenticatorConfig } from './types';

export class PapAuthenticator extends AuthenticatorBase {
  readonly protocol = PPP_PROTO_PAP;

  constructor(config: AuthenticatorConfig) {
    super(config);
  }

  start(_now: number): void {
    // PAP: the peer speaks first (RFC 1334 §2.1).
  }

  protected onPacket(_now: number, info: Uint8Array): void {
    const parsed = parsePapPacket(info);
    if (!parsed.ok || parsed.value.code !== 'request') return;
    const { identifier, peerId, password } = parsed.value;
    const good =
      this.config.hostile?.failWith === undefined &&
      text.decode(peerId) === this.config.username &&
      text.decode(password) === this.config.password;
    const stale = encodePapReply('nak', (identifier + 1) & 0xff, bytes('stale'));
    if (good) {
      this.send(encodePapReply('ack', identifier, bytes('Login ok')), stale);
      this.decide({ ok: true });
    } else {
      this.send(encodePapReply('nak', identifier, bytes(this.failureText('Login incorrect'))), stale);
      this.decide({ ok: false });
    }
  }
}
