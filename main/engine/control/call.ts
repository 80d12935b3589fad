/**
 * The call on a client control connection (RFC 2637 §2.7-§2.15): we place exactly one outgoing
 * call, accept the server's answer or stop on a refusal, clear it on hangUp, and follow what
 * the server says about it (Call-Disconnect-Notify, its own Call-Clear-Request, Set-Link-Info,
 * WAN-Error-Notify). Calls the server offers us (OCRQ, ICRQ) are answered "Do Not Accept".
 * The rows of the transition table in ./connection.ts for wait-ocrp, established and wait-cdn.
 *
 * Owns: the call's messages and what they do to the state. Must not: stop or close the control
 * connection other than through the core (beginStop, finish).
 */
import type { ControlCore } from './connection-core';
import { describeResult } from './codes';
import {
  BearerType,
  CallDisconnectResult,
  FramingType,
  GeneralError,
  IncomingCallResult,
  OutgoingCallResult,
} from './constants';
import { CONTROL_DEFAULTS } from './events';
import { SERVER_CALL_CLEAR_WORDS, callClearedByServer, callDisconnected, callRefused } from './failures';
import type {
  CallClearRequest,
  CallDisconnectNotify,
  IncomingCallRequest,
  OutgoingCallReply,
  OutgoingCallRequest,
  SetLinkInfo,
  WanErrorNotify,
} from './messages';

/** Outgoing-Call-Request (RFC 2637 §2.7), sent as soon as SCCRP accepts. */
export function placeCall(core: ControlCore, now: number): void {
  core.send({
    kind: 'OutgoingCallRequest',
    callId: core.ourCallId,
    callSerialNumber: core.callSerialNumber,
    minimumBps: CONTROL_DEFAULTS.minimumBps,
    maximumBps: CONTROL_DEFAULTS.maximumBps,
    bearerType: BearerType.Either,
    framingType: FramingType.Either,
    receiveWindowSize: core.cfg.receiveWindow,
    processingDelay: core.cfg.processingDelay,
    phoneNumber: core.cfg.phoneNumber,
    subaddress: core.cfg.subaddress,
  });
  core.timers.set('reply', now + core.cfg.replyTimeoutMs);
}

/** Outgoing-Call-Reply (RFC 2637 §2.8) for our call, in wait-ocrp. */
export function onOutgoingCallReply(core: ControlCore, now: number, m: OutgoingCallReply): void {
  core.timers.clear('reply');
  if (m.resultCode !== OutgoingCallResult.Connected) {
    core.beginStop(now, callRefused(m));
    return;
  }
  core.callInfo = {
    callId: core.ourCallId,
    peerCallId: m.callId,
    callSerialNumber: core.callSerialNumber,
    receiveWindow: core.cfg.receiveWindow,
    peerReceiveWindow: m.receiveWindowSize,
    peerProcessingDelay: m.processingDelay,
    connectSpeed: m.connectSpeed,
    physicalChannelId: m.physicalChannelId,
  };
  core.state = 'established';
  core.emit({ type: 'call-connected', call: core.callInfo });
}

/** The user hangs up: Call-Clear-Request (RFC 2637 §2.12), then wait for CDN. */
export function clearCall(core: ControlCore, now: number): void {
  core.send({ kind: 'CallClearRequest', callId: core.ourCallId });
  core.state = 'wait-cdn';
  core.timers.clear('reply');
  core.stopEchoTimers();
  core.timers.set('teardown', now + core.cfg.teardownTimeoutMs);
}

/** Call-Disconnect-Notify (RFC 2637 §2.13): the answer to our clear, or the server ending the call. */
export function onCallDisconnectNotify(core: ControlCore, now: number, m: CallDisconnectNotify): void {
  if (core.state !== 'established' && core.state !== 'wait-cdn') return core.unexpected(m.kind);
  // Hung up before OCRP: we never learned the server's Call ID, and we have only one call.
  const known = core.callInfo !== undefined;
  if (known && !core.isOurCall(m.callId)) return core.wrongCall(m.kind, m.callId);
  if (core.state === 'wait-cdn') {
    core.beginStop(now, undefined);
    return;
  }
  const words = describeResult('CallDisconnectNotify', m.resultCode, m.errorCode);
  core.emit({
    type: 'call-disconnected',
    resultCode: m.resultCode,
    errorCode: m.errorCode,
    causeCode: m.causeCode,
    words,
    callStatistics: m.callStatistics,
  });
  core.beginStop(now, callDisconnected(m, words));
}

/** The server sends Call-Clear-Request (normally ours to send): answer CDN, then stop. */
export function onServerCallClear(core: ControlCore, now: number, m: CallClearRequest): void {
  if (core.state !== 'established') return core.unexpected(m.kind);
  if (!core.isOurCall(m.callId)) return core.wrongCall(m.kind, m.callId);
  core.send({
    kind: 'CallDisconnectNotify',
    callId: core.ourCallId,
    resultCode: CallDisconnectResult.Request,
    errorCode: GeneralError.None,
    causeCode: 0,
    callStatistics: '',
  });
  core.emit({
    type: 'call-disconnected',
    resultCode: CallDisconnectResult.Request,
    errorCode: GeneralError.None,
    causeCode: 0,
    words: SERVER_CALL_CLEAR_WORDS,
    callStatistics: '',
  });
  core.beginStop(now, callClearedByServer());
}

/** Set-Link-Info (RFC 2637 §2.15): the ACCMs, recorded and passed on. */
export function onSetLinkInfo(core: ControlCore, m: SetLinkInfo): void {
  if (core.state !== 'established') return core.unexpected(m.kind);
  if (!core.isOurCall(m.peerCallId)) return core.wrongCall(m.kind, m.peerCallId);
  core.stats.setLinkInfos++;
  core.accm = { sendAccm: m.sendAccm, receiveAccm: m.receiveAccm };
  core.emit({ type: 'set-link-info', sendAccm: m.sendAccm, receiveAccm: m.receiveAccm });
}

/** WAN-Error-Notify (RFC 2637 §2.14): the server's error counters, recorded and passed on. */
export function onWanErrorNotify(core: ControlCore, m: WanErrorNotify): void {
  if (core.state !== 'established') return core.unexpected(m.kind);
  if (!core.isOurCall(m.peerCallId)) return core.wrongCall(m.kind, m.peerCallId);
  core.stats.wanErrorNotifies++;
  const { crcErrors, framingErrors, hardwareOverruns, bufferOverruns, timeoutErrors, alignmentErrors } = m;
  core.wanErrors = { crcErrors, framingErrors, hardwareOverruns, bufferOverruns, timeoutErrors, alignmentErrors };
  core.emit({ type: 'wan-error', errors: core.wanErrors, count: core.stats.wanErrorNotifies });
}

/** The server asks us to place a call: we are a client, RFC 2637 §2.8 result 7, Do Not Accept. */
export function refuseOutgoingCallRequest(core: ControlCore, m: OutgoingCallRequest): void {
  if (!core.controlUp()) return core.unexpected(m.kind);
  core.unexpected(m.kind);
  core.send({
    kind: 'OutgoingCallReply',
    callId: 0,
    peerCallId: m.callId,
    resultCode: OutgoingCallResult.DoNotAccept,
    errorCode: GeneralError.None,
    causeCode: 0,
    connectSpeed: 0,
    receiveWindowSize: 0,
    processingDelay: 0,
    physicalChannelId: 0,
  });
}

/** The server offers us an incoming call: RFC 2637 §2.10 result 3, Do Not Accept. */
export function refuseIncomingCallRequest(core: ControlCore, m: IncomingCallRequest): void {
  if (!core.controlUp()) return core.unexpected(m.kind);
  core.unexpected(m.kind);
  core.send({
    kind: 'IncomingCallReply',
    callId: 0,
    peerCallId: m.callId,
    resultCode: IncomingCallResult.DoNotAccept,
    errorCode: GeneralError.None,
    receiveWindowSize: 0,
    transmitDelay: 0,
  });
}
