/**
 * LCP (RFC 1661) for the client side of a PPTP link: the callbacks the automaton calls (pppd's
 * lcp.c), LCP's extra codes (Protocol-Reject, Echo, Discard) and the echo keepalive. Each
 * option's rules live in its own file (mru, accm, auth-protocol, magic, compression) as a handler
 * in option-table.ts; this file walks that table (no per-option switch) and keeps what was
 * negotiated. A type with no handler is Configure-Rejected (RFC 1661 §5.4).
 *
 * Owns: our LCP request as a whole, the request-level rules (an option given twice is rejected;
 * only a request Ack'd as a whole sets the peer's values), loopback failure, and LcpNegotiated.
 * Must not: frame packets, run authentication or decide the link's phases (link.ts does).
 */
import type { AuthMethod } from '../../../../preload/vocabulary';
import type { Failure } from '../../failure';
import type { RandomSource } from '../../random';
import { ByteWriter, readU16, readU32 } from '../../wire/bytes';
import type {
  ExtraCodeVerdict,
  FsmFinishCause,
  FsmLayer,
  FsmTiming,
  NonConvergence,
  OptionVerdict,
  ReplyVerdict,
  RequestCheck,
} from '../fsm-contract';
import { Fsm } from '../fsm';
import type { ControlPacket, PppOption } from '../packet';
import {
  CODE_DISCARD_REQUEST,
  CODE_ECHO_REPLY,
  CODE_ECHO_REQUEST,
  CODE_IDENTIFICATION,
  CODE_PROTOCOL_REJECT,
  CODE_TIME_REMAINING,
} from '../packet';
import { PPP_PROTO_LCP, protocolName } from '../protocol';
import { refusalFailure, type Refusal } from '../refusal';
import { DEFAULT_ACCM } from './accm';
import type { LcpEchoConfig } from './echo';
import { LcpKeepalive } from './echo';
import { DEFAULT_MRU } from './mru';
import type { AuthSelection, LcpOptionContext, LcpOurRequest, LcpPeerOptions } from './option-handler';
import { LCP_OPTION_HANDLERS, lcpOptionHandler } from './option-table';
import { LCP_OPT_AUTH_PROTOCOL, lcpOptionName } from './options';

export interface LcpConfig {
  /** The MRU we ask for (what the peer may send us). */
  readonly mru: number;
  readonly allowedAuth: readonly AuthMethod[];
  readonly random: RandomSource;
  readonly echo: LcpEchoConfig;
  readonly timing?: Partial<FsmTiming>;
  readonly trace?: boolean;
}

/** What LCP settled, reported in the link's lcp-up event. */
export interface LcpNegotiated {
  /** What the peer may send us (our MRU as Ack'd; 1500 when not negotiated). */
  readonly mru: number;
  /** What we may send (the peer's MRU; 1500 when it did not say). */
  readonly peerMru: number;
  /** The method the server made us use, or null when it asked for none. */
  readonly auth: AuthSelection | null;
  /** send: the map the peer asked us to use; receive: ours. No effect over GRE (accm.ts). */
  readonly accm: { readonly send: number; readonly receive: number };
  /** send: we compress what we send (the peer asked); receive: the peer may compress. */
  readonly pfc: { readonly send: boolean; readonly receive: boolean };
  readonly acfc: { readonly send: boolean; readonly receive: boolean };
  readonly magic: { readonly ours: number; readonly peer: number };
}

/** What LCP tells the link (after pppd's lcp callbacks). */
export interface LcpSink {
  transmit(info: Uint8Array): void;
  up(now: number, negotiated: LcpNegotiated): void;
  down(now: number): void;
  finished(now: number, cause: FsmFinishCause): void;
  /** A failure the link must end with (it sends the Terminate-Request). */
  failure(now: number, failure: Failure): void;
  /** The peer Protocol-Rejected one of ours (RXJ+): stop sending it. */
  protocolRejected(now: number, protocol: number): void;
  /** The peer sent a Terminate-Request; `text` is its Data as printable text (pppd sends a reason). */
  peerTerminate(now: number, text: string): void;
}

const PEER_DEFAULTS: LcpPeerOptions = { mru: DEFAULT_MRU, accm: DEFAULT_ACCM, auth: null, magic: 0, pfc: false, acfc: false };

export class Lcp implements FsmLayer {
  readonly name = 'LCP';
  readonly fsm: Fsm;
  readonly keepalive: LcpKeepalive;
  /** Set when we refused the server's authentication protocol (the cause if LCP then fails). */
  authRefusal: Refusal | undefined;
  loopbackSuspicions = 0;
  echoRequestsSent = 0;
  ignoredPackets = 0;

  /** Our request as it stands (changed in place by the option handlers on Nak and Reject). */
  private readonly ours: LcpOurRequest;
  private acked: LcpOurRequest;
  private peer: LcpPeerOptions = PEER_DEFAULTS;
  private negotiated: LcpNegotiated | undefined;
  /** What the option handlers see of this layer. */
  private readonly options: LcpOptionContext;

  constructor(
    private readonly config: LcpConfig,
    private readonly sink: LcpSink,
  ) {
    this.ours = { mru: undefined, accm: undefined, magic: undefined, pfc: false, acfc: false };
    this.options = {
      wantedMru: config.mru,
      allowedAuth: config.allowedAuth,
      random: config.random,
      ours: this.ours,
      suspectLoopback: () => ++this.loopbackSuspicions,
      refuseAuth: (refusal) => {
        this.authRefusal = refusal;
      },
    };
    Object.assign(this.ours, this.wanted());
    this.acked = { ...this.ours };
    this.keepalive = new LcpKeepalive(config.echo);
    this.fsm = new Fsm(PPP_PROTO_LCP, this, (p) => sink.transmit(p), {
      ...(config.timing ? { timing: config.timing } : {}),
      ...(config.trace ? { trace: true } : {}),
      maxPacket: () => this.peer.mru,
    });
  }

  /** The values LCP settled on; undefined until LCP is Opened. */
  get result(): LcpNegotiated | undefined {
    return this.negotiated;
  }

  get ourMagic(): number {
    return this.acked.magic ?? 0;
  }

  // ---- FsmLayer: our request ------------------------------------------------------------------

  resetOptions(): void {
    Object.assign(this.ours, this.wanted());
    this.loopbackSuspicions = 0;
  }

  /** A fresh request: what each option handler wants at the start of a negotiation. */
  private wanted(): LcpOurRequest {
    const request: LcpOurRequest = { mru: undefined, accm: undefined, magic: undefined, pfc: false, acfc: false };
    for (const h of LCP_OPTION_HANDLERS) h.want(request, this.options);
    return request;
  }

  buildRequest(): PppOption[] {
    return LCP_OPTION_HANDLERS.flatMap((h) => h.encode(this.ours) ?? []);
  }

  onAck(): void {
    this.acked = { ...this.ours };
  }

  onNak(now: number, options: readonly PppOption[], treatAsReject: boolean): ReplyVerdict {
    if (treatAsReject) return this.onReject(now, options.filter((o) => this.isInOurRequest(o.type)));
    for (const o of options) {
      // An option without a handler is a hint for something we do not do: ignored.
      if (lcpOptionHandler(o.type)?.onNak(o, this.options) === 'looped-back') return this.loopedBack(now);
    }
    return 'ok';
  }

  private isInOurRequest(type: number): boolean {
    return this.buildRequest().some((o) => o.type === type);
  }

  onReject(_now: number, options: readonly PppOption[]): ReplyVerdict {
    for (const o of options) lcpOptionHandler(o.type)?.onReject(this.options);
    return 'ok';
  }

  // ---- FsmLayer: the peer's request -----------------------------------------------------------

  checkRequest(_now: number, options: readonly PppOption[]): RequestCheck {
    const seen = new Set<number>();
    const next: LcpPeerOptions = { ...PEER_DEFAULTS };
    const verdicts: OptionVerdict[] = options.map((o) => {
      if (seen.has(o.type)) return { kind: 'reject' }; // an option given twice
      seen.add(o.type);
      const handler = lcpOptionHandler(o.type);
      // RFC 1661 §5.4: an option we do not handle (Quality-Protocol, Callback, multilink, unknown).
      if (!handler) return { kind: 'reject' };
      return handler.checkRequest(o, this.options, next);
    });
    // Only a request we Ack as a whole says what the peer gets (pppd keeps "his" options).
    if (verdicts.every((v) => v.kind === 'ack')) this.peer = next;
    return { verdicts };
  }

  // ---- FsmLayer: layer actions ----------------------------------------------------------------

  up(now: number): void {
    this.negotiated = {
      mru: this.acked.mru ?? DEFAULT_MRU,
      peerMru: this.peer.mru,
      auth: this.peer.auth,
      accm: { send: this.peer.accm, receive: this.acked.accm ?? DEFAULT_ACCM },
      pfc: { send: this.peer.pfc, receive: this.acked.pfc },
      acfc: { send: this.peer.acfc, receive: this.acked.acfc },
      magic: { ours: this.acked.magic ?? 0, peer: this.peer.magic },
    };
    this.keepalive.start(now);
    this.sink.up(now, this.negotiated);
  }

  down(now: number): void {
    this.keepalive.stop();
    this.negotiated = undefined;
    this.sink.down(now);
  }

  started(): void {}

  finished(now: number, cause: FsmFinishCause): void {
    this.keepalive.stop();
    this.sink.finished(now, cause);
  }

  notConverging(now: number, detail: NonConvergence): void {
    const names = detail.optionTypes.map(lcpOptionName).join(', ') || 'no options named';
    if (this.authRefusal && detail.optionTypes.includes(LCP_OPT_AUTH_PROTOCOL)) {
      this.sink.failure(now, refusalFailure(this.authRefusal));
      return;
    }
    const message =
      detail.direction === 'ours'
        ? `LCP did not converge: the server refused our Configure-Request ${detail.rounds} times (last: ${names}).`
        : `LCP did not converge: we refused the server's Configure-Request ${detail.rounds} times (last: ${names}).`;
    this.sink.failure(now, { reason: 'negotiation-failed', message, detail: { layer: 'LCP', options: names } });
  }

  private loopedBack(now: number): ReplyVerdict {
    this.sink.failure(now, {
      reason: 'negotiation-failed',
      message: `The PPP link appears to be looped back (our Magic-Number came back ${this.loopbackSuspicions} times).`,
      detail: { layer: 'LCP', option: 'Magic-Number' },
    });
    return 'fatal';
  }

  // ---- extra codes ----------------------------------------------------------------------------

  handleExtraCode(now: number, packet: ControlPacket): ExtraCodeVerdict {
    switch (packet.code) {
      case CODE_PROTOCOL_REJECT: {
        // RFC 1661 §5.7: only meaningful in Opened; elsewhere silently discarded.
        if (!this.fsm.isOpened || packet.data.length < 2) {
          this.ignoredPackets++;
          return 'handled';
        }
        const protocol = readU16(packet.data, 0);
        if (protocol === PPP_PROTO_LCP) return 'rxj-';
        this.sink.protocolRejected(now, protocol);
        return 'rxj+';
      }
      case CODE_ECHO_REQUEST:
      case CODE_DISCARD_REQUEST:
        return 'rxr';
      case CODE_ECHO_REPLY: {
        const magic = packet.data.length >= 4 ? readU32(packet.data, 0) : 0;
        // An Echo-Reply carrying our own magic is our request looped back, not an answer.
        if (this.fsm.isOpened && !(magic !== 0 && magic === this.ourMagic)) this.keepalive.noteEchoReply();
        return 'rxr';
      }
      case CODE_IDENTIFICATION:
      case CODE_TIME_REMAINING:
        this.ignoredPackets++; // RFC 1570: informational, may be ignored
        return 'handled';
      default:
        return 'unknown';
    }
  }

  echoReply(request: ControlPacket): Uint8Array {
    // RFC 1661 §5.8: our Magic-Number, then the request's data, within the peer's MRU.
    const rest = request.data.subarray(Math.min(4, request.data.length));
    const room = Math.max(0, this.peer.mru - 4 - 4);
    const body = rest.subarray(0, room);
    return new ByteWriter(4 + body.length).u32(this.ourMagic).bytesFrom(body).finish();
  }

  onTerminateRequest(now: number, packet: ControlPacket): void {
    this.sink.peerTerminate(now, printable(packet.data, 128));
  }

  onCodeReject(_now: number, rejectedCode: number): void {
    if (rejectedCode === CODE_ECHO_REQUEST) this.keepalive.stop(); // the peer does not do Echo
  }

  // ---- keepalive and Protocol-Reject ----------------------------------------------------------

  nextTimeout(): number | undefined {
    const a = this.fsm.nextTimeout();
    const b = this.keepalive.nextTimeout();
    if (a === undefined) return b;
    if (b === undefined) return a;
    return Math.min(a, b);
  }

  handleTimeout(now: number): void {
    this.fsm.handleTimeout(now);
    const tick = this.keepalive.handleTimeout(now);
    if (tick === 'send-echo' && this.fsm.isOpened) {
      this.echoRequestsSent++;
      this.fsm.sendPacket(CODE_ECHO_REQUEST, new ByteWriter(4).u32(this.ourMagic).finish());
    } else if (tick === 'failed') {
      const e = this.config.echo;
      const detail = e.mode === 'off' ? '' : ` (${e.failures} Echo-Requests, ${e.intervalMs / 1000} s apart)`;
      this.sink.failure(now, {
        reason: 'keepalive-timeout',
        message: `The server stopped answering LCP Echo-Requests${detail}.`,
        detail: { layer: 'LCP' },
      });
    }
  }

  /** RFC 1661 §5.7: reject a protocol we do not run (only in Opened). Returns false when not sent. */
  sendProtocolReject(protocol: number, info: Uint8Array): boolean {
    if (!this.fsm.isOpened) return false;
    const room = Math.max(0, this.peer.mru - 4 - 2);
    const body = info.subarray(0, room);
    this.fsm.sendPacket(CODE_PROTOCOL_REJECT, new ByteWriter(2 + body.length).u16(protocol).bytesFrom(body).finish());
    return true;
  }

  describeProtocol(protocol: number): string {
    return protocolName(protocol);
  }
}

/** Printable ASCII of at most `max` octets, other octets as '?'. */
function printable(data: Uint8Array, max: number): string {
  let out = '';
  for (const c of data.subarray(0, max)) out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  return out;
}
