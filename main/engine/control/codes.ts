/**
 * PPTP result, reason and general error codes in words (RFC 2637 §2.2–§2.16), for failure
 * messages, logs and the connection doctor. Pure lookups: unknown numbers are named as such,
 * never an error. This module must not decide what a code means for the state machine.
 */
import type { ControlMessageKind } from './constants';

/** The messages that carry a Result Code. */
export type ResultBearingKind =
  | 'StartControlConnectionReply'
  | 'StopControlConnectionReply'
  | 'EchoReply'
  | 'OutgoingCallReply'
  | 'IncomingCallReply'
  | 'CallDisconnectNotify';

const RESULT_WORDS: Readonly<Record<ResultBearingKind, Readonly<Record<number, string>>>> = {
  // RFC 2637 §2.2
  StartControlConnectionReply: {
    1: 'success',
    2: 'general error',
    3: 'a control connection already exists',
    4: 'the requester is not authorized',
    5: 'the requested protocol version is not supported',
  },
  // RFC 2637 §2.4
  StopControlConnectionReply: { 1: 'OK', 2: 'general error' },
  // RFC 2637 §2.6
  EchoReply: { 1: 'OK', 2: 'general error' },
  // RFC 2637 §2.8
  OutgoingCallReply: {
    1: 'connected',
    2: 'general error',
    3: 'no carrier',
    4: 'busy',
    5: 'no dial tone',
    6: 'time-out',
    7: 'do not accept (the call was refused)',
  },
  // RFC 2637 §2.10
  IncomingCallReply: { 1: 'connect', 2: 'general error', 3: 'do not accept' },
  // RFC 2637 §2.13
  CallDisconnectNotify: {
    1: 'lost carrier',
    2: 'general error',
    3: 'administrative shutdown',
    4: 'request (the call was cleared on request)',
  },
};

// RFC 2637 §2.16
const GENERAL_ERROR_WORDS: Readonly<Record<number, string>> = {
  0: 'no general error',
  1: 'not connected (no control connection exists)',
  2: 'bad format (the length or message type was wrong)',
  3: 'bad value (a field was out of range or a reserved field was not zero)',
  4: 'no resource (the server lacks resources to handle the command)',
  5: 'bad call ID (the call ID is invalid in this context)',
  6: 'PAC error (a vendor-specific error occurred in the server)',
};

// RFC 2637 §2.3
const STOP_REASON_WORDS: Readonly<Record<number, string>> = {
  1: 'general request to clear the control connection',
  2: 'cannot support the peer protocol version',
  3: 'local shutdown',
};

export function isResultBearingKind(kind: ControlMessageKind): kind is ResultBearingKind {
  return kind in RESULT_WORDS;
}

/** A Result Code of `kind` in words, e.g. ('OutgoingCallReply', 4) -> 'busy'. */
export function resultCodeWords(kind: ResultBearingKind, code: number): string {
  return RESULT_WORDS[kind][code] ?? `unknown result code ${code}`;
}

/** A General Error Code (RFC 2637 §2.16) in words. */
export function generalErrorWords(code: number): string {
  return GENERAL_ERROR_WORDS[code] ?? `unknown general error code ${code}`;
}

/** A Stop-Control-Connection-Request Reason (RFC 2637 §2.3) in words. */
export function stopReasonWords(reason: number): string {
  return STOP_REASON_WORDS[reason] ?? `unknown reason ${reason}`;
}

/**
 * Result and error code together, as a user reads them: 'busy', or
 * 'general error: bad call ID (the call ID is invalid in this context)'. The general error is
 * added whenever it is non-zero (RFC 2637 §2.16: it accompanies a "general error" result).
 */
export function describeResult(kind: ResultBearingKind, resultCode: number, errorCode: number): string {
  const words = resultCodeWords(kind, resultCode);
  return errorCode === 0 ? words : `${words}: ${generalErrorWords(errorCode)}`;
}
