/**
 * How each way a PPTP control connection can end reads as a Failure: the stable reason and the
 * sentence the user sees, with result and error codes in words (./codes.ts). Pure functions.
 *
 * Owns: the failure wording of the control connection. Must not: decide when a connection fails
 * (the state machine in ./connection.ts and its parts do).
 */
import type { FailureReason } from '../../../preload/vocabulary';
import type { Failure } from '../failure';
import type { WireError } from '../wire/wire-error';
import { describeResult, stopReasonWords } from './codes';
import type { ControlState } from './events';
import type {
  CallDisconnectNotify,
  OutgoingCallReply,
  StartControlConnectionReply,
  StopControlConnectionRequest,
} from './messages';

type Detail = Readonly<Record<string, string | number | boolean>>;

function failure(reason: FailureReason, message: string, detail?: Detail): Failure {
  return detail ? { reason, message, detail } : { reason, message };
}

/** SCCRP with a result other than 1 (RFC 2637 §2.2). */
export function controlRefused(m: StartControlConnectionReply): Failure {
  const words = describeResult('StartControlConnectionReply', m.resultCode, m.errorCode);
  return failure('control-refused', `The server refused the PPTP control connection: ${words}.`, {
    message: 'StartControlConnectionReply',
    resultCode: m.resultCode,
    errorCode: m.errorCode,
  });
}

/** SCCRP accepting, but with a protocol version that is not 1.x (RFC 2637 §2.2). */
export function unsupportedVersion(protocolVersion: number): Failure {
  return failure('protocol-error', `The server answered with PPTP protocol version 0x${protocolVersion.toString(16)}, not 1.x.`, {
    protocolVersion,
  });
}

/** OCRP with a result other than 1, Connected (RFC 2637 §2.8). */
export function callRefused(m: OutgoingCallReply): Failure {
  const words = describeResult('OutgoingCallReply', m.resultCode, m.errorCode);
  return failure('control-refused', `The server refused the call: ${words}.`, {
    message: 'OutgoingCallReply',
    resultCode: m.resultCode,
    errorCode: m.errorCode,
    causeCode: m.causeCode,
  });
}

/** Call-Disconnect-Notify from the server (RFC 2637 §2.13); `words` is its result in words. */
export function callDisconnected(m: CallDisconnectNotify, words: string): Failure {
  return failure('peer-disconnected', `The server disconnected the call: ${words}.`, {
    message: 'CallDisconnectNotify',
    resultCode: m.resultCode,
    errorCode: m.errorCode,
    causeCode: m.causeCode,
  });
}

/** What we tell the user (and put in our CDN event) when the server sends Call-Clear-Request. */
export const SERVER_CALL_CLEAR_WORDS = 'the server asked to clear the call';

/** Call-Clear-Request from the server (RFC 2637 §2.12: normally the PNS sends it). */
export function callClearedByServer(): Failure {
  return failure('peer-disconnected', `The server disconnected the call: ${SERVER_CALL_CLEAR_WORDS}.`, {
    message: 'CallClearRequest',
  });
}

/** Stop-Control-Connection-Request from the server (RFC 2637 §2.3). */
export function controlStoppedByServer(m: StopControlConnectionRequest): Failure {
  return failure('peer-disconnected', `The server closed the PPTP control connection: ${stopReasonWords(m.reason)}.`, {
    message: 'StopControlConnectionRequest',
    reason: m.reason,
  });
}

/** No SCCRP or OCRP within the reply timeout. */
export function replyTimedOut(waitingFor: 'StartControlConnectionReply' | 'OutgoingCallReply', timeoutMs: number): Failure {
  const request = waitingFor === 'StartControlConnectionReply' ? 'Start-Control-Connection-Request' : 'Outgoing-Call-Request';
  return failure('protocol-error', `The server did not answer the ${request} within ${timeoutMs / 1000} s.`, {
    waitingFor,
    timeoutMs,
  });
}

/** Nothing received within the echo reply timeout after our Echo-Request (RFC 2637 §3.1.4). */
export function echoTimedOut(state: ControlState, timeoutMs: number): Failure {
  return failure('keepalive-timeout', `The server did not answer a PPTP Echo-Request within ${timeoutMs / 1000} s.`, {
    state,
    timeoutMs,
  });
}

/** A broken byte stream: nothing after it can be trusted. */
export function malformedStream(state: ControlState, error: WireError): Failure {
  return failure('protocol-error', `The server sent malformed PPTP control data (${error.message}).`, {
    state,
    wireError: error.code,
  });
}

/**
 * How TCP ended under the control connection, as the socket saw it. Only an orderly FIN is the
 * server closing; a RST may come from a firewall or NAT box on the way as well, and any other
 * socket error (ETIMEDOUT, EPIPE, EHOSTUNREACH) is this side giving up, not the server leaving.
 */
export type TransportClose = { readonly kind: 'fin' } | { readonly kind: 'reset' } | { readonly kind: 'error'; readonly code: string };

/** The TransportClose for a socket that closed after `error` (none: an orderly close by the peer). */
export function transportCloseOf(error: { readonly code?: string } | undefined): TransportClose {
  if (!error) return { kind: 'fin' };
  if (error.code === 'ECONNRESET') return { kind: 'reset' };
  return { kind: 'error', code: error.code ?? 'unknown' };
}

/** TCP closed under an open control connection. The reason stays peer-disconnected; the words say who ended it. */
export function transportClosed(state: ControlState, close: TransportClose = { kind: 'fin' }): Failure {
  switch (close.kind) {
    case 'fin':
      return failure('peer-disconnected', 'The server closed the PPTP control connection (TCP).', { state, tcp: 'fin' });
    case 'reset':
      return failure('peer-disconnected', "The connection to the server was reset (a firewall or the server's side dropped it).", { state, tcp: 'reset' });
    case 'error':
      return failure('peer-disconnected', `The PPTP control connection (TCP) was lost on this side (${close.code}).`, { state, tcp: 'error', code: close.code });
  }
}
