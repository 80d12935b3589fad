/**
 * The MS-CHAPv2 server computations (RFC 2759 §8), shared by the plain and the EAP
 * authenticator: check a 49-octet Response Value, and build the Success or Failure text.
 */
import { mppeStartKeysFromMschapv2 } from '../../../../main/engine/crypto/mppe-keys';
import { mschapv2AuthenticatorResponse, mschapv2NtResponse } from '../../../../main/engine/crypto/mschap';
import { bytesEqual } from '../../../../main/engine/wire/bytes';
import { nameMatches, serverKeys } from './authenticator-base';
import { mschapFailureText } from './mschap-failure-text';
import type { AuthenticatorConfig, SimAuthResult } from './types';

export interface Mschapv2Verdict {
  /** The Success or Failure message text to send. */
  readonly message: string;
  readonly result: SimAuthResult;
}

export function judgeMschapv2Response(
  config: AuthenticatorConfig,
  authChallenge: Uint8Array,
  value: Uint8Array,
  name: string,
): Mschapv2Verdict {
  const { username, password, hostile } = config;
  if (value.length === 49 && hostile?.failWith === undefined && nameMatches(name, username)) {
    const peerChallenge = value.subarray(0, 16);
    const ntResponse = value.subarray(24, 48);
    if (bytesEqual(ntResponse, mschapv2NtResponse(authChallenge, peerChallenge, name, password))) {
      let s = mschapv2AuthenticatorResponse(password, ntResponse, peerChallenge, authChallenge, name);
      if (hostile?.wrongAuthenticatorResponse === true) s = `S=${s[2] === '0' ? '1' : '0'}${s.slice(3)}`;
      const gap = hostile?.successWithoutSpace === true ? '' : ' ';
      const message = hostile?.missingAuthenticatorResponse === true ? 'M=Access granted' : `${s}${gap}M=Access granted`;
      return { message, result: { ok: true, mppeKeys: serverKeys(mppeStartKeysFromMschapv2(password, ntResponse)) } };
    }
  }
  const f = hostile?.failWith ?? { errorCode: 691, retry: false };
  const text = mschapFailureText(
    f.errorCode,
    f.retry ?? false,
    config.random(16),
    3,
    hostile?.echoPassword === true ? `bad password ${password}` : (f.message ?? 'Authentication failure'),
  );
  return { message: text, result: { ok: false } };
}
