/**
 * PptpServer: a whole scripted PPTP server (pptpd + pppd, shared/notes/pptpd-peer.md) as one
 * harness endpoint (test/sim/harness/pair.ts): the control side is a ControlServer on the
 * stream channel, the data side a server-side GreCall on the datagram channel, created when the
 * call comes up (its call ID = the server's from the OCRP, peer call ID = the client's from the
 * OCRQ), carrying PPP frames to and from a PppPeer. It owns the glue only: which call is up,
 * tearing GRE + PPP down when the call or TCP goes away, the server's CHAP challenge
 * retransmission (pppd resends an unanswered challenge every 3 s, chap-restart; the client only
 * waits), and an optional IP echo. Protocol behaviour lives in the three parts.
 *
 *   const server = new PptpServer({ random: seededRandom(9), auth: { method: 'mschapv2',
 *     username: 'alice', password: 's3cret-Pass' }, control: { onCallClear: 'disconnect-notify' },
 *     ppp: { dns: ['192.168.77.1'] }, echoIp: true });
 *   server.handleConnected(now)    the client's TCP connected (call once, with client.start)
 *   server.control / server.gre / server.peer / server.authenticator   the parts (inspect, script)
 *   server.sendIp(now, ip)         an IP packet from the server's side into the tunnel
 *   server.ipReceived              IP packets that came out of the tunnel (when not echoing)
 *   server.blockGre = true         GRE in and out silently dropped (a filtering firewall)
 *   server.terminatePpp(now, why)  LCP Terminate-Request from the server's pppd
 *   server.timeline                what the server saw, with times (teardown order)
 * Config beyond the parts: pppStartDelayMs (pppd starts 5 ms after the OCRP by default),
 * greKeyCallId (hostile: GRE keyed to another call), authRetransmit, echoIp, gre tuning,
 * greAckOnlyLimit (0: the Linux kernel's pptp module, which acknowledges only on its own data).
 *
 * Nothing here reads a clock or throws on client input.
 */
import type { SimEndpoint } from '../harness/pair';
import { ControlServer, type ControlServerScript } from './control-server';
import { PppPeer, type PeerAuthenticator, type PppPeerConfig } from './ppp-peer';
import { createAuthenticator, type EapAuthenticatorConfig, type Hostility } from './authenticators';
import { GRE_FLAG_SEQUENCE, GreCall, type GreCallConfig } from '../../../main/engine/gre';
import type { AuthMethod } from '../../../preload/vocabulary';
import type { RandomSource } from '../../../main/engine/random';
import { earliest } from '../../../main/engine/timers';

/** pppd's CHAP / EAP server retransmits an unanswered request every 3 s (chap-restart), 10 times. */
export const SERVER_AUTH_RESTART_MS = 3_000;
export const SERVER_AUTH_MAX_TRANSMITS = 10;

export interface PptpServerAuthConfig {
  readonly method: AuthMethod;
  readonly username: string;
  readonly password: string;
  readonly serverName?: string;
  readonly hostile?: Hostility;
  /** EAP only: the inner method (default mschapv2), a type offered first, a Notification. */
  readonly eapMethod?: EapAuthenticatorConfig['method'];
  readonly eapFirstType?: number;
}

export interface PptpServerConfig {
  readonly random: RandomSource;
  /** The control connection's script (default: pptpd). */
  readonly control?: ControlServerScript;
  /** The server-side PPP (default: pppd require-mschap-v2 require-mppe-128). */
  readonly ppp?: Omit<PppPeerConfig, 'random' | 'authenticator'>;
  /** Which method the server runs and whose password it knows; omitted: no authentication. */
  readonly auth?: PptpServerAuthConfig;
  /** Or a hand-made authenticator (takes precedence over `auth`). */
  readonly authenticator?: PeerAuthenticator;
  /** The server's GRE call tuning. */
  readonly gre?: Pick<GreCallConfig, 'reorderTimeoutMs' | 'ackDelayMs' | 'maxReorderBuffer' | 'maxSendQueue' | 'ourReceiveWindow' | 'initialSendSequence'>;
  /** Send every IP packet out of the tunnel straight back (a ping responder). Default false. */
  readonly echoIp?: boolean;
  /** Retransmit unanswered auth requests like pppd (default true). */
  readonly authRetransmit?: boolean;
  /**
   * How long after the OCRP the server's pppd starts LCP (default 5 ms: pptpd forks pppd after
   * replying, so its first GRE packet follows the OCRP). 0 sends both at the same instant, and
   * the harness delivers the GRE packet first: the client drops it (no call yet) and LCP
   * recovers through the restart timer.
   */
  readonly pppStartDelayMs?: number;
  /** Hostile: put this call ID in the key of our GRE packets instead of the client's (a NAT mix-up). */
  readonly greKeyCallId?: number;
  /**
   * At most this many ack-only GRE packets per call (default: no limit). 0 speaks like the Linux
   * kernel's PPTP data path (drivers/net/ppp/pptp.c, behind accel-ppp and VyOS): acknowledgements
   * ride only on its data packets. Pair with gre.initialSendSequence 1 (its first sequence number).
   */
  readonly greAckOnlyLimit?: number;
}

/** pptpd replies to the OCRQ, then pppd starts: its first LCP packet comes a little later. */
export const DEFAULT_PPP_START_DELAY_MS = 5;

/**
 * Wraps an authenticator with pppd's server-side retransmission: the last request burst is sent
 * again every SERVER_AUTH_RESTART_MS while no answer came and no result is known.
 */
class RetransmittingAuthenticator implements PeerAuthenticator {
  readonly protocol: number;
  retransmissions = 0;
  private last: Uint8Array[] = [];
  private queue: Uint8Array[] = [];
  private deadline: number | undefined;
  private decided = false;
  private transmits = 0;

  constructor(private readonly inner: PeerAuthenticator) {
    this.protocol = inner.protocol;
  }

  start(now: number): void {
    this.inner.start(now);
    this.collect(now, true);
  }

  handlePacket(now: number, info: Uint8Array): void {
    this.inner.handlePacket(now, info);
    // An answer arrived: whatever the method sends next is the new burst to repeat.
    this.collect(now, true);
  }

  pollTransmit(): Uint8Array | undefined {
    return this.queue.shift();
  }

  pollResult(): ReturnType<PeerAuthenticator['pollResult']> {
    const r = this.inner.pollResult();
    if (r) {
      this.decided = true;
      this.deadline = undefined;
    }
    return r;
  }

  nextTimeout(): number | undefined {
    return this.decided ? undefined : this.deadline;
  }

  /** True when it queued a retransmission. */
  handleTimeout(now: number): boolean {
    if (this.decided || this.deadline === undefined || now < this.deadline) return false;
    if (this.transmits >= SERVER_AUTH_MAX_TRANSMITS || this.last.length === 0) {
      this.deadline = undefined;
      return false;
    }
    this.transmits++;
    this.retransmissions++;
    this.queue.push(...this.last.map((p) => p.slice()));
    this.deadline = now + SERVER_AUTH_RESTART_MS;
    return true;
  }

  private collect(now: number, fresh: boolean): void {
    const burst: Uint8Array[] = [];
    for (let p = this.inner.pollTransmit(); p; p = this.inner.pollTransmit()) burst.push(p);
    if (burst.length === 0) return;
    this.queue.push(...burst);
    if (fresh) {
      this.last = burst;
      this.transmits = 1;
      this.deadline = now + SERVER_AUTH_RESTART_MS;
    }
  }
}

export class PptpServer implements SimEndpoint {
  readonly control: ControlServer;
  /** The authenticator as configured (the hostile switches and `received` live here). */
  readonly authenticator: PeerAuthenticator | undefined;
  /** IP packets out of the tunnel (when not echoing). */
  readonly ipReceived: Uint8Array[] = [];
  /** Every PppPeer this server ran (one per call). */
  readonly peers: PppPeer[] = [];
  /** GRE datagrams that arrived with no call up, and ones dropped by blockGre. */
  greWithoutCall = 0;
  greBlockedCount = 0;
  /** Ack-only GRE packets withheld by greAckOnlyLimit. */
  greAckOnlyWithheld = 0;
  /** Drop every GRE datagram in both directions (a firewall filtering protocol 47). */
  blockGre = false;
  /**
   * What the server saw, with virtual times: 'control:<kind>' for each client control message,
   * 'ppp:terminate-request' for the client's LCP Terminate-Request, 'tcp:closed' when the
   * client closed TCP. Lets tests assert the teardown order.
   */
  readonly timeline: { readonly at: number; readonly what: string }[] = [];

  private greCall: GreCall | undefined;
  private pppPeer: PppPeer | undefined;
  private retransmitter: RetransmittingAuthenticator | undefined;
  private callKey: number | undefined;
  private pppStartAt: number | undefined;
  private readonly greOut: Uint8Array[] = [];
  private closeSent = false;
  private ackOnlySent = 0;

  constructor(private readonly config: PptpServerConfig) {
    this.control = new ControlServer(config.control ?? {});
    this.authenticator = config.authenticator ?? (config.auth ? makeAuthenticator(config.auth, config.random) : undefined);
  }

  /** The GreCall of the current call (undefined before OCRP or after the call ended). */
  get gre(): GreCall | undefined {
    return this.greCall;
  }

  /** The PPP peer of the current (or last) call. */
  get peer(): PppPeer | undefined {
    return this.pppPeer ?? this.peers[this.peers.length - 1];
  }

  /** How many times the server repeated an unanswered auth request. */
  get authRetransmissions(): number {
    return this.retransmitter?.retransmissions ?? 0;
  }

  /** The client's TCP connection was accepted. */
  handleConnected(now: number): void {
    this.control.handleConnected(now);
  }

  /** An IP packet from the server's network into the tunnel (encrypted once CCP is up). */
  sendIp(now: number, ip: Uint8Array): void {
    this.pppPeer?.sendIpPacket(now, ip);
    this.pump(now);
  }

  /** LCP Terminate-Request from the server's pppd. */
  terminatePpp(now: number, reason: string): void {
    this.pppPeer?.terminate(now, reason);
    this.pump(now);
  }

  // ---- SimEndpoint --------------------------------------------------------------------------

  nextTimeout(): number | undefined {
    return earliest(
      this.control.nextTimeout(),
      this.greCall?.nextTimeout(),
      this.pppPeer?.nextTimeout(),
      this.retransmitter?.nextTimeout(),
      this.pppStartAt,
    );
  }

  handleTimeout(now: number): void {
    const due = (t: number | undefined) => t !== undefined && t <= now;
    if (due(this.control.nextTimeout())) this.control.handleTimeout(now);
    if (due(this.greCall?.nextTimeout())) this.greCall?.handleTimeout(now);
    if (due(this.pppPeer?.nextTimeout())) this.pppPeer?.handleTimeout(now);
    if (due(this.retransmitter?.nextTimeout())) this.retransmitter?.handleTimeout(now);
    if (due(this.pppStartAt)) {
      this.pppStartAt = undefined;
      this.pppPeer?.start(now);
    }
    this.pump(now);
  }

  handleStreamBytes(now: number, bytes: Uint8Array): void {
    const before = this.control.received.length;
    this.control.handleBytes(now, bytes);
    for (const m of this.control.received.slice(before)) this.timeline.push({ at: now, what: `control:${m.kind}` });
  }

  pollStreamBytes(): Uint8Array | undefined {
    return this.control.pollTransmit();
  }

  pollStreamClose(): boolean {
    if (this.closeSent || !this.control.pollClose()) return false;
    this.closeSent = true;
    this.endCall();
    return true;
  }

  handleStreamClosed(now: number): void {
    this.timeline.push({ at: now, what: 'tcp:closed' });
    this.control.handleTransportClosed(now);
    this.endCall();
  }

  handleDatagram(now: number, datagram: Uint8Array): void {
    if (this.blockGre) {
      this.greBlockedCount++;
      return;
    }
    if (!this.greCall) {
      this.greWithoutCall++;
      return;
    }
    this.greCall.handleGre(now, datagram);
  }

  pollDatagram(): Uint8Array | undefined {
    return this.greOut.shift();
  }

  afterInput(now: number): void {
    this.pump(now);
  }

  // ---- glue ---------------------------------------------------------------------------------

  private pump(now: number): void {
    this.followCall(now);
    const gre = this.greCall;
    const peer = this.pppPeer;
    if (!gre || !peer) return;
    for (let moved = true; moved; ) {
      moved = false;
      const r = this.retransmitter;
      if (r) {
        // Retransmissions of the auth request go out through the peer's own framing.
        for (let p = r.pollTransmit(); p; p = r.pollTransmit()) {
          peer.sendRawFrame(r.protocol, p);
          moved = true;
        }
      }
      for (let f = gre.pollReceived(); f; f = gre.pollReceived()) {
        const terminates = peer.observed.terminateRequests;
        peer.handleFrame(now, f);
        if (peer.observed.terminateRequests > terminates) this.timeline.push({ at: now, what: 'ppp:terminate-request' });
        moved = true;
      }
      for (let ip = peer.pollIpPacket(); ip; ip = peer.pollIpPacket()) {
        if (this.config.echoIp) peer.sendIpPacket(now, ip);
        else this.ipReceived.push(ip);
        moved = true;
      }
      for (let f = peer.pollFrame(); f; f = peer.pollFrame()) {
        gre.sendPayload(now, f);
        moved = true;
      }
      for (let p = gre.pollTransmit(); p; p = gre.pollTransmit()) {
        moved = true;
        if (this.withholdAckOnly(p)) continue;
        if (this.blockGre) this.greBlockedCount++;
        else this.greOut.push(p);
      }
    }
  }

  /** True when `packet` is an ack-only packet beyond greAckOnlyLimit (it is not sent). */
  private withholdAckOnly(packet: Uint8Array): boolean {
    const limit = this.config.greAckOnlyLimit;
    if (limit === undefined || (packet[0]! & GRE_FLAG_SEQUENCE) !== 0) return false;
    if (this.ackOnlySent < limit) {
      this.ackOnlySent++;
      return false;
    }
    this.greAckOnlyWithheld++;
    return true;
  }

  /** Creates GRE + PPP when the control server accepts a call; drops them when it ends. */
  private followCall(now: number): void {
    const call = this.control.currentCall;
    if (!call) {
      if (this.greCall) this.endCall();
      return;
    }
    const key = call.serverCallId * 0x10000 + call.clientCallId;
    if (this.greCall && this.callKey === key) return;
    this.callKey = key;
    this.ackOnlySent = 0;
    this.greCall = new GreCall({
      ...this.config.gre,
      localCallId: call.serverCallId,
      peerCallId: this.config.greKeyCallId ?? call.clientCallId,
      peerReceiveWindow: call.clientReceiveWindow,
    });
    const auth = this.authenticator;
    const retransmit = auth !== undefined && (this.config.authRetransmit ?? true);
    this.retransmitter = retransmit ? new RetransmittingAuthenticator(auth) : undefined;
    const chosen = this.retransmitter ?? auth;
    this.pppPeer = new PppPeer({
      ...(this.config.ppp ?? {}),
      ...(this.config.auth && this.config.ppp?.authDemand === undefined ? { authDemand: this.config.auth.method } : {}),
      random: this.config.random,
      ...(chosen ? { authenticator: chosen } : {}),
    });
    this.peers.push(this.pppPeer);
    const delay = this.config.pppStartDelayMs ?? DEFAULT_PPP_START_DELAY_MS;
    if (delay > 0) this.pppStartAt = now + delay;
    else this.pppPeer.start(now);
  }

  private endCall(): void {
    this.greCall = undefined;
    this.pppPeer = undefined;
    this.retransmitter = undefined;
    this.pppStartAt = undefined;
    this.greOut.length = 0;
  }
}

function makeAuthenticator(auth: PptpServerAuthConfig, random: RandomSource): PeerAuthenticator {
  return createAuthenticator(auth.method, {
    username: auth.username,
    password: auth.password,
    random,
    ...(auth.serverName !== undefined ? { serverName: auth.serverName } : {}),
    ...(auth.hostile !== undefined ? { hostile: auth.hostile } : {}),
    ...(auth.eapMethod !== undefined ? { method: auth.eapMethod } : {}),
    ...(auth.eapFirstType !== undefined ? { firstType: auth.eapFirstType } : {}),
  });
}
