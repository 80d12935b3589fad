/**
 * MS-CHAPv1, the client side (RFC 2433, CHAP algorithm 0x80): answer an 8-octet Challenge with
 * the 49-octet Response Value (LM-Response zeroed, NT-Response, Use-NT flag 1; RFC 2433 "Response
 * Packet" and Appendix A), send DOMAIN\\user when a domain is set. MS-CHAPv1 has no server proof, so a
 * Success is believed as is; the MPPE start keys (RFC 3079 §2) come from the password and the
 * challenge. Failure messages are parsed by mschap-failure.ts.
 */
import { AUTH_METHOD_LABELS } from '../../../../preload/vocabulary';
import { mschapv1NtResponse } from '../../crypto/mschap';
import { mppeStartKeysFromMschapv1 } from '../../crypto/mppe-keys';
import { ByteWriter, copyBytes } from '../../wire/bytes';
import type { AuthClientOptions } from './auth-client';
import { fullUserName, serverText, utf8 } from './auth-text';
import { ChapClientBase, type ChapAnswer } from './chap-client-base';
import { mschapFailure, parseMschapFailure } from './mschap-failure';

/** RFC 2433 "Challenge Packet": the authenticator's challenge is 8 octets. */
export const MSCHAPV1_CHALLENGE_LENGTH = 8;
/** RFC 2433 "Response Packet": LM-Response (24) | NT-Response (24) | Use-NT flag (1). */
export const MSCHAPV1_RESPONSE_LENGTH = 49;

const LABEL = AUTH_METHOD_LABELS.mschap;

/** The 49-octet Response Value for a challenge; LM-Response left zero (pppd does the same). */
export function mschapv1ResponseValue(challenge: Uint8Array, password: string): Uint8Array {
  return new ByteWriter(MSCHAPV1_RESPONSE_LENGTH)
    .zeros(24) // LM-Response: not sent (the LM hash is weaker still)
    .bytesFrom(mschapv1NtResponse(challenge, password)) // NT-Response
    .u8(1) // Use-NT flag: the NT-Response is to be used
    .finish();
}

export class MschapV1Client extends ChapClientBase {
  readonly method = 'mschap' as const;
  private challenge: Uint8Array | undefined;

  constructor(options: AuthClientOptions) {
    super(options);
  }

  protected answer(_identifier: number, challenge: Uint8Array): ChapAnswer | string {
    if (challenge.length !== MSCHAPV1_CHALLENGE_LENGTH) {
      return `MS-CHAP Challenge of ${challenge.length} octets, expected ${MSCHAPV1_CHALLENGE_LENGTH}`;
    }
    const { username, password, domain } = this.options.credentials;
    this.challenge = copyBytes(challenge);
    return { value: mschapv1ResponseValue(challenge, password), name: utf8(fullUserName(username, domain)) };
  }

  protected onSuccess(message: Uint8Array): void {
    const password = this.options.credentials.password;
    this.succeed(serverText(message, password), mppeStartKeysFromMschapv1(password, this.challenge!));
  }

  protected onFailure(message: Uint8Array): void {
    const f = mschapFailure(LABEL, parseMschapFailure(message), this.options.credentials.password);
    this.fail(f.reason, f.message, f.detail);
  }
}
