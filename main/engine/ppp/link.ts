/**
 * PppLink: the client's whole PPP link over one PPTP call, and its public face. It owns the
 * link's RFC 1661 phase, its event queue, the first failure and the teardown (Terminate, Dead).
 * The layers at work (LCP, authentication, CCP/MPPE, IPCP) are layer-sequencer.ts, in the order
 * layer-order.ts decides; each layer's life is reported as events (link-types.ts: started, done,
 * abandoned, failed), so no user of the link needs to know the order or look inside a layer.
 * Framing and IP through MPPE are link-data-path.ts; the failure words are link-failures.ts.
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
 *    comes (or the call is cleared, or a deadline passes) while negotiating after we refused the
 *    server's proposal, the refusal is the cause (ppp/refusal.ts: 'auth-method-refused' for a
 *    method or EAP type, 'encryption-refused' for MPPE off, stateful-only or key length).
 *  - A Protocol-Reject of MPPE data (0x00FD) once CCP is up, or of IP (0x0021) once IPCP is up,
 *    ends the link with 'data-path-dead': that direction carries nothing (RFC 1661 §5.7).
 *  - LCP renegotiation after Opened ends the link ('peer-disconnected'): a fresh session is the
 *    reliable recovery; NCP renegotiation is followed (new ipcp-up / ccp-up, new MPPE state).
 *  - MPPE required but the server authenticated with a method without MPPE keys (PAP, CHAP-MD5,
 *    none): 'encryption-refused' as the CCP step starts.
 *
 * Driver order: start(now) once the call is up; then any of handleFrame(now, frame) (from GRE),
 * handleTimeout(now) (at or after nextTimeout()), sendIpPacket(now, ip) (from the TUN),
 * close(now, reason), setLinkInfoAccm(); after each call drain pollFrame() (to GRE),
 * pollIpPacket() (to the TUN) and pollEvent(), then re-arm the timer from nextTimeout().
 * Nothing here throws on wire input, reads a clock or does I/O.
 */
import type { Failure } from '../failure';
import { DEFAULT_FSM_TIMING } from './fsm';
import type { Ccp } from './ccp/ccp';
import type { Ipcp } from './ipcp/ipcp';
import { LayerSequencer } from './layer-sequencer';
import type { Lcp } from './lcp/lcp';
import { isNegotiatingOrOpened } from './layer-order';
import { LinkDataPath, MAX_QUEUED_OUTPUTS } from './link-data-path';
import type { PppLinkConfig, PppLinkCounters, PppLinkEvent, PppPhase } from './link-types';
import type { MppeParams } from './mppe-contract';
import { PPP_ADDRESS, PPP_CONTROL, decodeFrame } from './frame';
import { PPP_PROTO_COMPRESSED } from './protocol';
import { copyBytes } from '../wire/bytes';

export type * from './link-types';
export { MPPE_OVERHEAD, RESET_REQUEST_REPEAT_MS } from './link-data-path';

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
  private readonly events: PppLinkEvent[] = [];
  private readonly data: LinkDataPath;
  private readonly layers: LayerSequencer;
  private pending: PendingFailure | undefined;
  private terminalFailure: Failure | undefined;
  private linkInfoAccm: { send: number; receive: number } | undefined;

  constructor(config: PppLinkConfig) {
    const timing = { ...DEFAULT_FSM_TIMING, ...config.timing };
    this.data = new LinkDataPath(this.counters, config, () => this.ccp.sendResetRequest());
    this.layers = new LayerSequencer(
      config,
      timing,
      {
        phase: () => this.currentPhase,
        setPhase: (now, phase) => this.setPhase(now, phase),
        emit: (event) => this.emit(event),
        fail: (failure, terminate) => this.fail(failure, terminate),
        failing: () => this.failing(),
        lcpFinished: (now) => this.onLcpFinished(now),
      },
      this.data,
      this.counters,
    );
    this.lcp = this.layers.lcp;
    this.ccp = this.layers.ccp;
    this.ipcp = this.layers.ipcp;
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
    return this.layers.mppe;
  }

  /** The TUN MTU (see the module comment); undefined before LCP is up. */
  get mtu(): number | undefined {
    return this.layers.mtu;
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
    this.layers.start(now);
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
    this.terminalFailure ??= this.explainLowerLayerLoss(failure);
    this.goDead(now);
  }

  /**
   * The failure to report when the lower layer goes away now: while negotiating after we refused
   * the server's proposal (its authentication method, an EAP type, its MPPE offer), that refusal
   * is the real cause (ppp/refusal.ts) and `lower` is added to its message; otherwise `lower`.
   */
  explainLowerLayerLoss(lower: Failure): Failure {
    if (!this.started || this.currentPhase === 'dead' || this.failing()) return lower;
    return this.layers.explainLoss(lower);
  }

  /** PPTP Set-Link-Info (RFC 2637 §2.15) ACCMs, recorded only: GRE framing has no ACCM. */
  handleSetLinkInfo(sendAccm: number, receiveAccm: number): void {
    this.linkInfoAccm = { send: sendAccm >>> 0, receive: receiveAccm >>> 0 };
  }

  // ---- inputs ---------------------------------------------------------------------------------

  handleFrame(now: number, bytes: Uint8Array): void {
    this.handleFrameAt(now, bytes, 0);
  }

  /** handleFrame for the frame at `bytes[start..]` (no view needed on the data path). */
  handleFrameAt(now: number, bytes: Uint8Array, start: number): void {
    if (!this.started || this.currentPhase === 'dead') return;
    this.counters.framesIn++;
    // Fast path for the data frames (0x00FD, RFC 3078 §3), read in place: [FF 03] then 00 FD or FD.
    let off = bytes.length - start >= 2 && bytes[start] === PPP_ADDRESS && bytes[start + 1] === PPP_CONTROL ? start + 2 : start;
    if (bytes[off] === PPP_PROTO_COMPRESSED) off += 1;
    else if (bytes[off] === 0 && bytes[off + 1] === PPP_PROTO_COMPRESSED) off += 2;
    else off = -1;
    if (off > start && this.layers.receiveEncryptedAt(now, bytes, off)) {
      this.lcp.keepalive.noteReceived(now);
      this.afterInput(now);
      return;
    }
    // The general path keeps nothing of the input past this call except copies: the frame may be
    // a view of the driver's receive buffer (GreCall passes in-order packets up uncopied), and
    // layers may keep views of their packets (challenges, early requests). Control traffic is rare.
    const decoded = decodeFrame(start === 0 ? copyBytes(bytes) : bytes.slice(start));
    if (!decoded.ok) {
      this.counters.malformedFrames++;
      return;
    }
    this.lcp.keepalive.noteReceived(now);
    this.layers.receive(now, decoded.value.protocol, decoded.value.info);
    this.afterInput(now);
  }

  handleTimeout(now: number): void {
    if (!this.started || this.currentPhase === 'dead') return;
    this.layers.handleTimeout(now);
    this.afterInput(now);
  }

  nextTimeout(): number | undefined {
    if (!this.started || this.currentPhase === 'dead') return undefined;
    return this.layers.nextTimeout();
  }

  /** An IP packet from the TUN. Returns false when it was dropped (see counters). */
  sendIpPacket(_now: number, ip: Uint8Array): boolean {
    return this.layers.sendIp(ip);
  }

  // ---- outputs --------------------------------------------------------------------------------

  pollFrame(): Uint8Array | undefined {
    return this.data.pollFrame();
  }

  /**
   * pollFrame without a view, for the GRE layer: the frame is `buffer[lastFrameStart..]`, the
   * octets before it free headroom for the GRE header (see FRAME_HEADROOM).
   */
  pollFrameAt(): Uint8Array | undefined {
    return this.data.pollFrameAt();
  }

  get lastFrameStart(): number {
    return this.data.lastFrameStart;
  }

  pollIpPacket(): Uint8Array | undefined {
    return this.data.pollIpPacket();
  }

  /** pollIpPacket without a view: the datagram is `buffer[lastIpStart..]` (link-data-path.ts). */
  pollIpPacketAt(): Uint8Array | undefined {
    return this.data.pollIpPacketAt();
  }

  get lastIpStart(): number {
    return this.data.lastIpStart;
  }

  pollEvent(): PppLinkEvent | undefined {
    return this.events.shift();
  }

  // ---- failure and teardown -------------------------------------------------------------------

  /** A failure is recorded (pending or terminal): layers start nothing more. */
  private failing(): boolean {
    return this.terminalFailure !== undefined || this.pending !== undefined;
  }

  /** Records the first failure; acted on after the current input (no re-entry into the FSMs). */
  private fail(failure: Failure, terminate: boolean): void {
    if (this.failing() || this.currentPhase === 'dead') return;
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

  /** The LCP automaton reached Closed/Stopped: the link is Dead. */
  private onLcpFinished(now: number): void {
    if (this.pending) this.processPending(now);
    this.goDead(now);
  }

  private beginTerminate(now: number, reason: string, local: boolean): void {
    this.layers.stopTraffic();
    const state = this.lcp.fsm.state;
    const negotiatingOrOpen = isNegotiatingOrOpened(state);
    if (!negotiatingOrOpen && state !== 'closing' && state !== 'stopping') {
      this.goDead(now);
      return;
    }
    this.setPhase(now, 'terminate');
    if (negotiatingOrOpen) this.lcp.fsm.close(now, new TextEncoder().encode(local ? reason : truncate(reason, 64)));
  }

  private goDead(now: number): void {
    if (this.currentPhase === 'dead') return;
    this.layers.stopTraffic();
    this.setPhase(now, 'dead');
    const failure = this.terminalFailure ?? { reason: 'internal-error', message: 'The PPP link stopped without a recorded cause.' };
    this.emit({ type: 'link-down', at: now, failure });
  }

  private afterInput(now: number): void {
    this.layers.drainAuth(now);
    if (this.pending && this.currentPhase !== 'dead') this.processPending(now);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private setPhase(now: number, phase: PppPhase): void {
    if (this.currentPhase === phase) return;
    this.currentPhase = phase;
    this.emit({ type: 'phase', at: now, phase });
  }

  private emit(event: PppLinkEvent): void {
    if (this.events.length < MAX_QUEUED_OUTPUTS) this.events.push(event);
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
