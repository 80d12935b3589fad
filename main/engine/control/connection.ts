/**
 * The client (PNS) side of the PPTP control connection, RFC 2637 §2 and §3 — sans-I/O.
 * This file is its public face and its dispatcher: it owns the API below and the two tables
 * that say what every input does; the actions live beside it, one job per file:
 *   ./control-lifecycle.ts  SCCRQ/SCCRP, stop, teardown, TCP close, broken streams
 *   ./call.ts               the outgoing call: OCRQ/OCRP, clear, CDN, SLI, WEN, refusals
 *   ./keepalive.ts          Echo-Request/Reply (RFC 2637 §3.1.4)
 *   ./failures.ts           each ending in words (result and error codes via ./codes.ts)
 *   ./connection-core.ts    the shared state, queues and timers; ./connection-config.ts
 * Message layouts are in ./encode.ts and ./decode.ts, the public types in ./events.ts.
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
import type { Failure } from '../failure';
import { randomU32 } from '../random';
import {
  clearCall,
  onCallDisconnectNotify,
  onOutgoingCallReply,
  onServerCallClear,
  onSetLinkInfo,
  onWanErrorNotify,
  refuseIncomingCallRequest,
  refuseOutgoingCallRequest,
} from './call';
import { resolveControlConfig } from './connection-config';
import { ControlCore } from './connection-core';
import {
  closeControl,
  onReplyTimeout,
  onStartReply,
  onStopReply,
  onStopRequest,
  onTeardownTimeout,
  onTransportClosed,
  onWireError,
  startControl,
} from './control-lifecycle';
import type { CallInfo, ControlConnectionConfig, ControlCounters, ControlEvent, ControlState, PeerInfo, WanErrorCounters } from './events';
import type { TransportClose } from './failures';
import { ControlFramer } from './framer';
import { ControlKeepalive } from './keepalive';
import type { ControlMessage } from './messages';

export class ControlConnection {
  private readonly core: ControlCore;
  private readonly keepalive: ControlKeepalive;
  private readonly framer = new ControlFramer();

  constructor(config: ControlConnectionConfig) {
    this.core = new ControlCore(resolveControlConfig(config), config.random);
    this.keepalive = new ControlKeepalive(this.core, randomU32(config.random));
  }

  // ---- getters ---------------------------------------------------------------------------

  get state(): ControlState {
    return this.core.state;
  }

  /** Our Call ID (chosen at construction; sent in OCRQ). */
  get callId(): number {
    return this.core.ourCallId;
  }

  /** The server's SCCRP details, once 'control-connected'. */
  get peer(): PeerInfo | undefined {
    return this.core.peerInfo;
  }

  /** The call, once 'call-connected'. */
  get call(): CallInfo | undefined {
    return this.core.callInfo;
  }

  /** The last Set-Link-Info ACCMs (RFC 2637 §2.15), if any arrived. */
  get linkInfo(): { readonly sendAccm: number; readonly receiveAccm: number } | undefined {
    return this.core.accm;
  }

  /** The last WAN-Error-Notify counters (RFC 2637 §2.14), if any arrived. */
  get lastWanErrors(): WanErrorCounters | undefined {
    return this.core.wanErrors;
  }

  /** The failure the connection closed with (undefined while open, or after a clean close). */
  get failure(): Failure | undefined {
    return this.core.closeFailure;
  }

  get counters(): Readonly<ControlCounters> {
    return { ...this.core.stats };
  }

  // ---- outputs ---------------------------------------------------------------------------

  /** The next control message for the TCP socket, or undefined. */
  pollTransmit(): Uint8Array | undefined {
    return this.core.transmitQueue.shift();
  }

  pollEvent(): ControlEvent | undefined {
    return this.core.eventQueue.shift();
  }

  /** The absolute time (ms) at which `handleTimeout` must be called, or undefined. */
  nextTimeout(): number | undefined {
    return this.core.timers.nextTimeout();
  }

  // ---- commands --------------------------------------------------------------------------

  /** TCP is connected: send Start-Control-Connection-Request (RFC 2637 §2.1). */
  start(now: number): void {
    startControl(this.core, now);
  }

  /** The user hangs up: clear the call (RFC 2637 §2.12), then stop the control connection. */
  hangUp(now: number): void {
    switch (this.core.state) {
      case 'idle':
      case 'wait-sccrp':
        this.core.finish(undefined);
        return;
      case 'wait-ocrp':
      case 'established':
        clearCall(this.core, now);
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
    closeControl(this.core, now, options.graceful);
  }

  // ---- inputs ----------------------------------------------------------------------------

  /** Bytes read from the TCP socket, any chunking. */
  handleBytes(now: number, chunk: Uint8Array): void {
    if (this.core.isClosed()) return;
    for (const item of this.framer.push(chunk)) {
      if (this.core.isClosed()) return; // a message before this one ended the connection
      if (item.ok) this.handleMessage(now, item.value);
      else onWireError(this.core, item.error);
    }
  }

  /** The TCP connection closed (FIN, RST or error) under us; `close` says which (default: the server's FIN). */
  handleTransportClosed(_now: number, close: TransportClose = { kind: 'fin' }): void {
    this.framer.end();
    onTransportClosed(this.core, close);
  }

  handleTimeout(now: number): void {
    for (const key of this.core.timers.expire(now)) {
      if (this.core.isClosed()) return;
      switch (key) {
        case 'reply':
          onReplyTimeout(this.core, now);
          break;
        case 'teardown':
          onTeardownTimeout(this.core, now);
          break;
        case 'echo-idle':
          this.keepalive.onIdle(now);
          break;
        case 'echo-reply':
          this.keepalive.onReplyTimeout();
          break;
      }
    }
  }

  // ---- receive path: one row of the table per message kind ------------------------------

  private handleMessage(now: number, m: ControlMessage): void {
    const core = this.core;
    core.stats.messagesReceived++;
    this.keepalive.noteLiveness(now);
    switch (m.kind) {
      case 'EchoRequest':
        return this.keepalive.answerRequest(m);
      case 'EchoReply':
        return this.keepalive.handleReply(now, m);
      case 'StartControlConnectionReply':
        if (core.state === 'wait-sccrp') onStartReply(core, now, m);
        else core.unexpected(m.kind);
        return;
      case 'StopControlConnectionRequest':
        return onStopRequest(core, m);
      case 'StopControlConnectionReply':
        return onStopReply(core, m.kind);
      case 'OutgoingCallReply':
        if (core.state !== 'wait-ocrp') core.unexpected(m.kind);
        else if (m.peerCallId !== core.ourCallId) core.wrongCall(m.kind, m.peerCallId);
        else onOutgoingCallReply(core, now, m);
        return;
      case 'CallDisconnectNotify':
        return onCallDisconnectNotify(core, now, m);
      case 'CallClearRequest':
        return onServerCallClear(core, now, m);
      case 'SetLinkInfo':
        return onSetLinkInfo(core, m);
      case 'WanErrorNotify':
        return onWanErrorNotify(core, m);
      case 'OutgoingCallRequest':
        return refuseOutgoingCallRequest(core, m);
      case 'IncomingCallRequest':
        return refuseIncomingCallRequest(core, m);
      case 'StartControlConnectionRequest':
      case 'IncomingCallReply':
      case 'IncomingCallConnected':
        return core.unexpected(m.kind);
    }
  }
}
