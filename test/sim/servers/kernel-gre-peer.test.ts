/**
 * A peer that never sends an ack-only GRE packet: the Linux kernel's PPTP data path
 * (drivers/net/ppp/pptp.c) behind accel-ppp and VyOS acknowledges only on its own data packets,
 * starts its sequence numbers at 1 and has no send or receive window of its own
 * (shared/notes/servers.md). A one-way upload through it (no reverse traffic to carry acks) must
 * not stall every window's worth of packets. Times are virtual, so the figures are exact and the
 * bounds deterministic; both runs print their figure. Measured with seed 5 (10 ms links):
 *   before the sender learnt peer ack styles (commit 68a9c2b): 704 of 2,000 delivered, the last
 *     2,073 ms after the first was sent, 11 window stalls, 1,296 dropped at the source;
 *   now: 2,000 of 2,000 in 2,009 ms (the last sent at 1,999 ms + 10 ms link), no stall, no drop.
 * The second test keeps the old behaviour reproducible: a peer heard to ack alone once is held to
 * its window, as every peer was before.
 */
import { describe, expect, it } from 'vitest';
import { createSim, driveUntilUp, expectUp, indicesOf, numberedIpPacket, type Sim } from '../session/session-sim';
import { CONTROL_FRAME_RESERVE } from '../../../main/engine/gre/gre-sender';

const COUNT = 2_000;
const SIZE = 1_000;
const GAP_MS = 1;

interface UploadResult {
  readonly delivered: number;
  readonly inOrder: boolean;
  readonly corrupt: number;
  /** From the first packet handed to the client to the last one that came out of the server's tunnel. */
  readonly elapsedMs: number;
}

/** 2,000 UDP datagrams of 1,000 octets from the client, one per ms, nothing coming back. */
function upload(s: Sim): UploadResult {
  const t0 = s.pair.clock.now;
  let lastAt = t0;
  let seen = 0;
  for (let i = 0; i < COUNT; i++) s.pair.schedule(t0 + i * GAP_MS, (now) => s.client.sendIp(now, numberedIpPacket(i, SIZE)));
  // Until everything arrived, or nothing more did for 5 s (the sender gave up on the rest).
  s.pair.driveUntil(() => {
    if (s.server.ipReceived.length !== seen) {
      seen = s.server.ipReceived.length;
      lastAt = s.pair.clock.now;
    }
    return seen >= COUNT || s.pair.clock.now > Math.max(lastAt, t0 + COUNT * GAP_MS) + 5_000;
  }, t0 + 120_000);
  s.pair.drive(s.pair.clock.now + 1_000); // anything late shows up as a count above COUNT
  const { indices, corrupt } = indicesOf(s.server.ipReceived);
  return {
    delivered: indices.length,
    inOrder: indices.every((v, i) => v === i),
    corrupt,
    elapsedMs: lastAt - t0,
  };
}

function kernelPeer(greAckOnlyLimit: number, linkDelayMs = 10): Sim {
  const s = createSim({
    seed: 5,
    server: { greAckOnlyLimit, gre: { initialSendSequence: 1 } },
    pair: { datagrams: { aToB: { delayMs: linkDelayMs }, bToA: { delayMs: linkDelayMs } } },
  });
  expect(driveUntilUp(s)).toBe(true);
  return s;
}

describe('a peer that never sends ack-only GRE packets (Linux kernel pptp, accel-ppp)', () => {
  it('oneWayUpload_2000x1000octets_deliveredWithoutStalls', () => {
    const s = kernelPeer(0);
    const r = upload(s);
    const gre = s.client.session.stats.gre!;
    console.log(`kernel-GRE peer, ${COUNT} x ${SIZE} octets one way: ${r.delivered} delivered in ${r.elapsedMs} ms virtual (stalls ${gre.txWindowStalls}, drops ${gre.txWindowDrops})`);
    expect(r).toEqual({ delivered: COUNT, inOrder: true, corrupt: 0, elapsedMs: r.elapsedMs });
    // Sent at 1 per ms: the last one arrives one link delay (10 ms) after it was sent, plus the
    // one short probe for an ack-only packet when the first window filled (2 RTT, >= 50 ms).
    expect(r.elapsedMs).toBeLessThanOrEqual((COUNT - 1) * GAP_MS + 10 + 60);
    expect(gre.rxAckOnly).toBe(0);
    expect(s.server.greAckOnlyWithheld).toBeGreaterThan(0);
    expect(gre.txWindowStalls).toBe(0);
    expect(gre.txWindowDrops).toBe(0);
    expect(gre.txBeyondWindow).toBeGreaterThanOrEqual(COUNT - 2 * 64);
    expect(s.server.gre!.counters.rxLost).toBe(0);
    expectUp(s);
  });

  it('oneWayUpload_190msRoundTrip_theProbeHoldsWhatArrivesMeanwhile_noneLost', () => {
    // The CI run that lost 16 % against accel-ppp: a loaded host put the round trip near 190 ms,
    // so the probe for an ack-only packet lasted ~380 ms while 1,000 packets/s arrived, and a
    // send queue of 64 dropped the rest. The probe now holds them (maxProbeSendQueue).
    const s = kernelPeer(0, 95);
    const r = upload(s);
    const gre = s.client.session.stats.gre!;
    console.log(`kernel-GRE peer, 190 ms round trip, ${COUNT} x ${SIZE} octets one way: ${r.delivered} delivered in ${r.elapsedMs} ms virtual (drops ${gre.txWindowDrops})`);
    expect(r).toEqual({ delivered: COUNT, inOrder: true, corrupt: 0, elapsedMs: r.elapsedMs });
    expect(gre.txWindowDrops).toBe(0);
    expect(gre.txWindowStalls).toBe(0);
    expect(s.client.session.stats.gre!.rxAckOnly).toBe(0);
    // The last packet left at 1,999 ms and crossed one 95 ms link; the probe's delay was caught up.
    expect(r.elapsedMs).toBeLessThanOrEqual((COUNT - 1) * GAP_MS + 95 + 10);
    expectUp(s);
  });

  it('oneWayUpload_peerHeldToItsWindow_stallsEveryWindow_theFigureBeforeTheFix', () => {
    // One ack-only packet early in the call, then none (as the kernel): the client now believes
    // the peer acknowledges on its own and holds to its window of 64, which is how every
    // kernel-GRE peer was treated before: each window waits out the acknowledgement timeout.
    const s = kernelPeer(1);
    const r = upload(s);
    const gre = s.client.session.stats.gre!;
    console.log(`window held, ${COUNT} x ${SIZE} octets one way: ${r.delivered} delivered in ${r.elapsedMs} ms virtual (stalls ${gre.txWindowStalls}, drops ${gre.txWindowDrops})`);
    expect(gre.rxAckOnly).toBe(1);
    expect(gre.txWindowStalls).toBeGreaterThan(5);
    expect(gre.txWindowDrops).toBeGreaterThan(COUNT / 2);
    expect(r.delivered).toBeLessThan(COUNT / 2);
  });

  it('peerThatAcksAlone_windowStillHeld', () => {
    // A pptpd-like peer (our GreCall acknowledges a half-full window at once). The first burst
    // of 500 at one instant meets a peer not yet heard to ack alone: it fills the window of 64
    // and waits in the probe's queue, none dropped, and goes out as the acks open the window.
    // The peer has acked alone by then, so a second burst fills the window and the send
    // queue's data share (64 minus the slots kept for PPP control frames) and the rest is
    // dropped at the source. Nothing is ever sent beyond the window.
    const s = createSim({ seed: 5 });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now, (now) => {
      for (let i = 0; i < 500; i++) s.client.sendIp(now, numberedIpPacket(i, 300));
    });
    s.pair.drive(s.pair.clock.now + 3_000);
    const gre = s.client.session.stats.gre!;
    expect(gre.rxAckOnly).toBeGreaterThan(0);
    expect(gre.txWindowDrops).toBe(0);
    expect(indicesOf(s.server.ipReceived).indices).toEqual(Array.from({ length: 500 }, (_, i) => i));
    s.pair.schedule(s.pair.clock.now, (now) => {
      for (let i = 0; i < 500; i++) s.client.sendIp(now, numberedIpPacket(500 + i, 300));
    });
    s.pair.drive(s.pair.clock.now + 3_000);
    const after = s.client.session.stats.gre!;
    expect(after.txWindowDrops).toBe(500 - 64 - (64 - CONTROL_FRAME_RESERVE));
    expect(after.txBeyondWindow).toBe(0);
    expect(after.txWindowStalls).toBe(0);
    expect(s.server.gre!.counters.rxOverWindow).toBe(0);
  });
});
