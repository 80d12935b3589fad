/**
 * The EAP packet codec (RFC 3748 §4, §5) and the EAP-MS-CHAPv2 inner packet
 * (draft-kamath-pppext-eap-mschapv2, as Windows and pppd speak it). Step two of parsing
 * after parseAuthHeader: typed Request / Response / Success / Failure, and the typed inner
 * MS-CHAPv2 packet. Owns no state and no algorithm.
 */
import { ByteReader, ByteWriter } from '../../wire/bytes';
import { err, ok, type Result } from '../../wire/result';
import { wireError, type WireError } from '../../wire/wire-error';
import { encodeAuthPacket, parseAuthHeader } from './auth-packet';

/** RFC 3748 §4: EAP codes. */
export const EAP_REQUEST = 1;
export const EAP_RESPONSE = 2;
export const EAP_SUCCESS = 3;
export const EAP_FAILURE = 4;

/** RFC 3748 §5 and IANA: EAP method types. */
export const EAP_TYPE_IDENTITY = 1; // RFC 3748 §5.1
export const EAP_TYPE_NOTIFICATION = 2; // RFC 3748 §5.2
export const EAP_TYPE_NAK = 3; // RFC 3748 §5.3.1 (Legacy Nak, Responses only)
export const EAP_TYPE_MD5_CHALLENGE = 4; // RFC 3748 §5.4
export const EAP_TYPE_MSCHAPV2 = 26; // IANA; draft-kamath-pppext-eap-mschapv2
export const EAP_TYPE_EXPANDED = 254; // RFC 3748 §5.7

/** Names of the EAP method types a server may ask for (IANA "Method Types"), for messages. */
const EAP_TYPE_NAMES: Readonly<Record<number, string>> = {
  [EAP_TYPE_MD5_CHALLENGE]: 'EAP-MD5',
  5: 'EAP-OTP',
  6: 'EAP-GTC',
  13: 'EAP-TLS', // RFC 5216
  17: 'LEAP',
  18: 'EAP-SIM', // RFC 4186
  21: 'EAP-TTLS', // RFC 5281
  23: 'EAP-AKA', // RFC 4187
  25: 'PEAP',
  [EAP_TYPE_MSCHAPV2]: 'EAP-MS-CHAPv2',
  43: 'EAP-FAST', // RFC 4851
  [EAP_TYPE_EXPANDED]: 'an expanded EAP type',
};

/** "PEAP (EAP type 25)", or "EAP type 99" for a type without a name here. */
export function describeEapType(type: number): string {
  const name = EAP_TYPE_NAMES[type];
  return name ? `${name} (EAP type ${type})` : `EAP type ${type}`;
}

export type EapPacket =
  | {
      readonly code: 'request' | 'response';
      readonly identifier: number;
      readonly type: number;
      readonly typeData: Uint8Array;
    }
  | { readonly code: 'success' | 'failure'; readonly identifier: number };

export function parseEapPacket(packet: Uint8Array): Result<EapPacket, WireError> {
  const view = parseAuthHeader(packet);
  if (!view.ok) return view;
  const { code, identifier, data } = view.value;
  switch (code) {
    case EAP_REQUEST:
    case EAP_RESPONSE:
      // RFC 3748 §4.1: a Request/Response carries at least the Type octet.
      if (data.length < 1) return err(wireError('truncated', 'EAP Request/Response without a Type'));
      return ok({ code: code === EAP_REQUEST ? 'request' : 'response', identifier, type: data[0]!, typeData: data.subarray(1) });
    case EAP_SUCCESS:
    case EAP_FAILURE:
      // RFC 3748 §4.2: Length 4; any data is not looked at.
      return ok({ code: code === EAP_SUCCESS ? 'success' : 'failure', identifier });
    default:
      return err(wireError('unknown-type', `unknown EAP code ${code}`));
  }
}

export function encodeEapMessage(code: 'request' | 'response', identifier: number, type: number, typeData: Uint8Array): Uint8Array {
  const data = new ByteWriter(1 + typeData.length).u8(type).bytesFrom(typeData).finish();
  return encodeAuthPacket(code === 'request' ? EAP_REQUEST : EAP_RESPONSE, identifier, data);
}

export function encodeEapStatus(code: 'success' | 'failure', identifier: number): Uint8Array {
  return encodeAuthPacket(code === 'success' ? EAP_SUCCESS : EAP_FAILURE, identifier, new Uint8Array(0));
}

/** RFC 3748 §5.4 (MD5-Challenge) and the CHAP layout it borrows: Value-Size, Value, Name. */
export interface EapValueName {
  readonly value: Uint8Array;
  readonly name: Uint8Array;
}

export function parseValueName(typeData: Uint8Array): Result<EapValueName, WireError> {
  const r = new ByteReader(typeData);
  const size = r.u8();
  if (size === undefined) return err(wireError('truncated', 'no Value-Size'));
  if (size === 0) return err(wireError('bad-field', 'Value-Size is 0'));
  const value = r.bytesView(size);
  if (value === undefined) return err(wireError('truncated', `Value-Size ${size} exceeds the packet`));
  return ok({ value, name: typeData.subarray(1 + size) });
}

export function encodeValueName(value: Uint8Array, name: Uint8Array): Uint8Array {
  return new ByteWriter(1 + value.length + name.length).u8(value.length).bytesFrom(value).bytesFrom(name).finish();
}

/** draft-kamath-pppext-eap-mschapv2: OpCodes of the inner MS-CHAPv2 packet. */
export const EAP_MSCHAPV2_CHALLENGE = 1;
export const EAP_MSCHAPV2_RESPONSE = 2;
export const EAP_MSCHAPV2_SUCCESS = 3;
export const EAP_MSCHAPV2_FAILURE = 4;
export const EAP_MSCHAPV2_CHANGE_PASSWORD = 7;

/** OpCode (1) | MS-CHAPv2-ID (1) | MS-Length (2): the header of every packet but the peer's Success/Failure acks. */
export const EAP_MSCHAPV2_HEADER_LENGTH = 4;

export interface EapMschapv2View {
  readonly opCode: number;
  readonly msId: number;
  /** The octets after MS-Length (the CHAP-style body). */
  readonly body: Uint8Array;
}

/**
 * Parses the inner header. The EAP Length already bounds the packet; MS-Length should equal
 * EAP Length - 5, but it adds no safety beyond that, so a mismatch is tolerated (an
 * interoperability choice) and the EAP Length is what bounds the body.
 */
export function parseEapMschapv2(typeData: Uint8Array): Result<EapMschapv2View, WireError> {
  if (typeData.length < EAP_MSCHAPV2_HEADER_LENGTH) {
    return err(wireError('truncated', `EAP-MS-CHAPv2 packet of ${typeData.length} octets is shorter than its header`));
  }
  return ok({ opCode: typeData[0]!, msId: typeData[1]!, body: typeData.subarray(EAP_MSCHAPV2_HEADER_LENGTH) });
}

/** An inner packet with the full header (MS-Length = its own length, i.e. EAP Length - 5). */
export function encodeEapMschapv2(opCode: number, msId: number, body: Uint8Array): Uint8Array {
  const length = EAP_MSCHAPV2_HEADER_LENGTH + body.length;
  return new ByteWriter(length).u8(opCode).u8(msId).u16(length).bytesFrom(body).finish();
}
