/**
 * Traffic statistics of a connected tunnel: the session's counters become the public
 * {event:'stats'} (preload/schema/tunnel.ts) with byte rates over the interval since the last
 * report, emitted every `statsIntervalMs` while connected and on request.
 *
 * Owns: the stats event's shape, the rate arithmetic and the periodic interval. Must not: touch
 * sockets, the TUN or the session beyond reading its counters.
 */
import type { StatsEvent, TunnelEvent } from '../../../preload/schema/tunnel';
import type { GreCounters } from '../../engine/gre';
import type { SessionCounters } from '../../engine/session';
import type { CancelTimer, Clock } from './clock';

/** What the last report saw: when, and the byte counters then (rates are deltas from it). */
export interface RateBaseline {
  readonly at: number;
  readonly rx: number;
  readonly tx: number;
}

/** What the stats read from a PptpSession. */
export interface StatsSource {
  readonly counters: Readonly<SessionCounters>;
  readonly stats: { readonly gre: GreCounters | undefined };
}

/** The stats event at `now` for a tunnel connected since `connectedAt`; pure. */
export function statsEvent(now: number, connectedAt: number, counters: Readonly<SessionCounters>, gre: GreCounters | undefined, last: RateBaseline): StatsEvent {
  // At least 1 ms, so a report right after the last one divides by something.
  const dt = Math.max(1, now - last.at) / 1000;
  return {
    event: 'stats',
    uptimeMs: Math.round(now - connectedAt),
    rxBytes: counters.ipRxBytes,
    txBytes: counters.ipTxBytes,
    rxPackets: counters.ipRxPackets,
    txPackets: counters.ipTxPackets,
    rxRate: Math.max(0, (counters.ipRxBytes - last.rx) / dt),
    txRate: Math.max(0, (counters.ipTxBytes - last.tx) / dt),
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
  };
}

/** Reports one connected session's stats; created when the tunnel is connected. */
export class StatsReporter {
  private last: RateBaseline;
  private cancelInterval: CancelTimer | undefined;

  constructor(
    private readonly source: StatsSource,
    private readonly connectedAt: number,
    private readonly clock: Clock,
    private readonly emit: (event: TunnelEvent) => void,
  ) {
    this.last = { at: clock.now(), rx: 0, tx: 0 };
  }

  /** Reports every `intervalMs` until stop(); undefined or 0: only on request. */
  start(intervalMs: number | undefined): void {
    if (intervalMs) this.cancelInterval = this.clock.every(intervalMs, () => this.report());
  }

  /** Emits the current counters as a stats event now. */
  report(): void {
    const now = this.clock.now();
    const c = this.source.counters;
    this.emit(statsEvent(now, this.connectedAt, c, this.source.stats.gre, this.last));
    this.last = { at: now, rx: c.ipRxBytes, tx: c.ipTxBytes };
  }

  stop(): void {
    this.cancelInterval?.();
    this.cancelInterval = undefined;
  }
}
