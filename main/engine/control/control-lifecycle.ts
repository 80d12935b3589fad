/**
 * The control connection itself, from Start-Control-Connection-Request to closed (RFC 2637
 * §2.1-§2.4, §3.1): SCCRQ/SCCRP, the reply and teardown timeouts, the server's and our
 * Stop-Control-Connection, a TCP close, and a broken byte stream. The rows of the transition
 * table in ./connection.ts for idle, wait-sccrp, wait-stopccrp, "any open" and close.
 *
 * Owns: when the control connection starts, stops and closes. Must not: handle call messages
 * (./call.ts) or echo (./keepalive.ts).
 */
import type { WireError } from '../wire/wire-error';
import { placeCall } from './call';
import type { ControlCore } from './connection-core';
import {
  BearerCapability,
  FramingCapability,
  GeneralError,
  PPTP_PROTOCOL_VERSION,
  StartControlResult,
  StopControlResult,
} from './constants';
import {
  controlRefused,
  controlStoppedByServer,
  malformedStream,
  replyTimedOut,
  transportClosed,
  unsupportedVersion,
  type TransportClose,
} from './failures';
import type { StartControlConnectionReply, StopControlConnectionRequest } from './messages';

/** Framer/decoder errors after which the byte stream cannot be trusted. */
const FATAL_WIRE_ERRORS: ReadonlySet<WireError['code']> = new Set(['bad-magic', 'bad-length', 'too-large', 'truncated', 'bad-version']);

/** TCP is connected: send Start-Control-Connection-Request (RFC 2637 §2.1). */
export function startControl(core: ControlCore, now: number): void {
  if (core.state !== 'idle') return;
  core.send({
    kind: 'StartControlConnectionRequest',
    protocolVersion: PPTP_PROTOCOL_VERSION,
    framingCapabilities: FramingCapability.Asynchronous | FramingCapability.Synchronous,
    bearerCapabilities: BearerCapability.Analog | BearerCapability.Digital,
    maximumChannels: 0, // RFC 2637 §2.1: the PNS SHOULD send zero
    firmwareRevision: core.cfg.firmwareRevision,
    hostName: core.cfg.hostName,
    vendorString: core.cfg.vendor,
  });
  core.state = 'wait-sccrp';
  core.timers.set('reply', now + core.cfg.replyTimeoutMs);
}

/** Start-Control-Connection-Reply (RFC 2637 §2.2) in wait-sccrp: accept and place the call. */
export function onStartReply(core: ControlCore, now: number, m: StartControlConnectionReply): void {
  core.timers.clear('reply');
  if (m.resultCode !== StartControlResult.Success) {
    core.finish(controlRefused(m));
    return;
  }
  if (m.protocolVersion >> 8 !== PPTP_PROTOCOL_VERSION >> 8) {
    core.finish(unsupportedVersion(m.protocolVersion));
    return;
  }
  core.peerInfo = {
    protocolVersion: m.protocolVersion,
    framingCapabilities: m.framingCapabilities,
    bearerCapabilities: m.bearerCapabilities,
    maximumChannels: m.maximumChannels,
    firmwareRevision: m.firmwareRevision,
    hostName: m.hostName,
    vendor: m.vendorString,
  };
  core.state = 'wait-ocrp';
  core.emit({ type: 'control-connected', peer: core.peerInfo });
  placeCall(core, now);
  core.timers.set('echo-idle', now + core.cfg.echoIdleMs);
}

/** Stop-Control-Connection-Request from the server (RFC 2637 §2.3): reply, then closed. */
export function onStopRequest(core: ControlCore, m: StopControlConnectionRequest): void {
  if (core.state === 'idle') return core.unexpected(m.kind);
  core.send({ kind: 'StopControlConnectionReply', resultCode: StopControlResult.Ok, errorCode: GeneralError.None });
  if (core.state === 'wait-cdn' || core.state === 'wait-stopccrp') {
    core.finish(core.stopFailure);
    return;
  }
  core.finish(controlStoppedByServer(m));
}

/** Stop-Control-Connection-Reply (RFC 2637 §2.4): our stop is done. */
export function onStopReply(core: ControlCore, kind: 'StopControlConnectionReply'): void {
  if (core.state === 'wait-stopccrp') core.finish(core.stopFailure);
  else core.unexpected(kind);
}

/** The 'reply' timer: no SCCRP or OCRP in time. */
export function onReplyTimeout(core: ControlCore, now: number): void {
  if (core.state === 'wait-sccrp') {
    core.finish(replyTimedOut('StartControlConnectionReply', core.cfg.replyTimeoutMs));
  } else if (core.state === 'wait-ocrp') {
    core.beginStop(now, replyTimedOut('OutgoingCallReply', core.cfg.replyTimeoutMs));
  }
}

/** The 'teardown' timer: the server did not finish our clear or stop in time; go on anyway. */
export function onTeardownTimeout(core: ControlCore, now: number): void {
  if (core.state === 'wait-cdn') core.beginStop(now, undefined);
  else if (core.state === 'wait-stopccrp') core.finish(core.stopFailure);
}

/** Our close: graceful stops (RFC 2637 §2.3 clears any call too), immediate closes now. */
export function closeControl(core: ControlCore, now: number, graceful: boolean): void {
  if (core.state === 'closed') return;
  if (!graceful) {
    core.finish(core.stopFailure);
    return;
  }
  switch (core.state) {
    case 'idle':
    case 'wait-sccrp':
      core.finish(undefined);
      return;
    case 'wait-ocrp':
    case 'established':
    case 'wait-cdn':
      core.beginStop(now, undefined);
      return;
    default:
      return;
  }
}

/** TCP closed (FIN, RST or error) under us; `close` says which, for the failure's words. */
export function onTransportClosed(core: ControlCore, close: TransportClose): void {
  core.transmitQueue.length = 0;
  switch (core.state) {
    case 'closed':
      return;
    case 'wait-cdn':
    case 'wait-stopccrp':
      // pptpd answers Call-Clear-Request by closing TCP: a clean end.
      core.finish(core.stopFailure);
      return;
    default:
      core.finish(transportClosed(core.state, close));
  }
}

/** A framer or decoder error: fatal for a broken stream, ignored for an undecodable message. */
export function onWireError(core: ControlCore, error: WireError): void {
  core.stats.malformed++;
  const closing = core.state === 'wait-cdn' || core.state === 'wait-stopccrp';
  if (FATAL_WIRE_ERRORS.has(error.code) && !closing) {
    core.finish(malformedStream(core.state, error));
    return;
  }
  core.ignore('malformed', `malformed control data ignored: ${error.message}`, undefined, error);
}
