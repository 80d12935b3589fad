/**
 * LayerSequencer: the link's layers at work. It owns LCP, the authentication runner, CCP and
 * IPCP and their negotiation deadlines, carries out the order layer-order.ts decides (start the
 * next layer when one is done, carry on or fail when CCP is lost), routes each received frame
 * to its layer (receive-gate.ts), and reports every layer's start, success and abandonment to
 * its host as PppLinkEvents.
 *
 * It does not own the link's phase, event queue or failure state, and never ends the link by
 * itself: it asks the host (link.ts) to fail and the host decides when to terminate. Nothing here
 * reads a clock, does I/O or throws on wire input.
 *
 * Why a little over 350 lines: the callbacks of all four layers stay together so that the order
 * in which one layer's end starts the next reads top to bottom in one file.
 */
import type { Failure } from '../failure';
import { TimerTable, earliest } from '../timers';
import type { MppeStartKeys } from './auth/auth-client';
import type { AuthMethod } from '../../../preload/vocabulary';
import { Ccp } from './ccp/ccp';
import { ccpRequestOffersMppe, isMppeRequired } from './ccp/mppe-option';
import type { FsmFinishCause, FsmTiming } from './fsm';
import { Ipcp } from './ipcp/ipcp';
import type { IpcpResult } from './ipcp/ipcp';
import { ccpLossIsFatal, isNegotiatingOrOpened, planNetworkPhase } from './layer-order';
import { DEFAULT_LCP_ECHO } from './lcp/echo';
import type { LcpNegotiated } from './lcp/lcp';
import { Lcp } from './lcp/lcp';
import { OUR_DEFAULT_MRU } from './lcp/mru';
import { LinkAuthentication } from './link-auth';
import type { DataPathGate, LinkDataPath } from './link-data-path';
import { MPPE_OVERHEAD } from './link-data-path';
import * as failures from './link-failures';
import type { PppLayer, PppLinkConfig, PppLinkCounters, PppLinkEvent, PppPhase } from './link-types';
import type { MppeParams } from './mppe-contract';
import { PPP_PROTO_CCP, PPP_PROTO_COMPRESSED, PPP_PROTO_IP, PPP_PROTO_IPCP, PPP_PROTO_LCP } from './protocol';
import { routeFrame } from './receive-gate';
import { refusalFailure, type Refusal } from './refusal';
import { copyBytes } from '../wire/bytes';

const DEFAULT_AUTH_TIMEOUT_MS = 60_000;

/** What the sequencer needs of the link around it (link.ts). */
export interface SequencerHost {
  phase(): PppPhase;
  setPhase(now: number, phase: PppPhase): void;
  emit(event: PppLinkEvent): void;
  /** Records the first failure; `terminate`: send an LCP Terminate-Request first. */
  fail(failure: Failure, terminate: boolean): void;
  /** A failure is recorded (pending or terminal): start nothing more. */
  failing(): boolean;
  /** LCP reached Closed/Stopped: the link is Dead. */
  lcpFinished(now: number): void;
}

export class LayerSequencer {
  readonly lcp: Lcp;
  readonly ccp: Ccp;
  readonly ipcp: Ipcp;
  private readonly auth: LinkAuthentication;
  /** One negotiation deadline per layer (see PppLinkConfig.negotiationTimeoutMs). */
  private readonly deadlines = new TimerTable<PppLayer>();
  private authMethod: AuthMethod | null = null;
  private mppeKeys: MppeStartKeys | undefined;
  private lcpInfo: LcpNegotiated | undefined;
  private ccpRunning = false;
  /** CCP was reported started and has been reported neither up nor abandoned. */
  private ccpOutcomeUnreported = false;
  private ipcpStarted = false;
  private pendingIpcpRequest: Uint8Array | undefined;
  private mppeParams: MppeParams | null = null;
  private ipReady = false;
  /** IPCP has been Opened at least once: the negotiation is over, refusals explain nothing more. */
  private ipcpWasUp = false;
  /** MPPE is off and we Protocol-Rejected a CCP request of the server's that offered MPPE. */
  private mppeOfferRefused = false;

  constructor(
    private readonly config: PppLinkConfig,
    private readonly timing: FsmTiming,
    private readonly host: SequencerHost,
    private readonly data: LinkDataPath,
    private readonly counters: PppLinkCounters,
  ) {
    const trace = config.trace ?? false;
    this.auth = new LinkAuthentication(config);
    const transmit = (protocol: number) => (info: Uint8Array) => data.queueFrame(protocol, info);
    const fail = (_now: number, failure: Failure) => host.fail(failure, true);
    const echo = config.lcpEcho ?? DEFAULT_LCP_ECHO;
    this.lcp = new Lcp(
      { mru: config.mru ?? OUR_DEFAULT_MRU, allowedAuth: config.allowedAuth, random: config.random, echo, timing, trace },
      {
        transmit: transmit(PPP_PROTO_LCP),
        up: (now, negotiated) => this.onLcpUp(now, negotiated),
        down: () => this.onLcpDown(),
        finished: (now, cause) => this.onLcpFinished(now, cause),
        failure: fail,
        protocolRejected: (now, protocol) => this.onProtocolRejected(now, protocol),
        peerTerminate: (_now, text) => this.onPeerTerminate(text),
      },
    );
    this.ccp = new Ccp(
      { policy: config.mppe, timing, trace },
      {
        transmit: transmit(PPP_PROTO_CCP),
        up: (now, mppe) => this.onCcpUp(now, mppe),
        down: () => data.stopEncryption(),
        finished: (now, cause) => this.onCcpFinished(now, cause),
        failure: fail,
        resetRequest: () => data.handleResetRequest(),
        resetAck: () => {},
      },
    );
    this.ipcp = new Ipcp(
      { requestWins: config.requestWins ?? true, timing, trace },
      {
        transmit: transmit(PPP_PROTO_IPCP),
        up: (now, result) => this.onIpcpUp(now, result),
        down: () => {
          this.ipReady = false;
        },
        finished: (_now, cause) => this.onIpcpFinished(cause),
        failure: fail,
      },
    );
  }

  /** The negotiated MPPE parameters once CCP is up with encryption, else null. */
  get mppe(): MppeParams | null {
    return this.mppeParams;
  }

  /** min(MRU, peer MRU) less the MPPE overhead (link.ts explains); undefined before LCP is up. */
  get mtu(): number | undefined {
    if (!this.lcpInfo) return undefined;
    const base = Math.min(this.lcpInfo.mru, this.lcpInfo.peerMru);
    return base - (this.mppeParams ? MPPE_OVERHEAD : 0);
  }

  // ---- driven by the link ---------------------------------------------------------------------

  /** Establish phase: LCP begins. */
  start(now: number): void {
    this.reportStarted(now, 'lcp');
    this.deadlines.set('lcp', now + this.negotiationTimeout());
    this.lcp.fsm.open(now);
    this.lcp.fsm.up(now);
  }

  /** A received frame, by the receive gate. */
  receive(now: number, protocol: number, info: Uint8Array): void {
    const route = routeFrame(protocol, info, {
      phase: this.host.phase(),
      authProtocol: this.auth.protocol,
      authRunning: this.auth.running,
      ccpRunning: this.ccpRunning,
      ipcpStarted: this.ipcpStarted,
    });
    switch (route) {
      case 'lcp':
        return this.lcp.fsm.handlePacket(now, info);
      case 'auth':
        return this.auth.handlePacket(now, info);
      case 'ccp':
        return this.ccp.fsm.handlePacket(now, info);
      case 'ipcp':
        return this.ipcp.fsm.handlePacket(now, info);
      case 'ipcp-early':
        this.pendingIpcpRequest = copyBytes(info);
        return;
      case 'ip':
        return this.data.receivePlainIp(info, this.gate());
      case 'mppe':
        return this.data.receiveEncrypted(now, info, this.ipReady);
      case 'drop-wrong-phase':
        this.counters.droppedWrongPhase++;
        return;
      case 'drop-auth':
        this.counters.droppedAuth++;
        return;
      case 'protocol-reject':
        if (protocol === PPP_PROTO_CCP && this.config.mppe.mppe === 'none' && ccpRequestOffersMppe(info)) this.mppeOfferRefused = true;
        if (this.lcp.sendProtocolReject(protocol, info)) this.counters.protocolRejectsSent++;
        return;
    }
  }

  /**
   * The link's fast path for a 0x00FD frame (information field at `frame[offset]`): the route
   * receive() would take ('mppe' in the Network phase), without the decode objects. Returns
   * false when the frame must take the general path instead.
   */
  receiveEncryptedAt(now: number, frame: Uint8Array, offset: number): boolean {
    if (this.host.phase() !== 'network' || this.auth.protocol === PPP_PROTO_COMPRESSED) return false;
    this.data.receiveEncryptedAt(now, frame, offset, this.ipReady);
    return true;
  }

  /** An IP packet from the TUN: only in the Network phase with IPCP Opened. */
  sendIp(ip: Uint8Array): boolean {
    return this.data.sendIpGated(
      ip,
      this.lcpInfo?.peerMru ?? 1500,
      this.ipReady && this.host.phase() === 'network',
      isMppeRequired(this.config.mppe) || this.mppeParams !== null,
    );
  }

  handleTimeout(now: number): void {
    for (const layer of this.deadlines.expire(now)) this.onDeadline(layer);
    this.lcp.handleTimeout(now);
    this.auth.handleTimeout(now);
    this.ccp.fsm.handleTimeout(now);
    this.ipcp.fsm.handleTimeout(now);
  }

  nextTimeout(): number | undefined {
    return earliest(this.deadlines.nextTimeout(), this.lcp.nextTimeout(), this.auth.nextTimeout(), this.ccp.fsm.nextTimeout(), this.ipcp.fsm.nextTimeout());
  }

  /** One closure for the life of the link, not one per input. */
  private readonly queueAuthFrame = (protocol: number, packet: Uint8Array): void => this.data.queueFrame(protocol, packet);

  /** After each input: the auth method's packets out, and its outcome acted on. */
  drainAuth(now: number): void {
    const outcome = this.auth.drain(this.queueAuthFrame);
    if (!outcome) return;
    this.deadlines.clear('auth');
    if (outcome.kind === 'failure') {
      this.host.fail(outcome.failure, true);
      return;
    }
    this.mppeKeys = outcome.mppeKeys;
    this.host.emit({ type: 'auth-success', at: now, method: outcome.method, ...(outcome.message !== undefined ? { message: outcome.message } : {}) });
    this.startNetwork(now);
  }

  /**
   * What the link reports when the lower layer (the PPTP call or control connection) goes away:
   * the refusal of ours that explains it while negotiating (accel-ppp clears the call when the
   * authentication methods do not overlap), else `lower` as it is.
   */
  explainLoss(lower: Failure): Failure {
    const refusal = this.pendingRefusal();
    if (!refusal) return lower;
    const failure = refusalFailure(refusal);
    const then = lower.message.charAt(0).toUpperCase() + lower.message.slice(1);
    return { ...failure, message: `${failure.message} Then: ${then}${/[.!?]$/.test(then) ? '' : '.'}` };
  }

  /** Terminate or Dead: no IP, no MPPE, no deadlines, no keepalive. */
  stopTraffic(): void {
    this.ipReady = false;
    this.data.stopEncryption();
    this.deadlines.clearAll();
    this.lcp.keepalive.stop();
  }

  // ---- the layer order (layer-order.ts decides; this carries it out and reports) --------------

  private onLcpUp(now: number, negotiated: LcpNegotiated): void {
    this.lcpInfo = negotiated;
    this.data.setCompression({ pfc: negotiated.pfc.send, acfc: negotiated.acfc.send });
    this.deadlines.clear('lcp');
    const { mru, peerMru, accm, pfc, acfc, magic } = negotiated;
    this.host.emit({ type: 'lcp-up', at: now, mru, peerMru, auth: negotiated.auth?.method ?? null, accm, pfc, acfc, magic });
    if (this.host.failing()) return;
    const selection = negotiated.auth;
    if (!selection) {
      this.authMethod = null;
      this.startNetwork(now);
      return;
    }
    this.host.setPhase(now, 'authenticate');
    this.reportStarted(now, 'auth');
    this.authMethod = selection.method;
    this.deadlines.set('auth', now + (this.config.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS));
    this.auth.begin(now, selection.method);
    this.drainAuth(now);
  }

  private startNetwork(now: number): void {
    if (this.host.failing()) return;
    const plan = planNetworkPhase(this.config.mppe, this.mppeKeys !== undefined);
    if (plan === 'refuse-without-keys') {
      this.reportStarted(now, 'ccp');
      // No keys because we refused the server's method and it stopped asking (pppd): that refusal is the cause.
      const refused = this.authMethod === null ? this.lcp.authRefusal : undefined;
      this.host.fail(refused ? refusalFailure(refused) : failures.noMppeKeysFailure(this.authMethod), true);
      return;
    }
    this.host.setPhase(now, 'network');
    if (plan === 'ccp-then-ipcp' || plan === 'ccp-beside-ipcp') {
      this.reportStarted(now, 'ccp');
      this.ccpRunning = true;
      this.ccpOutcomeUnreported = true;
      this.deadlines.set('ccp', now + this.negotiationTimeout());
      this.ccp.fsm.open(now);
      this.ccp.fsm.up(now);
    }
    if (plan !== 'ccp-then-ipcp') this.startIpcp(now);
  }

  private startIpcp(now: number): void {
    if (this.ipcpStarted || this.host.failing()) return;
    this.ipcpStarted = true;
    this.reportStarted(now, 'ipcp');
    this.deadlines.set('ipcp', now + this.negotiationTimeout());
    this.ipcp.fsm.open(now);
    this.ipcp.fsm.up(now);
    const early = this.pendingIpcpRequest;
    this.pendingIpcpRequest = undefined;
    if (early) this.ipcp.fsm.handlePacket(now, early);
  }

  private onCcpUp(now: number, mppe: MppeParams | null): void {
    this.deadlines.clear('ccp');
    this.data.stopEncryption();
    if (mppe && this.mppeKeys) {
      this.data.startEncryption(this.mppeKeys, mppe);
      this.mppeParams = mppe;
    }
    this.ccpOutcomeUnreported = false;
    this.host.emit({ type: 'ccp-up', at: now, mppe: this.mppeParams });
    this.startIpcp(now);
  }

  /** CCP lost (finished or Protocol-Rejected): fatal when MPPE is required, else IPCP goes on. */
  private loseCcp(now: number, failure: Failure): void {
    if (ccpLossIsFatal(this.config.mppe)) {
      this.host.fail(failure, true);
      return;
    }
    this.startIpcp(now);
  }

  private onCcpFinished(now: number, cause: FsmFinishCause): void {
    this.ccpRunning = false;
    this.data.stopEncryption();
    if (this.host.failing()) return;
    if (!ccpLossIsFatal(this.config.mppe)) {
      this.mppeParams = null;
      this.deadlines.clear('ccp');
    }
    const refusal = this.pendingRefusal();
    this.loseCcp(now, refusal ? refusalFailure(refusal) : failures.ccpEndedFailure(cause));
  }

  private onIpcpUp(now: number, result: IpcpResult): void {
    this.deadlines.clear('ipcp');
    this.ipReady = true;
    this.ipcpWasUp = true;
    // Optional MPPE: CCP was refused or gave up, and IPCP is up without it.
    if (this.ccpOutcomeUnreported && !ccpLossIsFatal(this.config.mppe) && !isNegotiatingOrOpened(this.ccp.fsm.state)) {
      this.ccpOutcomeUnreported = false;
      this.host.emit({ type: 'layer', at: now, layer: 'ccp', status: 'abandoned' });
    }
    const { localIp, remoteIp, dns, wins } = result;
    this.host.emit({ type: 'ipcp-up', at: now, localIp, remoteIp, dns, wins, mtu: this.mtu ?? 1500 });
  }

  private onIpcpFinished(cause: FsmFinishCause): void {
    this.ipReady = false;
    if (this.host.failing()) return;
    const refusal = this.pendingRefusal();
    this.host.fail(refusal ? refusalFailure(refusal) : failures.ncpFinishedFailure('IPCP', cause), true);
  }

  private onLcpDown(): void {
    this.ipReady = false;
    this.data.stopEncryption();
    // tld outside a Close or Terminate-Request: the peer restarted LCP negotiation.
    if (!this.host.failing()) this.host.fail(failures.LCP_RENEGOTIATED, true);
  }

  private onLcpFinished(now: number, cause: FsmFinishCause): void {
    if (!this.host.failing()) {
      const refusal = this.pendingRefusal();
      const fallback = () => failures.lcpFinishedFailure(cause, this.counters.framesIn, this.lcp.fsm.counters.codeRejectsSent);
      this.host.fail(refusal ? refusalFailure(refusal) : fallback(), false);
    }
    this.host.lcpFinished(now);
  }

  private onProtocolRejected(now: number, protocol: number): void {
    if (protocol === PPP_PROTO_CCP && this.ccpRunning) {
      if (!ccpLossIsFatal(this.config.mppe)) {
        this.ccpRunning = false;
        this.ccp.fsm.down(now);
      }
      this.loseCcp(now, failures.CCP_PROTOCOL_REJECTED);
      return;
    }
    if (protocol === PPP_PROTO_IPCP) {
      this.host.fail(failures.IPCP_PROTOCOL_REJECTED, true);
      return;
    }
    // RFC 1661 §5.7: the server does not take what we send on the data path. Once MPPE or IP is
    // running that direction is dead (a server whose kernel cannot decrypt, accel-ppp's race):
    // end with a reason rather than a tunnel that looks up and carries nothing.
    if (protocol === PPP_PROTO_COMPRESSED && this.mppeParams !== null) {
      this.host.fail(failures.dataPathRejectedFailure('mppe'), true);
      return;
    }
    if (protocol === PPP_PROTO_IP && this.ipReady) this.host.fail(failures.dataPathRejectedFailure('ip'), true);
  }

  private onPeerTerminate(text: string): void {
    if (this.host.failing()) return;
    const refusal = this.pendingRefusal();
    this.host.fail(refusal ? refusalFailure(refusal, text) : failures.peerTerminateFailure(text), false);
  }

  /**
   * The refusal of ours that explains the negotiation ending now, if any (refusal.ts): while LCP
   * negotiates, or once it opened without authentication, our refusal of the server's
   * authentication protocol; while the method runs, what
   * it refused (an EAP type); while required CCP has not opened, the MPPE offer we refused; with
   * MPPE off and IPCP not yet up, the server's MPPE offer we Protocol-Rejected.
   */
  private pendingRefusal(): Refusal | undefined {
    if (this.ipcpWasUp) return undefined;
    if (!this.lcpInfo) return this.lcp.authRefusal;
    const auth = this.auth.refusal;
    if (auth) return auth;
    // LCP opened without authentication after we refused the server's method: pppd stops asking
    // (lcp.c lcp_nakci) and then closes with "peer refused to authenticate" (auth.c).
    if (!this.lcpInfo.auth && this.lcp.authRefusal) return this.lcp.authRefusal;
    if (this.ccpOutcomeUnreported && ccpLossIsFatal(this.config.mppe) && this.ccp.refusal) return this.ccp.refusal;
    if (this.mppeOfferRefused) return { kind: 'mppe-off' };
    return undefined;
  }

  private onDeadline(layer: PppLayer): void {
    const ms = layer === 'auth' ? (this.config.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS) : this.negotiationTimeout();
    const fsm = layer === 'auth' ? undefined : this[layer].fsm;
    const evidence = fsm && { counters: fsm.counters, lastMalformedMessage: fsm.lastMalformed?.message };
    const refusal = this.pendingRefusal();
    if (refusal) {
      this.host.fail(refusalFailure(refusal), true);
      return;
    }
    this.host.fail(failures.deadlineFailure(layer, Math.round(ms / 1000), evidence, isMppeRequired(this.config.mppe)), true);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private gate(): DataPathGate {
    return { ipReady: this.ipReady, encryptionExpected: isMppeRequired(this.config.mppe) || this.mppeParams !== null };
  }

  private negotiationTimeout(): number {
    return this.config.negotiationTimeoutMs ?? this.timing.restartMs * (this.timing.maxConfigure + 1);
  }

  private reportStarted(now: number, layer: PppLayer): void {
    this.host.emit({ type: 'layer', at: now, layer, status: 'started' });
  }
}
