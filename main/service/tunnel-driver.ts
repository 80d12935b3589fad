/**
 * TunnelDriver: runs one PptpSession with real I/O. It owns the sockets (TCP 1723 through
 * node:net, GRE through raw-socket), the TUN device (native helper), the one timer the engine
 * asks for, the network configuration (routes/DNS via main/service/net, journaled) and the
 * reconnect loop, and it turns session events into the public TunnelEvent objects
 * (preload/schema/tunnel.ts) that pptpctl prints and the service RPC pushes.
 *
 * It implements the RPC's TunnelController, so the same object serves pptpctl (in-process) and
 * the app (through the privileged service). Order of one attempt:
 *   resolve → open the raw GRE socket (before OCRQ: pptpd-peer.md) → TCP connect → session.start
 *   → … 'up' → open TUN, apply the network plan → 'connected'
 *   → 'closed' → close TUN, restore the network, close sockets → 'disconnected' (or reconnect).
 * Time for the engine is performance.now(): monotonic, so wall-clock jumps do not fire timers.
 */
import { performance } from 'node:perf_hooks';
import { randomFillSync } from 'node:crypto';
import type net from 'node:net';
import type { ConnectOptions } from './connect-options';
import type { TunnelController } from './rpc/server';
import { RpcError } from './rpc/server';
import type { TunnelStatus } from './rpc/protocol';
import type { TunnelEvent, TunnelPhase } from '../../preload/schema/tunnel';
import { PptpSession, type SessionEvent, type PptpSessionConfig, type SessionUpInfo } from '../engine/session';
import type { Failure, FailureReason } from '../engine/failure';
import type { RandomSource } from '../engine/random';
import type { MppePolicy, LcpEchoConfig } from '../engine/ppp/link-types';
import { GreSocket, GreSocketError } from './io/gre-socket';
import { connectControl, resolveServer, TcpConnectError } from './io/control-socket';
import { TunDevice } from './tun/tun-device';
import { createNetworkConfigurator, planNetwork, toFailure, type AppliedNetwork, type NetworkConfigError, type NetworkConfigurator } from './net';
import type { Result } from '../engine/wire/result';
import { ADVICE } from './doctor/advice';

/** Node Buffers become plain Uint8Array views before they enter the engine (Buffer#slice is a view). */
function asUint8Array(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export const systemRandom: RandomSource = (length) => randomFillSync(new Uint8Array(length));

/** Reasons worth another attempt when auto-reconnect is on; the others need the user. */
const RETRYABLE: ReadonlySet<FailureReason> = new Set([
  'tcp-unreachable',
  'gre-blocked',
  'peer-disconnected',
  'keepalive-timeout',
  'protocol-error',
  'negotiation-failed',
]);
const RECONNECT_BASE_MS = 1_000;
const RECONNECT_MAX_MS = 60_000;

export interface TunnelDriverOptions {
  /** Every public event, in order. */
  readonly onEvent: (event: TunnelEvent) => void;
  /** Journal directory (default $PPTP_STATE_DIR or /var/lib/pptp-manager). */
  readonly stateDir?: string;
  /** Emit {event:'stats'} this often while connected (undefined: never). */
  readonly statsIntervalMs?: number;
  /**
   * 'tunnel' (default): TUN + routes + DNS. 'probe': negotiate up to IPCP and stop, touching no
   * network configuration (the doctor).
   */
  readonly mode?: 'tunnel' | 'probe';
  readonly random?: RandomSource;
  /** Engine overrides for tests (timeouts). */
  readonly session?: Partial<Pick<PptpSessionConfig, 'greSilenceTimeoutMs' | 'control' | 'gre' | 'ppp'>>;
  readonly configurator?: NetworkConfigurator;
}

interface Attempt {
  readonly session: PptpSession;
  readonly serverIp: string;
  socket: net.Socket | undefined;
  gre: GreSocket | undefined;
  tun: TunDevice | undefined;
  timer: NodeJS.Timeout | undefined;
  networkApplied: boolean;
  /** The network plan being applied right now; teardown waits for it before restoring. */
  applying: Promise<Result<AppliedNetwork, NetworkConfigError>> | undefined;
  connectedAt: number | undefined;
  finished: boolean;
}

export class TunnelDriver implements TunnelController {
  private state: TunnelStatus['state'] = 'idle';
  private options: ConnectOptions | undefined;
  private attempt: Attempt | undefined;
  private t0 = 0;
  private userStopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private lastStats = { at: 0, rx: 0, tx: 0 };
  private connectedInfo: TunnelStatus['connected'];
  private readonly configurator: NetworkConfigurator;
  private readonly random: RandomSource;
  private endWaiters: ((reason: FailureReason) => void)[] = [];
  private lastReason: FailureReason = 'local-disconnect';

  constructor(private readonly opts: TunnelDriverOptions) {
    this.configurator = opts.configurator ?? createNetworkConfigurator(opts.stateDir ? { stateDir: opts.stateDir } : {});
    this.random = opts.random ?? systemRandom;
  }

  /** Undoes what a crashed run left (routes, DNS), before anything else. */
  async recover(): Promise<string> {
    const r = await this.configurator.recoverFromJournal();
    if (!r.ok) return `recovery failed: ${r.error.message}`;
    if (r.value.status === 'recovered') return `restored the network a previous run left configured (${r.value.undone} changes undone)`;
    if (r.value.status === 'corrupt-journal') return `a corrupt network journal was kept aside at ${r.value.keptAt}: ${r.value.reason}`;
    return 'nothing to recover';
  }

  status(): TunnelStatus {
    return {
      state: this.state,
      ...(this.options?.label ? { label: this.options.label } : {}),
      ...(this.connectedInfo ? { connected: this.connectedInfo } : {}),
    };
  }

  /** Starts connecting; resolves once the attempt is under way (events tell the rest). */
  async connect(options: ConnectOptions): Promise<void> {
    if (this.state !== 'idle') throw new RpcError('busy', `a tunnel is already ${this.state}`);
    this.options = options;
    this.userStopped = false;
    this.t0 = performance.now();
    this.state = 'connecting';
    void this.runAttempt();
  }

  /** Resolves with the final reason once the tunnel is down for good (no more reconnects). */
  waitForEnd(): Promise<FailureReason> {
    if (this.state === 'idle') return Promise.resolve(this.lastReason);
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  async disconnect(): Promise<void> {
    if (this.state === 'idle') throw new RpcError('not-connected', 'no tunnel is up');
    this.userStopped = true;
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
      this.finish('local-disconnect');
      return;
    }
    const a = this.attempt;
    if (!a) return;
    this.state = 'disconnecting';
    a.session.disconnect(this.now());
    this.pump(a);
  }

  async shutdown(): Promise<void> {
    if (this.state !== 'idle') {
      const ended = this.waitForEnd();
      await this.disconnect().catch(() => undefined);
      await ended;
    }
  }

  // ---- one attempt ------------------------------------------------------------------------

  private now(): number {
    return performance.now();
  }

  private at(): number {
    return Math.max(0, this.now() - this.t0);
  }

  private emit(event: TunnelEvent): void {
    this.opts.onEvent(event);
  }

  private phase(phase: TunnelPhase, status: 'started' | 'done' | 'failed', startedAt?: number, detail?: Record<string, string | number | boolean | string[]>): void {
    const at = this.at();
    this.emit({ event: 'phase', phase, status, at, ...(startedAt !== undefined ? { durationMs: at - startedAt } : {}), ...(detail ? { detail } : {}) });
  }

  private async runAttempt(): Promise<void> {
    const o = this.options!;
    const tcpStart = this.at();
    this.phase('tcp', 'started');
    let serverIp: string;
    try {
      serverIp = await resolveServer(o.server);
    } catch (e) {
      return this.endEarly(tcpStart, { reason: 'tcp-unreachable', message: (e as Error).message, detail: { kind: 'dns' } });
    }
    const session = new PptpSession(this.sessionConfig(o));
    const a: Attempt = { session, serverIp, socket: undefined, gre: undefined, tun: undefined, timer: undefined, networkApplied: false, applying: undefined, connectedAt: undefined, finished: false };
    this.attempt = a;
    // The raw GRE socket must exist before OCRQ, or the kernel answers pptpd's first GRE packet
    // with ICMP protocol-unreachable and pptpd drops the call (pptpd-peer.md).
    try {
      a.gre = new GreSocket(
        serverIp,
        (gre) => {
          if (a.finished) return;
          a.session.handleGre(this.now(), gre);
          this.pump(a);
        },
        (e) => this.emit({ event: 'log', level: 'warn', message: `GRE socket error: ${e.message}`, at: this.at() }),
      );
    } catch (e) {
      const msg = e instanceof GreSocketError ? e.message : `cannot open the GRE socket: ${(e as Error).message}`;
      this.attempt = undefined;
      return this.endEarly(tcpStart, { reason: 'network-config-failed', message: msg, detail: { step: 'gre-socket' } });
    }
    if (this.userStopped) {
      a.gre.close();
      this.attempt = undefined;
      return this.finish('local-disconnect');
    }
    try {
      a.socket = await connectControl(serverIp);
    } catch (e) {
      a.gre.close();
      this.attempt = undefined;
      const kind = e instanceof TcpConnectError ? e.kind : 'other';
      return this.endEarly(tcpStart, { reason: 'tcp-unreachable', message: (e as Error).message, detail: { kind } });
    }
    if (this.userStopped) {
      a.socket.destroy();
      a.gre.close();
      this.attempt = undefined;
      return this.finish('local-disconnect');
    }
    this.phase('tcp', 'done', tcpStart, { server: `${serverIp}:1723` });
    const socket = a.socket;
    socket.on('data', (chunk: Buffer) => {
      if (a.finished) return;
      a.session.handleControlBytes(this.now(), asUint8Array(chunk));
      this.pump(a);
    });
    socket.on('close', () => {
      if (a.finished) return;
      a.session.handleControlClosed(this.now());
      this.pump(a);
    });
    socket.on('error', () => {
      // 'close' follows and carries the consequence.
    });
    session.start(this.now());
    this.pump(a);
  }

  private sessionConfig(o: ConnectOptions): PptpSessionConfig {
    // ConnectOptions.mppe already is the engine's MppePolicy (connect-options.ts): nothing to translate.
    const mppe: MppePolicy = o.mppe;
    const lcpEcho: LcpEchoConfig | undefined = o.lcpEcho
      ? o.lcpEcho.intervalS === 0
        ? { mode: 'off' }
        : { mode: 'fixed', intervalMs: o.lcpEcho.intervalS * 1000, failures: o.lcpEcho.failures }
      : undefined;
    return {
      ...this.opts.session,
      random: this.random,
      credentials: { username: o.username, password: o.password, ...(o.domain ? { domain: o.domain } : {}) },
      allowedAuth: o.auth,
      mppe,
      ...(lcpEcho ? { lcpEcho } : {}),
    };
  }

  /** Moves the session's outputs to the sockets and the TUN, handles its events, re-arms the timer. */
  private pump(a: Attempt): void {
    const s = a.session;
    for (let b = s.pollControlBytes(); b; b = s.pollControlBytes()) if (a.socket && !a.socket.destroyed) a.socket.write(b);
    for (let g = s.pollGrePacket(); g; g = s.pollGrePacket()) a.gre?.send(g);
    for (let p = s.pollTunPacket(); p; p = s.pollTunPacket()) a.tun?.write(p);
    for (let e = s.pollEvent(); e; e = s.pollEvent()) this.onSessionEvent(a, e);
    if (a.timer) clearTimeout(a.timer);
    a.timer = undefined;
    if (a.finished) return;
    const next = s.nextTimeout();
    if (next !== undefined) {
      a.timer = setTimeout(() => {
        a.timer = undefined;
        if (a.finished) return;
        a.session.handleTimeout(this.now());
        this.pump(a);
      }, Math.max(0, Math.ceil(next - this.now())));
    }
  }

  private onSessionEvent(a: Attempt, e: SessionEvent): void {
    switch (e.type) {
      case 'phase':
        this.emit({
          event: 'phase',
          phase: e.phase,
          status: e.status,
          at: Math.max(0, e.at - this.t0),
          ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}),
          ...(e.detail ? { detail: e.detail as Record<string, string | number | boolean | string[]> } : {}),
        });
        return;
      case 'log':
        if (e.level !== 'debug') this.emit({ event: 'log', level: e.level, message: e.message, at: Math.max(0, e.at - this.t0) });
        return;
      case 'up':
        if (a.connectedAt !== undefined) {
          this.emit({ event: 'log', level: 'info', message: `IPCP renegotiated: ${e.localIp} ↔ ${e.remoteIp}`, at: this.at() });
          return;
        }
        void this.onUp(a, e);
        return;
      case 'closed':
        void this.onClosed(a, e.failure);
        return;
    }
  }

  private async onUp(a: Attempt, info: SessionUpInfo): Promise<void> {
    const o = this.options!;
    const mtu = Math.min(info.mtu, o.mtu ?? info.mtu);
    if (this.opts.mode === 'probe') {
      a.connectedAt = this.now();
      this.emitConnected(a, info, mtu, undefined);
      return;
    }
    const routesStart = this.at();
    this.phase('routes', 'started');
    const opened = TunDevice.open({ name: 'pptp%d' });
    if (!opened.ok) {
      return this.failNetwork(a, { reason: 'network-config-failed', message: `cannot open a TUN device: ${opened.error.message}`, detail: { step: 'tun' } }, routesStart);
    }
    const tun = opened.value;
    a.tun = tun;
    const plan = planNetwork({
      serverIp: a.serverIp,
      tunName: tun.name,
      localIp: info.localIp,
      remoteIp: info.remoteIp,
      mtu,
      routes: o.routes,
      dns: o.dns && info.dns.length > 0 ? info.dns : null,
    });
    if (!plan.ok) return this.failNetwork(a, toFailure(plan.error), routesStart);
    a.applying = this.configurator.apply(plan.value);
    const applied = await a.applying;
    a.applying = undefined;
    if (applied.ok) a.networkApplied = true;
    // The session may have closed while apply ran: teardown waited for it and restores it.
    if (a.finished) return;
    if (!applied.ok) return this.failNetwork(a, toFailure(applied.error), routesStart);
    const routesText = o.routes === 'default' ? 'all traffic' : o.routes === 'none' ? 'peer only' : o.routes.join(',');
    this.phase('routes', 'done', routesStart, {
      tun: tun.name,
      routes: routesText,
      dns: applied.value.dnsBackend === 'none' ? 'unchanged' : `${info.dns.join(' ')} (${applied.value.dnsBackend})`,
    });
    tun.on('readError', (err) => this.emit({ event: 'log', level: 'warn', message: `TUN read error: ${err.message}`, at: this.at() }));
    tun.onPackets((packets) => {
      if (a.finished) return;
      const now = this.now();
      for (const p of packets) a.session.handleTunPacket(now, asUint8Array(p));
      this.pump(a);
    });
    a.connectedAt = this.now();
    this.emitConnected(a, info, mtu, tun.name);
  }

  private emitConnected(a: Attempt, info: SessionUpInfo, mtu: number, tunName: string | undefined): void {
    this.state = 'connected';
    this.attemptCount = 0;
    this.connectedInfo = { localIp: info.localIp, remoteIp: info.remoteIp, dns: [...info.dns], mtu, auth: info.auth };
    this.emit({
      event: 'connected',
      server: this.options!.server,
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
    this.lastStats = { at: this.now(), rx: 0, tx: 0 };
    if (this.opts.statsIntervalMs) {
      this.statsTimer = setInterval(() => this.emitStats(a), this.opts.statsIntervalMs);
    }
  }

  /** The current counters as a stats event (also used by `status`). */
  emitStats(a: Attempt | undefined = this.attempt): void {
    if (!a || a.connectedAt === undefined) return;
    const now = this.now();
    const c = a.session.counters;
    const dt = Math.max(1, now - this.lastStats.at) / 1000;
    const gre = a.session.stats.gre;
    this.emit({
      event: 'stats',
      uptimeMs: Math.round(now - a.connectedAt),
      rxBytes: c.ipRxBytes,
      txBytes: c.ipTxBytes,
      rxPackets: c.ipRxPackets,
      txPackets: c.ipTxPackets,
      rxRate: Math.max(0, (c.ipRxBytes - this.lastStats.rx) / dt),
      txRate: Math.max(0, (c.ipTxBytes - this.lastStats.tx) / dt),
      ...(gre
        ? {
            gre: {
              rxAccepted: gre.rxAccepted,
              rxLost: gre.rxLost,
              rxReordered: gre.rxReordered,
              rxDuplicate: gre.rxDuplicate,
              txPackets: gre.txPackets,
              txAcksOnly: gre.txAcksOnly,
              txWindowDrops: gre.txWindowDrops,
            },
            rttMs: gre.rttMs ?? null,
          }
        : {}),
    });
    this.lastStats = { at: now, rx: c.ipRxBytes, tx: c.ipTxBytes };
  }

  private failNetwork(a: Attempt, failure: Failure, routesStart: number): void {
    this.phase('routes', 'failed', routesStart, { reason: failure.reason });
    this.pendingFailure = failure;
    a.session.disconnect(this.now());
    this.pump(a);
  }

  /** A failure found by the driver (not the engine) that overrides the session's reason. */
  private pendingFailure: Failure | undefined;

  private async onClosed(a: Attempt, sessionFailure: Failure): Promise<void> {
    if (a.finished) return;
    a.finished = true;
    if (a.timer) clearTimeout(a.timer);
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    const failure = this.pendingFailure ?? sessionFailure;
    this.pendingFailure = undefined;
    if (a.socket && !a.socket.destroyed) a.socket.end();
    a.gre?.close();
    a.tun?.close();
    let restored = true;
    // Never restore while an apply is still running: wait for it, then undo what it did.
    if (a.applying) await a.applying.catch(() => undefined);
    if (a.networkApplied) {
      const r = await this.configurator.restore();
      if (!r.ok) {
        restored = false;
        this.emit({ event: 'log', level: 'error', message: `restoring the network failed: ${r.error.message}`, at: this.at() });
      } else for (const note of r.value.notes) this.emit({ event: 'log', level: 'warn', message: note, at: this.at() });
    }
    if (a.socket && !a.socket.destroyed) a.socket.destroy();
    const uptimeMs = a.connectedAt !== undefined ? Math.round(this.now() - a.connectedAt) : undefined;
    this.attempt = undefined;
    this.connectedInfo = undefined;
    if (failure.reason !== 'local-disconnect') this.emitError(failure);
    if (this.shouldReconnect(failure.reason)) return this.scheduleReconnect(failure.reason);
    this.emit({ event: 'disconnected', reason: failure.reason, restored, ...(uptimeMs !== undefined ? { uptimeMs } : {}) });
    this.finish(failure.reason);
  }

  private emitError(failure: Failure): void {
    const detail: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(failure.detail ?? {})) detail[k] = v;
    this.emit({
      event: 'error',
      reason: failure.reason,
      message: failure.message,
      hint: ADVICE[failure.reason].fix,
      ...(Object.keys(detail).length ? { detail } : {}),
    });
  }

  /** Failures before the session existed (DNS, GRE socket, TCP). */
  private endEarly(tcpStart: number, failure: Failure): void {
    this.phase('tcp', 'failed', tcpStart, { reason: failure.reason, ...(failure.detail ?? {}) });
    this.emitError(failure);
    if (this.shouldReconnect(failure.reason)) return this.scheduleReconnect(failure.reason);
    this.emit({ event: 'disconnected', reason: failure.reason, restored: true });
    this.finish(failure.reason);
  }

  /** Reconnect attempts since the last successful connect. */
  private attemptCount = 0;

  private shouldReconnect(reason: FailureReason): boolean {
    const r = this.options?.reconnect;
    if (!r?.enabled || this.userStopped || !RETRYABLE.has(reason)) return false;
    return r.maxAttempts === 0 || this.attemptCount < r.maxAttempts;
  }

  private scheduleReconnect(reason: FailureReason): void {
    const attempt = ++this.attemptCount;
    // Exponential backoff with ±20 % jitter so many clients do not retry in step.
    const base = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** (attempt - 1));
    const jitter = (this.random(1)[0]! / 255 - 0.5) * 0.4 * base;
    const delayMs = Math.round(base + jitter);
    this.state = 'reconnecting';
    this.emit({ event: 'reconnecting', attempt, delayMs, reason });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.t0 = performance.now();
      this.state = 'connecting';
      void this.runAttempt();
    }, delayMs);
  }

  private finish(reason: FailureReason): void {
    this.state = 'idle';
    this.lastReason = reason;
    this.attemptCount = 0;
    const waiters = this.endWaiters;
    this.endWaiters = [];
    for (const w of waiters) w(reason);
  }
}
