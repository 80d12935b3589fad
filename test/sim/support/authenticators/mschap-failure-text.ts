/** Builds an MS-CHAP Failure message the way Windows/pppd servers write it (RFC 2759 §6). */
import { toHex } from '../../../../main/engine/wire/bytes';

export function mschapFailureText(
  errorCode: number,
  retry: boolean,
  nextChallenge: Uint8Array,
  version: number,
  message: string,
): string {
  return `E=${errorCode} R=${retry ? 1 : 0} C=${toHex(nextChallenge).toUpperCase()} V=${version} M=${message}`;
}
