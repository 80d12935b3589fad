/**
 * PppPeer: a scripted SERVER-side PPP endpoint for simulations, behaving by default like the real
 * pptpd + pppd 2.4.9 described in shared/notes/pptpd-peer.md, built on the engine's own RFC 1661
 * automaton (main/engine/ppp/fsm.ts) with server-side option handlers.
 *
 * Default behaviour (pppd with require-mschap-v2 require-mppe-128 ms-dns 192.168.77.1):
 *  - LCP request: ACCM 0, Authentication-Protocol MS-CHAPv2 (c223/81), Magic-Number, PFC, ACFC
 *    (no MRU: 1500). Acks the client's MRU/ACCM/Magic/PFC/ACFC, rejects anything else, Naks a
 *    magic equal to its own.
 *  - Authentication through a pluggable PeerAuthenticator (the server half of the method; the
 *    real ones are in test/sim/support/authenticators/). Without one the peer demands nothing.
 *  - CCP request: MPPE 128-bit stateless (S|H); acks a client request within `acceptBits`, Naks
 *    anything else with its offer; takes a client's Nak when within `acceptBits`. A client
 *    Reject of MPPE makes it terminate ("MPPE required but peer refused").
 *  - IPCP request: IP-Address 192.168.77.1. Naks the client's 0.0.0.0 with 192.168.77.10 and its
 *    DNS/WINS zeros with the configured servers; rejects the ones it has not got.
 *  - IPV6CP: one Configure-Request (Interface-Identifier) when the network phase starts; a
 *    Protocol-Reject of it is recorded in `observed.protocolRejects`.
 *  - Data: IP packets both ways, MPPE-encrypted once CCP is up (server keys = the
 *    authenticator's SERVER-perspective mppeKeys: send = client receive).
 *
 * API (all inputs take the virtual `now`; outputs are polled, like the engine):
 *   const peer = new PppPeer({ random: seededRandom(7), authenticator, dns: ['192.168.77.1'] });
 *   peer.start(now)                    lower layer up: LCP Open + Up (the server starts too)
 *   peer.handleFrame(now, frame)       a PPP frame from the client (also handleDatagram)
 *   peer.pollFrame()                   a PPP frame to the client (also pollDatagram)
 *   peer.handleTimeout(now) / peer.nextTimeout()
 *   peer.sendIpPacket(now, ip) / peer.pollIpPacket()
 *   peer.sendRawFrame(protocol, info)  inject any frame (uncompressed header)
 *   peer.sendLcpPacket(code, data, id?) an LCP packet outside the automaton (echo, unknown codes)
 *   peer.sendCcpResetRequest()         CCP Reset-Request (stateful MPPE tests)
 *   peer.terminate(now, reason)        LCP Terminate-Request from the server
 * An authenticator with repeatChallenge() gets it called every restart period (3 s, at most
 * Max-Configure times) until it decides, as pppd's CHAP retransmission does.
 *   peer.lcp / peer.ccp / peer.ipcp    the server-side automata (state, counters)
 *   peer.observed                      what the client did: auth result, negotiated values,
 *                                      Code-Rejects / Protocol-Rejects / Terminate-Requests seen
 * It implements the sim harness endpoint contract (test/sim/harness/pair.ts) with PPP frames as
 * the datagrams, so `new Pair(clientAdapter, peer)` runs a whole PPP session.
 *
 * Other server families: extraLcpOptions (+ extraLcpOptionsOnReject 'drop', as RRAS),
 * omitLcpOptions / rejectClientLcpOptions (MikroTik refuses ACCM, PFC, ACFC); presets in
 * server-families.ts.
 *
 * Config switches for hostile servers (PppPeerHostility): silent, lyingOptionLengths,
 * endlessNak, unknownCodes, codeRejectConfigure, ignoreEcho, rejectCcp ('protocol-reject' |
 * 'reject-mppe'), and `rewrite` for anything else.
 */
import type { FsmFinishCause, FsmLayer, NonConvergence, OptionVerdict, ReplyVerdict, RequestCheck, ExtraCodeVerdict, FsmTiming } from '../../../main/engine/ppp/fsm';
import { Fsm } from '../../../main/engine/ppp/fsm';
import type { ControlPacket, PppOption } from '../../../main/engine/ppp/packet';
import {
  CODE_CONFIGURE_ACK,
  CODE_CONFIGURE_NAK,
  CODE_CONFIGURE_REJECT,
  CODE_CONFIGURE_REQUEST,
  CODE_CODE_REJECT,
  CODE_ECHO_REPLY,
  CODE_ECHO_REQUEST,
  CODE_PROTOCOL_REJECT,
  CODE_RESET_ACK,
  CODE_RESET_REQUEST,
  encodeControlPacket,
  encodeOptions,
  optionEmpty,
  optionU16,
  optionU32,
  optionValueU16,
  optionValueU32,
  optionsEqual,
} from '../../../main/engine/ppp/packet';
import { decodeFrame, decodeProtocolAndInfo, encodeFrame } from '../../../main/engine/ppp/frame';
import type { FrameCompression } from '../../../main/engine/ppp/frame';
import {
  PPP_PROTO_CCP,
  PPP_PROTO_COMPRESSED,
  PPP_PROTO_IP,
  PPP_PROTO_IPCP,
  PPP_PROTO_IPV6CP,
  PPP_PROTO_LCP,
  PPP_PROTO_SPAP,
} from '../../../main/engine/ppp/protocol';
import { authOption } from '../../../main/engine/ppp/lcp/auth-protocol';
import type { AuthMethod, MppeKeyBits } from '../../../preload/vocabulary';
import type { RandomSource } from '../../../main/engine/random';
import { randomU32 } from '../../../main/engine/random';
import { readU16 } from '../../../main/engine/wire/bytes';
import { ipv4ToString, parseIpv4 } from '../../../main/engine/ppp/ipcp/options';
import { CCP_OPT_MPPE, MPPE_BIT_H, MPPE_BIT_L, MPPE_BIT_M, MPPE_BIT_S } from '../../../main/engine/ppp/ccp/mppe-option';
import type { MppeDecryptor, MppeEncryptor, MppeParams } from '../../../main/engine/ppp/mppe-contract';
import { createMppeDecryptor, createMppeEncryptor } from '../../../main/engine/ppp/mppe';

/** The server half of an authentication method (same shape as authenticators/types.ts SimAuthenticator). */
export interface PeerAuthenticator {
  readonly protocol: number;
  start(now: number): void;
  handlePacket(now: number, info: Uint8Array): void;
  pollTransmit(): Uint8Array | undefined;
  /** mppeKeys from the SERVER's point of view: send = what the server encrypts with. */
  pollResult(): { ok: boolean; mppeKeys?: { send: Uint8Array; receive: Uint8Array } } | undefined;
  /** Optional: resend the challenge (called every restart period until a result, like pppd's CHAP timer). */
  repeatChallenge?(): void;
}

export interface PppPeerHostility {
  /** Never send anything. */
  readonly silent?: boolean;
  /** Every LCP Configure-Request carries an option whose Length overruns the packet. */
  readonly lyingOptionLengths?: boolean;
  /** Nak every client LCP Configure-Request with this option (default MRU 64), forever. */
  readonly endlessNak?: boolean | PppOption;
  /** Send an unknown LCP code instead of every Configure-Ack. */
  readonly unknownCodes?: boolean;
  /** Code-Reject the client's LCP Configure-Requests. */
  readonly codeRejectConfigure?: boolean;
  /** Do not answer LCP Echo-Requests. */
  readonly ignoreEcho?: boolean;
  /** Refuse CCP: Protocol-Reject it, or Configure-Reject the client's MPPE option. */
  readonly rejectCcp?: 'protocol-reject' | 'reject-mppe';
  /** Last word on every outgoing frame: return the frames to send instead (may be empty). */
  readonly rewrite?: (protocol: number, info: Uint8Array) => { protocol: number; info: Uint8Array }[];
}

export interface PppPeerConfig {
  readonly random: RandomSource;
  /** What the LCP Authentication-Protocol option demands. Default: the authenticator's, or MS-CHAPv2. */
  readonly authDemand?: AuthMethod | 'spap' | 'none';
  /** Methods the server will switch to when the client Naks (pppd: what it is allowed to require). */
  readonly authAlternatives?: readonly AuthMethod[];
  /**
   * A Nak suggesting a method the server may not use: 'keep-asking' (default) repeats the same
   * request; 'stop-asking' is real pppd (lcp.c lcp_nakci stops asking for that protocol, so LCP
   * opens without authentication, and auth.c link_established then closes LCP with "peer
   * refused to authenticate").
   */
  readonly authNakUnusable?: 'keep-asking' | 'stop-asking';
  readonly authenticator?: PeerAuthenticator;
  /** The MRU the server puts in its request (default none = 1500). */
  readonly mru?: number;
  /** Extra options in the server's LCP request (e.g. Callback, to test rejection). */
  readonly extraLcpOptions?: readonly PppOption[];
  /**
   * What the server does when the client Configure-Rejects one of `extraLcpOptions`: insist
   * (default: send it again, as a server that requires it) or drop it from the next request (as
   * RRAS drops Callback, MRRU and the discriminators a client rejects).
   */
  readonly extraLcpOptionsOnReject?: 'insist' | 'drop';
  /** LCP option types the server leaves out of its own request (MikroTik: ACCM 2, PFC 7, ACFC 8). */
  readonly omitLcpOptions?: readonly number[];
  /** LCP option types the server Configure-Rejects in the client's request (MikroTik: ACCM, PFC, ACFC). */
  readonly rejectClientLcpOptions?: readonly number[];
  /** MPPE Supported Bits the server offers (default S|H: 128-bit stateless). */
  readonly mppeOffer?: number;
  /** Key lengths/modes the server accepts from the client (default: exactly the offer's). */
  readonly acceptBits?: number;
  /** Run CCP at all (default true). */
  readonly ccp?: boolean;
  readonly localIp?: string;
  readonly assignIp?: string;
  readonly dns?: readonly string[];
  readonly wins?: readonly string[];
  /** Ask for VJ compression in the server's IPCP request. */
  readonly ipcpRequestVj?: boolean;
  /** Send an IPV6CP Configure-Request (default true, as pppd does). */
  readonly sendIpv6cp?: boolean;
  readonly timing?: Partial<FsmTiming>;
  readonly hostile?: PppPeerHostility;
  readonly createMppeEncryptor?: (key: Uint8Array, params: MppeParams) => MppeEncryptor;
  readonly createMppeDecryptor?: (key: Uint8Array, params: MppeParams) => MppeDecryptor;
}

export interface PppPeerObserved {
  lcpUp: boolean;
  /** The client's LCP request as Ack'd. */
  clientMru: number | undefined;
  clientMagic: number | undefined;
  clientPfc: boolean;
  clientAcfc: boolean;
  authDemanded: number | undefined;
  authResult: boolean | undefined;
  mppe: MppeParams | undefined;
  ipcpUp: boolean;
  /** What the client asked for in its last IPCP request, type -> value. */
  clientIpcpRequest: Map<number, number>;
  codeRejects: number[];
  protocolRejects: number[];
  terminateRequests: number;
  echoRequests: number;
  echoReplies: number;
  resetRequests: number;
  plainIpReceived: number;
  encryptedIpReceived: number;
  decryptErrors: number;
  finished: FsmFinishCause[];
}

const DEFAULT_ENDLESS_NAK = optionU16(1, 64);
const text = new TextEncoder();

function bitsFor(params: MppeParams): number {
  const length = params.bits === 128 ? MPPE_BIT_S : params.bits === 56 ? MPPE_BIT_M : MPPE_BIT_L;
  return length | (params.stateful ? 0 : MPPE_BIT_H);
}

/** Exactly one key length (and no other bit but H) -> params, else undefined. */
function singleChoice(bits: number): MppeParams | undefined {
  const lengths: [number, MppeKeyBits][] = [
    [MPPE_BIT_S, 128],
    [MPPE_BIT_M, 56],
    [MPPE_BIT_L, 40],
  ];
  const present = lengths.filter(([b]) => (bits & b) !== 0);
  if (present.length !== 1) return undefined;
  if ((bits & ~(MPPE_BIT_H | present[0]![0])) !== 0) return undefined;
  return { bits: present[0]![1], stateful: (bits & MPPE_BIT_H) === 0 };
}

export class PppPeer {
  readonly lcp: Fsm;
  readonly ccp: Fsm;
  readonly ipcp: Fsm;
  readonly observed: PppPeerObserved = {
    lcpUp: false,
    clientMru: undefined,
    clientMagic: undefined,
    clientPfc: false,
    clientAcfc: false,
    authDemanded: undefined,
    authResult: undefined,
    mppe: undefined,
    ipcpUp: false,
    clientIpcpRequest: new Map(),
    codeRejects: [],
    protocolRejects: [],
    terminateRequests: 0,
    echoRequests: 0,
    echoReplies: 0,
    resetRequests: 0,
    plainIpReceived: 0,
    encryptedIpReceived: 0,
    decryptErrors: 0,
    finished: [],
  };
  /** Every frame received, as decoded (protocol + info copy). */
  readonly framesIn: { protocol: number; info: Uint8Array }[] = [];
  /** Every frame sent, before any rewrite. */
  readonly framesOut: { protocol: number; info: Uint8Array }[] = [];

  private readonly frames: Uint8Array[] = [];
  private readonly ipPackets: Uint8Array[] = [];
  private readonly magic: number;
  private auth: AuthMethod | 'spap' | 'none';
  private authDone = false;
  private serverKeys: { send: Uint8Array; receive: Uint8Array } | undefined;
  private mppeOffer: number;
  private encryptor: MppeEncryptor | undefined;
  private decryptor: MppeDecryptor | undefined;
  private networkStarted = false;
  private vjWanted: boolean;
  private peerSendCompression: FrameCompression = { pfc: false, acfc: false };
  private authRetryAt: number | undefined;
  private authRetries = 0;

  constructor(private readonly config: PppPeerConfig) {
    this.magic = randomU32(config.random) || 0x5eed;
    this.auth = config.authDemand ?? (config.authenticator ? 'mschapv2' : 'none');
    this.mppeOffer = config.mppeOffer ?? MPPE_BIT_S | MPPE_BIT_H;
    this.vjWanted = config.ipcpRequestVj ?? false;
    const timing = config.timing ? { timing: config.timing } : {};
    this.lcp = new Fsm(PPP_PROTO_LCP, this.lcpLayer(this), (p) => this.send(PPP_PROTO_LCP, p), timing);
    this.ccp = new Fsm(PPP_PROTO_CCP, this.ccpLayer(this), (p) => this.send(PPP_PROTO_CCP, p), timing);
    this.ipcp = new Fsm(PPP_PROTO_IPCP, this.ipcpLayer(this), (p) => this.send(PPP_PROTO_IPCP, p), timing);
  }

  // ---- driver API -----------------------------------------------------------------------------

  start(now: number): void {
    this.lcp.open(now);
    this.lcp.up(now);
  }

  handleFrame(now: number, bytes: Uint8Array): void {
    const f = decodeFrame(bytes);
    if (!f.ok) return;
    const { protocol, info } = f.value;
    this.framesIn.push({ protocol, info: info.slice() });
    switch (protocol) {
      case PPP_PROTO_LCP:
        if (this.config.hostile?.codeRejectConfigure && info[0] === CODE_CONFIGURE_REQUEST) {
          this.lcp.sendPacket(CODE_CODE_REJECT, info);
          return;
        }
        return this.lcp.handlePacket(now, info);
      case PPP_PROTO_CCP:
        if (this.config.hostile?.rejectCcp === 'protocol-reject' || this.config.ccp === false) {
          return this.protocolReject(protocol, info);
        }
        return this.ccp.handlePacket(now, info);
      case PPP_PROTO_IPCP:
        return this.ipcp.handlePacket(now, info);
      case PPP_PROTO_IP:
        this.observed.plainIpReceived++;
        if (this.observed.ipcpUp) this.ipPackets.push(info.slice());
        return;
      case PPP_PROTO_COMPRESSED: {
        if (!this.decryptor) return;
        const r = this.decryptor.decrypt(info);
        if (this.decryptor.takeResetRequest()) this.sendCcpResetRequest();
        if (!r.ok) {
          this.observed.decryptErrors++;
          return;
        }
        const inner = decodeProtocolAndInfo(r.value);
        if (inner.ok && inner.value.protocol === PPP_PROTO_IP) {
          this.observed.encryptedIpReceived++;
          this.ipPackets.push(inner.value.info.slice());
        }
        return;
      }
      default:
        if (this.config.authenticator && protocol === this.config.authenticator.protocol) {
          if (this.authDone || !this.lcp.isOpened) return;
          this.config.authenticator.handlePacket(now, info);
          this.drainAuth(now);
          return;
        }
        this.protocolReject(protocol, info);
    }
  }

  pollFrame(): Uint8Array | undefined {
    return this.frames.shift();
  }

  handleTimeout(now: number): void {
    if (this.authRetryAt !== undefined && now >= this.authRetryAt) this.retryAuth(now);
    this.lcp.handleTimeout(now);
    this.ccp.handleTimeout(now);
    this.ipcp.handleTimeout(now);
  }

  nextTimeout(): number | undefined {
    const all = [this.authRetryAt, this.lcp.nextTimeout(), this.ccp.nextTimeout(), this.ipcp.nextTimeout()].filter(
      (t): t is number => t !== undefined,
    );
    return all.length ? Math.min(...all) : undefined;
  }

  // SimEndpoint aliases (PPP frames as the datagrams).
  handleDatagram(now: number, bytes: Uint8Array): void {
    this.handleFrame(now, bytes);
  }

  pollDatagram(): Uint8Array | undefined {
    return this.pollFrame();
  }

  sendIpPacket(_now: number, ip: Uint8Array): void {
    if (this.encryptor) {
      const plain = new Uint8Array(2 + ip.length);
      plain[1] = PPP_PROTO_IP;
      plain.set(ip, 2);
      this.send(PPP_PROTO_COMPRESSED, this.encryptor.encrypt(plain));
    } else {
      this.send(PPP_PROTO_IP, ip);
    }
  }

  pollIpPacket(): Uint8Array | undefined {
    return this.ipPackets.shift();
  }

  sendRawFrame(protocol: number, info: Uint8Array): void {
    this.frames.push(encodeFrame(protocol, info, { pfc: false, acfc: false }));
  }

  sendLcpPacket(code: number, data: Uint8Array, identifier?: number): number {
    return this.lcp.sendPacket(code, data, identifier);
  }

  sendCcpResetRequest(): void {
    this.ccp.sendPacket(CODE_RESET_REQUEST, new Uint8Array(0));
  }

  terminate(now: number, reason: string): void {
    this.lcp.close(now, text.encode(reason));
  }

  // ---- output ---------------------------------------------------------------------------------

  private send(protocol: number, info: Uint8Array): void {
    this.framesOut.push({ protocol, info: info.slice() });
    const h = this.config.hostile;
    if (h?.silent) return;
    let out = [{ protocol, info }];
    if (protocol === PPP_PROTO_LCP) out = out.map((f) => ({ protocol, info: this.lcpHostility(f.info) }));
    if (h?.rewrite) out = out.flatMap((f) => h.rewrite!(f.protocol, f.info));
    for (const f of out) {
      const compression = protocol === PPP_PROTO_LCP ? { pfc: false, acfc: false } : this.peerSendCompression;
      this.frames.push(encodeFrame(f.protocol, f.info, compression));
    }
  }

  private lcpHostility(info: Uint8Array): Uint8Array {
    const h = this.config.hostile;
    const code = info[0];
    if (h?.lyingOptionLengths && code === CODE_CONFIGURE_REQUEST && info.length > 5) {
      const lying = info.slice();
      lying[5] = 0xf0; // the first option's Length overruns the packet
      return lying;
    }
    if (h?.endlessNak && (code === CODE_CONFIGURE_ACK || code === CODE_CONFIGURE_NAK || code === CODE_CONFIGURE_REJECT)) {
      // Whatever the automaton decided, the client's request is Nak'd again.
      const suggest = h.endlessNak === true ? DEFAULT_ENDLESS_NAK : h.endlessNak;
      return encodeControlPacket({ code: CODE_CONFIGURE_NAK, identifier: info[1]!, data: encodeOptions([suggest]) });
    }
    if (h?.unknownCodes && code === CODE_CONFIGURE_ACK) {
      const odd = info.slice();
      odd[0] = 0x30; // an unknown code where the Ack should be
      return odd;
    }
    return info;
  }

  private protocolReject(protocol: number, info: Uint8Array): void {
    if (!this.lcp.isOpened) return;
    const body = new Uint8Array(2 + Math.min(info.length, 1400));
    body[0] = protocol >> 8;
    body[1] = protocol & 0xff;
    body.set(info.subarray(0, body.length - 2), 2);
    this.lcp.sendPacket(CODE_PROTOCOL_REJECT, body);
  }

  // ---- phases ---------------------------------------------------------------------------------

  private onLcpUp(now: number): void {
    this.observed.lcpUp = true;
    const a = this.config.authenticator;
    if (this.auth === 'none' || !a) {
      this.authDone = true;
      this.startNetwork(now);
      return;
    }
    a.start(now);
    if (a.repeatChallenge) this.authRetryAt = now + this.lcp.timing.restartMs;
    this.drainAuth(now);
  }

  private retryAuth(now: number): void {
    const a = this.config.authenticator;
    if (!a?.repeatChallenge || this.authDone || this.authRetries >= this.lcp.timing.maxConfigure) {
      this.authRetryAt = undefined;
      return;
    }
    this.authRetries++;
    a.repeatChallenge();
    this.authRetryAt = now + this.lcp.timing.restartMs;
    this.drainAuth(now);
  }

  private drainAuth(now: number): void {
    const a = this.config.authenticator;
    if (!a) return;
    for (let p = a.pollTransmit(); p; p = a.pollTransmit()) this.send(a.protocol, p);
    const r = a.pollResult();
    if (!r || this.authDone) return;
    this.authDone = true;
    this.authRetryAt = undefined;
    this.observed.authResult = r.ok;
    if (!r.ok) {
      this.lcp.close(now, text.encode('Authentication failed'));
      return;
    }
    this.serverKeys = r.mppeKeys;
    this.startNetwork(now);
  }

  private startNetwork(now: number): void {
    if (this.networkStarted) return;
    this.networkStarted = true;
    if (this.config.ccp !== false && this.config.hostile?.rejectCcp !== 'protocol-reject') {
      this.ccp.open(now);
      this.ccp.up(now);
    }
    this.ipcp.open(now);
    this.ipcp.up(now);
    if (this.config.sendIpv6cp ?? true) {
      // RFC 5072 §4.1 Interface-Identifier (type 1, 8 octets), as pppd sends it.
      const opts = encodeOptions([{ type: 1, data: this.config.random(8) }]);
      this.send(PPP_PROTO_IPV6CP, encodeControlPacket({ code: CODE_CONFIGURE_REQUEST, identifier: 1, data: opts }));
    }
  }

  // ---- LCP (server side) ----------------------------------------------------------------------

  private lcpLayer(peer: PppPeer): FsmLayer {
    const cfg = this.config;
    const omit = new Set(cfg.omitLcpOptions ?? []);
    const refuse = new Set(cfg.rejectClientLcpOptions ?? []);
    let wantMagic = !omit.has(5);
    let wantAccm = !omit.has(2);
    let wantPfc = !omit.has(7);
    let wantAcfc = !omit.has(8);
    let authRefusedByClient = false;
    let wantMru = cfg.mru !== undefined;
    let extras = [...(cfg.extraLcpOptions ?? [])];
    return {
      name: 'LCP(server)',
      resetOptions() {},
      buildRequest(): PppOption[] {
        const o: PppOption[] = [];
        if (wantMru && cfg.mru !== undefined) o.push(optionU16(1, cfg.mru));
        if (wantAccm) o.push(optionU32(2, 0));
        if (peer.auth === 'spap') o.push({ type: 3, data: Uint8Array.of(PPP_PROTO_SPAP >> 8, PPP_PROTO_SPAP & 0xff) });
        else if (peer.auth !== 'none') o.push(authOption(peer.auth));
        if (wantMagic) o.push(optionU32(5, peer.magic));
        if (wantPfc) o.push(optionEmpty(7));
        if (wantAcfc) o.push(optionEmpty(8));
        o.push(...extras);
        const auth = o.find((x) => x.type === 3);
        peer.observed.authDemanded = auth ? readU16(auth.data, 0) : undefined;
        return o;
      },
      checkRequest(_now: number, options: readonly PppOption[]): RequestCheck {
        let mru: number | undefined;
        let magic: number | undefined;
        let pfc = false;
        let acfc = false;
        const verdicts = options.map((o): OptionVerdict => {
          if (refuse.has(o.type)) return { kind: 'reject' };
          switch (o.type) {
            case 1:
              mru = optionValueU16(o);
              return mru === undefined ? { kind: 'reject' } : { kind: 'ack' };
            case 2:
              return optionValueU32(o) === undefined ? { kind: 'reject' } : { kind: 'ack' };
            case 5: {
              const v = optionValueU32(o);
              if (v === undefined) return { kind: 'reject' };
              if (v === peer.magic) return { kind: 'nak', suggest: optionU32(5, (v + 1) >>> 0) };
              magic = v;
              return { kind: 'ack' };
            }
            case 7:
              pfc = true;
              return { kind: 'ack' };
            case 8:
              acfc = true;
              return { kind: 'ack' };
            default:
              return { kind: 'reject' };
          }
        });
        if (verdicts.every((v) => v.kind === 'ack')) {
          peer.observed.clientMru = mru;
          peer.observed.clientMagic = magic;
          peer.observed.clientPfc = pfc;
          peer.observed.clientAcfc = acfc;
        }
        return { verdicts };
      },
      onAck() {},
      onNak(_now: number, options: readonly PppOption[]): ReplyVerdict {
        for (const o of options) {
          if (o.type === 3) {
            // The client wants another method: switch if we are allowed to (pppd cycles through its list).
            const alt = (cfg.authAlternatives ?? []).find((m) => optionsEqual(authOption(m), o));
            if (alt) peer.auth = alt;
            else if (cfg.authNakUnusable === 'stop-asking') {
              peer.auth = 'none';
              authRefusedByClient = true;
            }
          }
        }
        return 'ok';
      },
      onReject(now: number, options: readonly PppOption[]): ReplyVerdict {
        for (const o of options) {
          if (o.type === 3) {
            peer.lcp.close(now, text.encode('peer refused to authenticate'));
            return 'fatal';
          }
          if (o.type === 1) wantMru = false;
          if (o.type === 2) wantAccm = false;
          if (o.type === 5) wantMagic = false;
          if (o.type === 7) wantPfc = false;
          if (o.type === 8) wantAcfc = false;
          if (cfg.extraLcpOptionsOnReject === 'drop') extras = extras.filter((x) => x.type !== o.type);
        }
        return 'ok';
      },
      up(now: number) {
        peer.peerSendCompression = { pfc: peer.observed.clientPfc, acfc: peer.observed.clientAcfc };
        if (authRefusedByClient) {
          peer.lcp.close(now, text.encode('peer refused to authenticate'));
          return;
        }
        peer.onLcpUp(now);
      },
      down() {
        peer.observed.lcpUp = false;
      },
      started() {},
      finished(_now: number, cause: FsmFinishCause) {
        peer.observed.finished.push(cause);
      },
      notConverging(now: number, _d: NonConvergence) {
        peer.lcp.close(now, text.encode('negotiation did not converge'));
      },
      onTerminateRequest() {
        peer.observed.terminateRequests++;
      },
      handleExtraCode(_now: number, p: ControlPacket): ExtraCodeVerdict {
        if (p.code === CODE_PROTOCOL_REJECT) {
          if (p.data.length >= 2) peer.observed.protocolRejects.push(readU16(p.data, 0));
          return 'handled';
        }
        if (p.code === CODE_ECHO_REQUEST) {
          peer.observed.echoRequests++;
          return cfg.hostile?.ignoreEcho ? 'handled' : 'rxr';
        }
        if (p.code === CODE_ECHO_REPLY) {
          peer.observed.echoReplies++;
          return 'rxr';
        }
        if (p.code === 11) return 'rxr';
        return 'unknown';
      },
      echoReply(req: ControlPacket): Uint8Array {
        const out = new Uint8Array(Math.max(4, req.data.length));
        out.set(req.data.subarray(4), 4);
        out[0] = peer.magic >>> 24;
        out[1] = (peer.magic >>> 16) & 0xff;
        out[2] = (peer.magic >>> 8) & 0xff;
        out[3] = peer.magic & 0xff;
        return out;
      },
      onCodeReject(_now: number, code: number) {
        peer.observed.codeRejects.push(code);
      },
    };
  }

  // ---- CCP (server side) ----------------------------------------------------------------------

  private ccpLayer(peer: PppPeer): FsmLayer {
    const cfg = this.config;
    let clientParams: MppeParams | undefined;
    let ourParams: MppeParams | undefined;
    const accept = (bits: number): MppeParams | undefined => {
      const choice = singleChoice(bits);
      if (!choice) return undefined;
      const mask = cfg.acceptBits ?? peer.mppeOffer;
      return (bitsFor(choice) & ~mask) === 0 ? choice : undefined;
    };
    return {
      name: 'CCP(server)',
      resetOptions() {
        peer.mppeOffer = cfg.mppeOffer ?? MPPE_BIT_S | MPPE_BIT_H;
      },
      buildRequest(): PppOption[] {
        if (cfg.hostile?.rejectCcp === 'reject-mppe') return []; // a server that will not encrypt
        return [optionU32(CCP_OPT_MPPE, peer.mppeOffer)];
      },
      checkRequest(_now: number, options: readonly PppOption[]): RequestCheck {
        let chosen: MppeParams | undefined;
        const verdicts = options.map((o): OptionVerdict => {
          if (o.type !== CCP_OPT_MPPE) return { kind: 'reject' };
          if (cfg.hostile?.rejectCcp === 'reject-mppe') return { kind: 'reject' };
          const v = optionValueU32(o);
          const params = v === undefined ? undefined : accept(v);
          if (!params) return { kind: 'nak', suggest: optionU32(CCP_OPT_MPPE, peer.mppeOffer) };
          chosen = params;
          return { kind: 'ack' };
        });
        if (verdicts.every((v) => v.kind === 'ack')) clientParams = chosen;
        return { verdicts };
      },
      onAck() {
        ourParams = singleChoice(peer.mppeOffer);
      },
      onNak(_now: number, options: readonly PppOption[]): ReplyVerdict {
        const o = options.find((x) => x.type === CCP_OPT_MPPE);
        const v = o ? optionValueU32(o) : undefined;
        if (v !== undefined && accept(v)) peer.mppeOffer = v;
        return 'ok';
      },
      onReject(now: number): ReplyVerdict {
        peer.lcp.close(now, text.encode('MPPE required but peer refused'));
        return 'fatal';
      },
      up() {
        const params = ourParams ?? clientParams;
        peer.observed.mppe = params;
        if (!params || !peer.serverKeys) return;
        const enc = cfg.createMppeEncryptor ?? createMppeEncryptor;
        const dec = cfg.createMppeDecryptor ?? createMppeDecryptor;
        peer.encryptor = enc(peer.serverKeys.send, params);
        peer.decryptor = dec(peer.serverKeys.receive, params);
      },
      down() {
        peer.encryptor = undefined;
        peer.decryptor = undefined;
      },
      started() {},
      finished(_now: number, cause: FsmFinishCause) {
        peer.observed.finished.push(cause);
      },
      notConverging(now: number) {
        peer.lcp.close(now, text.encode('CCP did not converge'));
      },
      handleExtraCode(_now: number, p: ControlPacket): ExtraCodeVerdict {
        if (p.code === CODE_RESET_REQUEST) {
          peer.observed.resetRequests++;
          peer.encryptor?.handleResetRequest();
          peer.ccp.sendPacket(CODE_RESET_ACK, new Uint8Array(0), p.identifier);
          return 'handled';
        }
        if (p.code === CODE_RESET_ACK) return 'handled';
        return 'unknown';
      },
    };
  }

  // ---- IPCP (server side) ---------------------------------------------------------------------

  private ipcpLayer(peer: PppPeer): FsmLayer {
    const cfg = this.config;
    const local = parseIpv4(cfg.localIp ?? '192.168.77.1') ?? 0;
    const assign = parseIpv4(cfg.assignIp ?? '192.168.77.10') ?? 0;
    const dns = (cfg.dns ?? ['192.168.77.1']).map((d) => parseIpv4(d) ?? 0);
    const wins = (cfg.wins ?? []).map((d) => parseIpv4(d) ?? 0);
    const served: Record<number, number | undefined> = { 3: assign, 129: dns[0], 131: dns[1], 130: wins[0], 132: wins[1] };
    return {
      name: 'IPCP(server)',
      resetOptions() {},
      buildRequest(): PppOption[] {
        const o = [optionU32(3, local)];
        // RFC 1332 §3.2: VJ, max slot 15, no slot-id compression.
        if (peer.vjWanted) o.push({ type: 2, data: Uint8Array.of(0x00, 0x2d, 0x0f, 0x00) });
        return o;
      },
      checkRequest(_now: number, options: readonly PppOption[]): RequestCheck {
        peer.observed.clientIpcpRequest = new Map();
        const verdicts = options.map((o): OptionVerdict => {
          const v = optionValueU32(o);
          const want = served[o.type];
          if (v === undefined) return { kind: 'reject' };
          peer.observed.clientIpcpRequest.set(o.type, v);
          if (!(o.type in served) || want === undefined) return { kind: 'reject' };
          if (v === want) return { kind: 'ack' };
          return { kind: 'nak', suggest: optionU32(o.type, want) };
        });
        return { verdicts };
      },
      onAck() {},
      onNak() {
        return 'ok';
      },
      onReject(_now: number, options: readonly PppOption[]): ReplyVerdict {
        if (options.some((o) => o.type === 2)) peer.vjWanted = false;
        return 'ok';
      },
      up() {
        peer.observed.ipcpUp = true;
      },
      down() {
        peer.observed.ipcpUp = false;
      },
      started() {},
      finished(_now: number, cause: FsmFinishCause) {
        peer.observed.finished.push(cause);
      },
      notConverging(now: number) {
        peer.lcp.close(now, text.encode('IPCP did not converge'));
      },
    };
  }
}

export { ipv4ToString };
