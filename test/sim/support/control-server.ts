/**
 * A scripted PPTP control-connection server (the PAC side of RFC 2637) for simulations. Pure
 * and sans-I/O like the engine: bytes in with `handleBytes(now, …)`, bytes out with
 * `pollTransmit()`, `nextTimeout()` / `handleTimeout(now)` for its own echo timer, and
 * `pollClose()` when it wants its TCP socket closed. It owns no socket, no clock, no GRE.
 *
 * By default it behaves like the real Debian pptpd 1.4 (see shared/notes/pptpd-peer.md):
 *  - SCCRP: result 1, framing 0, bearer 0, max channels 1, firmware 0x0001, host "local",
 *    vendor "linux";
 *  - OCRP: result 1, its call IDs 0, 128, 256, … (one per call it accepts), connect speed
 *    10000000, receive window 64, processing delay 0;
 *  - Call-Clear-Request: it closes TCP without a Call-Disconnect-Notify;
 *  - Stop-Control-Connection-Request: it replies, then closes TCP;
 *  - Echo-Request: answered.
 * The script makes it hostile: refuse (any result/error code), stay silent, corrupt every
 * message it sends (`mangle`), greet with garbage, inject extra or unexpected messages after
 * any client message (`after`), or be driven by hand (`send`, `sendRaw`, `disconnectCall`,
 * `stopControl`, `closeTransport`).
 *
 * Driver order (test/sim/support/control-pair.ts does this): `handleConnected(now)` when the
 * client's TCP connects; then for every input drain `pollTransmit()` and check `pollClose()`.
 */
import { encodeControlMessage } from '../../../main/engine/control/encode';
import { ControlFramer } from '../../../main/engine/control/framer';
import {
  CallDisconnectResult,
  GeneralError,
  StopControlReason,
  type ControlMessageKind,
} from '../../../main/engine/control/constants';
import type {
  ControlMessage,
  OutgoingCallReply,
  OutgoingCallRequest,
  StartControlConnectionReply,
} from '../../../main/engine/control/messages';
import type { WireError } from '../../../main/engine/wire/wire-error';

/** The values the real pptpd puts in its Start-Control-Connection-Reply (pptpd-peer.md). */
export const PPTPD_START_REPLY: Omit<StartControlConnectionReply, 'kind'> = {
  protocolVersion: 0x0100,
  resultCode: 1,
  errorCode: 0,
  framingCapabilities: 0,
  bearerCapabilities: 0,
  maximumChannels: 1,
  firmwareRevision: 0x0001,
  hostName: 'local',
  vendorString: 'linux',
};

/** The values the real pptpd puts in its Outgoing-Call-Reply (the call IDs come from the server). */
export const PPTPD_CALL_REPLY: Omit<OutgoingCallReply, 'kind' | 'callId' | 'peerCallId'> = {
  resultCode: 1,
  errorCode: 0,
  causeCode: 0,
  connectSpeed: 10_000_000,
  receiveWindowSize: 64,
  processingDelay: 0,
  physicalChannelId: 0,
};

export interface ControlServerScript {
  /** How to answer SCCRQ: pptpd's values (default), overrides of them, or silence. */
  readonly startReply?: 'pptpd' | 'silent' | Partial<Omit<StartControlConnectionReply, 'kind'>>;
  /** How to answer OCRQ: pptpd's values (default), overrides of them, or silence. */
  readonly callReply?: 'pptpd' | 'silent' | Partial<Omit<OutgoingCallReply, 'kind' | 'peerCallId'>>;
  /** The server's first call ID (pptpd: 0) and the step between calls (pptpd: 128). */
  readonly firstCallId?: number;
  readonly callIdStep?: number;
  /** On Call-Clear-Request: close TCP like pptpd (default), send CDN like RFC 2637 §2.12, or do nothing. */
  readonly onCallClear?: 'close-transport' | 'disconnect-notify' | 'silent';
  /** On Stop-Control-Connection-Request: reply then close TCP (default), reply only, or nothing. */
  readonly onStopRequest?: 'reply-and-close' | 'reply' | 'silent';
  /** Answer the client's Echo-Requests (default true). */
  readonly answerEchoes?: boolean;
  /** Send our own Echo-Request after this long without hearing from the client (default: never). */
  readonly echoIdleMs?: number;
  /** Send Set-Link-Info with these ACCMs right after a successful OCRP (default: not sent). */
  readonly setLinkInfo?: { readonly sendAccm: number; readonly receiveAccm: number };
  /** Bytes sent as soon as TCP connects, before anything else (e.g. garbage). */
  readonly greeting?: Uint8Array;
  /**
   * Messages (or raw bytes) sent after the server has handled a client message of this kind,
   * e.g. `{ OutgoingCallRequest: [someUnexpectedMessage] }`.
   */
  readonly after?: Partial<Record<ControlMessageKind, readonly (ControlMessage | Uint8Array)[]>>;
  /** Rewrites the bytes of every message the server sends (wrong lengths, bad cookie, …). */
  readonly mangle?: (bytes: Uint8Array, message: ControlMessage) => Uint8Array;
}

export type ControlServerState = 'listening' | 'wait-sccrq' | 'control-up' | 'call-up' | 'closed';

export interface ServerCall {
  readonly serverCallId: number;
  readonly clientCallId: number;
  readonly clientReceiveWindow: number;
  readonly clientCallSerialNumber: number;
}

export class ControlServer {
  /** Every well-formed message the client sent, in order. */
  readonly received: ControlMessage[] = [];
  /** Every framing/decoding error in the client's bytes (a correct client leaves this empty). */
  readonly malformed: WireError[] = [];
  /** Every call the server accepted. */
  readonly calls: ServerCall[] = [];

  private currentState: ControlServerState = 'listening';
  private readonly framer = new ControlFramer();
  private readonly out: Uint8Array[] = [];
  private wantsClose = false;
  private nextCallId: number;
  private echoDeadline: number | undefined;
  private nextEchoId = 0x5000;
  private readonly script: ControlServerScript;

  constructor(script: ControlServerScript = {}) {
    this.script = script;
    this.nextCallId = script.firstCallId ?? 0;
  }

  get state(): ControlServerState {
    return this.currentState;
  }

  /** The call currently up, if any. */
  get currentCall(): ServerCall | undefined {
    return this.currentState === 'call-up' ? this.calls[this.calls.length - 1] : undefined;
  }

  /** Kinds of the client's messages, in order (handy in assertions). */
  get receivedKinds(): ControlMessageKind[] {
    return this.received.map((m) => m.kind);
  }

  // ---- outputs -------------------------------------------------------------------------

  pollTransmit(): Uint8Array | undefined {
    return this.out.shift();
  }

  /** True once the server has decided to close its TCP socket (after its queued bytes). */
  pollClose(): boolean {
    return this.wantsClose;
  }

  nextTimeout(): number | undefined {
    return this.currentState === 'closed' ? undefined : this.echoDeadline;
  }

  // ---- inputs --------------------------------------------------------------------------

  /** The client's TCP connection was accepted. */
  handleConnected(now: number): void {
    if (this.currentState !== 'listening') return;
    this.currentState = 'wait-sccrq';
    if (this.script.greeting) this.out.push(this.script.greeting);
    this.armEcho(now);
  }

  handleBytes(now: number, bytes: Uint8Array): void {
    if (this.currentState === 'closed') return;
    for (const item of this.framer.push(bytes)) {
      if (item.ok) this.handleMessage(now, item.value);
      else this.malformed.push(item.error);
    }
  }

  handleTransportClosed(_now: number): void {
    this.currentState = 'closed';
    this.echoDeadline = undefined;
    this.out.length = 0;
  }

  handleTimeout(now: number): void {
    if (this.echoDeadline === undefined || now < this.echoDeadline || this.currentState === 'closed') return;
    this.send({ kind: 'EchoRequest', identifier: this.nextEchoId++ });
    this.echoDeadline = undefined; // one outstanding at a time; re-armed by the client's next message
  }

  // ---- scripted commands ---------------------------------------------------------------

  /** Sends any message (through `mangle`, if scripted). */
  send(message: ControlMessage): void {
    if (this.currentState === 'closed' || this.wantsClose) return;
    const bytes = encodeControlMessage(message);
    this.out.push(this.script.mangle ? this.script.mangle(bytes, message) : bytes);
  }

  /** Sends raw bytes exactly as given. */
  sendRaw(bytes: Uint8Array): void {
    if (this.currentState === 'closed' || this.wantsClose) return;
    this.out.push(bytes);
  }

  /** The server hangs up the current call: Call-Disconnect-Notify (RFC 2637 §2.13). */
  disconnectCall(resultCode: number = CallDisconnectResult.AdminShutdown, errorCode: number = GeneralError.None): void {
    const call = this.currentCall;
    if (!call) return;
    this.send({ kind: 'CallDisconnectNotify', callId: call.serverCallId, resultCode, errorCode, causeCode: 0, callStatistics: '' });
    this.currentState = 'control-up';
  }

  /** The server ends the control connection: Stop-Control-Connection-Request (RFC 2637 §2.3). */
  stopControl(reason: number = StopControlReason.StopLocalShutdown): void {
    this.send({ kind: 'StopControlConnectionRequest', reason });
  }

  /** The server closes its TCP socket (after what is already queued). */
  closeTransport(): void {
    this.wantsClose = true;
  }

  // ---- behaviour -----------------------------------------------------------------------

  private handleMessage(now: number, m: ControlMessage): void {
    this.received.push(m);
    this.armEcho(now);
    switch (m.kind) {
      case 'StartControlConnectionRequest':
        this.onStartRequest();
        break;
      case 'OutgoingCallRequest':
        this.onOutgoingCallRequest(m);
        break;
      case 'CallClearRequest':
        this.onCallClear(m.callId);
        break;
      case 'StopControlConnectionRequest':
        this.onStopRequest();
        break;
      case 'EchoRequest':
        if (this.script.answerEchoes ?? true) {
          this.send({ kind: 'EchoReply', identifier: m.identifier, resultCode: 1, errorCode: 0 });
        }
        break;
      case 'StopControlConnectionReply':
        // The reply to our stopControl(): pptpd closes the socket.
        this.closeTransport();
        break;
      default:
        break;
    }
    for (const extra of this.script.after?.[m.kind] ?? []) {
      if (extra instanceof Uint8Array) this.sendRaw(extra);
      else this.send(extra);
    }
  }

  private onStartRequest(): void {
    const script = this.script.startReply ?? 'pptpd';
    if (this.currentState !== 'wait-sccrq' || script === 'silent') return;
    const reply: StartControlConnectionReply = {
      kind: 'StartControlConnectionReply',
      ...PPTPD_START_REPLY,
      ...(script === 'pptpd' ? {} : script),
    };
    this.send(reply);
    if (reply.resultCode === 1) this.currentState = 'control-up';
    else this.closeTransport(); // RFC 2637 §2.2: a refused control connection is closed
  }

  private onOutgoingCallRequest(m: OutgoingCallRequest): void {
    const script = this.script.callReply ?? 'pptpd';
    if (this.currentState !== 'control-up' || script === 'silent') return;
    const serverCallId = this.nextCallId & 0xffff;
    const reply: OutgoingCallReply = {
      kind: 'OutgoingCallReply',
      callId: serverCallId,
      peerCallId: m.callId,
      ...PPTPD_CALL_REPLY,
      ...(script === 'pptpd' ? {} : script),
    };
    this.send(reply);
    if (reply.resultCode !== 1) return;
    this.nextCallId += this.script.callIdStep ?? 128;
    this.calls.push({
      serverCallId: reply.callId,
      clientCallId: m.callId,
      clientReceiveWindow: m.receiveWindowSize,
      clientCallSerialNumber: m.callSerialNumber,
    });
    this.currentState = 'call-up';
    if (this.script.setLinkInfo) {
      this.send({ kind: 'SetLinkInfo', peerCallId: m.callId, ...this.script.setLinkInfo });
    }
  }

  private onCallClear(clientCallId: number): void {
    const call = this.currentCall;
    const mode = this.script.onCallClear ?? 'close-transport';
    if (!call || call.clientCallId !== clientCallId || mode === 'silent') return;
    if (mode === 'close-transport') {
      this.closeTransport(); // what pptpd does
      return;
    }
    this.send({
      kind: 'CallDisconnectNotify',
      callId: call.serverCallId,
      resultCode: CallDisconnectResult.Request,
      errorCode: GeneralError.None,
      causeCode: 0,
      callStatistics: '',
    });
    this.currentState = 'control-up';
  }

  private onStopRequest(): void {
    const mode = this.script.onStopRequest ?? 'reply-and-close';
    if (mode === 'silent') return;
    this.send({ kind: 'StopControlConnectionReply', resultCode: 1, errorCode: GeneralError.None });
    if (mode === 'reply-and-close') this.closeTransport();
  }

  private armEcho(now: number): void {
    if (this.script.echoIdleMs !== undefined) this.echoDeadline = now + this.script.echoIdleMs;
  }
}
