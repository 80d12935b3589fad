/**
 * One connect attempt with real I/O: it owns the sockets (TCP 1723 through node:net, GRE through
 * the native helper's GrePort), the TUN device, the one timer the engine asks for and the
 * routes/DNS it applies, runs one PptpSession over them and turns the session's events into the
 * public TunnelEvents.
 * Order:
 *   resolve → open the raw GRE socket (before OCRQ: pptpd-peer.md) → TCP connect → session.start
 *   → … 'up' → open TUN, apply the network plan → 'connected'
 *   → 'closed' → close TUN, restore the network, close sockets → report the end to the lifecycle.
 * Teardown never restores while an apply is in flight: it waits, then restores exactly what was
 * applied (attempt-network.ts). The end goes to the lifecycle exactly once (a disconnect while
 * the TCP connect is pending ends the attempt at once; the late socket is closed when it comes).
 * A TUN that goes away while connected ends the tunnel (network-config-failed) and restores.
 *
 * Must not: decide about reconnecting, emit 'error'/'reconnecting'/'disconnected' or keep state
 * across attempts (tunnel-lifecycle.ts does); read the clock other than through the Clock.
 */
import type net from 'node:net';
import type { ConnectOptions } from '../connect-options';
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import type { TunnelPhase } from '../../../preload/vocabulary';
import { PptpSession, type SessionEvent, type PptpSessionConfig, type SessionUpInfo } from '../../engine/session';
import type { Failure } from '../../engine/failure';
import { transportCloseOf } from '../../engine/control/failures';
import { GreSocket, GreSocketError } from '../io/gre-socket';
import { connectControl, resolveServer, TcpConnectError } from '../io/control-socket';
import { defaultTunName, TunDevice } from '../tun/tun-device';
import { planNetwork, toFailure, type NetworkConfigurator } from '../net';
import type { CancelTimer, Clock } from './clock';
import { AttemptNetwork } from './attempt-network';
import { StatsReporter } from './stats';
import type { AttemptEnd, AttemptHooks, RunningAttempt } from './tunnel-lifecycle';

type PhaseDetail = Record<string, string | number | boolean | string[]>;

export interface ConnectAttemptDeps {
  readonly options: ConnectOptions;
  readonly hooks: AttemptHooks;
  /** The engine settings for this attempt's session (engine-config.ts). */
  readonly sessionConfig: PptpSessionConfig;
  readonly configurator: NetworkConfigurator;
  readonly clock: Clock;
  /** 'probe': stop at IPCP without a TUN, routes or DNS (the doctor). */
  readonly mode: 'tunnel' | 'probe';
  readonly statsIntervalMs: number | undefined;
}

/** Node Buffers become plain Uint8Array views before they enter the engine (Buffer#slice is a view). */
function asUint8Array(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export class ConnectAttempt implements RunningAttempt {
  private session: PptpSession | undefined;
  private serverIp = '';
  private socket: net.Socket | undefined;
  private gre: GreSocket | undefined;
  private tun: TunDevice | undefined;
  private cancelTimer: CancelTimer | undefined;
  private readonly network: AttemptNetwork;
  private stats: StatsReporter | undefined;
  private connectedAt: number | undefined;
  private finished = false;
  /** session.start ran (the TCP connection is up). */
  private sessionStarted = false;
  /** The end went to the lifecycle (endOnce). */
  private endReported = false;
  /** A failure found here (not by the engine) that overrides the session's reason. */
  private pendingFailure: Failure | undefined;

  private constructor(private readonly deps: ConnectAttemptDeps) {
    this.network = new AttemptNetwork(deps.configurator);
  }

  /** Starts an attempt; it runs synchronously up to name resolution. */
  static start(deps: ConnectAttemptDeps): ConnectAttempt {
    const attempt = new ConnectAttempt(deps);
    void attempt.run();
    return attempt;
  }

  get hasSession(): boolean {
    return this.session !== undefined;
  }

  disconnect(): void {
    const s = this.session;
    if (!s) return;
    if (!this.sessionStarted) {
      // The TCP connect is still pending: nothing was sent or applied, so the attempt ends now
      // instead of after the connect's timeout; the late socket is closed when it arrives.
      if (this.finished) return;
      this.gre?.close();
      this.endOnce({ kind: 'stopped' });
      return;
    }
    s.disconnect(this.deps.clock.now());
    this.pump(s);
  }

  emitStats(): void {
    if (this.connectedAt !== undefined) this.stats?.report();
  }

  // ---- connect: resolve, GRE, TCP, start ---------------------------------------------------

  private async run(): Promise<void> {
    const { options: o, hooks, clock } = this.deps;
    const tcpStart = this.at();
    this.phase('tcp', 'started');
    try {
      this.serverIp = await resolveServer(o.server);
    } catch (e) {
      return this.endEarly(tcpStart, { reason: 'server-not-found', message: (e as Error).message, detail: { kind: 'dns' } });
    }
    const session = new PptpSession(this.deps.sessionConfig);
    this.session = session;
    // The raw GRE socket must exist before OCRQ, or the kernel answers pptpd's first GRE packet
    // with ICMP protocol-unreachable and pptpd drops the call (pptpd-peer.md).
    let gre: GreSocket;
    try {
      gre = new GreSocket(
        this.serverIp,
        (packet) => {
          if (this.finished) return;
          session.handleGre(clock.now(), packet);
        },
        (e) => this.log('warn', `GRE socket error: ${e.message}`),
        {
          // Sent: the buffer goes back to the session's frame pool.
          onSendDone: (buffer) => session.releaseGrePacket(buffer),
          // One pump per received batch: the TUN writes and the GRE acks of the whole batch go
          // out in one batched call each (the batch's datagrams stay valid until it returns).
          onBatchEnd: () => {
            if (!this.finished) this.pump(session);
          },
        },
      );
      this.gre = gre;
    } catch (e) {
      const msg = e instanceof GreSocketError ? e.message : `cannot open the GRE socket: ${(e as Error).message}`;
      return this.endEarly(tcpStart, { reason: 'network-config-failed', message: msg, detail: { step: 'gre-socket' } });
    }
    if (hooks.stopRequested()) {
      gre.close();
      return this.endOnce({ kind: 'stopped' });
    }
    let socket: net.Socket;
    try {
      socket = await connectControl(this.serverIp);
    } catch (e) {
      gre.close();
      // A disconnect while the TCP connect was pending already ended this attempt (teardown ran
      // and reported): a late failure must not end it a second time.
      if (this.finished) return;
      const kind = e instanceof TcpConnectError ? e.kind : 'other';
      return this.endEarly(tcpStart, { reason: 'tcp-unreachable', message: (e as Error).message, detail: { kind } });
    }
    // Ended meanwhile (a disconnect while the TCP connect was pending): the late socket is
    // closed here, or it would stay open unowned, and the end is not reported twice -- by now
    // a new attempt may be running, which a second end would orphan.
    if (this.finished) {
      socket.destroy();
      return;
    }
    this.socket = socket;
    if (hooks.stopRequested()) {
      socket.destroy();
      gre.close();
      return this.endOnce({ kind: 'stopped' });
    }
    this.phase('tcp', 'done', tcpStart, { server: `${this.serverIp}:1723` });
    // Control input is handled after every GRE datagram that reached the socket before it:
    // pptpd sends the server's last PPP words (an MS-CHAP Failure) over GRE just before it clears
    // the call over TCP; taken the other way round under load, a wrong password read as "the
    // server cleared the call" (seen once in CI). GRE is read on the helper's reader thread, so
    // the control input waits for the end of this event-loop turn (setImmediate) and then
    // drains GRE synchronously first (GreSocket.drain). Each 'data' chunk is a fresh Buffer, so
    // holding it is safe.
    const controlInput: Array<Uint8Array | 'closed'> = [];
    let controlFlushPending = false;
    const flushControl = () => {
      controlFlushPending = false;
      if (!this.finished) this.gre?.drain();
      for (const input of controlInput.splice(0)) {
        if (this.finished) return;
        if (input === 'closed') session.handleControlClosed(clock.now(), transportCloseOf(socketError));
        else session.handleControlBytes(clock.now(), input);
        this.pump(session);
      }
    };
    const queueControl = (input: Uint8Array | 'closed') => {
      controlInput.push(input);
      if (controlFlushPending) return;
      controlFlushPending = true;
      setImmediate(flushControl);
    };
    socket.on('data', (chunk: Buffer) => {
      if (this.finished) return;
      queueControl(asUint8Array(chunk));
    });
    // The error (if any) before 'close' tells a RST or a local socket error from the server's FIN.
    let socketError: NodeJS.ErrnoException | undefined;
    socket.on('close', () => {
      if (this.finished) return;
      queueControl('closed');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // 'close' follows and carries the consequence.
      socketError = e;
    });
    this.sessionStarted = true;
    session.start(clock.now());
    this.pump(session);
  }

  /** Failures before the session ran (DNS, GRE socket, TCP): the tcp phase failed, nothing to restore. */
  private endEarly(tcpStart: number, failure: Failure): void {
    this.phase('tcp', 'failed', tcpStart, { reason: failure.reason, ...(failure.detail ?? {}) });
    this.endOnce({ kind: 'ended', failure, restored: true });
  }

  // ---- the session's outputs and events ----------------------------------------------------

  /** Moves the session's outputs to the sockets and the TUN, handles its events, re-arms the timer. */
  private pump(s: PptpSession): void {
    const { clock } = this.deps;
    for (let b = s.pollControlBytes(); b; b = s.pollControlBytes()) if (this.socket && !this.socket.destroyed) this.socket.write(b);
    // (buffer, start) pairs, no view per packet. Queued, then sent with one system call per pump
    // (sendmmsg; one batched TUN write): a per-packet system call was what bounded the data path
    // (README, Performance).
    const gre = this.gre;
    for (let g = s.pollGrePacketAt(); g; g = s.pollGrePacketAt()) {
      if (gre) gre.sendAt(g, s.lastGrePacketStart);
      else s.releaseGrePacket(g);
    }
    gre?.flush();
    const tun = this.tun;
    if (tun) {
      for (let p = s.pollTunPacketAt(); p; p = s.pollTunPacketAt()) tun.queueAt(p, s.lastTunPacketStart);
      tun.flush();
    } else {
      while (s.pollTunPacketAt()) {
        // No TUN yet (negotiating): nothing to write to.
      }
    }
    for (let e = s.pollEvent(); e; e = s.pollEvent()) this.onSessionEvent(s, e);
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.finished) return;
    const next = s.nextTimeout();
    if (next !== undefined) {
      this.cancelTimer = clock.after(Math.max(0, Math.ceil(next - clock.now())), () => {
        this.cancelTimer = undefined;
        if (this.finished) return;
        s.handleTimeout(clock.now());
        this.pump(s);
      });
    }
  }

  private onSessionEvent(s: PptpSession, e: SessionEvent): void {
    const { timeline } = this.deps.hooks;
    switch (e.type) {
      case 'phase':
        this.emit({
          event: 'phase',
          phase: e.phase,
          status: e.status,
          at: timeline.sinceStart(e.at),
          ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}),
          ...(e.detail ? { detail: e.detail as PhaseDetail } : {}),
        });
        return;
      case 'log':
        if (e.level !== 'debug') this.emit({ event: 'log', level: e.level, message: e.message, at: timeline.sinceStart(e.at) });
        return;
      case 'up':
        if (this.connectedAt !== undefined) {
          this.log('info', `IPCP renegotiated: ${e.localIp} ↔ ${e.remoteIp}`);
          return;
        }
        void this.onUp(s, e);
        return;
      case 'closed':
        void this.onClosed(e.failure);
        return;
    }
  }

  // ---- up: TUN, routes, DNS ----------------------------------------------------------------

  private async onUp(s: PptpSession, info: SessionUpInfo): Promise<void> {
    const { options: o, clock } = this.deps;
    const mtu = Math.min(info.mtu, o.mtu ?? info.mtu);
    if (this.deps.mode === 'probe') {
      this.connectedAt = clock.now();
      this.emitConnected(s, info, mtu, undefined);
      return;
    }
    const routesStart = this.at();
    this.phase('routes', 'started');
    // Linux: "pptp%d" (pptp0, ...); macOS: no name, the kernel picks utunN.
    const tunName = defaultTunName();
    const opened = TunDevice.open(tunName !== undefined ? { name: tunName } : {});
    if (!opened.ok) {
      return this.failNetwork(s, { reason: 'network-config-failed', message: `cannot open a TUN device: ${opened.error.message}`, detail: { step: 'tun' } }, routesStart);
    }
    const tun = opened.value;
    this.tun = tun;
    const plan = planNetwork({
      serverIp: this.serverIp,
      tunName: tun.name,
      localIp: info.localIp,
      remoteIp: info.remoteIp,
      mtu,
      routes: o.routes,
      dns: o.dns && info.dns.length > 0 ? info.dns : null,
    });
    if (!plan.ok) return this.failNetwork(s, toFailure(plan.error), routesStart);
    const applied = await this.network.apply(plan.value);
    // The session may have closed while apply ran: teardown waited for it and restores it.
    if (this.finished) return;
    // The user asked to disconnect while apply ran: the session is already closing and its
    // teardown restores what was applied; never report 'connected' for a tunnel being torn down.
    if (this.deps.hooks.stopRequested()) return;
    if (!applied.ok) return this.failNetwork(s, toFailure(applied.error), routesStart);
    const routesText = o.routes === 'default' ? 'all traffic' : o.routes === 'none' ? 'peer only' : o.routes.join(',');
    this.phase('routes', 'done', routesStart, {
      tun: tun.name,
      routes: routesText,
      dns: applied.value.dnsBackend === 'none' ? 'unchanged' : `${info.dns.join(' ')} (${applied.value.dnsBackend})`,
    });
    tun.on('readError', (error) => this.onTunGone(s, tun.name, error.message));
    tun.onPackets((packets) => {
      if (this.finished) return;
      const now = clock.now();
      for (const p of packets) s.handleTunPacket(now, asUint8Array(p));
      this.pump(s);
    });
    this.connectedAt = clock.now();
    this.emitConnected(s, info, mtu, tun.name);
  }

  private emitConnected(s: PptpSession, info: SessionUpInfo, mtu: number, tunName: string | undefined): void {
    const { hooks, clock } = this.deps;
    hooks.connected({ localIp: info.localIp, remoteIp: info.remoteIp, dns: [...info.dns], mtu, auth: info.auth });
    this.emit({
      event: 'connected',
      server: this.deps.options.server,
      localIp: info.localIp,
      remoteIp: info.remoteIp,
      dns: [...info.dns],
      ...(info.wins.length ? { wins: [...info.wins] } : {}),
      mtu,
      auth: info.auth,
      mppe: info.mppe ? { bits: info.mppe.bits, stateful: info.mppe.stateful } : null,
      ...(tunName ? { tunName } : {}),
      elapsedMs: Math.round(this.at()),
    });
    this.stats = new StatsReporter(s, this.connectedAt!, clock, (event) => this.emit(event));
    this.stats.start(this.deps.statsIntervalMs);
  }

  private failNetwork(s: PptpSession, failure: Failure, routesStart: number): void {
    this.phase('routes', 'failed', routesStart, { reason: failure.reason });
    this.pendingFailure = failure;
    s.disconnect(this.deps.clock.now());
    this.pump(s);
  }

  /**
   * The TUN's reader stopped: the interface went away (deleted from outside). Nothing can pass
   * any more, so the tunnel ends (network-config-failed) and its routes and DNS are restored,
   * instead of staying "connected" with the host route and resolv.conf in place.
   */
  private onTunGone(s: PptpSession, tunName: string, why: string): void {
    this.log('warn', `TUN read error: ${why}`);
    if (this.finished || this.pendingFailure) return;
    this.pendingFailure = {
      reason: 'network-config-failed',
      message: `the tunnel interface ${tunName} went away (${why}); nothing could pass through the tunnel, so it was closed`,
      detail: { step: 'tun', tunGone: true },
    };
    s.disconnect(this.deps.clock.now());
    this.pump(s);
  }

  // ---- teardown ----------------------------------------------------------------------------

  private async onClosed(sessionFailure: Failure): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.cancelTimer?.();
    this.stats?.stop();
    const failure = this.pendingFailure ?? sessionFailure;
    this.pendingFailure = undefined;
    if (this.socket && !this.socket.destroyed) this.socket.end();
    this.gre?.close();
    this.tun?.close();
    // Never restore while an apply is still running: wait for it, then undo what it did. Nothing
    // applied: no await, so a teardown without network changes completes synchronously.
    const restored = this.network.needsRestore ? await this.network.restore((level, message) => this.log(level, message)) : true;
    if (this.socket && !this.socket.destroyed) this.socket.destroy();
    const uptimeMs = this.connectedAt !== undefined ? Math.round(this.deps.clock.now() - this.connectedAt) : undefined;
    this.endOnce({ kind: 'ended', failure, restored, ...(uptimeMs !== undefined ? { uptimeMs } : {}) });
  }

  /** Reports the attempt's end to the lifecycle, once: a second end would end whatever runs next. */
  private endOnce(end: AttemptEnd): void {
    if (this.endReported) return;
    this.endReported = true;
    this.finished = true;
    this.deps.hooks.ended(end);
  }

  // ---- events ------------------------------------------------------------------------------

  private at(): number {
    return this.deps.hooks.timeline.at();
  }

  private emit(event: TunnelEvent): void {
    this.deps.hooks.emit(event);
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.emit({ event: 'log', level, message, at: this.at() });
  }

  private phase(phase: TunnelPhase, status: 'started' | 'done' | 'failed', startedAt?: number, detail?: PhaseDetail): void {
    const at = this.at();
    this.emit({ event: 'phase', phase, status, at, ...(startedAt !== undefined ? { durationMs: at - startedAt } : {}), ...(detail ? { detail } : {}) });
  }
}
