/**
 * The typed representation of the fifteen PPTP control messages (RFC 2637 §2.1–§2.15): one
 * interface per message, discriminated by `kind`. Field names follow the RFC. The common
 * header (length, message type, magic cookie) and the Reserved fields are not represented:
 * the encoder writes them (Reserved as zero) and the decoder checks or ignores them.
 * Text fields are ASCII, at most their fixed width; length fields that accompany a text field
 * (Phone Number Length, §2.7; Dialed/Dialing Number Length, §2.9) are derived from the text.
 *
 * Types only: no logic here.
 */
import type { ControlMessageKind } from './constants';

/** RFC 2637 §2.1 */
export interface StartControlConnectionRequest {
  readonly kind: 'StartControlConnectionRequest';
  readonly protocolVersion: number;
  readonly framingCapabilities: number;
  readonly bearerCapabilities: number;
  readonly maximumChannels: number;
  readonly firmwareRevision: number;
  readonly hostName: string;
  readonly vendorString: string;
}

/** RFC 2637 §2.2 */
export interface StartControlConnectionReply {
  readonly kind: 'StartControlConnectionReply';
  readonly protocolVersion: number;
  readonly resultCode: number;
  readonly errorCode: number;
  readonly framingCapabilities: number;
  readonly bearerCapabilities: number;
  readonly maximumChannels: number;
  readonly firmwareRevision: number;
  readonly hostName: string;
  readonly vendorString: string;
}

/** RFC 2637 §2.3 */
export interface StopControlConnectionRequest {
  readonly kind: 'StopControlConnectionRequest';
  readonly reason: number;
}

/** RFC 2637 §2.4 */
export interface StopControlConnectionReply {
  readonly kind: 'StopControlConnectionReply';
  readonly resultCode: number;
  readonly errorCode: number;
}

/** RFC 2637 §2.5 */
export interface EchoRequest {
  readonly kind: 'EchoRequest';
  readonly identifier: number;
}

/** RFC 2637 §2.6 */
export interface EchoReply {
  readonly kind: 'EchoReply';
  readonly identifier: number;
  readonly resultCode: number;
  readonly errorCode: number;
}

/** RFC 2637 §2.7 */
export interface OutgoingCallRequest {
  readonly kind: 'OutgoingCallRequest';
  readonly callId: number;
  readonly callSerialNumber: number;
  readonly minimumBps: number;
  readonly maximumBps: number;
  readonly bearerType: number;
  readonly framingType: number;
  readonly receiveWindowSize: number;
  readonly processingDelay: number;
  readonly phoneNumber: string;
  readonly subaddress: string;
}

/** RFC 2637 §2.8 */
export interface OutgoingCallReply {
  readonly kind: 'OutgoingCallReply';
  readonly callId: number;
  readonly peerCallId: number;
  readonly resultCode: number;
  readonly errorCode: number;
  readonly causeCode: number;
  readonly connectSpeed: number;
  readonly receiveWindowSize: number;
  readonly processingDelay: number;
  readonly physicalChannelId: number;
}

/** RFC 2637 §2.9 */
export interface IncomingCallRequest {
  readonly kind: 'IncomingCallRequest';
  readonly callId: number;
  readonly callSerialNumber: number;
  readonly bearerType: number;
  readonly physicalChannelId: number;
  readonly dialedNumber: string;
  readonly dialingNumber: string;
  readonly subaddress: string;
}

/** RFC 2637 §2.10 */
export interface IncomingCallReply {
  readonly kind: 'IncomingCallReply';
  readonly callId: number;
  readonly peerCallId: number;
  readonly resultCode: number;
  readonly errorCode: number;
  readonly receiveWindowSize: number;
  readonly transmitDelay: number;
}

/** RFC 2637 §2.11 */
export interface IncomingCallConnected {
  readonly kind: 'IncomingCallConnected';
  readonly peerCallId: number;
  readonly connectSpeed: number;
  readonly receiveWindowSize: number;
  readonly transmitDelay: number;
  readonly framingType: number;
}

/** RFC 2637 §2.12 */
export interface CallClearRequest {
  readonly kind: 'CallClearRequest';
  readonly callId: number;
}

/** RFC 2637 §2.13 */
export interface CallDisconnectNotify {
  readonly kind: 'CallDisconnectNotify';
  readonly callId: number;
  readonly resultCode: number;
  readonly errorCode: number;
  readonly causeCode: number;
  readonly callStatistics: string;
}

/** RFC 2637 §2.14 */
export interface WanErrorNotify {
  readonly kind: 'WanErrorNotify';
  readonly peerCallId: number;
  readonly crcErrors: number;
  readonly framingErrors: number;
  readonly hardwareOverruns: number;
  readonly bufferOverruns: number;
  readonly timeoutErrors: number;
  readonly alignmentErrors: number;
}

/** RFC 2637 §2.15 */
export interface SetLinkInfo {
  readonly kind: 'SetLinkInfo';
  readonly peerCallId: number;
  readonly sendAccm: number;
  readonly receiveAccm: number;
}

export type ControlMessage =
  | StartControlConnectionRequest
  | StartControlConnectionReply
  | StopControlConnectionRequest
  | StopControlConnectionReply
  | EchoRequest
  | EchoReply
  | OutgoingCallRequest
  | OutgoingCallReply
  | IncomingCallRequest
  | IncomingCallReply
  | IncomingCallConnected
  | CallClearRequest
  | CallDisconnectNotify
  | WanErrorNotify
  | SetLinkInfo;

/** The message interface for a kind, e.g. `ControlMessageOf<'EchoRequest'>`. */
export type ControlMessageOf<K extends ControlMessageKind> = Extract<ControlMessage, { kind: K }>;
