/**
 * Decoders for the fifteen PPTP control messages (RFC 2637 §2.1–§2.15): the second parsing
 * step. `decodeControlMessage` takes exactly one message (as the framer cuts it), runs the
 * checked header view (./header.ts: cookie, message type, control type, exact length for the
 * type), then reads the body at the RFC offsets into the typed message.
 *
 * Rules (decisions where RFC 2637 leaves room):
 *  - Reserved fields are ignored on input (senders MUST write zero; we accept anything).
 *  - Result/error/reason codes are passed through as numbers, known or not; ./codes.ts says
 *    them in words and the state machine decides what a code means for it.
 *  - Text fields are read up to their first NUL; non-printable octets become '?'. A length
 *    field that accompanies text (§2.7 Phone Number Length, §2.9 Dialed/Dialing Number Length)
 *    larger than its 64-octet field is a 'bad-field' error.
 *  - Bytes beyond the Length field are a 'bad-length' error (one message per call).
 * Nothing here throws, loops on input, or allocates more than the message.
 */
import { ByteReader, readFixedAscii } from '../wire/bytes';
import { err, ok, type Result } from '../wire/result';
import { wireError, type WireError } from '../wire/wire-error';
import {
  CALL_STATISTICS_LENGTH,
  CONTROL_HEADER_LENGTH,
  HOST_NAME_LENGTH,
  PHONE_NUMBER_LENGTH,
  SUBADDRESS_LENGTH,
  VENDOR_STRING_LENGTH,
} from './constants';
import { parseControlHeader } from './header';
import type { ControlMessage } from './messages';

/**
 * A field reader over a body whose length is already checked. Reads past the end cannot happen
 * after the exact-length check, but if they did they yield 0/'' and set `overrun`, which the
 * decoder turns into a 'truncated' error instead of throwing.
 */
class FieldReader {
  overrun = false;
  private readonly r: ByteReader;

  constructor(bytes: Uint8Array, start: number, end: number) {
    this.r = new ByteReader(bytes, start, end);
  }

  u8(): number {
    const v = this.r.u8();
    if (v === undefined) this.overrun = true;
    return v ?? 0;
  }

  u16(): number {
    const v = this.r.u16();
    if (v === undefined) this.overrun = true;
    return v ?? 0;
  }

  u32(): number {
    const v = this.r.u32();
    if (v === undefined) this.overrun = true;
    return v ?? 0;
  }

  skip(n: number): void {
    if (!this.r.skip(n)) this.overrun = true;
  }

  text(width: number): string {
    const v = this.r.bytesView(width);
    if (v === undefined) {
      this.overrun = true;
      return '';
    }
    return readFixedAscii(v);
  }
}

function checkTextLength(field: string, value: number): WireError | undefined {
  if (value > PHONE_NUMBER_LENGTH) {
    return wireError('bad-field', `${field} ${value} exceeds its ${PHONE_NUMBER_LENGTH}-octet field`);
  }
  return undefined;
}

/** Decodes exactly one control message. */
export function decodeControlMessage(bytes: Uint8Array): Result<ControlMessage, WireError> {
  const h = parseControlHeader(bytes);
  if (!h.ok) return h;
  const { length, kind } = h.value;
  if (bytes.length < length) {
    return err(wireError('truncated', `${kind} needs ${length} octets, have ${bytes.length}`));
  }
  if (bytes.length > length) {
    return err(wireError('bad-length', `${bytes.length - length} octets follow the ${length}-octet ${kind}`));
  }
  const f = new FieldReader(bytes, CONTROL_HEADER_LENGTH, length);
  let m: ControlMessage;
  switch (kind) {
    case 'StartControlConnectionRequest': {
      // §2.1
      const protocolVersion = f.u16();
      f.skip(2); // Reserved1
      m = {
        kind,
        protocolVersion,
        framingCapabilities: f.u32(),
        bearerCapabilities: f.u32(),
        maximumChannels: f.u16(),
        firmwareRevision: f.u16(),
        hostName: f.text(HOST_NAME_LENGTH),
        vendorString: f.text(VENDOR_STRING_LENGTH),
      };
      break;
    }
    case 'StartControlConnectionReply':
      // §2.2
      m = {
        kind,
        protocolVersion: f.u16(),
        resultCode: f.u8(),
        errorCode: f.u8(),
        framingCapabilities: f.u32(),
        bearerCapabilities: f.u32(),
        maximumChannels: f.u16(),
        firmwareRevision: f.u16(),
        hostName: f.text(HOST_NAME_LENGTH),
        vendorString: f.text(VENDOR_STRING_LENGTH),
      };
      break;
    case 'StopControlConnectionRequest':
      // §2.3: Reason, Reserved1, Reserved2
      m = { kind, reason: f.u8() };
      break;
    case 'StopControlConnectionReply':
      // §2.4: Result Code, Error Code, Reserved2
      m = { kind, resultCode: f.u8(), errorCode: f.u8() };
      break;
    case 'EchoRequest':
      // §2.5
      m = { kind, identifier: f.u32() };
      break;
    case 'EchoReply':
      // §2.6: Identifier, Result Code, Error Code, Reserved1
      m = { kind, identifier: f.u32(), resultCode: f.u8(), errorCode: f.u8() };
      break;
    case 'OutgoingCallRequest': {
      // §2.7
      const callId = f.u16();
      const callSerialNumber = f.u16();
      const minimumBps = f.u32();
      const maximumBps = f.u32();
      const bearerType = f.u32();
      const framingType = f.u32();
      const receiveWindowSize = f.u16();
      const processingDelay = f.u16();
      const phoneLength = f.u16();
      f.skip(2); // Reserved1
      const bad = checkTextLength('Phone Number Length', phoneLength);
      if (bad) return err(bad);
      m = {
        kind,
        callId,
        callSerialNumber,
        minimumBps,
        maximumBps,
        bearerType,
        framingType,
        receiveWindowSize,
        processingDelay,
        phoneNumber: f.text(PHONE_NUMBER_LENGTH),
        subaddress: f.text(SUBADDRESS_LENGTH),
      };
      break;
    }
    case 'OutgoingCallReply':
      // §2.8
      m = {
        kind,
        callId: f.u16(),
        peerCallId: f.u16(),
        resultCode: f.u8(),
        errorCode: f.u8(),
        causeCode: f.u16(),
        connectSpeed: f.u32(),
        receiveWindowSize: f.u16(),
        processingDelay: f.u16(),
        physicalChannelId: f.u32(),
      };
      break;
    case 'IncomingCallRequest': {
      // §2.9
      const callId = f.u16();
      const callSerialNumber = f.u16();
      const bearerType = f.u32();
      const physicalChannelId = f.u32();
      const dialedLength = f.u16();
      const dialingLength = f.u16();
      const bad =
        checkTextLength('Dialed Number Length', dialedLength) ?? checkTextLength('Dialing Number Length', dialingLength);
      if (bad) return err(bad);
      m = {
        kind,
        callId,
        callSerialNumber,
        bearerType,
        physicalChannelId,
        dialedNumber: f.text(PHONE_NUMBER_LENGTH),
        dialingNumber: f.text(PHONE_NUMBER_LENGTH),
        subaddress: f.text(SUBADDRESS_LENGTH),
      };
      break;
    }
    case 'IncomingCallReply':
      // §2.10: ..., Reserved1
      m = {
        kind,
        callId: f.u16(),
        peerCallId: f.u16(),
        resultCode: f.u8(),
        errorCode: f.u8(),
        receiveWindowSize: f.u16(),
        transmitDelay: f.u16(),
      };
      break;
    case 'IncomingCallConnected': {
      // §2.11: Peer's Call ID, Reserved1, ...
      const peerCallId = f.u16();
      f.skip(2);
      m = {
        kind,
        peerCallId,
        connectSpeed: f.u32(),
        receiveWindowSize: f.u16(),
        transmitDelay: f.u16(),
        framingType: f.u32(),
      };
      break;
    }
    case 'CallClearRequest':
      // §2.12: Call ID, Reserved1
      m = { kind, callId: f.u16() };
      break;
    case 'CallDisconnectNotify': {
      // §2.13: Call ID, Result, Error, Cause, Reserved1, Call Statistics
      const callId = f.u16();
      const resultCode = f.u8();
      const errorCode = f.u8();
      const causeCode = f.u16();
      f.skip(2);
      m = { kind, callId, resultCode, errorCode, causeCode, callStatistics: f.text(CALL_STATISTICS_LENGTH) };
      break;
    }
    case 'WanErrorNotify': {
      // §2.14: Peer's Call ID, Reserved1, six counters
      const peerCallId = f.u16();
      f.skip(2);
      m = {
        kind,
        peerCallId,
        crcErrors: f.u32(),
        framingErrors: f.u32(),
        hardwareOverruns: f.u32(),
        bufferOverruns: f.u32(),
        timeoutErrors: f.u32(),
        alignmentErrors: f.u32(),
      };
      break;
    }
    case 'SetLinkInfo': {
      // §2.15: Peer's Call ID, Reserved1, Send ACCM, Receive ACCM
      const peerCallId = f.u16();
      f.skip(2);
      m = { kind, peerCallId, sendAccm: f.u32(), receiveAccm: f.u32() };
      break;
    }
  }
  if (f.overrun) return err(wireError('truncated', `${kind} body ended early`));
  return ok(m);
}
