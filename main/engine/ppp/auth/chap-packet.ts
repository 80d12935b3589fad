/**
 * The CHAP packet codec (RFC 1994 §4), shared by CHAP-MD5, MS-CHAPv1 (RFC 2433) and MS-CHAPv2
 * (RFC 2759), which all travel in PPP protocol 0xC223 with the same four codes. Step two of
 * parsing (after parseAuthHeader): a typed Challenge / Response / Success / Failure. Owns no
 * algorithm and no state.
 */
import { ByteReader, ByteWriter } from '../../wire/bytes';
import { err, ok, type Result } from '../../wire/result';
import { wireError, type WireError } from '../../wire/wire-error';
import { encodeAuthPacket, parseAuthHeader } from './auth-packet';

/** RFC 1994 §4: CHAP packet codes. */
export const CHAP_CHALLENGE = 1;
export const CHAP_RESPONSE = 2;
export const CHAP_SUCCESS = 3;
export const CHAP_FAILURE = 4;

export interface ChapValuePacket<C extends 'challenge' | 'response'> {
  readonly code: C;
  readonly identifier: number;
  /** RFC 1994 §4.1: the Value field (Value-Size octets). */
  readonly value: Uint8Array;
  /** RFC 1994 §4.1: the Name field (the rest of the packet). */
  readonly name: Uint8Array;
}

export interface ChapStatusPacket<C extends 'success' | 'failure'> {
  readonly code: C;
  readonly identifier: number;
  /** RFC 1994 §4.2: the Message field (possibly empty). */
  readonly message: Uint8Array;
}

export type ChapPacket =
  | ChapValuePacket<'challenge'>
  | ChapValuePacket<'response'>
  | ChapStatusPacket<'success'>
  | ChapStatusPacket<'failure'>;

export function parseChapPacket(packet: Uint8Array): Result<ChapPacket, WireError> {
  const view = parseAuthHeader(packet);
  if (!view.ok) return view;
  const { code, identifier, data } = view.value;
  switch (code) {
    case CHAP_CHALLENGE:
    case CHAP_RESPONSE: {
      // RFC 1994 §4.1: Value-Size (1), Value, Name.
      const r = new ByteReader(data);
      const size = r.u8();
      if (size === undefined) return err(wireError('truncated', 'CHAP packet without a Value-Size'));
      if (size === 0) return err(wireError('bad-field', 'CHAP Value-Size is 0'));
      const value = r.bytesView(size);
      if (value === undefined) return err(wireError('truncated', `CHAP Value-Size ${size} exceeds the packet`));
      const name = data.subarray(1 + size);
      return ok(code === CHAP_CHALLENGE ? { code: 'challenge', identifier, value, name } : { code: 'response', identifier, value, name });
    }
    case CHAP_SUCCESS:
    case CHAP_FAILURE:
      // RFC 1994 §4.2: Message (the rest of the packet, possibly empty).
      return ok(
        code === CHAP_SUCCESS ? { code: 'success', identifier, message: data } : { code: 'failure', identifier, message: data },
      );
    default:
      return err(wireError('unknown-type', `unknown CHAP code ${code}`));
  }
}

export function encodeChapValue(
  code: 'challenge' | 'response',
  identifier: number,
  value: Uint8Array,
  name: Uint8Array,
): Uint8Array {
  const data = new ByteWriter(1 + value.length + name.length).u8(value.length).bytesFrom(value).bytesFrom(name).finish();
  return encodeAuthPacket(code === 'challenge' ? CHAP_CHALLENGE : CHAP_RESPONSE, identifier, data);
}

export function encodeChapStatus(code: 'success' | 'failure', identifier: number, message: Uint8Array): Uint8Array {
  return encodeAuthPacket(code === 'success' ? CHAP_SUCCESS : CHAP_FAILURE, identifier, message);
}
