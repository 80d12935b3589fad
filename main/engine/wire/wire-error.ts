/**
 * Typed errors for malformed bytes. Every codec returns one of these for bad input; the code is
 * stable (tests and logs match on it), the message is for humans.
 */
export type WireErrorCode =
  | 'truncated' // fewer bytes than the header or a length field says
  | 'bad-length' // a length field that is impossible (too small, too large, inconsistent)
  | 'bad-magic' // PPTP magic cookie mismatch
  | 'bad-version' // protocol version we do not speak
  | 'unknown-type' // a message/code/type number we do not know
  | 'bad-field' // a field value outside what the spec allows
  | 'too-large'; // a message larger than we are willing to buffer

export interface WireError {
  readonly code: WireErrorCode;
  readonly message: string;
}

export function wireError(code: WireErrorCode, message: string): WireError {
  return { code, message };
}
