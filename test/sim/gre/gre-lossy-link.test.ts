import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeGrePacket } from '../../../main/engine/gre/gre-packet';
import type { LinkEvent, LinkImpairment } from '../harness/lossy-link';
import { Pair } from '../harness/pair';
import { PcapWriter } from '../harness/pcap';
import { SimRandom } from '../harness/sim-random';
import { GreEndpoint } from './gre-endpoint';

const CLIENT_CALL = 0x0001;
const SERVER_CALL = 0x0080;

function makePair(opts: { aToB?: LinkImpairment; bToA?: LinkImpairment; window?: number; capture?: PcapWriter } = {}) {
  const window = opts.window ?? 64;
  const a = new GreEndpoint({ localCallId: CLIENT_CALL, peerCallId: SERVER_CALL, peerReceiveWindow: window, ourReceiveWindow: window });
  const b = new GreEndpoint({ localCallId: SERVER_CALL, peerCallId: CLIENT_CALL, peerReceiveWindow: window, ourReceiveWindow: window });
  const pair = new Pair(a, b, {
    datagrams: { aToB: { delayMs: 20, ...opts.aToB }, bToA: { delayMs: 20, ...opts.bToA } },
    ...(opts.capture ? { capture: opts.capture } : {}),
  });
  return { a, b, pair };
}

/** Counts what a link did to data packets (S set) versus ack-only packets. */
function dataObserver() {
  const counts = { sent: 0, dropped: 0, duplicated: 0 };
  const observe = (event: LinkEvent, datagram: Uint8Array) => {
    const d = decodeGrePacket(datagram);
    if (!d.ok || d.value.sequence === undefined) return;
    if (event === 'sent') counts.sent++;
    if (event === 'dropped') counts.dropped++;
    if (event === 'duplicated') counts.duplicated++;
  };
  return { counts, observe };
}

function expectStrictlyIncreasing(xs: number[]): void {
  for (let i = 1; i < xs.length; i++) {
    if (xs[i]! <= xs[i - 1]!) throw new Error(`out of order or duplicated at ${i}: ${xs[i - 1]} then ${xs[i]}`);
  }
}

/**
 * Both sides send `frames` frames every `intervalMs`: the first on a clean link, then
 * `impairment` on both directions, and the last `cleanTail` again on a clean link, so the
 * sequence space is bracketed by packets that surely arrive and every number is accounted for.
 */
function runBidirectional(seed: number, impairment: LinkImpairment, frames = 400, intervalMs = 2, cleanTail = 20) {
  const aObs = dataObserver();
  const bObs = dataObserver();
  const { a, b, pair } = makePair({ aToB: { seed, observe: aObs.observe }, bToA: { seed: seed + 1000, observe: bObs.observe } });
  const sizes = new SimRandom(seed + 7);
  for (let i = 0; i < frames; i++) {
    const at = i * intervalMs;
    const sizeA = sizes.int(20, 1400);
    const sizeB = sizes.int(20, 1400);
    if (i === 1) {
      pair.schedule(at, () => {
        pair.links.aToB.setImpairment(impairment);
        pair.links.bToA.setImpairment(impairment);
      });
    }
    if (i === frames - cleanTail) {
      pair.schedule(at, () => {
        const clean = { dropRate: 0, duplicateRate: 0, reorderRate: 0, jitterMs: 0 };
        pair.links.aToB.setImpairment(clean);
        pair.links.bToA.setImpairment(clean);
      });
    }
    pair.schedule(at, (now) => {
      a.send(now, sizeA);
      b.send(now, sizeB);
    });
  }
  expect(pair.runToIdle(60_000)).toBe(true);
  return { a, b, pair, aToB: aObs.counts, bToA: bObs.counts };
}

function expectDeliveryInvariants(receiver: GreEndpoint, sender: GreEndpoint): void {
  expectStrictlyIncreasing(receiver.delivered);
  expect(receiver.corruptFrames).toBe(0);
  const rx = receiver.call.counters;
  const tx = sender.call.counters;
  expect(rx.rxAccepted).toBe(receiver.delivered.length);
  // Every sequence number the sender used is either passed up or given up, exactly once.
  expect(rx.rxAccepted + rx.rxLost).toBe(tx.txPackets);
  expect(sender.maxInFlight).toBeLessThanOrEqual(sender.call.sendState.window);
  expect(rx.rxWrongCall + rx.rxMalformed + rx.rxBadAcks).toBe(0);
}

describe('GRE call pair over a lossy link (fixed seeds)', () => {
  it('cleanLink_everythingDeliveredInOrder_fewAcks', () => {
    const { a, b } = runBidirectional(1, {});
    for (const [rx, tx] of [[b, a], [a, b]] as const) {
      expectDeliveryInvariants(rx, tx);
      expect(rx.delivered).toEqual(Array.from({ length: 400 }, (_, i) => i));
      expect(rx.call.counters).toMatchObject({ rxLost: 0, rxDuplicate: 0, rxReordered: 0, rxStale: 0 });
      // Both sides send data all the time: acknowledgements ride on it.
      expect(rx.call.counters.txAcksOnly).toBeLessThanOrEqual(2);
    }
  });

  for (const seed of [11, 22, 33, 44, 55]) {
    it(`dropOnly_seed${seed}_lostEqualsDroppedData`, () => {
      const { a, b, aToB, bToA } = runBidirectional(seed, { dropRate: 0.1 });
      expectDeliveryInvariants(b, a);
      expectDeliveryInvariants(a, b);
      expect(aToB.dropped).toBeGreaterThan(10);
      expect(b.call.counters.rxLost).toBe(aToB.dropped + b.call.counters.rxOverWindow);
      expect(a.call.counters.rxLost).toBe(bToA.dropped + a.call.counters.rxOverWindow);
      expect(b.call.counters.rxDuplicate + b.call.counters.rxStale).toBe(0);
      // Acknowledging the highest received keeps the window sliding while gaps wait: 10 % loss
      // never stalls a 64-packet window at 500 packets/s.
      expect(a.call.counters.txWindowDrops + a.call.counters.txWindowStalls).toBe(0);
    });

    it(`duplicateOnly_seed${seed}_duplicatesCountedNeverDelivered`, () => {
      const { a, b, aToB, bToA } = runBidirectional(seed, { duplicateRate: 0.15 });
      expectDeliveryInvariants(b, a);
      expectDeliveryInvariants(a, b);
      expect(aToB.duplicated).toBeGreaterThan(10);
      expect(b.call.counters).toMatchObject({ rxDuplicate: aToB.duplicated, rxLost: 0, rxAccepted: 400 });
      expect(a.call.counters).toMatchObject({ rxDuplicate: bToA.duplicated, rxLost: 0, rxAccepted: 400 });
    });

    it(`reorderAndJitter_seed${seed}_deliveredInOrderWithoutLoss`, () => {
      const { a, b } = runBidirectional(seed, { jitterMs: 8, reorderRate: 0.1, reorderExtraMs: 15 });
      expectDeliveryInvariants(b, a);
      expectDeliveryInvariants(a, b);
      // Reordering well inside the 300 ms wait: nothing is given up.
      for (const ep of [a, b]) {
        expect(ep.call.counters.rxLost).toBe(0);
        expect(ep.call.counters.rxReordered).toBeGreaterThan(0);
        expect(ep.delivered).toHaveLength(400);
      }
    });

    it(`everythingAtOnce_seed${seed}_orderedNoDuplicatesCountersAddUp`, () => {
      const { a, b } = runBidirectional(seed, {
        dropRate: 0.08,
        duplicateRate: 0.05,
        jitterMs: 10,
        reorderRate: 0.05,
        reorderExtraMs: 400, // some arrive after the reorder wait: lost, then stale
      });
      expectDeliveryInvariants(b, a);
      expectDeliveryInvariants(a, b);
      expect(b.call.counters.rxLost).toBeGreaterThan(0);
    });
  }

  it('sameSeed_replaysExactly', () => {
    const imp = { dropRate: 0.1, duplicateRate: 0.05, jitterMs: 10, reorderRate: 0.05 };
    const r1 = runBidirectional(99, imp);
    const r2 = runBidirectional(99, imp);
    expect(r2.b.delivered).toEqual(r1.b.delivered);
    expect(r2.a.call.counters).toEqual(r1.a.call.counters);
  });

  it('oneWayBurst_receiverSendsFewAckOnlyPackets', () => {
    const { a, b, pair } = makePair();
    for (let i = 0; i < 1000; i++) pair.schedule(i, (now) => a.send(now, 200));
    pair.runToIdle();
    expect(b.delivered).toHaveLength(1000);
    const acks = b.call.counters.txAcksOnly;
    expect(acks).toBeGreaterThan(0);
    expect(acks).toBeLessThan(1000 / 10);
    expect(a.call.counters.txWindowDrops).toBe(0);
    expect(a.call.counters.txWindowStalls).toBe(0);
  });

  it('smallPeerWindow_senderNeverExceedsIt_andQueueDropsAreCounted', () => {
    const { a, b, pair } = makePair({ window: 4 });
    // 500 frames in 50 ms: far more than 4 per round trip (40 ms + ack delay).
    for (let i = 0; i < 500; i++) pair.schedule(i / 10, (now) => a.send(now, 100));
    pair.runToIdle();
    expect(a.maxInFlight).toBe(4);
    const tx = a.call.counters;
    expect(tx.txWindowDrops).toBeGreaterThan(0);
    expect(tx.txPackets + tx.txWindowDrops).toBe(500);
    expectDeliveryInvariants(b, a);
    expect(b.delivered).toHaveLength(tx.txPackets);
  });

  it('rttEstimate_tracksTheLinkRoundTrip', () => {
    const { a, b, pair } = makePair({ aToB: { delayMs: 30 }, bToA: { delayMs: 30 } });
    for (let i = 0; i < 300; i++) {
      pair.schedule(i * 5, (now) => {
        a.send(now, 100);
        b.send(now, 100);
      });
    }
    pair.drive(1000); // mid-run, while acks ride on data
    const rtt = a.call.counters.rttMs!;
    // 60 ms of links plus at most one send interval before a piggy-backed ack leaves.
    expect(rtt).toBeGreaterThanOrEqual(60);
    expect(rtt).toBeLessThanOrEqual(65);
    pair.runToIdle();
    // After the traffic the last acks are ack-only, 50 ms late: the estimate rises, bounded.
    expect(a.call.counters.rttMs!).toBeGreaterThan(rtt);
    expect(a.call.counters.rttMs!).toBeLessThan(60 + 50);
  });

  it('blackHoleForTwoSeconds_windowWrittenOff_trafficResumesInOrder', () => {
    const { a, b, pair } = makePair({ window: 16 });
    for (let i = 0; i < 2000; i++) pair.schedule(i * 2, (now) => a.send(now, 100));
    pair.schedule(1000, () => pair.links.aToB.setImpairment({ dropRate: 1 }));
    pair.schedule(3000, () => pair.links.aToB.setImpairment({ dropRate: 0 }));
    pair.runToIdle();
    expectDeliveryInvariants(b, a);
    expect(a.call.counters.txWindowStalls).toBeGreaterThan(0);
    const afterOutage = b.delivered.filter((n) => n * 2 > 3100);
    expect(afterOutage.length).toBeGreaterThan(300);
  });

  it('capture_holdsEveryDatagramSent', () => {
    const pcap = new PcapWriter();
    const { a, b, pair } = makePair({ capture: pcap });
    for (let i = 0; i < 20; i++) pair.schedule(i * 3, (now) => a.send(now, 60));
    pair.runToIdle();
    expect(b.delivered).toHaveLength(20);
    expect(pcap.packetCount).toBe(pair.links.aToB.stats.sent + pair.links.bToA.stats.sent);
    expect(pcap.packetCount).toBe(20 + b.call.counters.txAcksOnly);
    // SIM_PCAP=dir keeps the capture for Wireshark (GRE v1 → PPP decodes directly).
    const dir = process.env.SIM_PCAP;
    if (dir) writeFileSync(join(dir, 'gre-capture.pcap'), pcap.toBytes());
  });
});
