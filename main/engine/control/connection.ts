/**
 * The client (PNS) side of the PPTP control connection, RFC 2637 §2 and §3 — sans-I/O.
 * Everything that affects this state machine lives in this file; message layouts are in
 * ./encode.ts and ./decode.ts, code words in ./codes.ts, the public types in ./events.ts.
 * It owns no socket and no clock: time comes in as `now` (ms), randomness from config.random.
 *
 * Driver call order (after quinn-proto):
 *   1. `new ControlConnection(config)`; when TCP to port 1723 is connected: `start(now)`.
 *      Open the raw GRE socket before that: OCRQ follows SCCRP automatically, and a host
 *      without a GRE socket answers the server's first GRE packet with ICMP protocol-unreachable,
 *      which makes pptpd drop the call (shared/notes/pptpd-peer.md).
 *   2. Inputs: `handleBytes(now, chunk)` for every TCP read, `handleTimeout(now)` when the
 *      deadline from `nextTimeout()` passes, `handleTransportClosed(now)` when TCP closes or
 *      errors. Commands: `hangUp(now)`, `close(now, { graceful })`.
 *   3. After every input or command: write every `pollTransmit()` to the socket, handle every
 *      `pollEvent()`, re-arm the timer to `nextTimeout()` (undefined = none).
 *   4. Once the 'closed' event is out (`state === 'closed'`): flush `pollTransmit()` (it may hold a
 *      Stop-Control-Connection-Reply), then close the socket.
 *
 * Transitions (→ state; "fail X" = closed with failure X at once; "stop X" = send StopCCRQ,
 * → wait-stopccrp, and report failure X when that finishes):
 *
 * | state         | input                                  | action                                              |
 * |---------------|----------------------------------------|-----------------------------------------------------|
 * | idle          | start                                  | send SCCRQ → wait-sccrp                             |
 * | wait-sccrp    | SCCRP result 1, version 1.x            | 'control-connected', send OCRQ → wait-ocrp          |
 * | wait-sccrp    | SCCRP other result                     | fail control-refused (result + error in words)      |
 * | wait-sccrp    | SCCRP result 1, version not 1.x        | fail protocol-error                                 |
 * | wait-sccrp    | reply timeout                          | fail protocol-error (server silent)                 |
 * | wait-ocrp     | OCRP for our call ID, result 1         | 'call-connected' → established                      |
 * | wait-ocrp     | OCRP for our call ID, other result     | stop control-refused (result + error in words)      |
 * | wait-ocrp     | reply timeout                          | stop protocol-error                                 |
 * | established   | CDN for our call                       | 'call-disconnected', stop peer-disconnected         |
 * | established   | CCRQ for our call (server hangs up)    | send CDN, 'call-disconnected', stop peer-disconnected|
 * | established   | SLI / WEN for our call                 | 'set-link-info' / 'wan-error'                       |
 * | wait-cdn      | CDN for our call, or teardown timeout  | stop (clean)                                        |
 * | wait-stopccrp | StopCCRP, or teardown timeout          | closed (clean, or the failure that began the stop)  |
 * | any open      | StopCCRQ from the server               | send StopCCRP; closed (clean if we were already     |
 * |               |                                        | closing, else peer-disconnected with the reason)    |
 * | any open      | Echo-Request                           | send Echo-Reply with the same identifier            |
 * | any open      | Echo-Reply with our outstanding id     | 'echo-rtt'                                          |
 * | wait-ocrp,    | nothing received for echoIdleMs        | send Echo-Request                                   |
 * |  established  | nothing received echoReplyTimeoutMs    | fail keepalive-timeout                              |
 * |               |  after our Echo-Request                |                                                     |
 * | any open      | TCP closed                             | closed: clean in wait-cdn / wait-stopccrp (pptpd    |
 * |               |                                        | closes TCP instead of sending CDN), else            |
 * |               |                                        | peer-disconnected                                   |
 * | any           | hangUp                                 | idle/wait-sccrp: closed; wait-ocrp/established:     |
 * |               |                                        | send CCRQ → wait-cdn; later states: nothing         |
 * | any           | close graceful                         | wait-ocrp/established/wait-cdn: stop (clean);       |
 * |               |                                        | idle/wait-sccrp: closed; wait-stopccrp: nothing     |
 * | any           | close immediate                        | closed                                              |
 *
 * Who broke the protocol, and what we do about it (h11 style; every case is counted):
 *
 * | input                                                  | who    | action                          |
 * |--------------------------------------------------------|--------|---------------------------------|
 * | framing broken: no cookie, Length impossible, too      | remote | fail protocol-error (a TCP      |
 * | large, wrong for a known type, stream ends mid-message  |        | stream from a correct peer never|
 * |                                                        |        | has these; nothing after them   |
 * |                                                        |        | can be trusted)                 |
 * | well framed but undecodable: unknown control type,     | remote | ignore ('ignored' malformed):   |
 * | management message, text length field > 64            |        | extensions must not kill a call |
 * | a defined message the state does not expect (SCCRQ,    | remote | ignore ('ignored' unexpected)   |
 * | duplicate SCCRP/OCRP, ICRP, ICCN, stray StopCCRP, ...) |        |                                 |
 * | OCRQ / ICRQ from the server (it wants a call from us)  | remote | answer "Do Not Accept" (§2.8    |
 * |                                                        |        | result 7 / §2.10 result 3)      |
 * | OCRP / CDN / CCRQ / SLI / WEN naming another call      | remote | ignore ('ignored' wrong-call-id)|
 * | Echo-Reply with an identifier we are not waiting for   | remote | ignore ('ignored' unknown-echo) |
 * | anything while closing (wait-cdn, wait-stopccrp) that  | remote | ignore: we are leaving anyway,  |
 * | is malformed                                           |        | the teardown timer bounds it    |
 * | anything at all once closed                            | -      | dropped silently                |
 * | a command in a state where it means nothing            | local  | no-op (never throws)            |
 *
 * Call IDs: with one call per control connection both IDs name it, so CDN/SLI/WEN are accepted
 * when their call ID field holds either our Call ID or the server's (RFC 2637 §2.13–§2.15 word
 * these fields from different ends, and implementations differ).
 */
import type { Failure, FailureReason } from '../failure';
import { randomU16, randomU32 } from '../random';
import { TimerTable } from '../timers';
import type { WireError } from '../wire/wire-error';
import { describeResult, stopReasonWords } from './codes';
import {
  BearerCapability,
  BearerType,
  CallDisconnectResult,
  EchoResult,
  FramingCapability,
  FramingType,
  GeneralError,
  IncomingCallResult,
  OutgoingCallResult,
  PPTP_PROTOCOL_VERSION,
  StartControlResult,
  StopControlReason,
  StopControlResult,
  type ControlMessageKind,
} from './constants';
import { encodeControlMessage } from './encode';
import {
  CONTROL_DEFAULTS,
  type CallInfo,
  type ControlConnectionConfig,
  type ControlCounters,
  type ControlEvent,
  type ControlState,
  type IgnoredCause,
  type PeerInfo,
  type WanErrorCounters,
} from './events';
import { ControlFramer } from './framer';
import type {
  CallClearRequest,
  CallDisconnectNotify,
  ControlMessage,
  OutgoingCallReply,
  StartControlConnectionReply,
  StopControlConnectionRequest,
} from './messages';

type TimerKey = 'reply' | 'teardown' | 'echo-idle' | 'echo-reply';

/** Framer/decoder errors after which the byte stream cannot be trusted. */
const FATAL_WIRE_ERRORS: ReadonlySet<WireError['code']> = new Set(['bad-magic', 'bad-length', 'too-large', 'truncated', 'bad-version']);

interface ResolvedConfig {
  readonly hostName: string;
  readonly vendor: string;
  readonly firmwareRevision: number;
  readonly echoIdleMs: number;
  readonly echoReplyTimeoutMs: number;
  readonly replyTimeoutMs: number;
  readonly teardownTimeoutMs: number;
  readonly receiveWindow: number;
  readonly processingDelay: number;
  readonly phoneNumber: string;
  readonly subaddress: string;
}

function makeFailure(
  reason: FailureReason,
  message: string,
  detail?: Readonly<Record<string, string | number | boolean>>,
): Failure {
  return detail ? { reason, message, detail } : { reason, message };
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`ControlConnection: ${name} must be a positive number, got ${v}`);
  return v;
}

function u16Field(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min || v > 0xffff) {
    throw new RangeError(`ControlConnection: ${name} must be an integer in ${min}..65535, got ${v}`);
  }
  return v;
}

export class ControlConnection {
  private currentState: ControlState = 'idle';
  private readonly cfg: ResolvedConfig;
  private readonly random: ControlConnectionConfig['random'];
  private readonly framer = new ControlFramer();
  private readonly timers = new TimerTable<TimerKey>();
  private readonly transmitQueue: Uint8Array[] = [];
  private readonly eventQueue: ControlEvent[] = [];
  private readonly stats: ControlCounters = {
    messagesSent: 0,
    messagesReceived: 0,
    malformed: 0,
    unexpected: 0,
    wrongCallId: 0,
    echoRequestsAnswered: 0,
    echoRequestsSent: 0,
    echoRepliesReceived: 0,
    wanErrorNotifies: 0,
    setLinkInfos: 0,
  };

  private readonly ourCallId: number;
  private readonly callSerialNumber: number;
  private nextEchoIdentifier: number;
  private outstandingEcho: { readonly identifier: number; readonly sentAt: number } | undefined;
  private peerInfo: PeerInfo | undefined;
  private callInfo: CallInfo | undefined;
  private accm: { readonly sendAccm: number; readonly receiveAccm: number } | undefined;
  private wanErrors: WanErrorCounters | undefined;
  /** The failure that started a graceful stop, reported when the stop completes. */
  private stopFailure: Failure | undefined;
  private closeFailure: Failure | undefined;

  constructor(config: ControlConnectionConfig) {
    this.random = config.random;
    this.cfg = {
      hostName: config.hostName ?? CONTROL_DEFAULTS.hostName,
      vendor: config.vendor ?? CONTROL_DEFAULTS.vendor,
      firmwareRevision: u16Field('firmwareRevision', config.firmwareRevision ?? CONTROL_DEFAULTS.firmwareRevision, 0),
      echoIdleMs: positive('echoIdleMs', config.echoIdleMs ?? CONTROL_DEFAULTS.echoIdleMs),
      echoReplyTimeoutMs: positive('echoReplyTimeoutMs', config.echoReplyTimeoutMs ?? CONTROL_DEFAULTS.echoReplyTimeoutMs),
      replyTimeoutMs: positive('replyTimeoutMs', config.replyTimeoutMs ?? CONTROL_DEFAULTS.replyTimeoutMs),
      teardownTimeoutMs: positive('teardownTimeoutMs', config.teardownTimeoutMs ?? CONTROL_DEFAULTS.teardownTimeoutMs),
      receiveWindow: u16Field('receiveWindow', config.receiveWindow ?? CONTROL_DEFAULTS.receiveWindow, 1),
      processingDelay: u16Field('processingDelay', config.processingDelay ?? CONTROL_DEFAULTS.processingDelay, 0),
      phoneNumber: config.phoneNumber ?? '',
      subaddress: config.subaddress ?? '',
    };
    // A random non-zero Call ID (0 reads as "none" to some servers) and a random serial.
    this.ourCallId = (randomU16(this.random) % 0xffff) + 1;
    this.callSerialNumber = randomU16(this.random);
    this.nextEchoIdentifier = randomU32(this.random);
  }

  // ---- getters ---------------------------------------------------------------------------

  get state(): ControlState {
    return this.currentState;
  }

  /** Our Call ID (chosen at construction; sent in OCRQ). */
  get callId(): number {
    return this.ourCallId;
  }

  /** The server's SCCRP details, once 'control-connected'. */
  get peer(): PeerInfo | undefined {
    return this.peerInfo;
  }

  /** The call, once 'call-connected'. */
  get call(): CallInfo | undefined {
    return this.callInfo;
  }

  /** The last Set-Link-Info ACCMs (RFC 2637 §2.15), if any arrived. */
  get linkInfo(): { readonly sendAccm: number; readonly receiveAccm: number } | undefined {
    return this.accm;
  }

  /** The last WAN-Error-Notify counters (RFC 2637 §2.14), if any arrived. */
  get lastWanErrors(): WanErrorCounters | undefined {
    return this.wanErrors;
  }

  /** The failure the connection closed with (undefined while open, or after a clean close). */
  get failure(): Failure | undefined {
    return this.closeFailure;
  }

  get counters(): Readonly<ControlCounters> {
    return { ...this.stats };
  }

  // ---- outputs ---------------------------------------------------------------------------

  /** The next control message for the TCP socket, or undefined. */
  pollTransmit(): Uint8Array | undefined {
    return this.transmitQueue.shift();
  }

  pollEvent(): ControlEvent | undefined {
    return this.eventQueue.shift();
  }

  /** The absolute time (ms) at which `handleTimeout` must be called, or undefined. */
  nextTimeout(): number | undefined {
    return this.timers.nextTimeout();
  }

  // ---- commands --------------------------------------------------------------------------

  /** TCP is connected: send Start-Control-Connection-Request (RFC 2637 §2.1). */
  start(now: number): void {
    if (this.currentState !== 'idle') return;
    this.send({
      kind: 'StartControlConnectionRequest',
      protocolVersion: PPTP_PROTOCOL_VERSION,
      framingCapabilities: FramingCapability.Asynchronous | FramingCapability.Synchronous,
      bearerCapabilities: BearerCapability.Analog | BearerCapability.Digital,
      maximumChannels: 0, // RFC 2637 §2.1: the PNS SHOULD send zero
      firmwareRevision: this.cfg.firmwareRevision,
      hostName: this.cfg.hostName,
      vendorString: this.cfg.vendor,
    });
    this.currentState = 'wait-sccrp';
    this.timers.set('reply', now + this.cfg.replyTimeoutMs);
  }

  /** The user hangs up: clear the call (RFC 2637 §2.12), then stop the control connection. */
  hangUp(now: number): void {
    switch (this.currentState) {
      case 'idle':
      case 'wait-sccrp':
        this.finish(undefined);
        return;
      case 'wait-ocrp':
      case 'established':
        this.send({ kind: 'CallClearRequest', callId: this.ourCallId });
        this.currentState = 'wait-cdn';
        this.timers.clear('reply');
        this.stopEcho();
        this.timers.set('teardown', now + this.cfg.teardownTimeoutMs);
        return;
      default:
        return;
    }
  }

  /**
   * Ends the control connection. Graceful: Stop-Control-Connection-Request (RFC 2637 §2.3) and
   * wait for the reply (bounded by teardownTimeoutMs); RFC 2637 §2.3 says this clears any call
   * too. Immediate: closed now, nothing sent.
   */
  close(now: number, options: { readonly graceful: boolean }): void {
    if (this.currentState === 'closed') return;
    if (!options.graceful) {
      this.finish(this.stopFailure);
      return;
    }
    switch (this.currentState) {
      case 'idle':
      case 'wait-sccrp':
        this.finish(undefined);
        return;
      case 'wait-ocrp':
      case 'established':
      case 'wait-cdn':
        this.beginStop(now, undefined);
        return;
      default:
        return;
    }
  }

  // ---- inputs ----------------------------------------------------------------------------

  /** Bytes read from the TCP socket, any chunking. */
  handleBytes(now: number, chunk: Uint8Array): void {
    if (this.currentState === 'closed') return;
    for (const item of this.framer.push(chunk)) {
      if (this.isClosed()) return; // a message before this one ended the connection
      if (item.ok) this.handleMessage(now, item.value);
      else this.handleWireError(item.error);
    }
  }

  /** The TCP connection closed (FIN, RST or error) under us. */
  handleTransportClosed(_now: number): void {
    this.framer.end();
    this.transmitQueue.length = 0;
    switch (this.currentState) {
      case 'closed':
        return;
      case 'wait-cdn':
      case 'wait-stopccrp':
        // pptpd answers Call-Clear-Request by closing TCP: a clean end.
        this.finish(this.stopFailure);
        return;
      default:
        this.finish(
          makeFailure('peer-disconnected', 'The server closed the PPTP control connection (TCP).', {
            state: this.currentState,
          }),
        );
    }
  }

  handleTimeout(now: number): void {
    for (const key of this.timers.expire(now)) {
      if (this.isClosed()) return;
      switch (key) {
        case 'reply':
          this.onReplyTimeout(now);
          break;
        case 'teardown':
          this.onTeardownTimeout(now);
          break;
        case 'echo-idle':
          this.onEchoIdle(now);
          break;
        case 'echo-reply':
          if (!this.controlUp()) break;
          this.finish(
            makeFailure(
              'keepalive-timeout',
              `The server did not answer a PPTP Echo-Request within ${this.cfg.echoReplyTimeoutMs / 1000} s.`,
              { state: this.currentState, timeoutMs: this.cfg.echoReplyTimeoutMs },
            ),
          );
          break;
      }
    }
  }

  // ---- receive path ----------------------------------------------------------------------

  private handleWireError(error: WireError): void {
    this.stats.malformed++;
    const closing = this.currentState === 'wait-cdn' || this.currentState === 'wait-stopccrp';
    if (FATAL_WIRE_ERRORS.has(error.code) && !closing) {
      this.finish(
        makeFailure('protocol-error', `The server sent malformed PPTP control data (${error.message}).`, {
          state: this.currentState,
          wireError: error.code,
        }),
      );
      return;
    }
    this.ignore('malformed', `malformed control data ignored: ${error.message}`, undefined, error);
  }

  private handleMessage(now: number, m: ControlMessage): void {
    this.stats.messagesReceived++;
    this.noteLiveness(now);
    switch (m.kind) {
      case 'EchoRequest':
        // RFC 2637 §2.6: the identifier is echoed; answered in every open state.
        this.stats.echoRequestsAnswered++;
        this.send({ kind: 'EchoReply', identifier: m.identifier, resultCode: EchoResult.Ok, errorCode: GeneralError.None });
        return;
      case 'EchoReply':
        if (this.outstandingEcho && m.identifier === this.outstandingEcho.identifier) {
          this.stats.echoRepliesReceived++;
          const rttMs = now - this.outstandingEcho.sentAt;
          this.outstandingEcho = undefined;
          this.emit({ type: 'echo-rtt', rttMs });
        } else {
          this.ignore('unknown-echo-id', `Echo-Reply with identifier ${m.identifier} we are not waiting for`, m.kind);
        }
        return;
      case 'StartControlConnectionReply':
        if (this.currentState === 'wait-sccrp') this.onStartReply(now, m);
        else this.unexpected(m.kind);
        return;
      case 'StopControlConnectionRequest':
        this.onStopRequest(m);
        return;
      case 'StopControlConnectionReply':
        if (this.currentState === 'wait-stopccrp') this.finish(this.stopFailure);
        else this.unexpected(m.kind);
        return;
      case 'OutgoingCallReply':
        if (this.currentState !== 'wait-ocrp') this.unexpected(m.kind);
        else if (m.peerCallId !== this.ourCallId) this.wrongCall(m.kind, m.peerCallId);
        else this.onOutgoingCallReply(now, m);
        return;
      case 'CallDisconnectNotify':
        this.onCallDisconnectNotify(now, m);
        return;
      case 'CallClearRequest':
        this.onServerCallClear(now, m);
        return;
      case 'SetLinkInfo':
        if (this.currentState !== 'established') this.unexpected(m.kind);
        else if (!this.isOurCall(m.peerCallId)) this.wrongCall(m.kind, m.peerCallId);
        else {
          this.stats.setLinkInfos++;
          this.accm = { sendAccm: m.sendAccm, receiveAccm: m.receiveAccm };
          this.emit({ type: 'set-link-info', sendAccm: m.sendAccm, receiveAccm: m.receiveAccm });
        }
        return;
      case 'WanErrorNotify':
        if (this.currentState !== 'established') this.unexpected(m.kind);
        else if (!this.isOurCall(m.peerCallId)) this.wrongCall(m.kind, m.peerCallId);
        else {
          this.stats.wanErrorNotifies++;
          const { crcErrors, framingErrors, hardwareOverruns, bufferOverruns, timeoutErrors, alignmentErrors } = m;
          this.wanErrors = { crcErrors, framingErrors, hardwareOverruns, bufferOverruns, timeoutErrors, alignmentErrors };
          this.emit({ type: 'wan-error', errors: this.wanErrors, count: this.stats.wanErrorNotifies });
        }
        return;
      case 'OutgoingCallRequest':
        // The server asks us to place a call: we are a client, RFC 2637 §2.8 result 7.
        if (!this.controlUp()) return this.unexpected(m.kind);
        this.unexpected(m.kind);
        this.send({
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
        return;
      case 'IncomingCallRequest':
        // The server offers us an incoming call: RFC 2637 §2.10 result 3, Do Not Accept.
        if (!this.controlUp()) return this.unexpected(m.kind);
        this.unexpected(m.kind);
        this.send({
          kind: 'IncomingCallReply',
          callId: 0,
          peerCallId: m.callId,
          resultCode: IncomingCallResult.DoNotAccept,
          errorCode: GeneralError.None,
          receiveWindowSize: 0,
          transmitDelay: 0,
        });
        return;
      case 'StartControlConnectionRequest':
      case 'IncomingCallReply':
      case 'IncomingCallConnected':
        this.unexpected(m.kind);
        return;
    }
  }

  private onStartReply(now: number, m: StartControlConnectionReply): void {
    this.timers.clear('reply');
    if (m.resultCode !== StartControlResult.Success) {
      const words = describeResult('StartControlConnectionReply', m.resultCode, m.errorCode);
      this.finish(
        makeFailure('control-refused', `The server refused the PPTP control connection: ${words}.`, {
          message: 'StartControlConnectionReply',
          resultCode: m.resultCode,
          errorCode: m.errorCode,
        }),
      );
      return;
    }
    if (m.protocolVersion >> 8 !== PPTP_PROTOCOL_VERSION >> 8) {
      this.finish(
        makeFailure('protocol-error', `The server answered with PPTP protocol version 0x${m.protocolVersion.toString(16)}, not 1.x.`, {
          protocolVersion: m.protocolVersion,
        }),
      );
      return;
    }
    this.peerInfo = {
      protocolVersion: m.protocolVersion,
      framingCapabilities: m.framingCapabilities,
      bearerCapabilities: m.bearerCapabilities,
      maximumChannels: m.maximumChannels,
      firmwareRevision: m.firmwareRevision,
      hostName: m.hostName,
      vendor: m.vendorString,
    };
    this.currentState = 'wait-ocrp';
    this.emit({ type: 'control-connected', peer: this.peerInfo });
    this.send({
      kind: 'OutgoingCallRequest',
      callId: this.ourCallId,
      callSerialNumber: this.callSerialNumber,
      minimumBps: CONTROL_DEFAULTS.minimumBps,
      maximumBps: CONTROL_DEFAULTS.maximumBps,
      bearerType: BearerType.Either,
      framingType: FramingType.Either,
      receiveWindowSize: this.cfg.receiveWindow,
      processingDelay: this.cfg.processingDelay,
      phoneNumber: this.cfg.phoneNumber,
      subaddress: this.cfg.subaddress,
    });
    this.timers.set('reply', now + this.cfg.replyTimeoutMs);
    this.timers.set('echo-idle', now + this.cfg.echoIdleMs);
  }

  private onOutgoingCallReply(now: number, m: OutgoingCallReply): void {
    this.timers.clear('reply');
    if (m.resultCode !== OutgoingCallResult.Connected) {
      const words = describeResult('OutgoingCallReply', m.resultCode, m.errorCode);
      this.beginStop(
        now,
        makeFailure('control-refused', `The server refused the call: ${words}.`, {
          message: 'OutgoingCallReply',
          resultCode: m.resultCode,
          errorCode: m.errorCode,
          causeCode: m.causeCode,
        }),
      );
      return;
    }
    this.callInfo = {
      callId: this.ourCallId,
      peerCallId: m.callId,
      callSerialNumber: this.callSerialNumber,
      receiveWindow: this.cfg.receiveWindow,
      peerReceiveWindow: m.receiveWindowSize,
      peerProcessingDelay: m.processingDelay,
      connectSpeed: m.connectSpeed,
      physicalChannelId: m.physicalChannelId,
    };
    this.currentState = 'established';
    this.emit({ type: 'call-connected', call: this.callInfo });
  }

  private onCallDisconnectNotify(now: number, m: CallDisconnectNotify): void {
    if (this.currentState !== 'established' && this.currentState !== 'wait-cdn') return this.unexpected(m.kind);
    // Hung up before OCRP: we never learned the server's Call ID, and we have only one call.
    const known = this.callInfo !== undefined;
    if (known && !this.isOurCall(m.callId)) return this.wrongCall(m.kind, m.callId);
    if (this.currentState === 'wait-cdn') {
      this.beginStop(now, undefined);
      return;
    }
    const words = describeResult('CallDisconnectNotify', m.resultCode, m.errorCode);
    this.emit({
      type: 'call-disconnected',
      resultCode: m.resultCode,
      errorCode: m.errorCode,
      causeCode: m.causeCode,
      words,
      callStatistics: m.callStatistics,
    });
    this.beginStop(
      now,
      makeFailure('peer-disconnected', `The server disconnected the call: ${words}.`, {
        message: 'CallDisconnectNotify',
        resultCode: m.resultCode,
        errorCode: m.errorCode,
        causeCode: m.causeCode,
      }),
    );
  }

  /** The server sends Call-Clear-Request (normally ours to send): answer CDN, then stop. */
  private onServerCallClear(now: number, m: CallClearRequest): void {
    if (this.currentState !== 'established') return this.unexpected(m.kind);
    if (!this.isOurCall(m.callId)) return this.wrongCall(m.kind, m.callId);
    const words = 'the server asked to clear the call';
    this.send({
      kind: 'CallDisconnectNotify',
      callId: this.ourCallId,
      resultCode: CallDisconnectResult.Request,
      errorCode: GeneralError.None,
      causeCode: 0,
      callStatistics: '',
    });
    this.emit({
      type: 'call-disconnected',
      resultCode: CallDisconnectResult.Request,
      errorCode: GeneralError.None,
      causeCode: 0,
      words,
      callStatistics: '',
    });
    this.beginStop(
      now,
      makeFailure('peer-disconnected', `The server disconnected the call: ${words}.`, { message: 'CallClearRequest' }),
    );
  }

  private onStopRequest(m: StopControlConnectionRequest): void {
    if (this.currentState === 'idle') return this.unexpected(m.kind);
    this.send({ kind: 'StopControlConnectionReply', resultCode: StopControlResult.Ok, errorCode: GeneralError.None });
    if (this.currentState === 'wait-cdn' || this.currentState === 'wait-stopccrp') {
      this.finish(this.stopFailure);
      return;
    }
    this.finish(
      makeFailure('peer-disconnected', `The server closed the PPTP control connection: ${stopReasonWords(m.reason)}.`, {
        message: 'StopControlConnectionRequest',
        reason: m.reason,
      }),
    );
  }

  // ---- timers ----------------------------------------------------------------------------

  private onReplyTimeout(now: number): void {
    const seconds = this.cfg.replyTimeoutMs / 1000;
    if (this.currentState === 'wait-sccrp') {
      this.finish(
        makeFailure('protocol-error', `The server did not answer the Start-Control-Connection-Request within ${seconds} s.`, {
          waitingFor: 'StartControlConnectionReply',
          timeoutMs: this.cfg.replyTimeoutMs,
        }),
      );
    } else if (this.currentState === 'wait-ocrp') {
      this.beginStop(
        now,
        makeFailure('protocol-error', `The server did not answer the Outgoing-Call-Request within ${seconds} s.`, {
          waitingFor: 'OutgoingCallReply',
          timeoutMs: this.cfg.replyTimeoutMs,
        }),
      );
    }
  }

  private onTeardownTimeout(now: number): void {
    if (this.currentState === 'wait-cdn') this.beginStop(now, undefined);
    else if (this.currentState === 'wait-stopccrp') this.finish(this.stopFailure);
  }

  private onEchoIdle(now: number): void {
    if (this.currentState !== 'wait-ocrp' && this.currentState !== 'established') return;
    const identifier = this.nextEchoIdentifier;
    this.nextEchoIdentifier = (this.nextEchoIdentifier + 1) >>> 0;
    this.outstandingEcho = { identifier, sentAt: now };
    this.stats.echoRequestsSent++;
    this.send({ kind: 'EchoRequest', identifier });
    this.timers.set('echo-reply', now + this.cfg.echoReplyTimeoutMs);
  }

  /** RFC 2637 §3.1.4: any message received shows the peer is alive. */
  private noteLiveness(now: number): void {
    this.timers.clear('echo-reply');
    if (this.currentState === 'wait-ocrp' || this.currentState === 'established') {
      this.timers.set('echo-idle', now + this.cfg.echoIdleMs);
    }
  }

  private stopEcho(): void {
    this.timers.clear('echo-idle');
    this.timers.clear('echo-reply');
  }

  // ---- helpers ---------------------------------------------------------------------------

  private beginStop(now: number, failure: Failure | undefined): void {
    this.stopFailure = failure ?? this.stopFailure;
    this.send({ kind: 'StopControlConnectionRequest', reason: StopControlReason.None });
    this.currentState = 'wait-stopccrp';
    this.timers.clear('reply');
    this.stopEcho();
    this.timers.set('teardown', now + this.cfg.teardownTimeoutMs);
  }

  private finish(failure: Failure | undefined): void {
    if (this.currentState === 'closed') return;
    this.currentState = 'closed';
    this.timers.clearAll();
    this.closeFailure = failure;
    this.emit(failure ? { type: 'closed', failure } : { type: 'closed' });
  }

  private isClosed(): boolean {
    return this.currentState === 'closed';
  }

  private controlUp(): boolean {
    return this.currentState === 'wait-ocrp' || this.currentState === 'established';
  }

  private isOurCall(id: number): boolean {
    return id === this.ourCallId || (this.callInfo !== undefined && id === this.callInfo.peerCallId);
  }

  private unexpected(kind: ControlMessageKind): void {
    this.stats.unexpected++;
    this.ignore('unexpected', `${kind} is not expected in state ${this.currentState}`, kind);
  }

  private wrongCall(kind: ControlMessageKind, id: number): void {
    this.stats.wrongCallId++;
    this.ignore('wrong-call-id', `${kind} names call ID ${id}, which is not ours`, kind);
  }

  private ignore(cause: IgnoredCause, message: string, kind?: ControlMessageKind, error?: WireError): void {
    this.emit({
      type: 'ignored',
      cause,
      message,
      ...(kind !== undefined ? { kind } : {}),
      ...(error !== undefined ? { error } : {}),
    });
  }

  private send(m: ControlMessage): void {
    this.stats.messagesSent++;
    this.transmitQueue.push(encodeControlMessage(m));
  }

  private emit(e: ControlEvent): void {
    this.eventQueue.push(e);
  }
}
