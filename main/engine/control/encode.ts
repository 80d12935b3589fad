/**
 * Encoders for the fifteen PPTP control messages (RFC 2637 §2.1–§2.15): a typed message in,
 * the exact wire bytes out. Each writer is sized to the RFC length up front, Reserved fields
 * are written as zero, numbers are truncated to their field width, and text is NUL-padded ASCII
 * truncated to its fixed width. Encoding cannot fail. This module must not decode or keep state.
 */
import { ByteWriter } from '../wire/bytes';
import {
  CALL_STATISTICS_LENGTH,
  CONTROL_MESSAGE_LENGTH,
  ControlMessageType,
  HOST_NAME_LENGTH,
  PHONE_NUMBER_LENGTH,
  PPTP_MAGIC_COOKIE,
  PPTP_MESSAGE_TYPE_CONTROL,
  SUBADDRESS_LENGTH,
  VENDOR_STRING_LENGTH,
  type ControlMessageKind,
} from './constants';
import type { ControlMessage } from './messages';

/** RFC 2637 §2: Length, PPTP Message Type, Magic Cookie, Control Message Type, Reserved0. */
function header(kind: ControlMessageKind): ByteWriter {
  const length = CONTROL_MESSAGE_LENGTH[kind];
  return new ByteWriter(length)
    .u16(length)
    .u16(PPTP_MESSAGE_TYPE_CONTROL)
    .u32(PPTP_MAGIC_COOKIE)
    .u16(ControlMessageType[kind])
    .u16(0);
}

function textLength(text: string, width: number): number {
  return Math.min(text.length, width);
}

export function encodeControlMessage(m: ControlMessage): Uint8Array {
  const w = header(m.kind);
  switch (m.kind) {
    case 'StartControlConnectionRequest': // §2.1
      w.u16(m.protocolVersion).u16(0).u32(m.framingCapabilities).u32(m.bearerCapabilities);
      w.u16(m.maximumChannels).u16(m.firmwareRevision);
      w.fixedAscii(m.hostName, HOST_NAME_LENGTH).fixedAscii(m.vendorString, VENDOR_STRING_LENGTH);
      break;
    case 'StartControlConnectionReply': // §2.2
      w.u16(m.protocolVersion).u8(m.resultCode).u8(m.errorCode);
      w.u32(m.framingCapabilities).u32(m.bearerCapabilities);
      w.u16(m.maximumChannels).u16(m.firmwareRevision);
      w.fixedAscii(m.hostName, HOST_NAME_LENGTH).fixedAscii(m.vendorString, VENDOR_STRING_LENGTH);
      break;
    case 'StopControlConnectionRequest': // §2.3: Reason, Reserved1 (1), Reserved2 (2)
      w.u8(m.reason).u8(0).u16(0);
      break;
    case 'StopControlConnectionReply': // §2.4: Result, Error, Reserved2 (2)
      w.u8(m.resultCode).u8(m.errorCode).u16(0);
      break;
    case 'EchoRequest': // §2.5
      w.u32(m.identifier);
      break;
    case 'EchoReply': // §2.6: Identifier, Result, Error, Reserved1 (2)
      w.u32(m.identifier).u8(m.resultCode).u8(m.errorCode).u16(0);
      break;
    case 'OutgoingCallRequest': // §2.7
      w.u16(m.callId).u16(m.callSerialNumber).u32(m.minimumBps).u32(m.maximumBps);
      w.u32(m.bearerType).u32(m.framingType).u16(m.receiveWindowSize).u16(m.processingDelay);
      w.u16(textLength(m.phoneNumber, PHONE_NUMBER_LENGTH)).u16(0);
      w.fixedAscii(m.phoneNumber, PHONE_NUMBER_LENGTH).fixedAscii(m.subaddress, SUBADDRESS_LENGTH);
      break;
    case 'OutgoingCallReply': // §2.8
      w.u16(m.callId).u16(m.peerCallId).u8(m.resultCode).u8(m.errorCode).u16(m.causeCode);
      w.u32(m.connectSpeed).u16(m.receiveWindowSize).u16(m.processingDelay).u32(m.physicalChannelId);
      break;
    case 'IncomingCallRequest': // §2.9
      w.u16(m.callId).u16(m.callSerialNumber).u32(m.bearerType).u32(m.physicalChannelId);
      w.u16(textLength(m.dialedNumber, PHONE_NUMBER_LENGTH)).u16(textLength(m.dialingNumber, PHONE_NUMBER_LENGTH));
      w.fixedAscii(m.dialedNumber, PHONE_NUMBER_LENGTH).fixedAscii(m.dialingNumber, PHONE_NUMBER_LENGTH);
      w.fixedAscii(m.subaddress, SUBADDRESS_LENGTH);
      break;
    case 'IncomingCallReply': // §2.10: ..., Reserved1 (2)
      w.u16(m.callId).u16(m.peerCallId).u8(m.resultCode).u8(m.errorCode);
      w.u16(m.receiveWindowSize).u16(m.transmitDelay).u16(0);
      break;
    case 'IncomingCallConnected': // §2.11: Peer's Call ID, Reserved1 (2), ...
      w.u16(m.peerCallId).u16(0).u32(m.connectSpeed).u16(m.receiveWindowSize).u16(m.transmitDelay);
      w.u32(m.framingType);
      break;
    case 'CallClearRequest': // §2.12: Call ID, Reserved1 (2)
      w.u16(m.callId).u16(0);
      break;
    case 'CallDisconnectNotify': // §2.13: ..., Cause Code, Reserved1 (2), Call Statistics
      w.u16(m.callId).u8(m.resultCode).u8(m.errorCode).u16(m.causeCode).u16(0);
      w.fixedAscii(m.callStatistics, CALL_STATISTICS_LENGTH);
      break;
    case 'WanErrorNotify': // §2.14: Peer's Call ID, Reserved1 (2), six counters
      w.u16(m.peerCallId).u16(0).u32(m.crcErrors).u32(m.framingErrors).u32(m.hardwareOverruns);
      w.u32(m.bufferOverruns).u32(m.timeoutErrors).u32(m.alignmentErrors);
      break;
    case 'SetLinkInfo': // §2.15: Peer's Call ID, Reserved1 (2), Send ACCM, Receive ACCM
      w.u16(m.peerCallId).u16(0).u32(m.sendAccm).u32(m.receiveAccm);
      break;
  }
  return w.finish();
}
