/**
 * CHAP with MD5, the client side (RFC 1994, algorithm 5): answer each Challenge with
 * MD5(Identifier || secret || Challenge) (RFC 1994 §4.1) and the user name as Name; Success
 * ends in success, Failure in 'auth-failed'. The exchange rules live in ChapClientBase; this
 * file owns only the digest and the wording. The secret never leaves this module except
 * hashed.
 */
import { md5 } from '../../crypto/hash';
import type { AuthClientOptions } from './auth-client';
import { serverText, utf8 } from './auth-text';
import { ChapClientBase, type ChapAnswer } from './chap-client-base';

/** RFC 1994 §4.1: the MD5 Response Value is the 16-octet digest. */
export const CHAP_MD5_RESPONSE_LENGTH = 16;

/** RFC 1994 §4.1: MD5 over Identifier, secret and Challenge Value, in that order. */
export function chapMd5Response(identifier: number, secret: Uint8Array, challenge: Uint8Array): Uint8Array {
  return md5(Uint8Array.of(identifier & 0xff), secret, challenge);
}

export class ChapMd5Client extends ChapClientBase {
  readonly method = 'chap' as const;

  constructor(options: AuthClientOptions) {
    super(options);
  }

  protected answer(identifier: number, challenge: Uint8Array): ChapAnswer {
    const { username, password } = this.options.credentials;
    return { value: chapMd5Response(identifier, utf8(password), challenge), name: utf8(username) };
  }

  protected onSuccess(message: Uint8Array): void {
    this.succeed(serverText(message, this.options.credentials.password));
  }

  protected onFailure(message: Uint8Array): void {
    const text = serverText(message, this.options.credentials.password);
    this.fail(
      'auth-failed',
      `CHAP: the server rejected the user name or password${text !== undefined ? `: "${text}"` : ''}`,
      text !== undefined ? { serverMessage: text } : undefined,
    );
  }
}
