import { describe, expect, it } from 'vitest';
import { LossyLink } from './lossy-link';
import { StreamLink } from './stream-link';
import { Pair } from './pair';
import type { SimEndpoint } from './pair';
import { internetChecksum, LINKTYPE_RAW, PcapWriter, SIM_ADDRESS_A, SIM_ADDRESS_B } from './pcap';
import { VirtualClock } from './virtual-clock';
import { greFromIpv4Datagram } from '../../../main/engine/gre/ipv4';
import { concatBytes, readU32, toHex } from '../../../main/engine/wire/bytes';

function drainLink(link: LossyLink, until: number): { at: number; tag: number }[] {
  const out: { at: number; tag: number }[] = [];
  for (let t = link.nextDelivery(); t !== undefined && t <= until; t = link.nextDelivery()) {
    out.push({ at: t, tag: link.pollDelivery(t)![0]! });
  }
  return out;
}

describe('VirtualClock', () => {
  it('neverRunsBackwards', () => {
    const c = new VirtualClock(10);
    c.advanceTo(5);
    expect(c.now).toBe(10);
    c.advanceBy(2.5);
    c.advanceTo(20);
    expect(c.now).toBe(20);
  });
});

describe('LossyLink', () => {
  it('noImpairment_deliversInOrderAfterDelay', () => {
    const link = new LossyLink({ delayMs: 7 });
    for (let i = 0; i < 5; i++) link.send(i, new Uint8Array([i]));
    expect(link.pollDelivery(6)).toBeUndefined();
    expect(drainLink(link, 100)).toEqual([0, 1, 2, 3, 4].map((i) => ({ at: i + 7, tag: i })));
    expect(link.stats).toEqual({ sent: 5, dropped: 0, duplicated: 0, delivered: 5, reordered: 0 });
  });

  it('sameSeed_sameRun_differentSeed_differentRun', () => {
    const run = (seed: number) => {
      const link = new LossyLink({ dropRate: 0.3, duplicateRate: 0.1, jitterMs: 5, reorderRate: 0.1, seed });
      for (let i = 0; i < 200; i++) link.send(i, new Uint8Array([i]));
      return JSON.stringify(drainLink(link, 1e9));
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });

  it('dropRate_dropsAboutThatShare_andStatsAddUp', () => {
    const link = new LossyLink({ dropRate: 0.2, duplicateRate: 0.05, seed: 9 });
    for (let i = 0; i < 5000; i++) link.send(0, new Uint8Array([0]));
    drainLink(link, 1e9);
    const s = link.stats;
    expect(s.dropped / s.sent).toBeGreaterThan(0.17);
    expect(s.dropped / s.sent).toBeLessThan(0.23);
    expect(s.delivered).toBe(s.sent - s.dropped + s.duplicated);
  });

  it('reorderRate_makesLaterDatagramsOvertake', () => {
    const link = new LossyLink({ reorderRate: 0.2, reorderExtraMs: 30, seed: 5 });
    for (let i = 0; i < 100; i++) link.send(i, new Uint8Array([i]));
    const tags = drainLink(link, 1e9).map((d) => d.tag);
    expect(tags).not.toEqual([...tags].sort((x, y) => x - y));
    expect(new Set(tags).size).toBe(100);
    expect(link.stats.reordered).toBeGreaterThan(0);
  });

  it('dropIf_scriptsExactLosses_andObserveSeesThem', () => {
    const seen: string[] = [];
    const link = new LossyLink({ dropIf: (_d, i) => i === 1, observe: (e, d) => seen.push(`${e}:${d[0]}`) });
    for (let i = 0; i < 3; i++) link.send(0, new Uint8Array([i]));
    expect(drainLink(link, 100).map((d) => d.tag)).toEqual([0, 2]);
    expect(seen).toEqual(['sent:0', 'sent:1', 'dropped:1', 'sent:2', 'delivered:0', 'delivered:2']);
  });

  it('sentDatagram_isCopied', () => {
    const link = new LossyLink();
    const d = new Uint8Array([1]);
    link.send(0, d);
    d[0] = 2;
    expect(link.pollDelivery(100)![0]).toBe(1);
  });

  it('setImpairment_blackHoleThenHeal', () => {
    const link = new LossyLink();
    link.setImpairment({ dropRate: 1 });
    link.send(0, new Uint8Array([1]));
    link.setImpairment({ dropRate: 0 });
    link.send(0, new Uint8Array([2]));
    expect(drainLink(link, 100).map((d) => d.tag)).toEqual([2]);
  });
});

describe('StreamLink', () => {
  it('segmentedAndCoalesced_bytesArriveExactlyOnceInOrder', () => {
    const s = new StreamLink({ delayMs: 3, maxSegment: 5, seed: 11 });
    const written: Uint8Array[] = [];
    for (let i = 0; i < 20; i++) {
      const chunk = new Uint8Array(i + 1).map((_, j) => (i * 31 + j) & 0xff);
      written.push(chunk);
      s.write(i, chunk);
    }
    s.close(25);
    const got: Uint8Array[] = [];
    let closed = false;
    let cuts = 0;
    for (let t = s.nextDelivery(); t !== undefined; t = s.nextDelivery()) {
      const d = s.pollDelivery(t)!;
      if (d === 'closed') closed = true;
      else {
        got.push(d);
        cuts++;
      }
    }
    expect(toHex(concatBytes(got))).toBe(toHex(concatBytes(written)));
    expect(cuts).toBeGreaterThan(20);
    expect(closed).toBe(true);
    s.write(30, new Uint8Array([1]));
    expect(s.nextDelivery()).toBeUndefined();
  });

  it('coalesce_joinsEverythingDue', () => {
    const s = new StreamLink({ delayMs: 1, coalesce: true });
    s.write(0, new Uint8Array([1, 2]));
    s.write(0, new Uint8Array([3]));
    expect(toHex(s.pollDelivery(5) as Uint8Array)).toBe('010203');
  });
});

/** A ping-pong endpoint: answers each datagram with the same bytes + 1 until 10, and keeps a 100 ms tick. */
class Echo implements SimEndpoint {
  readonly got: { now: number; v: number }[] = [];
  readonly out: Uint8Array[] = [];
  ticks = 0;
  private tickAt: number | undefined;
  streamText = '';
  closedAt: number | undefined;
  private closeRequested = false;

  constructor(tickEvery?: number) {
    this.tickAt = tickEvery;
  }
  nextTimeout(): number | undefined {
    return this.tickAt;
  }
  handleTimeout(now: number): void {
    if (this.tickAt !== undefined && now >= this.tickAt) {
      this.ticks++;
      this.tickAt = this.ticks < 3 ? now + 100 : undefined;
    }
  }
  handleDatagram(now: number, d: Uint8Array): void {
    this.got.push({ now, v: d[0]! });
    if (d[0]! < 10) this.out.push(new Uint8Array([d[0]! + 1]));
  }
  pollDatagram(): Uint8Array | undefined {
    return this.out.shift();
  }
  handleStreamBytes(_now: number, b: Uint8Array): void {
    this.streamText += new TextDecoder().decode(b);
  }
  private pendingStream: Uint8Array[] = [];
  write(text: string): void {
    this.pendingStream.push(new TextEncoder().encode(text));
  }
  pollStreamBytes(): Uint8Array | undefined {
    return this.pendingStream.shift();
  }
  close(): void {
    this.closeRequested = true;
  }
  pollStreamClose(): boolean {
    const c = this.closeRequested;
    this.closeRequested = false;
    return c;
  }
  handleStreamClosed(now: number): void {
    this.closedAt = now;
  }
}

describe('Pair', () => {
  it('pingPong_advancesVirtualTimeByLinkDelays', () => {
    const a = new Echo();
    const b = new Echo();
    const pair = new Pair(a, b, { datagrams: { aToB: { delayMs: 10 }, bToA: { delayMs: 5 } } });
    a.out.push(new Uint8Array([0]));
    expect(pair.runToIdle()).toBe(true);
    expect(b.got.map((g) => g.v)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(a.got.map((g) => g.v)).toEqual([1, 3, 5, 7, 9]);
    expect(b.got.map((g) => g.now)).toEqual([10, 25, 40, 55, 70, 85]);
    expect(pair.clock.now).toBe(85);
  });

  it('timeouts_fireAtTheirDeadlines_andDriveStopsAtUntil', () => {
    const a = new Echo(100);
    const b = new Echo();
    const pair = new Pair(a, b);
    expect(pair.drive(150)).toBe(1);
    expect(a.ticks).toBe(1);
    expect(pair.clock.now).toBe(150);
    pair.drive(1000);
    expect(a.ticks).toBe(3);
    expect(pair.step()).toBe(false);
  });

  it('schedule_runsActionsAtTheirTimes', () => {
    const a = new Echo();
    const b = new Echo();
    const pair = new Pair(a, b, { datagrams: { aToB: { delayMs: 1 }, bToA: { dropRate: 1 } } });
    pair.schedule(50, () => a.out.push(new Uint8Array([20])));
    pair.schedule(20, () => a.out.push(new Uint8Array([30])));
    pair.runToIdle();
    expect(b.got).toEqual([
      { now: 21, v: 30 },
      { now: 51, v: 20 },
    ]);
  });

  it('driveUntil_stopsWhenPredicateHolds_orAtLimit', () => {
    const a = new Echo();
    const b = new Echo();
    const pair = new Pair(a, b);
    a.out.push(new Uint8Array([0]));
    expect(pair.driveUntil(() => a.got.length >= 2, 1000)).toBe(true);
    expect(a.got.length).toBe(2);
    expect(pair.driveUntil(() => false, 2000)).toBe(false);
    expect(pair.clock.now).toBe(2000);
  });

  it('stream_carriesBytesInOrder_andClose', () => {
    const a = new Echo();
    const b = new Echo();
    const pair = new Pair(a, b, { stream: { aToB: { delayMs: 2, maxSegment: 3, seed: 8 } } });
    a.write('hello, ');
    a.write('control connection');
    a.close();
    pair.runToIdle();
    expect(b.streamText).toBe('hello, control connection');
    expect(b.closedAt).toBe(2);
  });

  it('stuckEndpoint_failsWithAnError_insteadOfHanging', () => {
    const stuck: SimEndpoint = { nextTimeout: () => 0, handleTimeout: () => {} };
    const pair = new Pair(stuck, new Echo(), { maxSteps: 50 });
    expect(() => pair.runToIdle()).toThrow(/did not settle/);
  });

  it('capture_recordsEachDatagramAsIpv4Gre', () => {
    const pcap = new PcapWriter();
    const a = new Echo();
    const b = new Echo();
    const pair = new Pair(a, b, { capture: pcap });
    a.out.push(new Uint8Array([8]));
    pair.runToIdle();
    expect(pcap.packetCount).toBe(3); // 8 → 9 → 10
    const file = pcap.toBytes();
    expect(readU32(file, 0)).toBe(0xa1b2c3d4);
    expect(readU32(file, 20)).toBe(LINKTYPE_RAW);
    // Second record: b → a at t = 10 ms, the datagram [9].
    const rec1 = 24 + 16 + 21;
    expect(readU32(file, rec1)).toBe(0);
    expect(readU32(file, rec1 + 4)).toBe(10_000);
    const ip = file.subarray(rec1 + 16, rec1 + 16 + 21);
    expect(internetChecksum(ip.subarray(0, 20))).toBe(0);
    const gre = greFromIpv4Datagram(ip);
    expect(gre.ok && [gre.value.source, gre.value.destination, gre.value.gre[0]]).toEqual([SIM_ADDRESS_B, SIM_ADDRESS_A, 9]);
  });
});
