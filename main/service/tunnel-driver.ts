/**
 * TunnelDriver: the service's tunnel, one object that pptpctl (in-process) and the app (through
 * the privileged service's RPC) both drive. It implements the RPC's TunnelController and only
 * wires the pieces in ./tunnel/ together:
 *   - tunnel-lifecycle.ts: state, connect/disconnect, the reconnect loop, the end events;
 *   - reconnect-policy.ts: which failures to retry, backoff with jitter, the attempt limit (pure);
 *   - connect-attempt.ts:  one attempt's sockets, TUN, session, network apply and teardown;
 *   - engine-config.ts:    ConnectOptions → the engine's session config;
 *   - stats.ts, clock.ts, attempt-network.ts: counters → 'stats', time, routes/DNS apply/restore.
 * Every public event (preload/schema/tunnel.ts) goes to `onEvent`, in order. It also runs the
 * start-up recovery of a network a crashed run left configured.
 *
 * Must not: grow logic of its own — each concern has its home in ./tunnel/.
 */
import { randomFillSync } from 'node:crypto';
import type { ConnectOptions } from './connect-options';
import type { TunnelController } from './rpc/server';
import type { ServiceStatus } from './rpc/protocol';
import type { TunnelEvent } from '../../preload/schema/tunnel';
import type { FailureReason } from '../../preload/vocabulary';
import type { RandomSource } from '../engine/random';
import { createNetworkConfigurator, type NetworkConfigurator } from './net';
import { systemClock } from './tunnel/clock';
import { ConnectAttempt } from './tunnel/connect-attempt';
import { engineConfigFor, type EngineOverrides } from './tunnel/engine-config';
import { TunnelLifecycle } from './tunnel/tunnel-lifecycle';

export const systemRandom: RandomSource = (length) => randomFillSync(new Uint8Array(length));

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
  readonly session?: EngineOverrides;
  readonly configurator?: NetworkConfigurator;
}

export class TunnelDriver implements TunnelController {
  private readonly configurator: NetworkConfigurator;
  private readonly lifecycle: TunnelLifecycle;

  constructor(opts: TunnelDriverOptions) {
    const configurator = opts.configurator ?? createNetworkConfigurator(opts.stateDir ? { stateDir: opts.stateDir } : {});
    const random = opts.random ?? systemRandom;
    const clock = systemClock;
    this.configurator = configurator;
    this.lifecycle = new TunnelLifecycle({
      emit: opts.onEvent,
      clock,
      random,
      startAttempt: (options, hooks) =>
        ConnectAttempt.start({
          options,
          hooks,
          sessionConfig: engineConfigFor(options, random, opts.session),
          configurator,
          clock,
          mode: opts.mode ?? 'tunnel',
          statsIntervalMs: opts.statsIntervalMs,
        }),
    });
  }

  /** Undoes what a crashed run left (routes, DNS), before anything else. */
  async recover(): Promise<string> {
    const r = await this.configurator.recoverFromJournal();
    if (!r.ok) return `recovery failed: ${r.error.message}`;
    if (r.value.status === 'recovered') return `restored the network a previous run left configured (${r.value.undone} changes undone)`;
    if (r.value.status === 'corrupt-journal') return `a corrupt network journal was kept aside at ${r.value.keptAt}: ${r.value.reason}`;
    return 'nothing to recover';
  }

  status(): ServiceStatus {
    return this.lifecycle.status();
  }

  /** Starts connecting; resolves once the attempt is under way (events tell the rest). */
  async connect(options: ConnectOptions): Promise<void> {
    this.lifecycle.connect(options);
  }

  /** Resolves with the final reason once the tunnel is down for good (no more reconnects). */
  waitForEnd(): Promise<FailureReason> {
    return this.lifecycle.waitForEnd();
  }

  async disconnect(): Promise<void> {
    this.lifecycle.disconnect();
  }

  async shutdown(): Promise<void> {
    if (this.lifecycle.status().state !== 'idle') {
      const ended = this.waitForEnd();
      await this.disconnect().catch(() => undefined);
      await ended;
    }
  }

  /** Emits the current counters as a stats event (when connected). */
  emitStats(): void {
    this.lifecycle.emitStats();
  }
}
