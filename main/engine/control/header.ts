/**
 * The checked view of the PPTP control header (RFC 2637 §2): the first parsing step. It reads
 * the twelve header octets, checks the magic cookie, the PPTP message type, the control message
 * type and that the Length field is exactly what RFC 2637 §2 gives for that type. It does not
 * look at the body (./decode.ts does) and never reads past the buffer.
 *
 * Reserved0 is not checked: RFC 2637 §2 says the sender MUST write zero; we stay liberal in
 * what we accept (the encoder always writes zero).
 */
import { readU16, readU32 } from '../wire/bytes';
import { err, ok, type Result } from '../wire/result';
import { wireError, type WireError } from '../wire/wire-error';
import {
  CONTROL_HEADER_LENGTH,
  CONTROL_MESSAGE_LENGTH,
  HEADER_OFFSET_CONTROL_TYPE,
  HEADER_OFFSET_LENGTH,
  HEADER_OFFSET_MAGIC,
  HEADER_OFFSET_MESSAGE_TYPE,
  PPTP_MAGIC_COOKIE,
  PPTP_MESSAGE_TYPE_CONTROL,
  controlMessageKind,
  type ControlMessageKind,
} from './constants';

export interface ControlHeader {
  /** Length field: the whole message including this header (RFC 2637 §2). */
  readonly length: number;
  readonly controlMessageType: number;
  readonly kind: ControlMessageKind;
}

/**
 * Checks the header at `offset`. `bytes` need only hold the header; the caller checks that the
 * whole `length` is present before decoding the body.
 */
export function parseControlHeader(bytes: Uint8Array, offset = 0): Result<ControlHeader, WireError> {
  if (bytes.length - offset < CONTROL_HEADER_LENGTH) {
    return err(wireError('truncated', `PPTP control header needs ${CONTROL_HEADER_LENGTH} octets, have ${Math.max(0, bytes.length - offset)}`));
  }
  const magic = readU32(bytes, offset + HEADER_OFFSET_MAGIC);
  if (magic !== PPTP_MAGIC_COOKIE) {
    return err(wireError('bad-magic', `magic cookie 0x${magic.toString(16).padStart(8, '0')} is not 0x1a2b3c4d`));
  }
  const length = readU16(bytes, offset + HEADER_OFFSET_LENGTH);
  if (length < CONTROL_HEADER_LENGTH) {
    return err(wireError('bad-length', `length field ${length} is shorter than the ${CONTROL_HEADER_LENGTH}-octet header`));
  }
  const messageType = readU16(bytes, offset + HEADER_OFFSET_MESSAGE_TYPE);
  if (messageType !== PPTP_MESSAGE_TYPE_CONTROL) {
    return err(wireError('unknown-type', `PPTP message type ${messageType} is not a control message (1)`));
  }
  const controlMessageType = readU16(bytes, offset + HEADER_OFFSET_CONTROL_TYPE);
  const kind = controlMessageKind(controlMessageType);
  if (kind === undefined) {
    return err(wireError('unknown-type', `control message type ${controlMessageType} is not defined by RFC 2637`));
  }
  const expected = CONTROL_MESSAGE_LENGTH[kind];
  if (length !== expected) {
    return err(wireError('bad-length', `${kind} must be ${expected} octets long, length field says ${length}`));
  }
  return ok({ length, controlMessageType, kind });
}
