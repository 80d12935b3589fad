/**
 * PppLink: the client's whole PPP link over one PPTP call. It composes LCP, the authentication
 * method, CCP/MPPE and IPCP, and fixes their order here and nowhere else (RFC 1661 §3.2):
 *
 *   Dead -> Establish (LCP) -> Authenticate (the method LCP agreed; skipped if none)
 *        -> Network: CCP first; IPCP once CCP is Opened when MPPE is required (pppd does the
 *           same: no NCP, hence no IP packet, before encryption is up), or CCP and IPCP together
 *           when MPPE is optional, or IPCP alone when MPPE is off or no keys exist
 *        -> Terminate -> Dead.
 *
 * Sizes (what `mtu` in ipcp-up means). We ask for MRU 1400 by default. A PPTP data packet on
 * the wire is IPv4 (20) + enhanced GRE with sequence and ack (16) + PPP header (at most 4:
 * FF 03 + 2-octet protocol) + the PPP Information field (<= MRU). On a 1500-octet path the
 * largest clean MRU is 1500 - 20 - 16 - 4 = 1460; 1400 leaves room for PPPoE (8) and similar
 * below us, as Windows and pptp-linux's documented settings do (pppd's own default is 1500,
 * which fragments). The real pptpd/pppd Acks it. With MPPE the Information field is the 2-octet
 * MPPE header + the encrypted 2-octet inner protocol + the IP packet, so
 *   mtu = min(our MRU as Ack'd, the peer's MRU) - 4   (MPPE)
 *   mtu = min(our MRU as Ack'd, the peer's MRU)       (no MPPE)
 * e.g. 1400 vs pptpd's 1500 -> 1396.
 *
 * Policy decisions (the spec is silent on these):
 *  - A Terminate-Request from the server ends the link at once with 'peer-disconnected' (the
 *    Terminate-Ack is already queued); we do not wait out RFC 1661's Stopping period. If it
 *    comes while LCP negotiates after we refused the server's authentication protocol, the
 *    reason is 'auth-failed' with the refusal in words.
 *  - LCP renegotiation after Opened ends the link ('peer-disconnected'): a fresh session is the
 *    reliable recovery; NCP renegotiation is followed (new ipcp-up / ccp-up, new MPPE state).
 *  - We Protocol-Reject every protocol we do not run once LCP is Opened, including IPV6CP
 *    (0x8057) and IPv6 (0x0057): there is no IPv6 inside the tunnel yet.
 *  - MPPE required but the server authenticated with a method without MPPE keys (PAP, CHAP-MD5,
 *    none): 'encryption-refused' before CCP starts.
 *
 * Driver order: start(now) once the call is up; then any of handleFrame(now, frame) (from GRE),
 * handleTimeout(now) (at or after nextTimeout()), sendIpPacket(now, ip) (from the TUN),
 * close(now, reason), setLinkInfoAccm(); after each call drain pollFrame() (to GRE),
 * pollIpPacket() (to the TUN) and pollEvent(), then re-arm the timer from nextTimeout().
 * Nothing here throws on wire input, reads a clock or does I/O.
 */
import type { Failure } from '../failure';
import { TimerTable, earliest } from '../timers';
import type { AuthClient, AuthMethodName, MppeStartKeys } from './auth/auth-client';
import { createAuthClient } from './auth/index';
import { Ccp } from './ccp/ccp';
import { isMppeRequired } from './ccp/mppe-option';
import type { FrameCompression } from './frame';
import { NO_COMPRESSION, decodeFrame, decodeProtocolAndInfo, encodeFrame } from './frame';
import type { FsmFinishCause, FsmTiming } from './fsm';
import { DEFAULT_FSM_TIMING } from './fsm';
import { Ipcp } from './ipcp/ipcp';
import type { IpcpResult } from './ipcp/ipcp';
import { AUTH_METHOD_LABELS } from '../../../preload/vocabulary';
import { DEFAULT_LCP_ECHO } from './lcp/echo';
import type { LcpNegotiated } from './lcp/lcp';
import { Lcp } from './lcp/lcp';
import { OUR_DEFAULT_MRU } from './lcp/mru';
import type { PppLinkConfig, PppLinkCounters, PppLinkEvent, PppPhase } from './link-types';
import { createMppeDecryptor, createMppeEncryptor } from './mppe';
import type { MppeDecryptor, MppeEncryptor, MppeParams } from './mppe-contract';
import { CODE_CONFIGURE_REQUEST } from './packet';
import {
  PPP_PROTO_CCP,
  PPP_PROTO_COMPRESSED,
  PPP_PROTO_IP,
  PPP_PROTO_IPCP,
  PPP_PROTO_LCP,
} from './protocol';
import { copyBytes } from '../wire/bytes';

export type * from './link-types';

/** MPPE overhead inside the Information field: 2-octet header + 2-octet inner protocol (RFC 3078 §3). */
export const MPPE_OVERHEAD = 4;
const DEFAULT_AUTH_TIMEOUT_MS = 60_000;
/**
 * Stateful MPPE: while packets keep arriving unflushed after our Reset-Request, it is sent again
 * at most this often (the Reset-Request itself may be lost; pppd's ccp.c repeats it after its
 * 1 s RACKTIMEOUT while decompression errors continue).
 */
export const RESET_REQUEST_REPEAT_MS = 1_000;
/** Bound on queued outputs: a driver that never polls cannot make the link grow without limit. */
const MAX_QUEUE = 4096;

type Deadline = 'lcp' | 'auth' | 'ccp' | 'ipcp';

interface PendingFailure {
  readonly failure: Failure;
  /** Send an LCP Terminate-Request first (not when the peer already terminated). */
  readonly terminate: boolean;
}

export class PppLink {
  readonly counters: PppLinkCounters = {
    framesIn: 0,
    framesOut: 0,
    malformedFrames: 0,
    droppedWrongPhase: 0,
    ipIn: 0,
    ipOut: 0,
    droppedUnencrypted: 0,
    droppedNotReady: 0,
    droppedTooBig: 0,
    decryptErrors: 0,
    protocolRejectsSent: 0,
    resetRequestsSent: 0,
    droppedAuth: 0,
  };
  readonly lcp: Lcp;
  readonly ccp: Ccp;
  readonly ipcp: Ipcp;

  private currentPhase: PppPhase = 'dead';
  private started = false;
  private readonly timing: FsmTiming;
  private readonly deadlines = new TimerTable<Deadline>();
  private readonly frames: Uint8Array[] = [];
  private readonly ipPackets: Uint8Array[] = [];
  private readonly events: PppLinkEvent[] = [];
  private auth: AuthClient | undefined;
  private authDone = false;
  private authMethod: AuthMethodName | null = null;
  private mppeKeys: MppeStartKeys | undefined;
  private lcpInfo: LcpNegotiated | undefined;
  private ccpRunning = false;
  private ipcpStarted = false;
  private pendingIpcpRequest: Uint8Array | undefined;
  private encryptor: MppeEncryptor | undefined;
  private decryptor: MppeDecryptor | undefined;
  private mppeParams: MppeParams | null = null;
  private ipReady = false;
  private pending: PendingFailure | undefined;
  private terminalFailure: Failure | undefined;
  private linkInfoAccm: { send: number; receive: number } | undefined;
  private lastResetRequestAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly config: PppLinkConfig) {
    this.timing = { ...DEFAULT_FSM_TIMING, ...config.timing };
    const trace = config.trace ?? false;
    this.lcp = new Lcp(
      {
        mru: config.mru ?? OUR_DEFAULT_MRU,
        allowedAuth: config.allowedAuth,
        random: config.random,
        echo: config.lcpEcho ?? DEFAULT_LCP_ECHO,
        timing: this.timing,
        trace,
      },
      {
        transmit: (info) => this.queueFrame(PPP_PROTO_LCP, info),
        up: (now, negotiated) => this.onLcpUp(now, negotiated),
        down: (now) => this.onLcpDown(now),
        finished: (now, cause) => this.onLcpFinished(now, cause),
        failure: (_now, failure) => this.fail(failure, true),
        protocolRejected: (now, protocol) => this.onProtocolRejected(now, protocol),
        peerTerminate: (_now, text) => this.onPeerTerminate(text),
      },
    );
    this.ccp = new Ccp(
      { policy: config.mppe, timing: this.timing, trace },
      {
        transmit: (info) => this.queueFrame(PPP_PROTO_CCP, info),
        up: (now, mppe) => this.onCcpUp(now, mppe),
        down: () => this.stopEncryption(),
        finished: (now, cause) => this.onCcpFinished(now, cause),
        failure: (_now, failure) => this.fail(failure, true),
        resetRequest: () => this.encryptor?.handleResetRequest(),
        resetAck: () => {},
      },
    );
    this.ipcp = new Ipcp(
      { requestWins: config.requestWins ?? true, timing: this.timing, trace },
      {
        transmit: (info) => this.queueFrame(PPP_PROTO_IPCP, info),
        up: (now, result) => this.onIpcpUp(now, result),
        down: () => {
          this.ipReady = false;
        },
        finished: (_now, cause) => this.onNcpFinished('IPCP', cause),
        failure: (_now, failure) => this.fail(failure, true),
      },
    );
  }

  // ---- getters --------------------------------------------------------------------------------

  get phase(): PppPhase {
    return this.currentPhase;
  }

  get isDead(): boolean {
    return this.started && this.currentPhase === 'dead';
  }

  /** The negotiated MPPE parameters once CCP is up with encryption, else null. */
  get mppe(): MppeParams | null {
    return this.mppeParams;
  }

  /** The TUN MTU (see the module comment); undefined before LCP is up. */
  get mtu(): number | undefined {
    if (!this.lcpInfo) return undefined;
    const base = Math.min(this.lcpInfo.mru, this.lcpInfo.peerMru);
    return base - (this.mppeParams ? MPPE_OVERHEAD : 0);
  }

  /** The ACCM from the control connection's Set-Link-Info, as handed in (no effect on framing). */
  get setLinkInfoAccm(): { send: number; receive: number } | undefined {
    return this.linkInfoAccm;
  }

  // ---- commands -------------------------------------------------------------------------------

  /** The lower layer (the PPTP call) is up: begin LCP. */
  start(now: number): void {
    if (this.started) return;
    this.started = true;
    this.setPhase(now, 'establish');
    this.deadlines.set('lcp', now + this.negotiationTimeout());
    this.lcp.fsm.open(now);
    this.lcp.fsm.up(now);
    this.afterInput(now);
  }

  /** Graceful end: LCP Terminate-Request, then Dead with reason 'local-disconnect'. */
  close(now: number, reason = 'User request'): void {
    if (!this.started || this.currentPhase === 'dead' || this.terminalFailure) return;
    this.terminalFailure = { reason: 'local-disconnect', message: `Disconnected: ${reason}.` };
    this.beginTerminate(now, reason, true);
    this.afterInput(now);
  }

  /** The lower layer went away (call or control connection lost): Dead at once, nothing sent. */
  abort(now: number, failure: Failure): void {
    if (!this.started || this.currentPhase === 'dead') return;
    this.terminalFailure ??= failure;
    this.goDead(now);
  }

  /** PPTP Set-Link-Info (RFC 2637 §2.15) ACCMs, recorded only: GRE framing has no ACCM. */
  handleSetLinkInfo(sendAccm: number, receiveAccm: number): void {
    this.linkInfoAccm = { send: sendAccm >>> 0, receive: receiveAccm >>> 0 };
  }

  // ---- inputs ---------------------------------------------------------------------------------

  handleFrame(now: number, bytes: Uint8Array): void {
    if (!this.started || this.currentPhase === 'dead') return;
    this.counters.framesIn++;
    const decoded = decodeFrame(bytes);
    if (!decoded.ok) {
      this.counters.malformedFrames++;
      return;
    }
    this.lcp.keepalive.noteReceived(now);
    const { protocol, info } = decoded.value;
    this.dispatch(now, protocol, info);
    this.afterInput(now);
  }

  handleTimeout(now: number): void {
    if (!this.started || this.currentPhase === 'dead') return;
    for (const d of this.deadlines.expire(now)) this.onDeadline(d);
    this.lcp.handleTimeout(now);
    if (this.auth && !this.authDone) this.auth.handleTimeout(now);
    this.ccp.fsm.handleTimeout(now);
    this.ipcp.fsm.handleTimeout(now);
    this.afterInput(now);
  }

  nextTimeout(): number | undefined {
    if (!this.started || this.currentPhase === 'dead') return undefined;
    return earliest(
      this.deadlines.nextTimeout(),
      this.lcp.nextTimeout(),
      this.auth && !this.authDone ? this.auth.nextTimeout() : undefined,
      this.ccp.fsm.nextTimeout(),
      this.ipcp.fsm.nextTimeout(),
    );
  }

  /** An IP packet from the TUN. Returns false when it was dropped (see counters). */
  sendIpPacket(_now: number, ip: Uint8Array): boolean {
    if (!this.ipReady || this.currentPhase !== 'network') {
      this.counters.droppedNotReady++;
      return false;
    }
    const peerMru = this.lcpInfo?.peerMru ?? 1500;
    if (this.encryptor) {
      if (ip.length + MPPE_OVERHEAD > peerMru) {
        this.counters.droppedTooBig++;
        return false;
      }
      const plain = new Uint8Array(2 + ip.length);
      plain[0] = PPP_PROTO_IP >> 8;
      plain[1] = PPP_PROTO_IP & 0xff;
      plain.set(ip, 2);
      this.queueFrame(PPP_PROTO_COMPRESSED, this.encryptor.encrypt(plain));
    } else {
      if (this.encryptionExpected()) {
        this.counters.droppedUnencrypted++;
        return false;
      }
      if (ip.length > peerMru) {
        this.counters.droppedTooBig++;
        return false;
      }
      this.queueFrame(PPP_PROTO_IP, ip);
    }
    this.counters.ipOut++;
    return true;
  }

  // ---- outputs --------------------------------------------------------------------------------

  pollFrame(): Uint8Array | undefined {
    return this.frames.shift();
  }

  pollIpPacket(): Uint8Array | undefined {
    return this.ipPackets.shift();
  }

  pollEvent(): PppLinkEvent | undefined {
    return this.events.shift();
  }

  // ---- receive dispatch -----------------------------------------------------------------------

  private dispatch(now: number, protocol: number, info: Uint8Array): void {
    if (protocol === PPP_PROTO_LCP) {
      this.lcp.fsm.handlePacket(now, info);
      return;
    }
    const phase = this.currentPhase;
    if (phase === 'establish' || phase === 'terminate') {
      // RFC 1661 §3.4/§3.7: only LCP is processed in these phases.
      this.counters.droppedWrongPhase++;
      return;
    }
    if (this.auth && protocol === this.auth.protocol) {
      if (phase !== 'authenticate' || this.authDone) {
        this.counters.droppedAuth++;
        return;
      }
      this.auth.handlePacket(now, info);
      return;
    }
    if (phase === 'authenticate') {
      // RFC 1661 §3.5: network-layer packets before authentication completes are discarded.
      if (this.isNetworkProtocol(protocol)) this.counters.droppedWrongPhase++;
      else this.protocolReject(protocol, info);
      return;
    }
    // Network phase.
    switch (protocol) {
      case PPP_PROTO_CCP:
        if (this.ccpRunning) this.ccp.fsm.handlePacket(now, info);
        else this.protocolReject(protocol, info); // MPPE off (or no keys): we do not run CCP
        return;
      case PPP_PROTO_IPCP:
        if (this.ipcpStarted) this.ipcp.fsm.handlePacket(now, info);
        else if (info[0] === CODE_CONFIGURE_REQUEST) this.pendingIpcpRequest = copyBytes(info);
        else this.counters.droppedWrongPhase++;
        return;
      case PPP_PROTO_IP:
        return this.receivePlainIp(info);
      case PPP_PROTO_COMPRESSED:
        return this.receiveEncrypted(now, info);
      default:
        // IPV6CP (0x8057) and IPv6 (0x0057) land here: no IPv6 in the tunnel yet, so they are
        // Protocol-Rejected like anything else we do not run (RFC 1661 §5.7).
        this.protocolReject(protocol, info);
    }
  }

  private isNetworkProtocol(protocol: number): boolean {
    return (
      protocol === PPP_PROTO_CCP ||
      protocol === PPP_PROTO_IPCP ||
      protocol === PPP_PROTO_IP ||
      protocol === PPP_PROTO_COMPRESSED
    );
  }

  private receivePlainIp(info: Uint8Array): void {
    if (!this.ipReady) {
      this.counters.droppedNotReady++;
      return;
    }
    if (this.encryptionExpected() || this.decryptor) {
      this.counters.droppedUnencrypted++; // RFC 3078: once MPPE is on, plain datagrams are refused
      return;
    }
    this.deliverIp(info);
  }

  private receiveEncrypted(now: number, info: Uint8Array): void {
    if (!this.decryptor) {
      this.counters.droppedNotReady++;
      return;
    }
    const result = this.decryptor.decrypt(info);
    const gap = this.decryptor.takeResetRequest();
    // RFC 3078 §8.2: after a gap we drop packets until a flushed one. If our Reset-Request was
    // lost, none ever comes: repeat it while unflushed packets keep arriving.
    const repeat = !result.ok && result.error.code === 'awaiting-flush' && now - this.lastResetRequestAt >= RESET_REQUEST_REPEAT_MS;
    if ((gap || repeat) && this.ccp.sendResetRequest()) {
      this.counters.resetRequestsSent++;
      this.lastResetRequestAt = now;
    }
    if (!result.ok) {
      this.counters.decryptErrors++;
      return;
    }
    const inner = decodeProtocolAndInfo(result.value);
    if (!inner.ok || inner.value.protocol !== PPP_PROTO_IP || !this.ipReady) {
      this.counters.droppedNotReady++;
      return;
    }
    this.deliverIp(inner.value.info);
  }

  private deliverIp(ip: Uint8Array): void {
    if (this.ipPackets.length >= MAX_QUEUE) return;
    this.ipPackets.push(copyBytes(ip));
    this.counters.ipIn++;
  }

  private protocolReject(protocol: number, info: Uint8Array): void {
    if (this.lcp.sendProtocolReject(protocol, info)) this.counters.protocolRejectsSent++;
  }

  private encryptionExpected(): boolean {
    return isMppeRequired(this.config.mppe) || this.mppeParams !== null;
  }

  // ---- layer events ---------------------------------------------------------------------------

  private onLcpUp(now: number, negotiated: LcpNegotiated): void {
    this.lcpInfo = negotiated;
    this.deadlines.clear('lcp');
    this.emit({
      type: 'lcp-up',
      at: now,
      mru: negotiated.mru,
      peerMru: negotiated.peerMru,
      auth: negotiated.auth?.method ?? null,
      accm: negotiated.accm,
      pfc: negotiated.pfc,
      acfc: negotiated.acfc,
      magic: negotiated.magic,
    });
    if (this.terminalFailure || this.pending) return;
    const selection = negotiated.auth;
    if (!selection) {
      this.authMethod = null;
      this.startNetwork(now);
      return;
    }
    this.setPhase(now, 'authenticate');
    this.authMethod = selection.method;
    const factory = this.config.createAuthClient ?? createAuthClient;
    this.auth = factory(selection.method, {
      credentials: this.config.credentials,
      random: this.config.random,
      ...(this.config.eapTypes ? { eapTypes: this.config.eapTypes } : {}),
    });
    this.authDone = false;
    this.deadlines.set('auth', now + (this.config.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS));
    this.auth.start(now);
    this.drainAuth(now);
  }

  private drainAuth(now: number): void {
    const auth = this.auth;
    if (!auth || this.authDone) return;
    for (let p = auth.pollTransmit(); p; p = auth.pollTransmit()) this.queueFrame(auth.protocol, p);
    const outcome = auth.pollResult();
    if (!outcome) return;
    this.authDone = true;
    this.deadlines.clear('auth');
    if (outcome.kind === 'failure') {
      this.fail(outcome.failure, true);
      return;
    }
    this.mppeKeys = outcome.mppeKeys;
    this.emit({
      type: 'auth-success',
      at: now,
      method: outcome.method,
      ...(outcome.message !== undefined ? { message: outcome.message } : {}),
    });
    this.startNetwork(now);
  }

  private startNetwork(now: number): void {
    if (this.pending || this.terminalFailure) return;
    const policy = this.config.mppe;
    const required = isMppeRequired(policy);
    if (required && !this.mppeKeys) {
      const how = this.authMethod ? `with ${AUTH_METHOD_LABELS[this.authMethod]}` : 'without authentication';
      this.fail(
        {
          reason: 'encryption-refused',
          message: `The server authenticated us ${how}, which yields no MPPE keys; this profile requires encryption (use MS-CHAPv2).`,
          detail: { layer: 'CCP', auth: this.authMethod ?? 'none' },
        },
        true,
      );
      return;
    }
    this.setPhase(now, 'network');
    if (policy.mppe !== 'none' && this.mppeKeys) {
      this.ccpRunning = true;
      this.deadlines.set('ccp', now + this.negotiationTimeout());
      this.ccp.fsm.open(now);
      this.ccp.fsm.up(now);
      if (!required) this.startIpcp(now);
    } else {
      this.startIpcp(now);
    }
  }

  private startIpcp(now: number): void {
    if (this.ipcpStarted || this.pending || this.terminalFailure) return;
    this.ipcpStarted = true;
    this.deadlines.set('ipcp', now + this.negotiationTimeout());
    this.ipcp.fsm.open(now);
    this.ipcp.fsm.up(now);
    const early = this.pendingIpcpRequest;
    this.pendingIpcpRequest = undefined;
    if (early) this.ipcp.fsm.handlePacket(now, early);
  }

  private onCcpUp(now: number, mppe: MppeParams | null): void {
    this.deadlines.clear('ccp');
    this.stopEncryption();
    if (mppe && this.mppeKeys) {
      const enc = this.config.createMppeEncryptor ?? createMppeEncryptor;
      const dec = this.config.createMppeDecryptor ?? createMppeDecryptor;
      this.encryptor = enc(this.mppeKeys.send, mppe);
      this.decryptor = dec(this.mppeKeys.receive, mppe);
      this.mppeParams = mppe;
    }
    this.emit({ type: 'ccp-up', at: now, mppe: this.mppeParams });
    this.startIpcp(now);
  }

  private stopEncryption(): void {
    this.encryptor = undefined;
    this.decryptor = undefined;
  }

  private onCcpFinished(now: number, cause: FsmFinishCause): void {
    this.ccpRunning = false;
    this.stopEncryption();
    if (this.terminalFailure || this.pending) return;
    if (isMppeRequired(this.config.mppe)) {
      this.fail({ reason: 'encryption-refused', message: `CCP (MPPE) ended: ${describeCause('CCP', cause)}`, detail: { layer: 'CCP' } }, true);
      return;
    }
    this.mppeParams = null;
    this.deadlines.clear('ccp');
    this.startIpcp(now); // optional encryption: carry on without it
  }

  private onIpcpUp(now: number, result: IpcpResult): void {
    this.deadlines.clear('ipcp');
    this.ipReady = true;
    this.emit({
      type: 'ipcp-up',
      at: now,
      localIp: result.localIp,
      remoteIp: result.remoteIp,
      dns: result.dns,
      wins: result.wins,
      mtu: this.mtu ?? 1500,
    });
  }

  private onNcpFinished(layer: string, cause: FsmFinishCause): void {
    this.ipReady = false;
    if (this.terminalFailure || this.pending) return;
    const reason = cause.kind === 'peer-terminated' ? 'peer-disconnected' : 'negotiation-failed';
    // Even when the server terminated only the NCP, LCP is closed properly so it is not left open.
    this.fail({ reason, message: describeCause(layer, cause), detail: { layer } }, true);
  }

  private onLcpDown(_now: number): void {
    this.ipReady = false;
    this.stopEncryption();
    if (this.terminalFailure || this.pending) return;
    // tld outside a Close or Terminate-Request: the peer restarted LCP negotiation.
    this.fail(
      { reason: 'peer-disconnected', message: 'The server restarted LCP negotiation; the link must be set up again.', detail: { layer: 'LCP' } },
      true,
    );
  }

  private onLcpFinished(now: number, cause: FsmFinishCause): void {
    if (!this.terminalFailure && !this.pending) {
      const reason = cause.kind === 'peer-terminated' ? 'peer-disconnected' : 'negotiation-failed';
      let message = describeCause('LCP', cause);
      if (cause.kind === 'no-answer' && this.counters.framesIn === 0) {
        message += ' No PPP frame arrived from the server at all.';
      }
      const codeRejects = this.lcp.fsm.counters.codeRejectsSent;
      if (codeRejects > 0) message += ` ${codeRejects} LCP packets with unknown codes were Code-Rejected.`;
      const detail: Record<string, string | number> = { layer: 'LCP', framesReceived: this.counters.framesIn };
      this.fail({ reason, message, detail }, false);
    }
    // The LCP automaton reached Closed/Stopped: the link is Dead.
    if (this.pending) this.processPending(now);
    this.goDead(now);
  }

  private onProtocolRejected(_now: number, protocol: number): void {
    if (protocol === PPP_PROTO_CCP && this.ccpRunning) {
      if (isMppeRequired(this.config.mppe)) {
        this.fail(
          { reason: 'encryption-refused', message: 'The server does not run CCP (Protocol-Reject), so MPPE encryption cannot be used.', detail: { layer: 'CCP' } },
          true,
        );
        return;
      }
      this.ccpRunning = false;
      this.ccp.fsm.down(_now);
      this.startIpcp(_now);
      return;
    }
    if (protocol === PPP_PROTO_IPCP) {
      this.fail({ reason: 'negotiation-failed', message: 'The server does not run IPCP (Protocol-Reject): no IPv4 in this tunnel.', detail: { layer: 'IPCP' } }, true);
    }
  }

  private onPeerTerminate(text: string): void {
    if (this.terminalFailure || this.pending) return;
    const said = text ? ` (server said: "${text}")` : '';
    if (!this.lcpInfo && this.lcp.authRefusal) {
      this.fail({ reason: 'auth-failed', message: this.lcp.authRefusal + said, detail: { layer: 'LCP' } }, false);
      return;
    }
    this.fail({ reason: 'peer-disconnected', message: `The server ended the PPP link${said}.`, detail: { layer: 'LCP' } }, false);
  }

  private onDeadline(deadline: Deadline): void {
    const layer = deadline === 'lcp' ? 'LCP' : deadline === 'ccp' ? 'CCP' : deadline === 'ipcp' ? 'IPCP' : 'Authentication';
    const seconds = Math.round((deadline === 'auth' ? (this.config.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS) : this.negotiationTimeout()) / 1000);
    const fsm = deadline === 'lcp' ? this.lcp.fsm : deadline === 'ccp' ? this.ccp.fsm : deadline === 'ipcp' ? this.ipcp.fsm : undefined;
    let message = `${layer} did not complete within ${seconds} s.`;
    if (fsm) {
      const c = fsm.counters;
      if (c.malformed > 0) message += ` ${c.malformed} malformed ${layer} packets were dropped (last: ${fsm.lastMalformed?.message ?? 'unknown'}).`;
      if (c.codeRejectsSent > 0) message += ` ${c.codeRejectsSent} packets with unknown codes were Code-Rejected.`;
      if (c.received === 0) message += ` The server sent no ${layer} packet.`;
    }
    const reason = deadline === 'auth' ? 'auth-failed' : deadline === 'ccp' && isMppeRequired(this.config.mppe) ? 'encryption-refused' : 'negotiation-failed';
    this.fail({ reason, message, detail: { layer } }, true);
  }

  // ---- failure and teardown -------------------------------------------------------------------

  /** Records the first failure; acted on after the current input (no re-entry into the FSMs). */
  private fail(failure: Failure, terminate: boolean): void {
    if (this.terminalFailure || this.pending || this.currentPhase === 'dead') return;
    this.pending = { failure, terminate };
  }

  private processPending(now: number): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.terminalFailure = p.failure;
    this.emit({ type: 'failed', at: now, failure: p.failure });
    if (p.terminate) this.beginTerminate(now, p.failure.message, false);
    else this.goDead(now);
  }

  private beginTerminate(now: number, reason: string, local: boolean): void {
    this.ipReady = false;
    this.stopEncryption();
    this.deadlines.clearAll();
    this.lcp.keepalive.stop();
    const state = this.lcp.fsm.state;
    const negotiatingOrOpen = state === 'req-sent' || state === 'ack-rcvd' || state === 'ack-sent' || state === 'opened';
    if (!negotiatingOrOpen && state !== 'closing' && state !== 'stopping') {
      this.goDead(now);
      return;
    }
    this.setPhase(now, 'terminate');
    if (negotiatingOrOpen) this.lcp.fsm.close(now, new TextEncoder().encode(local ? reason : truncate(reason, 64)));
  }

  private goDead(now: number): void {
    if (this.currentPhase === 'dead') return;
    this.ipReady = false;
    this.stopEncryption();
    this.deadlines.clearAll();
    this.lcp.keepalive.stop();
    this.setPhase(now, 'dead');
    const failure = this.terminalFailure ?? { reason: 'internal-error', message: 'The PPP link stopped without a recorded cause.' };
    this.emit({ type: 'link-down', at: now, failure });
  }

  private afterInput(now: number): void {
    this.drainAuth(now);
    if (this.pending && this.currentPhase !== 'dead') this.processPending(now);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private negotiationTimeout(): number {
    return this.config.negotiationTimeoutMs ?? this.timing.restartMs * (this.timing.maxConfigure + 1);
  }

  private setPhase(now: number, phase: PppPhase): void {
    if (this.currentPhase === phase) return;
    this.currentPhase = phase;
    this.emit({ type: 'phase', at: now, phase });
  }

  private emit(event: PppLinkEvent): void {
    if (this.events.length < MAX_QUEUE) this.events.push(event);
  }

  private compression(): FrameCompression {
    if (!this.lcpInfo) return NO_COMPRESSION;
    return { pfc: this.lcpInfo.pfc.send, acfc: this.lcpInfo.acfc.send };
  }

  private queueFrame(protocol: number, info: Uint8Array): void {
    if (this.frames.length >= MAX_QUEUE) return;
    this.frames.push(encodeFrame(protocol, info, this.compression()));
    this.counters.framesOut++;
  }
}

function describeCause(layer: string, cause: FsmFinishCause): string {
  switch (cause.kind) {
    case 'no-answer':
      if (cause.state === 'req-sent') return `The server did not answer any of our ${cause.requests} ${layer} Configure-Requests.`;
      // Ack-Sent: we accepted the server's request, it never acknowledged ours.
      if (cause.state === 'ack-sent') return `The server never acknowledged our ${layer} Configure-Request (${cause.requests} sent), although we accepted its own.`;
      return `${layer} negotiation did not finish: no acceptable ${layer} Configure-Request from the server after ${cause.requests} tries.`;
    case 'peer-terminated':
      return `The server terminated ${layer}.`;
    case 'rejected':
      return `The server rejected ${layer} code ${cause.code} (Code-Reject), which ${layer} cannot work without.`;
    case 'closed':
      return `${layer} closed.`;
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
