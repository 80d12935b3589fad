/**
 * The packet header PAP, CHAP and EAP share (RFC 1334 §2.2, RFC 1994 §4, RFC 3748 §4):
 * Code (1) | Identifier (1) | Length (2) | Data. This module owns the first, checked step of
 * parsing an authentication packet (header and length) and the encoding of one; the typed step
 * lives in each method's codec. It knows nothing about what the codes mean.
 */
import { ByteWriter, readU16 } from '../../wire/bytes';
import { err, ok, type Result } from '../../wire/result';
import { wireError, type WireError } from '../../wire/wire-error';

/** RFC 1334 §2.2 / RFC 1994 §4 / RFC 3748 §4: Code, Identifier and a 2-octet Length. */
export const AUTH_HEADER_LENGTH = 4;

/** A checked view: the header fields and the Data field, bounded by the Length field. */
export interface AuthPacketView {
  readonly code: number;
  readonly identifier: number;
  /** The octets after the header up to Length (octets past Length are padding, RFC 1661 §5). */
  readonly data: Uint8Array;
}

/**
 * Step one: check the header and the Length field against the bytes received. A Length below
 * the header size or beyond the received bytes is refused; bytes past Length are padding.
 */
export function parseAuthHeader(packet: Uint8Array): Result<AuthPacketView, WireError> {
  if (packet.length < AUTH_HEADER_LENGTH) {
    return err(wireError('truncated', `auth packet of ${packet.length} octets is shorter than its 4-octet header`));
  }
  const length = readU16(packet, 2);
  if (length < AUTH_HEADER_LENGTH) return err(wireError('bad-length', `auth packet Length ${length} is below 4`));
  if (length > packet.length) {
    return err(wireError('truncated', `auth packet Length ${length} exceeds the ${packet.length} octets received`));
  }
  return ok({ code: packet[0]!, identifier: packet[1]!, data: packet.subarray(AUTH_HEADER_LENGTH, length) });
}

/** Encodes Code | Identifier | Length | data. Callers keep data within 65531 octets. */
export function encodeAuthPacket(code: number, identifier: number, data: Uint8Array): Uint8Array {
  return new ByteWriter(AUTH_HEADER_LENGTH + data.length)
    .u8(code)
    .u8(identifier)
    .u16(AUTH_HEADER_LENGTH + data.length)
    .bytesFrom(data)
    .finish();
}
