import { describe, expect, it } from 'vitest';
import type { TunnelEvent } from '../../../../preload/schema/tunnel';
import { statsEventSchema } from '../../../../preload/schema/tunnel';
import type { GreCounters } from '../../../../main/engine/gre';
import type { SessionCounters } from '../../../../main/engine/session';
import { StatsReporter, statsEvent, type StatsSource } from '../../../../main/service/tunnel/stats';
import { ManualClock } from './manual-clock';

function counters(rxBytes: number, txBytes: number): SessionCounters {
  return { ipRxBytes: rxBytes, ipTxBytes: txBytes, ipRxPackets: rxBytes / 100, ipTxPackets: txBytes / 100, greBeforeCall: 0 };
}

const gre = {
  rxAccepted: 10,
  rxLost: 1,
  rxReordered: 2,
  rxDuplicate: 3,
  rxStale: 4,
  rxOverWindow: 5,
  rxResyncs: 0,
  rxWrongCall: 0,
  rxMalformed: 0,
  txPackets: 12,
  txAcksOnly: 6,
  txWindowDrops: 7,
  rttMs: undefined,
} as unknown as GreCounters;

describe('statsEvent', () => {
  it('reports totals, uptime and byte rates over the interval', () => {
    const e = statsEvent(3000, 1000, counters(3000, 1000), undefined, { at: 2000, rx: 1000, tx: 500 });
    expect(e).toEqual({ event: 'stats', uptimeMs: 2000, rxBytes: 3000, txBytes: 1000, rxPackets: 30, txPackets: 10, rxRate: 2000, txRate: 500 });
    expect(statsEventSchema.safeParse(e).success).toBe(true);
  });

  it('adds the GRE counters and the RTT (null until measured) when the call exists', () => {
    const e = statsEvent(1000, 0, counters(0, 0), gre, { at: 0, rx: 0, tx: 0 });
    expect(e.gre).toEqual({ rxAccepted: 10, rxLost: 1, rxReordered: 2, rxDuplicate: 3, txPackets: 12, txAcksOnly: 6, txWindowDrops: 7 });
    expect(e.rttMs).toBeNull();
    expect(statsEvent(1000, 0, counters(0, 0), { ...gre, rttMs: 42 }, { at: 0, rx: 0, tx: 0 }).rttMs).toBe(42);
  });

  it('never divides by zero and never reports a negative rate', () => {
    const e = statsEvent(5000, 0, counters(100, 100), undefined, { at: 5000, rx: 200, tx: 0 });
    expect(e.rxRate).toBe(0);
    expect(e.txRate).toBe(100_000); // 100 bytes over the 1 ms floor
  });
});

describe('StatsReporter', () => {
  function setup() {
    const clock = new ManualClock();
    const source: { counters: SessionCounters; stats: { gre: GreCounters | undefined } } = { counters: counters(0, 0), stats: { gre: undefined } };
    const events: TunnelEvent[] = [];
    clock.advance(10_000);
    const reporter = new StatsReporter(source as StatsSource, 9_000, clock, (e) => events.push(e));
    return { clock, source, events, reporter };
  }

  it('reports every interval with rates since the last report', () => {
    const { clock, source, events, reporter } = setup();
    reporter.start(1000);
    source.counters = counters(2000, 500);
    clock.advance(1000);
    source.counters = counters(2500, 500);
    clock.advance(1000);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ event: 'stats', uptimeMs: 2000, rxRate: 2000, txRate: 500 });
    expect(events[1]).toMatchObject({ event: 'stats', uptimeMs: 3000, rxRate: 500, txRate: 0 });
  });

  it('reports on request too, and stop() ends the interval', () => {
    const { clock, events, reporter } = setup();
    reporter.start(1000);
    clock.advance(500);
    reporter.report();
    expect(events).toHaveLength(1);
    reporter.stop();
    clock.advance(10_000);
    expect(events).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('without an interval it reports only on request', () => {
    const { clock, events, reporter } = setup();
    reporter.start(undefined);
    clock.advance(10_000);
    expect(events).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
