/**
 * MS-CHAPv2, the client side (RFC 2759, CHAP algorithm 0x81): answer a 16-octet Challenge with
 * a random peer challenge and the NT-Response, send the full name (DOMAIN\\user when a domain
 * is set), and on Success VERIFY the server's authenticator response before believing it: a
 * Success whose "S=" is missing or wrong fails with 'auth-failed' (the server could not prove
 * it knows the password). MPPE start keys are derived only after that check. Failure messages
 * are parsed and put in words by mschap-failure.ts. Retry (R=1) and password change are out of
 * scope (see mschap-failure.ts).
 */
import { AUTH_METHOD_LABELS } from '../../../../preload/vocabulary';
import { type AuthClientOptions } from './auth-client';
import { utf8 } from './auth-text';
import { ChapClientBase, type ChapAnswer } from './chap-client-base';
import { mschapFailure, parseMschapFailure } from './mschap-failure';
import {
  MSCHAPV2_CHALLENGE_LENGTH,
  checkMschapv2Success,
  mschapv2Answer,
  serverNotAuthenticatedMessage,
  type Mschapv2Answer,
} from './mschap-v2-exchange';
import { serverText } from './auth-text';

const LABEL = AUTH_METHOD_LABELS.mschapv2;

export class MschapV2Client extends ChapClientBase {
  readonly method = 'mschapv2' as const;
  private current: Mschapv2Answer | undefined;

  constructor(options: AuthClientOptions) {
    super(options);
  }

  protected answer(_identifier: number, challenge: Uint8Array): ChapAnswer | string {
    if (challenge.length !== MSCHAPV2_CHALLENGE_LENGTH) {
      return `MS-CHAPv2 Challenge of ${challenge.length} octets, expected ${MSCHAPV2_CHALLENGE_LENGTH}`;
    }
    this.current = mschapv2Answer(challenge, this.options.credentials, this.options.random);
    return { value: this.current.value, name: utf8(this.current.name) };
  }

  protected onSuccess(message: Uint8Array): void {
    const password = this.options.credentials.password;
    const check = checkMschapv2Success(message, this.current!, password);
    if (!check.ok) {
      this.fail('auth-failed', serverNotAuthenticatedMessage(LABEL, check.why), { serverAuthenticated: false });
      return;
    }
    this.succeed(check.message !== undefined ? serverText(check.message, password) : undefined, check.mppeKeys);
  }

  protected onFailure(message: Uint8Array): void {
    const f = mschapFailure(LABEL, parseMschapFailure(message), this.options.credentials.password);
    this.fail(f.reason, f.message, f.detail);
  }
}
