/**
 * LCP (RFC 1661) for the client side of a PPTP link: the option handlers the automaton calls
 * (pppd's lcp.c callbacks), LCP's extra codes (Protocol-Reject, Echo, Discard) and the echo
 * keepalive. Per-option rules live in the sibling files (mru, accm, auth-protocol, magic,
 * compression); this file composes them and keeps what was negotiated.
 *
 * Owns: our LCP request (MRU, ACCM 0, Magic-Number, PFC, ACFC; never Authentication-Protocol:
 * we are the authenticatee), the verdicts on the server's request, and LcpNegotiated.
 * Must not: frame packets, run authentication or decide the link's phases (link.ts does).
 */
import type { Failure } from '../../failure';
import type { RandomSource } from '../../random';
import { ByteWriter, readU16, readU32 } from '../../wire/bytes';
import type { AuthMethodName } from '../auth/auth-client';
import type {
  ExtraCodeVerdict,
  FsmFinishCause,
  FsmLayer,
  FsmTiming,
  NonConvergence,
  OptionVerdict,
  ReplyVerdict,
  RequestCheck,
} from '../fsm';
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
import { DEFAULT_ACCM, OUR_ACCM, accmAfterNak, accmOption, checkPeerAccm } from './accm';
import type { AuthSelection } from './auth-protocol';
import { checkPeerAuth } from './auth-protocol';
import { acfcOption, checkPeerEmptyOption, pfcOption } from './compression';
import type { LcpEchoConfig } from './echo';
import { LcpKeepalive } from './echo';
import { MAX_LOOPBACK_SUSPICIONS, checkPeerMagic, magicOption, newMagic } from './magic';
import { DEFAULT_MRU, checkPeerMru, mruAfterNak, mruOption } from './mru';
import {
  LCP_OPT_ACCM,
  LCP_OPT_ACFC,
  LCP_OPT_AUTH_PROTOCOL,
  LCP_OPT_MAGIC_NUMBER,
  LCP_OPT_MRU,
  LCP_OPT_PFC,
  lcpOptionName,
} from './options';

export interface LcpConfig {
  /** The MRU we ask for (what the peer may send us). */
  readonly mru: number;
  readonly allowedAuth: readonly AuthMethodName[];
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

interface OurOptions {
  mru: number | undefined;
  accm: number | undefined;
  magic: number | undefined;
  pfc: boolean;
  acfc: boolean;
}

interface PeerOptions {
  mru: number;
  accm: number;
  auth: AuthSelection | null;
  magic: number;
  pfc: boolean;
  acfc: boolean;
}

const PEER_DEFAULTS: PeerOptions = { mru: DEFAULT_MRU, accm: DEFAULT_ACCM, auth: null, magic: 0, pfc: false, acfc: false };

export class Lcp implements FsmLayer {
  readonly name = 'LCP';
  readonly fsm: Fsm;
  readonly keepalive: LcpKeepalive;
  /** Set when we refused the server's authentication protocol (for the failure message). */
  authRefusal: string | undefined;
  loopbackSuspicions = 0;
  echoRequestsSent = 0;
  ignoredPackets = 0;

  private ours: OurOptions;
  private acked: OurOptions;
  private peer: PeerOptions = PEER_DEFAULTS;
  private negotiated: LcpNegotiated | undefined;

  constructor(
    private readonly config: LcpConfig,
    private readonly sink: LcpSink,
  ) {
    this.ours = this.wanted();
    this.acked = this.ours;
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
    this.ours = this.wanted();
    this.loopbackSuspicions = 0;
  }

  private wanted(): OurOptions {
    return {
      // RFC 1661 §6.1: no need to send the default.
      mru: this.config.mru === DEFAULT_MRU ? undefined : this.config.mru,
      accm: OUR_ACCM,
      magic: newMagic(this.config.random),
      pfc: true,
      acfc: true,
    };
  }

  buildRequest(): PppOption[] {
    const o: PppOption[] = [];
    if (this.ours.mru !== undefined) o.push(mruOption(this.ours.mru));
    if (this.ours.accm !== undefined) o.push(accmOption(this.ours.accm));
    if (this.ours.magic !== undefined) o.push(magicOption(this.ours.magic));
    if (this.ours.pfc) o.push(pfcOption());
    if (this.ours.acfc) o.push(acfcOption());
    return o;
  }

  onAck(): void {
    this.acked = { ...this.ours };
  }

  onNak(now: number, options: readonly PppOption[], treatAsReject: boolean): ReplyVerdict {
    if (treatAsReject) return this.onReject(now, options.filter((o) => this.isInOurRequest(o.type)));
    for (const o of options) {
      switch (o.type) {
        case LCP_OPT_MRU:
          if (this.ours.mru !== undefined || o.data.length === 2) this.ours.mru = mruAfterNak(o, this.config.mru);
          break;
        case LCP_OPT_ACCM:
          this.ours.accm = accmAfterNak(o);
          break;
        case LCP_OPT_MAGIC_NUMBER: {
          // RFC 1661 §6.4: a Nak of our magic means the peer saw its own number: pick another.
          this.loopbackSuspicions++;
          if (this.loopbackSuspicions >= MAX_LOOPBACK_SUSPICIONS) return this.loopedBack(now);
          this.ours.magic = newMagic(this.config.random, this.ours.magic);
          break;
        }
        case LCP_OPT_PFC:
          this.ours.pfc = false;
          break;
        case LCP_OPT_ACFC:
          this.ours.acfc = false;
          break;
        default:
          break; // a hint for something we do not want (e.g. Authentication-Protocol): ignored
      }
    }
    return 'ok';
  }

  private isInOurRequest(type: number): boolean {
    return this.buildRequest().some((o) => o.type === type);
  }

  onReject(_now: number, options: readonly PppOption[]): ReplyVerdict {
    for (const o of options) {
      if (o.type === LCP_OPT_MRU) this.ours.mru = undefined;
      else if (o.type === LCP_OPT_ACCM) this.ours.accm = undefined;
      else if (o.type === LCP_OPT_MAGIC_NUMBER) this.ours.magic = undefined;
      else if (o.type === LCP_OPT_PFC) this.ours.pfc = false;
      else if (o.type === LCP_OPT_ACFC) this.ours.acfc = false;
    }
    return 'ok';
  }

  // ---- FsmLayer: the peer's request -----------------------------------------------------------

  checkRequest(_now: number, options: readonly PppOption[]): RequestCheck {
    const seen = new Set<number>();
    const next: PeerOptions = { ...PEER_DEFAULTS };
    const verdicts: OptionVerdict[] = options.map((o) => {
      if (seen.has(o.type)) return { kind: 'reject' }; // an option given twice
      seen.add(o.type);
      switch (o.type) {
        case LCP_OPT_MRU: {
          const v = checkPeerMru(o);
          if (v.kind === 'ack') next.mru = readU16(o.data, 0);
          return v;
        }
        case LCP_OPT_ACCM: {
          const v = checkPeerAccm(o);
          if (v.kind === 'ack') next.accm = readU32(o.data, 0);
          return v;
        }
        case LCP_OPT_AUTH_PROTOCOL: {
          const c = checkPeerAuth(o, this.config.allowedAuth);
          if (c.selection) next.auth = c.selection;
          if (c.refusal) this.authRefusal = c.refusal;
          return c.verdict;
        }
        case LCP_OPT_MAGIC_NUMBER: {
          const c = checkPeerMagic(o, this.ours.magic, this.config.random);
          if (c.loopbackSuspected) this.loopbackSuspicions++;
          if (c.peerMagic !== undefined) next.magic = c.peerMagic;
          return c.verdict;
        }
        case LCP_OPT_PFC:
        case LCP_OPT_ACFC: {
          const v = checkPeerEmptyOption(o);
          if (v.kind === 'ack') next[o.type === LCP_OPT_PFC ? 'pfc' : 'acfc'] = true;
          return v;
        }
        default:
          // Quality-Protocol, Callback (13), multilink (17/18/19) and anything unknown.
          return { kind: 'reject' };
      }
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
      this.sink.failure(now, { reason: 'auth-failed', message: this.authRefusal, detail: { layer: 'LCP' } });
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
