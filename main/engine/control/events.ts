/**
 * The public types of the client control connection (./connection.ts): its configuration, its
 * states, what it reports (the ControlEvent union), what it learned about the peer and the
 * call, and its counters. Types and defaults only: no behaviour here.
 */
import type { Failure } from '../failure';
import type { RandomSource } from '../random';
import type { WireError } from '../wire/wire-error';
import type { ControlMessageKind } from './constants';

export interface ControlConnectionConfig {
  /** Call ID, call serial number and echo identifiers come from here. */
  readonly random: RandomSource;
  /** SCCRQ Host Name (RFC 2637 §2.1). Default 'local' (what pptp-linux sends: no machine name leaks). */
  readonly hostName?: string;
  /** SCCRQ Vendor String (RFC 2637 §2.1). Default 'PPTP Manager'. */
  readonly vendor?: string;
  /** SCCRQ Firmware Revision (RFC 2637 §2.1). Default 1. */
  readonly firmwareRevision?: number;
  /** Send our Echo-Request after this long without receiving anything. RFC 2637 §3.1.4: 60 s. */
  readonly echoIdleMs?: number;
  /** Fail with 'keepalive-timeout' when nothing arrives this long after our Echo-Request. RFC 2637 §3.1.4: 60 s. */
  readonly echoReplyTimeoutMs?: number;
  /**
   * How long to wait for Start-Control-Connection-Reply and Outgoing-Call-Reply. Default 30 s
   * (MS-PTPT §3.1.2 uses 30 s for a connection to become established; pptpd answers in
   * milliseconds, so a silent server is not going to answer).
   */
  readonly replyTimeoutMs?: number;
  /**
   * How long teardown waits for Call-Disconnect-Notify and Stop-Control-Connection-Reply before
   * giving up and closing anyway. Default 5 s: a disconnect must not hang the UI.
   */
  readonly teardownTimeoutMs?: number;
  /** Our GRE Packet Recv. Window Size advertised in OCRQ (RFC 2637 §2.7). Default 64. */
  readonly receiveWindow?: number;
  /** Our Packet Processing Delay in OCRQ, units of 1/10 s (RFC 2637 §2.7). Default 0. */
  readonly processingDelay?: number;
  /** OCRQ Phone Number (RFC 2637 §2.7). Default '' (a VPN dials nothing). */
  readonly phoneNumber?: string;
  /** OCRQ Subaddress (RFC 2637 §2.7). Default ''. */
  readonly subaddress?: string;
}

export const CONTROL_DEFAULTS = {
  hostName: 'local',
  vendor: 'PPTP Manager',
  firmwareRevision: 1,
  echoIdleMs: 60_000, // RFC 2637 §3.1.4
  echoReplyTimeoutMs: 60_000, // RFC 2637 §3.1.4
  replyTimeoutMs: 30_000,
  teardownTimeoutMs: 5_000,
  receiveWindow: 64,
  processingDelay: 0,
  /** OCRQ Minimum/Maximum BPS (RFC 2637 §2.7): the range pptp-linux asks for. */
  minimumBps: 2400,
  maximumBps: 10_000_000,
} as const;

/**
 * idle          constructed, start() not called yet
 * wait-sccrp    SCCRQ sent, waiting for Start-Control-Connection-Reply
 * wait-ocrp     control connection up, OCRQ sent, waiting for Outgoing-Call-Reply
 * established   the call is up (GRE may flow)
 * wait-cdn      we sent Call-Clear-Request, waiting for Call-Disconnect-Notify (or TCP close)
 * wait-stopccrp we sent Stop-Control-Connection-Request, waiting for its reply (or TCP close)
 * closed        done; drain pollTransmit() and close the socket
 */
export type ControlState = 'idle' | 'wait-sccrp' | 'wait-ocrp' | 'established' | 'wait-cdn' | 'wait-stopccrp' | 'closed';

/** What the server said about itself in its Start-Control-Connection-Reply (RFC 2637 §2.2). */
export interface PeerInfo {
  readonly protocolVersion: number;
  readonly framingCapabilities: number;
  readonly bearerCapabilities: number;
  readonly maximumChannels: number;
  readonly firmwareRevision: number;
  readonly hostName: string;
  readonly vendor: string;
}

/** The call as the GRE layer needs it (RFC 2637 §2.7, §2.8). */
export interface CallInfo {
  /** Our Call ID: the server puts it in the GRE key field of packets to us. */
  readonly callId: number;
  /** The server's Call ID: we put it in the GRE key field of packets we send. */
  readonly peerCallId: number;
  readonly callSerialNumber: number;
  /** Our receive window, as advertised in OCRQ. */
  readonly receiveWindow: number;
  /** The server's Packet Recv. Window Size from OCRP: how many unacknowledged packets we may send. */
  readonly peerReceiveWindow: number;
  /** The server's Packet Processing Delay from OCRP (1/10 s units). */
  readonly peerProcessingDelay: number;
  readonly connectSpeed: number;
  readonly physicalChannelId: number;
}

/** RFC 2637 §2.14 counters, as the server last reported them. */
export interface WanErrorCounters {
  readonly crcErrors: number;
  readonly framingErrors: number;
  readonly hardwareOverruns: number;
  readonly bufferOverruns: number;
  readonly timeoutErrors: number;
  readonly alignmentErrors: number;
}

/** Why an input was ignored (see the rule table in ./connection.ts). */
export type IgnoredCause = 'malformed' | 'unexpected' | 'wrong-call-id' | 'unknown-echo-id';

export type ControlEvent =
  /** SCCRP accepted; OCRQ has been queued. */
  | { readonly type: 'control-connected'; readonly peer: PeerInfo }
  /** OCRP accepted: the call is up. */
  | { readonly type: 'call-connected'; readonly call: CallInfo }
  /** Set-Link-Info (RFC 2637 §2.15): ACCMs for the PPP layer. */
  | { readonly type: 'set-link-info'; readonly sendAccm: number; readonly receiveAccm: number }
  /** WAN-Error-Notify (RFC 2637 §2.14); `count` is how many we have received so far. */
  | { readonly type: 'wan-error'; readonly errors: WanErrorCounters; readonly count: number }
  /** Our Echo-Request was answered. */
  | { readonly type: 'echo-rtt'; readonly rttMs: number }
  /** The server cleared the call (Call-Disconnect-Notify, or its Call-Clear-Request); teardown follows. */
  | {
      readonly type: 'call-disconnected';
      readonly resultCode: number;
      readonly errorCode: number;
      readonly causeCode: number;
      readonly words: string;
      readonly callStatistics: string;
    }
  /** An input was ignored and counted (diagnostics only). */
  | {
      readonly type: 'ignored';
      readonly cause: IgnoredCause;
      readonly message: string;
      readonly kind?: ControlMessageKind;
      readonly error?: WireError;
    }
  /** The control connection is over. No failure means a clean local close (hangUp/close). */
  | { readonly type: 'closed'; readonly failure?: Failure };

export interface ControlCounters {
  messagesSent: number;
  messagesReceived: number;
  /** Undecodable input (framer or decoder errors). */
  malformed: number;
  /** Well-formed messages that make no sense in the current state. */
  unexpected: number;
  /** Call messages naming a call that is not ours. */
  wrongCallId: number;
  echoRequestsAnswered: number;
  echoRequestsSent: number;
  echoRepliesReceived: number;
  wanErrorNotifies: number;
  setLinkInfos: number;
}
