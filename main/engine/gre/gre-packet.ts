/**
 * The enhanced GRE header of PPTP (RFC 2637 §4.1): codec only. Owns the bit layout, the two-step
 * decode (checked header view, then a typed GrePacket) and an exactly-sized encode. It must not
 * keep state, know about windows or sequencing (see gre-call.ts), or see the IPv4 header: the
 * input starts at the first GRE byte (raw sockets deliver the IPv4 header too; see ipv4.ts).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
 *   |    Key (HW) Payload Length    |       Key (LW) Call ID        |
 *   |                  Sequence Number (Optional)                   |
 *   |               Acknowledgment Number (Optional)                |
 *
 * Decoding is strict where RFC 2637 §4.1 says "must" and pptp-linux checks too (C, R, s, Recur,
 * K, version, protocol type), and liberal about the reserved Flags bits 9-12, which are ignored.
 */
import type { Result } from '../wire/result';
import { err, ok } from '../wire/result';
import type { WireError, WireErrorCode } from '../wire/wire-error';
import { ByteReader, ByteWriter, readU16 } from '../wire/bytes';

// RFC 2637 §4.1: the first header octet.
export const GRE_FLAG_CHECKSUM = 0x80; // C: checksum present, must be 0
export const GRE_FLAG_ROUTING = 0x40; // R: routing present, must be 0
export const GRE_FLAG_KEY = 0x20; // K: key present, must be 1
export const GRE_FLAG_SEQUENCE = 0x10; // S: sequence number present (set iff a payload is carried)
export const GRE_FLAG_STRICT_ROUTE = 0x08; // s: strict source route, must be 0
export const GRE_RECURSION_MASK = 0x07; // Recur: recursion control, must be 0
// RFC 2637 §4.1: the second header octet.
export const GRE_FLAG_ACK = 0x80; // A: acknowledgement number present
export const GRE_RESERVED_FLAGS_MASK = 0x78; // Flags (bits 9-12): must be sent as 0; ignored on receive
export const GRE_VERSION_MASK = 0x07; // Ver (bits 13-15)
export const GRE_VERSION_ENHANCED = 1; // RFC 2637 §4.1: Ver must contain 1 (enhanced GRE)
export const GRE_PROTOCOL_PPP = 0x880b; // RFC 2637 §4.1: Protocol Type hex 880B (PPP)

/** RFC 2637 §4.1: flags, version, protocol type and the 32-bit key are always present. */
export const GRE_BASE_HEADER_LENGTH = 8;
/** RFC 2637 §4.1: the payload length is the high 16 bits of the key. */
export const GRE_MAX_PAYLOAD = 0xffff;
/** The largest header: base + sequence + acknowledgement. */
export const GRE_MAX_HEADER_LENGTH = 16;

/** A decoded enhanced GRE packet. `payload` is a view into the input (no copy). */
export interface GrePacket {
  /** RFC 2637 §4.1: the receiver's call ID (low 16 bits of the key). */
  readonly callId: number;
  /** Present iff S was set (a data packet). */
  readonly sequence?: number;
  /** Present iff A was set. */
  readonly ack?: number;
  /** The PPP frame; empty for an acknowledgement-only packet. */
  readonly payload: Uint8Array;
}

export type GreErrorReason =
  | 'truncated' // fewer bytes than the header or the payload length needs
  | 'length-mismatch' // more bytes than header + payload length
  | 'bad-version' // Ver != 1
  | 'bad-protocol' // protocol type != 0x880B
  | 'key-absent' // K clear
  | 'checksum-present' // C set
  | 'routing-present' // R set
  | 'strict-route' // s set
  | 'recursion' // Recur != 0
  | 'payload-without-sequence'; // a payload with S clear (RFC 2637 §4.1: S is set when a payload is present)

/** A WireError with the GRE-specific reason; `code` stays one of the shared WireError codes. */
export interface GreDecodeError extends WireError {
  readonly reason: GreErrorReason;
}

const REASON_CODE: Record<GreErrorReason, WireErrorCode> = {
  truncated: 'truncated',
  'length-mismatch': 'bad-length',
  'bad-version': 'bad-version',
  'bad-protocol': 'unknown-type',
  'key-absent': 'bad-field',
  'checksum-present': 'bad-field',
  'routing-present': 'bad-field',
  'strict-route': 'bad-field',
  recursion: 'bad-field',
  'payload-without-sequence': 'bad-field',
};

function greError(reason: GreErrorReason, message: string): { ok: false; error: GreDecodeError } {
  return err({ code: REASON_CODE[reason], reason, message });
}

/** Step 1: the checked view. Every offset in it has been bounds-checked against the input. */
export interface GreHeaderView {
  readonly bytes: Uint8Array;
  readonly hasSequence: boolean;
  readonly hasAck: boolean;
  readonly headerLength: number;
  readonly payloadLength: number;
  readonly callId: number;
}

/** Checks flags, version, protocol and lengths; reads nothing it has not bounds-checked. */
export function checkGreHeader(bytes: Uint8Array): Result<GreHeaderView, GreDecodeError> {
  if (bytes.length < GRE_BASE_HEADER_LENGTH) {
    return greError('truncated', `GRE header needs ${GRE_BASE_HEADER_LENGTH} bytes, got ${bytes.length}`);
  }
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  const version = b1 & GRE_VERSION_MASK;
  if (version !== GRE_VERSION_ENHANCED) return greError('bad-version', `GRE version ${version}, expected 1 (enhanced GRE)`);
  const protocol = readU16(bytes, 2);
  if (protocol !== GRE_PROTOCOL_PPP) {
    return greError('bad-protocol', `GRE protocol type 0x${protocol.toString(16).padStart(4, '0')}, expected 0x880b (PPP)`);
  }
  if (b0 & GRE_FLAG_CHECKSUM) return greError('checksum-present', 'GRE checksum bit (C) set');
  if (b0 & GRE_FLAG_ROUTING) return greError('routing-present', 'GRE routing bit (R) set');
  if (!(b0 & GRE_FLAG_KEY)) return greError('key-absent', 'GRE key bit (K) clear; PPTP needs the key');
  if (b0 & GRE_FLAG_STRICT_ROUTE) return greError('strict-route', 'GRE strict source route bit (s) set');
  if (b0 & GRE_RECURSION_MASK) return greError('recursion', `GRE recursion control ${b0 & GRE_RECURSION_MASK}, expected 0`);

  const hasSequence = (b0 & GRE_FLAG_SEQUENCE) !== 0;
  const hasAck = (b1 & GRE_FLAG_ACK) !== 0;
  const headerLength = GRE_BASE_HEADER_LENGTH + (hasSequence ? 4 : 0) + (hasAck ? 4 : 0);
  if (bytes.length < headerLength) {
    return greError('truncated', `GRE header with these flags needs ${headerLength} bytes, got ${bytes.length}`);
  }
  const payloadLength = readU16(bytes, 4);
  const callId = readU16(bytes, 6);
  const present = bytes.length - headerLength;
  if (present < payloadLength) {
    return greError('truncated', `GRE payload length ${payloadLength}, only ${present} bytes present`);
  }
  if (present > payloadLength) {
    return greError('length-mismatch', `GRE payload length ${payloadLength}, but ${present} bytes follow the header`);
  }
  if (payloadLength > 0 && !hasSequence) {
    return greError('payload-without-sequence', `GRE packet carries ${payloadLength} payload bytes without a sequence number`);
  }
  return ok({ bytes, hasSequence, hasAck, headerLength, payloadLength, callId });
}

/** Step 2: the typed packet from a checked view. Cannot fail: the view is already checked. */
export function parseGrePacket(view: GreHeaderView): GrePacket {
  const r = new ByteReader(view.bytes, GRE_BASE_HEADER_LENGTH);
  const sequence = view.hasSequence ? r.u32() : undefined;
  const ack = view.hasAck ? r.u32() : undefined;
  const payload = view.bytes.subarray(view.headerLength, view.headerLength + view.payloadLength);
  const packet: { callId: number; sequence?: number; ack?: number; payload: Uint8Array } = { callId: view.callId, payload };
  if (sequence !== undefined) packet.sequence = sequence;
  if (ack !== undefined) packet.ack = ack;
  return packet;
}

/** Both steps. */
export function decodeGrePacket(bytes: Uint8Array): Result<GrePacket, GreDecodeError> {
  const view = checkGreHeader(bytes);
  return view.ok ? ok(parseGrePacket(view.value)) : view;
}

/** The exact encoded size of a packet. */
export function greEncodedLength(packet: GrePacket): number {
  return GRE_BASE_HEADER_LENGTH + (packet.sequence !== undefined ? 4 : 0) + (packet.ack !== undefined ? 4 : 0) + packet.payload.length;
}

/**
 * Encodes into an exactly-sized buffer. The inputs are ours, not the wire's, so a broken one is a
 * local bug and throws RangeError: a payload over 65535 bytes (it must fit the key's high 16
 * bits), a payload without a sequence number, or a call ID / number out of range.
 */
export function encodeGrePacket(packet: GrePacket): Uint8Array {
  const { callId, sequence, ack, payload } = packet;
  if (payload.length > GRE_MAX_PAYLOAD) throw new RangeError(`GRE payload ${payload.length} > ${GRE_MAX_PAYLOAD} bytes`);
  if (payload.length > 0 && sequence === undefined) throw new RangeError('GRE payload needs a sequence number');
  if (!isU16(callId)) throw new RangeError(`GRE call ID ${callId} is not a 16-bit number`);
  if (sequence !== undefined && !isU32(sequence)) throw new RangeError(`GRE sequence ${sequence} is not a 32-bit number`);
  if (ack !== undefined && !isU32(ack)) throw new RangeError(`GRE ack ${ack} is not a 32-bit number`);

  const w = new ByteWriter(greEncodedLength(packet));
  w.u8(GRE_FLAG_KEY | (sequence !== undefined ? GRE_FLAG_SEQUENCE : 0));
  w.u8((ack !== undefined ? GRE_FLAG_ACK : 0) | GRE_VERSION_ENHANCED);
  w.u16(GRE_PROTOCOL_PPP);
  w.u16(payload.length);
  w.u16(callId);
  if (sequence !== undefined) w.u32(sequence);
  if (ack !== undefined) w.u32(ack);
  w.bytesFrom(payload);
  return w.finish();
}

function isU16(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff;
}

function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff;
}

/**
 * Writes the header of a data packet (S set; A when `ack` is given) so that it ends exactly at
 * `payloadOffset` in `buf`, in front of a payload already there (the link leaves room: see
 * FRAME_HEADROOM in ppp/link-data-path.ts). Returns where the packet starts. Same checks as
 * encodeGrePacket, which it matches octet for octet.
 */
export function writeGreDataHeader(
  buf: Uint8Array,
  payloadOffset: number,
  payloadLength: number,
  callId: number,
  sequence: number,
  ack: number | undefined,
): number {
  const headerLength = GRE_BASE_HEADER_LENGTH + 4 + (ack !== undefined ? 4 : 0);
  const start = payloadOffset - headerLength;
  if (start < 0 || payloadOffset + payloadLength > buf.length) throw new RangeError('no room for the GRE header');
  if (payloadLength > GRE_MAX_PAYLOAD) throw new RangeError(`GRE payload ${payloadLength} > ${GRE_MAX_PAYLOAD} bytes`);
  if (!isU16(callId)) throw new RangeError(`GRE call ID ${callId} is not a 16-bit number`);
  buf[start] = GRE_FLAG_KEY | GRE_FLAG_SEQUENCE;
  buf[start + 1] = (ack !== undefined ? GRE_FLAG_ACK : 0) | GRE_VERSION_ENHANCED;
  buf[start + 2] = GRE_PROTOCOL_PPP >>> 8;
  buf[start + 3] = GRE_PROTOCOL_PPP & 0xff;
  buf[start + 4] = payloadLength >>> 8;
  buf[start + 5] = payloadLength & 0xff;
  buf[start + 6] = callId >>> 8;
  buf[start + 7] = callId & 0xff;
  writeU32(buf, start + 8, sequence);
  if (ack !== undefined) writeU32(buf, start + 12, ack);
  return start;
}

/**
 * Writes an acknowledgement-only packet (A set, no S, no payload: RFC 2637 §4.1) of
 * GRE_BASE_HEADER_LENGTH + 4 octets at `buf[start..]`, octet for octet what encodeGrePacket
 * makes of { callId, ack, empty payload }. For a reused buffer (the send path's frame pool).
 */
export function writeGreAckOnly(buf: Uint8Array, start: number, callId: number, ack: number): void {
  if (start < 0 || start + GRE_BASE_HEADER_LENGTH + 4 > buf.length) throw new RangeError('no room for the GRE ack-only packet');
  if (!isU16(callId)) throw new RangeError(`GRE call ID ${callId} is not a 16-bit number`);
  buf[start] = GRE_FLAG_KEY;
  buf[start + 1] = GRE_FLAG_ACK | GRE_VERSION_ENHANCED;
  buf[start + 2] = GRE_PROTOCOL_PPP >>> 8;
  buf[start + 3] = GRE_PROTOCOL_PPP & 0xff;
  buf[start + 4] = 0;
  buf[start + 5] = 0;
  buf[start + 6] = callId >>> 8;
  buf[start + 7] = callId & 0xff;
  writeU32(buf, start + 8, ack);
}

function writeU32(buf: Uint8Array, at: number, v: number): void {
  buf[at] = v >>> 24;
  buf[at + 1] = (v >>> 16) & 0xff;
  buf[at + 2] = (v >>> 8) & 0xff;
  buf[at + 3] = v & 0xff;
}

/**
 * The header length of a well-formed packet (every check of checkGreHeader passes), or -1: the
 * caller then runs decodeGrePacket for the reason. Allocates nothing (the receive fast path).
 */
export function wellFormedGreHeaderLength(bytes: Uint8Array): number {
  const length = bytes.length;
  if (length < GRE_BASE_HEADER_LENGTH) return -1;
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  // K set; C, R, s, Recur clear; S either way. Version 1, protocol 0x880B.
  if ((b0 & ~GRE_FLAG_SEQUENCE) !== GRE_FLAG_KEY) return -1;
  if ((b1 & GRE_VERSION_MASK) !== GRE_VERSION_ENHANCED) return -1;
  if (bytes[2] !== GRE_PROTOCOL_PPP >>> 8 || bytes[3] !== (GRE_PROTOCOL_PPP & 0xff)) return -1;
  const hasSequence = (b0 & GRE_FLAG_SEQUENCE) !== 0;
  const headerLength = GRE_BASE_HEADER_LENGTH + (hasSequence ? 4 : 0) + ((b1 & GRE_FLAG_ACK) !== 0 ? 4 : 0);
  const payloadLength = (bytes[4]! << 8) | bytes[5]!;
  if (length !== headerLength + payloadLength) return -1;
  if (payloadLength > 0 && !hasSequence) return -1;
  return headerLength;
}

/** A big-endian u32 at `at` (bounds already checked). */
export function readGreU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}
