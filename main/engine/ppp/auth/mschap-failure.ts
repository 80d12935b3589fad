/**
 * MS-CHAP Failure messages, parsed and put in words. Both versions send the same text form in
 * the CHAP Failure Message field (RFC 2433 "Failure Packet", RFC 2759 §6):
 *
 *   "E=eeeeeeeeee R=r C=cccccccccccccccccccccccccccccccc V=vvvvvvvvvv M=<msg>"
 *
 * E is a decimal Windows error code, R=1 means the server allows a retry, C is the next
 * challenge in hex (16 digits for v1, 32 for v2), V the password-change protocol version, M a
 * free-text message that runs to the end. Servers differ (fields missing, lower-case hex, extra
 * spaces, garbage, or plain text only), so the parser takes what it can read and never fails.
 *
 * Out of scope, on purpose: retrying with the next challenge (R=1) and changing an expired
 * password (RFC 2433 "Change Password Packet", RFC 2759 §7 Change-Password). The client reports the failure with
 * the code in words and, for R=1 or 648, says that it does not retry or change passwords.
 */
import type { Failure } from '../../failure';
import { fromHex } from '../../wire/bytes';
import { serverText } from './auth-text';

/** The fields a Failure message may carry; each present only when it parsed cleanly. */
export interface MschapFailureInfo {
  readonly errorCode?: number;
  readonly retry?: boolean;
  /** C=: 8 octets (MS-CHAPv1) or 16 octets (MS-CHAPv2). */
  readonly challenge?: Uint8Array;
  readonly version?: number;
  /** M=: the rest of the text (or the whole text when it carries no fields at all). */
  readonly message?: string;
}

/** RFC 2433 "Failure Packet" / RFC 2759 §6: the error codes servers send, in words. */
export const MSCHAP_ERROR_TEXT: Readonly<Record<number, string>> = {
  646: 'logons are not allowed at this time of day (restricted logon hours)', // ERROR_RESTRICTED_LOGON_HOURS
  647: 'the account is disabled', // ERROR_ACCT_DISABLED
  648: 'the password has expired', // ERROR_PASSWD_EXPIRED
  649: 'the account has no dial-in permission', // ERROR_NO_DIALIN_PERMISSION
  691: 'authentication failure: bad user name or password', // ERROR_AUTHENTICATION_FAILURE
  709: 'error changing the password', // ERROR_CHANGING_PASSWORD
};

export const MSCHAP_ERROR_AUTHENTICATION_FAILURE = 691;
export const MSCHAP_ERROR_PASSWD_EXPIRED = 648;

const decoder = new TextDecoder('utf-8', { fatal: false });
const FIELD = /^([A-Za-z])=(.*)$/;
const DECIMAL = /^\d{1,10}$/;
const HEX = /^[0-9A-Fa-f]+$/;

/** Parses a Failure message. Never throws; unreadable fields are left out. */
export function parseMschapFailure(input: Uint8Array | string): MschapFailureInfo {
  const text = typeof input === 'string' ? input : decoder.decode(input);
  // M= runs to the end of the text; find it first so its words are not read as fields.
  const m = /(^|\s)[Mm]=/.exec(text);
  const head = m === null ? text : text.slice(0, m.index);
  const tail = m === null ? undefined : text.slice(m.index + m[0].length);

  let errorCode: number | undefined;
  let retry: boolean | undefined;
  let challenge: Uint8Array | undefined;
  let version: number | undefined;
  let sawField = false;
  for (const token of head.split(/\s+/)) {
    const f = FIELD.exec(token);
    if (f === null) continue;
    sawField = true; // field-shaped, even if its value is unreadable: the text is not free prose
    const key = f[1]!.toUpperCase();
    const value = f[2]!;
    if (key === 'E' && errorCode === undefined && DECIMAL.test(value)) {
      errorCode = Number(value);
    } else if (key === 'R' && retry === undefined && (value === '0' || value === '1')) {
      retry = value === '1';
    } else if (key === 'C' && challenge === undefined && HEX.test(value) && (value.length === 16 || value.length === 32)) {
      challenge = fromHex(value);
    } else if (key === 'V' && version === undefined && DECIMAL.test(value)) {
      version = Number(value);
    }
  }
  // Text with no field-shaped token at all is a server that just wrote prose: keep it as the message.
  const message = tail !== undefined ? tail : sawField ? undefined : text;
  return {
    ...(errorCode !== undefined ? { errorCode } : {}),
    ...(retry !== undefined ? { retry } : {}),
    ...(challenge !== undefined ? { challenge } : {}),
    ...(version !== undefined ? { version } : {}),
    ...(message !== undefined && message.trim() !== '' ? { message: message.trim() } : {}),
  };
}

/** "bad user name or password (error 691)"-style words for a code; unknown codes keep their number. */
export function describeMschapError(errorCode: number | undefined): string {
  if (errorCode === undefined) return 'the server gave no error code';
  const words = MSCHAP_ERROR_TEXT[errorCode];
  return words !== undefined ? `${words} (error ${errorCode})` : `error ${errorCode} (a code this client does not know)`;
}

/**
 * The Failure an MS-CHAP Failure message ends authentication with. `label` names the method
 * ("MS-CHAPv2", "EAP-MS-CHAPv2"); `secret` is redacted from any server text quoted.
 */
export function mschapFailure(label: string, info: MschapFailureInfo, secret: string): Failure {
  const said = info.message !== undefined ? serverText(info.message, secret) : undefined;
  let message = `${label}: the server refused the login: ${describeMschapError(info.errorCode)}.`;
  if (info.errorCode === MSCHAP_ERROR_PASSWD_EXPIRED) {
    message += ' This client cannot change passwords; change it another way and try again.';
  } else if (info.retry === true) {
    message += ' The server offers a retry, which this client does not do.';
  }
  if (said !== undefined) message += ` Server said: "${said}"`;
  const detail: Record<string, string | number | boolean> = {};
  if (info.errorCode !== undefined) detail.errorCode = info.errorCode;
  if (info.retry !== undefined) detail.retry = info.retry;
  if (info.version !== undefined) detail.version = info.version;
  if (said !== undefined) detail.serverMessage = said;
  return { reason: 'auth-failed', message, detail };
}
