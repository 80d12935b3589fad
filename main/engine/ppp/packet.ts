/**
 * The control-packet codec shared by LCP, IPCP and CCP (RFC 1661 §5: Code, Identifier, Length,
 * Data) and the Configuration Option list codec (RFC 1661 §6: Type, Length, Data).
 *
 * Two steps, as everywhere in the engine: the length fields are checked against the bytes
 * actually received before anything is trusted, then a typed value is returned. Nothing here
 * throws or loops on lying lengths: an option walk advances by at least 2 octets per option and
 * stops at the first inconsistent length with a typed WireError.
 *
 * Owns only the byte layout; what a code or option *means* belongs to the layers.
 */
import { ByteReader, ByteWriter } from '../wire/bytes';
import type { Result } from '../wire/result';
import { err, ok } from '../wire/result';
import type { WireError } from '../wire/wire-error';
import { wireError } from '../wire/wire-error';

// RFC 1661 §5: codes common to every protocol that uses the option-negotiation automaton.
export const CODE_CONFIGURE_REQUEST = 1; // RFC 1661 §5.1
export const CODE_CONFIGURE_ACK = 2; // RFC 1661 §5.2
export const CODE_CONFIGURE_NAK = 3; // RFC 1661 §5.3
export const CODE_CONFIGURE_REJECT = 4; // RFC 1661 §5.4
export const CODE_TERMINATE_REQUEST = 5; // RFC 1661 §5.5
export const CODE_TERMINATE_ACK = 6; // RFC 1661 §5.5
export const CODE_CODE_REJECT = 7; // RFC 1661 §5.6
// LCP only.
export const CODE_PROTOCOL_REJECT = 8; // RFC 1661 §5.7
export const CODE_ECHO_REQUEST = 9; // RFC 1661 §5.8
export const CODE_ECHO_REPLY = 10; // RFC 1661 §5.8
export const CODE_DISCARD_REQUEST = 11; // RFC 1661 §5.9
export const CODE_IDENTIFICATION = 12; // RFC 1570 §2.1 (informational; ignored)
export const CODE_TIME_REMAINING = 13; // RFC 1570 §2.2 (informational; ignored)
// CCP only.
export const CODE_RESET_REQUEST = 14; // RFC 1962 §2.2
export const CODE_RESET_ACK = 15; // RFC 1962 §2.2

/** RFC 1661 §5: 1 code + 1 identifier + 2 length. */
export const CONTROL_HEADER_LENGTH = 4;

export interface ControlPacket {
  readonly code: number;
  readonly identifier: number;
  /** The Data field: exactly Length - 4 octets (trailing padding is dropped, RFC 1661 §5). */
  readonly data: Uint8Array;
}

export interface PppOption {
  readonly type: number;
  /** The option's Data field (Length - 2 octets). */
  readonly data: Uint8Array;
}

/**
 * Decodes one control packet from a PPP Information field. RFC 1661 §5: octets beyond Length
 * are padding and ignored; a Length larger than what arrived means the packet is discarded.
 */
export function decodeControlPacket(info: Uint8Array): Result<ControlPacket, WireError> {
  const r = new ByteReader(info);
  const code = r.u8();
  const identifier = r.u8();
  const length = r.u16();
  if (code === undefined || identifier === undefined || length === undefined) {
    return err(wireError('truncated', `control packet of ${info.length} octets is shorter than its 4-octet header`));
  }
  if (length < CONTROL_HEADER_LENGTH) {
    return err(wireError('bad-length', `control packet Length ${length} is smaller than the header`));
  }
  if (length > info.length) {
    return err(wireError('truncated', `control packet Length ${length} exceeds the ${info.length} octets received`));
  }
  return ok({ code, identifier, data: info.subarray(CONTROL_HEADER_LENGTH, length) });
}

export function encodeControlPacket(packet: ControlPacket): Uint8Array {
  const length = CONTROL_HEADER_LENGTH + packet.data.length;
  return new ByteWriter(length).u8(packet.code).u8(packet.identifier).u16(length).bytesFrom(packet.data).finish();
}

/** Walks a Configuration Option list (RFC 1661 §6). Every option's Length must be >= 2 and fit. */
export function decodeOptions(data: Uint8Array): Result<PppOption[], WireError> {
  const options: PppOption[] = [];
  const r = new ByteReader(data);
  while (r.remaining > 0) {
    const type = r.u8();
    const length = r.u8();
    if (type === undefined || length === undefined) {
      return err(wireError('truncated', `option list ends inside an option header (offset ${r.position})`));
    }
    if (length < 2) {
      return err(wireError('bad-length', `option type ${type} has Length ${length}; the minimum is 2`));
    }
    const body = r.bytesView(length - 2);
    if (body === undefined) {
      return err(wireError('truncated', `option type ${type} has Length ${length} but only ${r.remaining + 2} octets remain`));
    }
    options.push({ type, data: body });
  }
  return ok(options);
}

export function encodeOptions(options: readonly PppOption[]): Uint8Array {
  let total = 0;
  for (const o of options) total += 2 + o.data.length;
  const w = new ByteWriter(total);
  for (const o of options) w.u8(o.type).u8(2 + o.data.length).bytesFrom(o.data);
  return w.finish();
}

/** Option constructors for the common shapes. */
export function optionEmpty(type: number): PppOption {
  return { type, data: new Uint8Array(0) };
}

export function optionU16(type: number, value: number): PppOption {
  return { type, data: new ByteWriter(2).u16(value).finish() };
}

export function optionU32(type: number, value: number): PppOption {
  return { type, data: new ByteWriter(4).u32(value).finish() };
}

/** The value of a 2-octet option body, or undefined when the body has another length. */
export function optionValueU16(o: PppOption): number | undefined {
  return o.data.length === 2 ? new ByteReader(o.data).u16() : undefined;
}

export function optionValueU32(o: PppOption): number | undefined {
  return o.data.length === 4 ? new ByteReader(o.data).u32() : undefined;
}

export function optionsEqual(a: PppOption, b: PppOption): boolean {
  if (a.type !== b.type || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

const CODE_NAMES: Readonly<Record<number, string>> = {
  [CODE_CONFIGURE_REQUEST]: 'Configure-Request',
  [CODE_CONFIGURE_ACK]: 'Configure-Ack',
  [CODE_CONFIGURE_NAK]: 'Configure-Nak',
  [CODE_CONFIGURE_REJECT]: 'Configure-Reject',
  [CODE_TERMINATE_REQUEST]: 'Terminate-Request',
  [CODE_TERMINATE_ACK]: 'Terminate-Ack',
  [CODE_CODE_REJECT]: 'Code-Reject',
  [CODE_PROTOCOL_REJECT]: 'Protocol-Reject',
  [CODE_ECHO_REQUEST]: 'Echo-Request',
  [CODE_ECHO_REPLY]: 'Echo-Reply',
  [CODE_DISCARD_REQUEST]: 'Discard-Request',
  [CODE_IDENTIFICATION]: 'Identification',
  [CODE_TIME_REMAINING]: 'Time-Remaining',
  [CODE_RESET_REQUEST]: 'Reset-Request',
  [CODE_RESET_ACK]: 'Reset-Ack',
};

export function codeName(code: number): string {
  return CODE_NAMES[code] ?? `code ${code}`;
}
