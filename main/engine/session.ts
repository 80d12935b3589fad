/**
 * PptpSession: one PPTP tunnel as a pure state machine. It composes the control connection
 * (./control), the GRE call (./gre) and the PPP link (./ppp/link) and owns what none of them
 * can see alone:
 *  - the phase timeline the user sees (control → call → lcp → auth → ccp → ipcp), with timings
 *    and negotiated values (session-timeline.ts; the PPP phases are the link's layer reports,
 *    mapped one to one: the layer order is the link's alone);
 *  - "GRE blocked" detection: the call is up and TCP is fine, yet no GRE packet for our call
 *    arrives within `greSilenceTimeoutMs` (pppd on the server sends LCP at once, so silence
 *    means IP protocol 47 is filtered or not NAT-forwarded);
 *  - the teardown order: PPP Terminate first, then Call-Clear-Request, then
 *    Stop-Control-Connection-Request; when the call or the control connection dies under us the
 *    PPP link is aborted without a Terminate exchange;
 *  - the first failure wins: it is the reason the session reports when it is closed.
 *
 * Driver order (the service does the I/O; tests use the virtual clock):
 *   open the raw GRE socket, connect TCP, then start(now);
 *   on input call handleControlBytes / handleControlClosed / handleGre (GRE header onward) /
 *   handleTunPacket / handleTimeout / disconnect;
 *   after each call drain pollControlBytes() (to TCP), pollGrePacket() (to the raw socket),
 *   pollTunPacket() (to the TUN) and pollEvent(), then re-arm the timer at nextTimeout().
 *   The copy-free variants pollGrePacketAt() / pollTunPacketAt() hand out (buffer, start)
 *   without a view. Outgoing GRE packets mostly come from a bounded pool (wire/frame-pool.ts):
 *   the driver owns each from the poll until its socket is done with the bytes, then gives it
 *   back with releaseGrePacket(buffer) (any buffer from pollGrePacket*; not the pool's: ignored).
 *   A driver that never gives them back works too: once the pool is empty every packet gets a
 *   fresh buffer, as before the pool.
 *   When pollEvent() yields {type:'closed'} write out the remaining control bytes and close TCP.
 * Nothing here reads a clock, does I/O or throws on wire input.
 */
import { ControlConnection } from './control/connection';
import type { ControlEvent, CallInfo } from './control/events';
import type { TransportClose } from './control/failures';
import type { Failure } from './failure';
import { GreCall } from './gre';
import type { AuthMethod, LogLevel } from '../../preload/vocabulary';
import { PppLink } from './ppp/link';
import type { PppLinkEvent } from './ppp/link-types';
import type { MppeParams } from './ppp/mppe-contract';
import { PhaseTimeline, callDoneDetail, controlDoneDetail, phaseStepForLinkEvent } from './session-timeline';
import type { PptpSessionConfig, SessionCounters, SessionEvent, SessionState, SessionStats, SessionUpInfo } from './session-types';
import { TimerTable, earliest } from './timers';
import { Fifo, OffsetFrameFifo } from './wire/fifo';
import { FramePool, type FrameReleaseVerdict, type FramePoolCounters } from './wire/frame-pool';

export type * from './session-types';

/** No GRE from the server this long after the call is up → 'gre-blocked'. pppd sends LCP at once. */
export const DEFAULT_GRE_SILENCE_TIMEOUT_MS = 8_000;

/**
 * The longest the call stays up after the PPP link went down while LCP still has a timer
 * running: RFC 1661 §5.5 — after a Terminate-Ack the receiver MUST NOT disconnect until at least
 * one Restart time has passed (the FSM's Stopping state holds that timer, 3 s by default).
 */
export const MAX_HANG_UP_DELAY_MS = 3_000;

type SessionTimer = 'gre-silence' | 'hang-up';

export class PptpSession {
  readonly counters: SessionCounters = { ipTxPackets: 0, ipTxBytes: 0, ipRxPackets: 0, ipRxBytes: 0, greBeforeCall: 0 };
  private readonly control: ControlConnection;
  private gre: GreCall | undefined;
  private link: PppLink | undefined;
  private readonly timers = new TimerTable<SessionTimer>();
  private readonly controlOut = new Fifo<Uint8Array>();
  /** GRE packets for the raw socket, each `buffer[start..]` (see pollGrePacketAt). */
  private readonly greOut = new OffsetFrameFifo();
  /** Buffers of outgoing GRE packets, made when the call is up (see the driver order above). */
  private framePool: FramePool | undefined;
  /** IP datagrams for the TUN, each `buffer[start..]` (a view of a handleGre input, see pollTunPacket). */
  private readonly tunOut = new OffsetFrameFifo();
  private readonly events: SessionEvent[] = [];
  private readonly timeline = new PhaseTimeline((e) => this.events.push(e));
  private stateValue: SessionState = 'idle';
  private failure: Failure | undefined;
  private greSeen = false;
  private negotiatedAuth: AuthMethod | 'none' = 'none';
  private negotiatedMppe: MppeParams | null = null;
  private upInfo: SessionUpInfo | undefined;

  constructor(private readonly config: PptpSessionConfig) {
    this.control = new ControlConnection({ ...config.control, random: config.random });
  }

  get state(): SessionState {
    return this.stateValue;
  }

  /** The negotiated values once up (undefined before). */
  get info(): SessionUpInfo | undefined {
    return this.upInfo;
  }

  get stats(): SessionStats {
    return { session: this.counters, gre: this.gre?.counters, ppp: this.link?.counters };
  }

  // ---- commands ---------------------------------------------------------------------------

  /** TCP is connected (and the raw GRE socket open): send SCCRQ. */
  start(now: number): void {
    if (this.stateValue !== 'idle') return;
    this.stateValue = 'control';
    this.timeline.started(now, 'control');
    this.control.start(now);
    this.pump(now);
  }

  /** The user asked to disconnect: PPP Terminate, then hang up the call and the control connection. */
  disconnect(now: number): void {
    if (this.stateValue === 'closed' || this.stateValue === 'closing') return;
    this.fail(now, { reason: 'local-disconnect', message: 'disconnected on request' }, 'quiet');
    this.stateValue = 'closing';
    if (this.link && !this.link.isDead) this.link.close(now, 'User request');
    else this.control.hangUp(now);
    this.pump(now);
  }

  // ---- inputs -------------------------------------------------------------------------------

  handleControlBytes(now: number, bytes: Uint8Array): void {
    this.control.handleBytes(now, bytes);
    this.pump(now);
  }

  /** TCP under the control connection ended; `close` says how (a FIN, a RST, or a socket error here). */
  handleControlClosed(now: number, close?: TransportClose): void {
    this.control.handleTransportClosed(now, close);
    this.pump(now);
  }

  /** One GRE packet (GRE header onward; the service strips the IPv4 header). */
  handleGre(now: number, packet: Uint8Array): void {
    if (!this.gre) {
      this.counters.greBeforeCall++;
      return;
    }
    const verdict = this.gre.handleGre(now, packet);
    if (!this.greSeen && verdict !== 'wrong-call' && verdict !== 'malformed' && verdict !== 'empty') {
      this.greSeen = true;
      this.timers.clear('gre-silence');
    }
    this.pump(now);
  }

  /** One IP packet read from the TUN device. Dropped (and counted by PPP) unless the link is up. */
  handleTunPacket(now: number, ip: Uint8Array): void {
    if (!this.link || this.stateValue !== 'up') return;
    // Drop what the GRE window and queue cannot take *before* MPPE encrypts it: an encrypted
    // frame dropped later has spent a coherency count, and a run of more than 2048 such drops
    // (an unthrottled sender behind the TUN) puts the peer's stateless decryptor out of reach:
    // RFC 3078 §8.1 receivers (Linux ppp_mppe, and ours) refuse such a jump as a late packet.
    if (this.gre && !this.gre.canAcceptFrame) {
      this.gre.countWindowDrop();
      return;
    }
    if (this.link.sendIpPacket(now, ip)) {
      this.counters.ipTxPackets++;
      this.counters.ipTxBytes += ip.length;
    }
    this.pump(now);
  }

  handleTimeout(now: number): void {
    for (const t of this.timers.expire(now)) {
      if (t === 'gre-silence' && !this.greSeen) {
        const seconds = Math.round((this.config.greSilenceTimeoutMs ?? DEFAULT_GRE_SILENCE_TIMEOUT_MS) / 1000);
        this.fail(now, {
          reason: 'gre-blocked',
          message: `the call is up and TCP 1723 works, but no GRE packet came from the server within ${seconds} s`,
        });
        this.abortLinkAndHangUp(now);
      }
      if (t === 'hang-up' && this.control.state !== 'closed') this.control.hangUp(now);
    }
    this.control.handleTimeout(now);
    this.gre?.handleTimeout(now);
    this.link?.handleTimeout(now);
    this.pump(now);
  }

  // ---- outputs ------------------------------------------------------------------------------

  pollControlBytes(): Uint8Array | undefined {
    return this.controlOut.shift();
  }

  pollGrePacket(): Uint8Array | undefined {
    return this.greOut.shift();
  }

  /**
   * pollGrePacket without a view (no allocation): the packet is `buffer[lastGrePacketStart..]`.
   * The driver owns `buffer` until it hands it to releaseGrePacket.
   */
  pollGrePacketAt(): Uint8Array | undefined {
    return this.greOut.shiftAt();
  }

  get lastGrePacketStart(): number {
    return this.greOut.lastStart;
  }

  /**
   * The driver is done with a buffer from pollGrePacket / pollGrePacketAt (the socket sent it):
   * a pool slot goes back to the pool. Giving back a foreign buffer ('not-pooled') or a slot
   * twice ('already-free') is ignored and counted (frameBuffers).
   */
  releaseGrePacket(buffer: Uint8Array): FrameReleaseVerdict {
    return this.framePool ? this.framePool.release(buffer) : 'not-pooled';
  }

  /** The send path's buffer pool counters (undefined before the call is up). */
  get frameBuffers(): Readonly<FramePoolCounters> | undefined {
    return this.framePool?.counters;
  }

  /**
   * The next IP datagram for the TUN. It may be a view of a packet given to handleGre (MPPE
   * decrypts in place, ppp/link-data-path.ts): drain this before reusing that packet's buffer.
   */
  pollTunPacket(): Uint8Array | undefined {
    return this.tunOut.shift();
  }

  /** pollTunPacket without a view (no allocation): the datagram is `buffer[lastTunPacketStart..]`. */
  pollTunPacketAt(): Uint8Array | undefined {
    return this.tunOut.shiftAt();
  }

  get lastTunPacketStart(): number {
    return this.tunOut.lastStart;
  }

  pollEvent(): SessionEvent | undefined {
    return this.events.shift();
  }

  nextTimeout(): number | undefined {
    if (this.stateValue === 'closed') return undefined;
    return earliest(this.timers.nextTimeout(), this.control.nextTimeout(), this.gre?.nextTimeout(), this.link?.nextTimeout());
  }

  // ---- internals ----------------------------------------------------------------------------

  /** Moves everything between the layers until nothing moves. */
  private pump(now: number): void {
    for (let moved = true; moved; ) {
      moved = false;
      for (let b = this.control.pollTransmit(); b; b = this.control.pollTransmit()) {
        this.controlOut.push(b);
        moved = true;
      }
      for (let e = this.control.pollEvent(); e; e = this.control.pollEvent()) {
        this.onControlEvent(now, e);
        moved = true;
      }
      if (this.link && this.gre) {
        // The frame is buffer[lastFrameStart..]; IP frames carry headroom for the GRE header.
        for (let f = this.link.pollFrameAt(); f; f = this.link.pollFrameAt()) {
          this.gre.sendPayloadAt(now, f, this.link.lastFrameStart);
          moved = true;
        }
      }
      if (this.gre) {
        for (let p = this.gre.pollTransmitAt(); p; p = this.gre.pollTransmitAt()) {
          this.greOut.push(p, this.gre.lastTransmitStart);
          moved = true;
        }
        for (let f = this.gre.pollReceivedAt(); f; f = this.gre.pollReceivedAt()) {
          this.link?.handleFrameAt(now, f, this.gre.lastReceivedStart);
          moved = true;
        }
      }
      if (this.link) {
        for (let ip = this.link.pollIpPacketAt(); ip; ip = this.link.pollIpPacketAt()) {
          const start = this.link.lastIpStart;
          this.counters.ipRxPackets++;
          this.counters.ipRxBytes += ip.length - start;
          this.tunOut.push(ip, start);
          moved = true;
        }
        if (this.drainLinkEvents(now)) moved = true;
      }
    }
  }

  private onControlEvent(now: number, e: ControlEvent): void {
    switch (e.type) {
      case 'control-connected':
        this.timeline.done(now, 'control', controlDoneDetail(e.peer));
        this.stateValue = 'call';
        this.timeline.started(now, 'call');
        return;
      case 'call-connected':
        this.onCallConnected(now, e.call);
        return;
      case 'set-link-info':
        this.link?.handleSetLinkInfo(e.sendAccm, e.receiveAccm);
        this.log(now, 'debug', `Set-Link-Info: send ACCM 0x${e.sendAccm.toString(16)}, receive ACCM 0x${e.receiveAccm.toString(16)}`);
        return;
      case 'wan-error':
        this.log(now, 'warn', `the server reported WAN errors (#${e.count}): ${JSON.stringify(e.errors)}`);
        return;
      case 'echo-rtt':
        this.log(now, 'debug', `PPTP echo answered in ${Math.round(e.rttMs)} ms`);
        return;
      case 'call-disconnected':
        // The link names the real cause when we had refused the server's proposal (ppp/refusal.ts).
        this.fail(now, this.explainLoss({ reason: 'peer-disconnected', message: `the server cleared the call: ${e.words}` }));
        this.link?.abort(now, this.failure!);
        return;
      case 'ignored':
        this.log(now, 'debug', `control: ignored ${e.cause} input: ${e.message}`);
        return;
      case 'closed':
        this.onControlClosed(now, e.failure);
        return;
    }
  }

  private onCallConnected(now: number, call: CallInfo): void {
    this.timeline.done(now, 'call', callDoneDetail(call));
    this.stateValue = 'ppp';
    this.framePool = new FramePool();
    this.gre = new GreCall(
      {
        ...this.config.gre,
        localCallId: call.callId,
        peerCallId: call.peerCallId,
        peerReceiveWindow: call.peerReceiveWindow,
        ourReceiveWindow: call.receiveWindow,
        // pump() hands every received frame to the link within the handleGre call; the link copies
        // what else it keeps, and an MPPE datagram is decrypted in place and queued for the TUN as
        // a view of the input: the driver drains pollTunPacket before reusing it (issue 12).
        uncopiedInOrder: true,
      },
      this.framePool,
    );
    this.link = new PppLink({
      framePool: this.framePool,
      ...this.config.ppp,
      credentials: this.config.credentials,
      allowedAuth: this.config.allowedAuth,
      mppe: this.config.mppe,
      random: this.config.random,
      ...(this.config.mru !== undefined ? { mru: this.config.mru } : {}),
      ...(this.config.lcpEcho !== undefined ? { lcpEcho: this.config.lcpEcho } : {}),
    });
    const accm = this.control.linkInfo;
    if (accm) this.link.handleSetLinkInfo(accm.sendAccm, accm.receiveAccm);
    this.timers.set('gre-silence', now + (this.config.greSilenceTimeoutMs ?? DEFAULT_GRE_SILENCE_TIMEOUT_MS));
    this.link.start(now);
    // The link reports LCP started: put it on the timeline now, before any later control event.
    this.drainLinkEvents(now);
  }

  /** Acts on every event the link queued; true if there was any. */
  private drainLinkEvents(now: number): boolean {
    let any = false;
    for (let e = this.link?.pollEvent(); e; e = this.link?.pollEvent()) {
      this.onLinkEvent(now, e);
      any = true;
    }
    return any;
  }

  private onLinkEvent(now: number, e: PppLinkEvent): void {
    const step = phaseStepForLinkEvent(e);
    if (step) this.timeline.apply(now, step);
    switch (e.type) {
      case 'lcp-up':
        this.negotiatedAuth = e.auth ?? 'none';
        return;
      case 'ccp-up':
        this.negotiatedMppe = e.mppe;
        return;
      case 'ipcp-up': {
        const info: SessionUpInfo = {
          localIp: e.localIp,
          remoteIp: e.remoteIp ?? e.localIp,
          dns: e.dns,
          wins: e.wins,
          mtu: e.mtu,
          auth: this.negotiatedAuth,
          mppe: this.link?.mppe ?? this.negotiatedMppe,
          peer: this.control.peer,
          call: this.control.call,
        };
        this.upInfo = info;
        if (this.stateValue !== 'closing') this.stateValue = 'up';
        this.events.push({ type: 'up', at: now, ...info });
        return;
      }
      case 'failed':
        this.fail(now, e.failure);
        return;
      case 'link-down':
        this.fail(now, e.failure);
        this.hangUpAfterLink(now);
        return;
    }
  }

  private onControlClosed(now: number, failure: Failure | undefined): void {
    if (failure) this.fail(now, this.explainLoss(failure));
    if (this.link && !this.link.isDead) {
      this.link.abort(now, this.failure ?? { reason: 'peer-disconnected', message: 'the control connection closed' });
      // Drain the link's final events (link-down) so they precede 'closed'.
      for (let e = this.link.pollEvent(); e; e = this.link.pollEvent()) if (e.type !== 'link-down') this.onLinkEvent(now, e);
    }
    this.timers.clearAll();
    this.stateValue = 'closed';
    const final = this.failure ?? { reason: 'local-disconnect' as const, message: 'disconnected' };
    this.events.push({ type: 'closed', at: now, failure: final });
  }

  /**
   * PPP is over: hang up the call and the control connection, but never ahead of the link's last
   * frames. The Call-Clear-Request waits for the next instant, so a driver that writes control
   * bytes before GRE packets still sends the Terminate-Ack of this input first; and while LCP
   * holds a timer (Stopping after the server's Terminate-Request, RFC 1661 §5.5: no disconnect
   * within one Restart time of the Terminate-Ack) until that timer, at most
   * MAX_HANG_UP_DELAY_MS. A server that clears the call meanwhile ends the session sooner.
   */
  private hangUpAfterLink(now: number): void {
    if (this.control.state === 'closed' || this.timers.isArmed('hang-up')) return;
    const linkTimer = this.link?.nextTimeout();
    const at = linkTimer === undefined ? now : Math.min(Math.max(now, linkTimer), now + MAX_HANG_UP_DELAY_MS);
    this.timers.set('hang-up', at);
  }

  /** A lower-layer loss as the link explains it (its refusal of the server's proposal), or as it is. */
  private explainLoss(failure: Failure): Failure {
    return this.link ? this.link.explainLowerLayerLoss(failure) : failure;
  }

  private abortLinkAndHangUp(now: number): void {
    if (this.link && !this.link.isDead) this.link.abort(now, this.failure!);
    else if (this.control.state !== 'closed') this.control.hangUp(now);
  }

  /** Records the first failure; marks the running phase failed. */
  private fail(now: number, failure: Failure, mode: 'report' | 'quiet' = 'report'): void {
    if (this.failure) return;
    this.failure = failure;
    if (mode === 'quiet') return;
    this.timeline.failRunning(now, failure.reason);
  }

  private log(now: number, level: Exclude<LogLevel, 'error'>, message: string): void {
    this.events.push({ type: 'log', level, at: now, message });
  }
}
