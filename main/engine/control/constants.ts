/**
 * PPTP control-connection constants (RFC 2637 §2): the header, the fifteen control message
 * types with their exact lengths, capability bits, bearer/framing types and the numeric result
 * and error codes. Numbers only; words for the codes live in ./codes.ts, layouts in ./encode.ts
 * and ./decode.ts. This module must not contain logic.
 */

/** RFC 2637 §1.3.1 / §3.1: the PNS opens TCP to this port on the PAC. */
export const PPTP_TCP_PORT = 1723;

/** RFC 2637 §2: every control message starts with this cookie at offset 4. */
export const PPTP_MAGIC_COOKIE = 0x1a2b3c4d;

/** RFC 2637 §2: PPTP Message Type 1 = control message (2 = management, not defined further). */
export const PPTP_MESSAGE_TYPE_CONTROL = 1;
export const PPTP_MESSAGE_TYPE_MANAGEMENT = 2;

/** RFC 2637 §2.1: protocol version 1, revision 0, encoded 0x0100. */
export const PPTP_PROTOCOL_VERSION = 0x0100;

/**
 * RFC 2637 §2: the header common to all control messages — Length (2), PPTP Message Type (2),
 * Magic Cookie (4), Control Message Type (2), Reserved0 (2).
 */
export const CONTROL_HEADER_LENGTH = 12;

/** Offsets inside the common header (RFC 2637 §2). */
export const HEADER_OFFSET_LENGTH = 0;
export const HEADER_OFFSET_MESSAGE_TYPE = 2;
export const HEADER_OFFSET_MAGIC = 4;
export const HEADER_OFFSET_CONTROL_TYPE = 8;

/** RFC 2637 §2: the fifteen control message types. */
export const ControlMessageType = {
  StartControlConnectionRequest: 1, // §2.1
  StartControlConnectionReply: 2, // §2.2
  StopControlConnectionRequest: 3, // §2.3
  StopControlConnectionReply: 4, // §2.4
  EchoRequest: 5, // §2.5
  EchoReply: 6, // §2.6
  OutgoingCallRequest: 7, // §2.7
  OutgoingCallReply: 8, // §2.8
  IncomingCallRequest: 9, // §2.9
  IncomingCallReply: 10, // §2.10
  IncomingCallConnected: 11, // §2.11
  CallClearRequest: 12, // §2.12
  CallDisconnectNotify: 13, // §2.13
  WanErrorNotify: 14, // §2.14
  SetLinkInfo: 15, // §2.15
} as const;

export type ControlMessageKind = keyof typeof ControlMessageType;
export type ControlMessageTypeNumber = (typeof ControlMessageType)[ControlMessageKind];

/** The exact total length (header included) of each control message (RFC 2637 §2.1–§2.15). */
export const CONTROL_MESSAGE_LENGTH: Readonly<Record<ControlMessageKind, number>> = {
  StartControlConnectionRequest: 156, // §2.1
  StartControlConnectionReply: 156, // §2.2
  StopControlConnectionRequest: 16, // §2.3
  StopControlConnectionReply: 16, // §2.4
  EchoRequest: 16, // §2.5
  EchoReply: 20, // §2.6
  OutgoingCallRequest: 168, // §2.7
  OutgoingCallReply: 32, // §2.8
  IncomingCallRequest: 220, // §2.9
  IncomingCallReply: 24, // §2.10
  IncomingCallConnected: 28, // §2.11
  CallClearRequest: 16, // §2.12
  CallDisconnectNotify: 148, // §2.13
  WanErrorNotify: 40, // §2.14
  SetLinkInfo: 24, // §2.15
};

/** The longest message RFC 2637 defines (Incoming-Call-Request, §2.9). */
export const MAX_KNOWN_CONTROL_MESSAGE_LENGTH = 220;

const KIND_BY_NUMBER = new Map<number, ControlMessageKind>(
  (Object.keys(ControlMessageType) as ControlMessageKind[]).map((k) => [ControlMessageType[k], k]),
);

/** The message kind for a Control Message Type number, or undefined when RFC 2637 defines none. */
export function controlMessageKind(type: number): ControlMessageKind | undefined {
  return KIND_BY_NUMBER.get(type);
}

/** Fixed-width text fields (RFC 2637 §2.1, §2.7, §2.9, §2.13). */
export const HOST_NAME_LENGTH = 64; // §2.1 Host Name
export const VENDOR_STRING_LENGTH = 64; // §2.1 Vendor String
export const PHONE_NUMBER_LENGTH = 64; // §2.7 Phone Number, §2.9 Dialed/Dialing Number
export const SUBADDRESS_LENGTH = 64; // §2.7, §2.9 Subaddress
export const CALL_STATISTICS_LENGTH = 128; // §2.13 Call Statistics

/** RFC 2637 §2.1: Framing Capabilities bits. */
export const FramingCapability = {
  Asynchronous: 0x1,
  Synchronous: 0x2,
} as const;

/** RFC 2637 §2.1: Bearer Capabilities bits. */
export const BearerCapability = {
  Analog: 0x1,
  Digital: 0x2,
} as const;

/** RFC 2637 §2.7: Bearer Type of a call. */
export const BearerType = {
  Analog: 1,
  Digital: 2,
  Either: 3,
} as const;

/** RFC 2637 §2.7 / §2.11: Framing Type of a call. */
export const FramingType = {
  Asynchronous: 1,
  Synchronous: 2,
  Either: 3,
} as const;

/** RFC 2637 §2.2: Start-Control-Connection-Reply Result Code. */
export const StartControlResult = {
  Success: 1,
  GeneralError: 2,
  ChannelExists: 3,
  NotAuthorized: 4,
  BadProtocolVersion: 5,
} as const;

/** RFC 2637 §2.3: Stop-Control-Connection-Request Reason. */
export const StopControlReason = {
  None: 1,
  StopProtocol: 2,
  StopLocalShutdown: 3,
} as const;

/** RFC 2637 §2.4: Stop-Control-Connection-Reply Result Code. */
export const StopControlResult = {
  Ok: 1,
  GeneralError: 2,
} as const;

/** RFC 2637 §2.6: Echo-Reply Result Code. */
export const EchoResult = {
  Ok: 1,
  GeneralError: 2,
} as const;

/** RFC 2637 §2.8: Outgoing-Call-Reply Result Code. */
export const OutgoingCallResult = {
  Connected: 1,
  GeneralError: 2,
  NoCarrier: 3,
  Busy: 4,
  NoDialTone: 5,
  TimeOut: 6,
  DoNotAccept: 7,
} as const;

/** RFC 2637 §2.10: Incoming-Call-Reply Result Code. */
export const IncomingCallResult = {
  Connect: 1,
  GeneralError: 2,
  DoNotAccept: 3,
} as const;

/** RFC 2637 §2.13: Call-Disconnect-Notify Result Code. */
export const CallDisconnectResult = {
  LostCarrier: 1,
  GeneralError: 2,
  AdminShutdown: 3,
  Request: 4,
} as const;

/** RFC 2637 §2.16: General Error Codes (carried with a "General Error" result code). */
export const GeneralError = {
  None: 0,
  NotConnected: 1,
  BadFormat: 2,
  BadValue: 3,
  NoResource: 4,
  BadCallId: 5,
  PacError: 6,
} as const;
