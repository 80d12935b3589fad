/**
 * The whole session over a GRE path that drops, reorders and duplicates (fixed seeds): PPP
 * negotiation still converges thanks to the automata's and the authenticator's retransmissions;
 * stateless MPPE decrypts every packet that arrives whatever was lost; stateful MPPE recovers
 * from a loss through CCP Reset-Request and the flushed packet (RFC 3078 §8).
 */
import { describe, expect, it } from 'vitest';
import {
  createSim,
  driveUntilUp,
  expectUp,
  expectWellFormedTimeline,
  indicesOf,
  scheduleClientTraffic,
  scheduleServerTraffic,
} from './session-sim';
import { decodeGrePacket } from '../../../main/engine/gre/gre-packet';
import { decodeFrame } from '../../../main/engine/ppp/frame';
import { PPP_PROTO_COMPRESSED } from '../../../main/engine/ppp/protocol';
import { MPPE_BIT_S } from '../../../main/engine/ppp/ccp/mppe-option';
import type { LinkImpairment } from '../harness/lossy-link';

const sim = createSim;

/** The PPP protocol a GRE datagram carries, or undefined (ack-only, undecodable). */
function pppProtocolOf(datagram: Uint8Array): number | undefined {
  const g = decodeGrePacket(datagram);
  if (!g.ok || g.value.payload.length === 0) return undefined;
  const f = decodeFrame(g.value.payload);
  return f.ok ? f.value.protocol : undefined;
}

const ROUGH: LinkImpairment = { dropRate: 0.05, reorderRate: 0.1, duplicateRate: 0.03, delayMs: 15, jitterMs: 10, reorderExtraMs: 40 };

function isIncreasing(xs: readonly number[]): boolean {
  return xs.every((x, i) => i === 0 || x > xs[i - 1]!);
}

describe('negotiation over a rough GRE path', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`negotiating_5pctDrop10pctReorderDuplicates_convergesSeed${seed}`, () => {
      const s = sim({ seed, pair: { datagrams: { aToB: ROUGH, bToA: ROUGH } }, server: { echoIp: true } });
      expect(driveUntilUp(s, 120_000), s.client.closed?.message).toBe(true);
      expectUp(s);
      expect(s.client.upEvent).toMatchObject({ localIp: '192.168.77.10', mppe: { bits: 128, stateful: false } });
      expectWellFormedTimeline(s);
      // Our side may be Opened while a retransmitted server request is still on its way (its
      // Ack to us lost): let the automata settle for a few restart periods, then send.
      s.pair.drive(s.pair.clock.now + 12_000);
      const peer = s.server.peer!;
      expect([peer.lcp.state, peer.ccp.state, peer.ipcp.state]).toEqual(['opened', 'opened', 'opened']);
      scheduleClientTraffic(s, 50, 10);
      s.pair.drive(s.pair.clock.now + 2_000);
      const back = indicesOf(s.client.tun);
      expect(back.corrupt).toBe(0);
      expect(isIncreasing(back.indices)).toBe(true);
      expect(back.indices.length).toBeGreaterThan(40); // two legs at 5 % loss
      expectUp(s);
    });
  }

  it('negotiating_20pctLossManySeeds_everyRunEndsUpOrTyped', () => {
    // A lost CHAP Success cannot be repaired (RFC 1994 has the authenticator stop after it), so
    // at heavy loss some runs end in the auth timeout; none may hang, throw or end untyped.
    const heavy: LinkImpairment = { dropRate: 0.2, delayMs: 20, jitterMs: 10 };
    let up = 0;
    for (let seed = 100; seed < 120; seed++) {
      const s = createSim({ seed, pair: { datagrams: { aToB: heavy, bToA: heavy } } });
      driveUntilUp(s, 200_000);
      expect(s.client.thrown).toEqual([]);
      if (s.client.upEvent && !s.client.closed) up++;
      else {
        expect(s.client.closed, `seed ${seed} neither up nor closed`).toBeDefined();
        expect(['auth-failed', 'negotiation-failed', 'encryption-refused']).toContain(s.client.closed!.reason);
        expect(s.client.closed!.message.length).toBeGreaterThan(10);
      }
    }
    expect(up).toBeGreaterThanOrEqual(14);
  });

  it('negotiating_firstChallengeLost_serverRetransmitsAndAuthSucceeds', () => {
    // Drop the server's first CHAP packet (the MS-CHAPv2 Challenge).
    let dropped = 0;
    const s = sim({
      pair: {
        datagrams: {
          bToA: {
            dropIf: (d) => {
              if (dropped === 0 && pppProtocolOf(d) === 0xc223) {
                dropped++;
                return true;
              }
              return false;
            },
          },
        },
      },
    });
    expect(driveUntilUp(s)).toBe(true);
    expect(dropped).toBe(1);
    expect(s.server.authRetransmissions).toBeGreaterThanOrEqual(1);
    const auth = s.client.eventsOf('phase').find((e) => e.phase === 'auth' && e.status === 'done');
    expect(auth?.durationMs).toBeGreaterThanOrEqual(3_000); // pppd's chap-restart
  });
});

describe('one lost Configure-Ack', () => {
  // Our Configure-Ack of the server's request is lost, so the server (in Ack-Sent) retransmits
  // the same request (same Identifier, same options) while we are already Opened. RFC 1661
  // §5.1: a request keeps its Identifier only when it is a retransmission; answering it with
  // the same Ack must not restart the layer (for LCP that would end the session).
  for (const [layer, protocol] of [
    ['LCP', 0xc021],
    ['CCP', 0x80fd],
    ['IPCP', 0x8021],
  ] as const) {
    it(`${layer}Opened_serverRetransmitsAckedRequest_reAcksWithoutRenegotiating`, () => {
      let dropped = 0;
      const s = sim({
        server: { echoIp: true },
        pair: {
          datagrams: {
            aToB: {
              dropIf: (d) => {
                const g = decodeGrePacket(d);
                if (dropped > 0 || !g.ok || pppProtocolOf(d) !== protocol) return false;
                const f = decodeFrame(g.value.payload);
                if (!f.ok || f.value.info[0] !== 2) return false; // Configure-Ack
                dropped++;
                return true;
              },
            },
          },
        },
      });
      expect(driveUntilUp(s)).toBe(true);
      s.pair.drive(s.pair.clock.now + 15_000); // past the server's retransmission
      expect(dropped).toBe(1);
      expectUp(s);
      const done = s.client.eventsOf('phase').filter((e) => e.status === 'done');
      expect(done.filter((e) => e.phase === 'ccp')).toHaveLength(1);
      expect(s.client.eventsOf('up')).toHaveLength(1);
      const peer = s.server.peer!;
      expect(peer.lcp.state).toBe('opened');
      expect(peer.ccp.state).toBe('opened');
      expect(peer.ipcp.state).toBe('opened');
      // Traffic flows both ways, encrypted.
      scheduleClientTraffic(s, 20, 5);
      s.pair.drive(s.pair.clock.now + 500);
      expect(indicesOf(s.client.tun).indices).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });
  }
});

describe('data over a rough GRE path', () => {
  it('upStateless_lossReorderDuplicates_everyArrivingPacketDecrypts', () => {
    const s = sim({ seed: 21, server: { echoIp: true } });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.links.aToB.setImpairment(ROUGH);
    s.pair.links.bToA.setImpairment(ROUGH);
    scheduleClientTraffic(s, 400, 4);
    s.pair.drive(s.pair.clock.now + 4_000);
    const back = indicesOf(s.client.tun);
    expect(back.corrupt).toBe(0);
    // In order (the GRE reorder buffer), no duplicates, most of them there (two lossy legs).
    expect(isIncreasing(back.indices)).toBe(true);
    expect(back.indices.length).toBeGreaterThan(400 * 0.8);
    expect(back.indices.length).toBeLessThan(400);
    const ppp = s.client.session.stats.ppp!;
    expect(ppp.decryptErrors).toBe(0);
    expect(ppp.resetRequestsSent).toBe(0); // stateless: nothing to resynchronise
    expect(s.server.peer!.observed.decryptErrors).toBe(0);
    const gre = s.client.session.stats.gre!;
    expect(gre.rxLost).toBeGreaterThan(0);
    expect(gre.rxReordered + gre.rxDuplicate).toBeGreaterThan(0);
    expectUp(s);
  });

  it('upStateful_oneDataPacketLost_resetRequestThenFlushedPacketResyncs', () => {
    let dataSeen = 0;
    const s = sim({
      seed: 22,
      client: { mppe: { mppe: 'require-128', allowStateful: true } },
      server: { ppp: { mppeOffer: MPPE_BIT_S } },
    });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.mppe).toEqual({ bits: 128, stateful: true });
    // Lose the 20th MPPE packet from the server.
    s.pair.links.bToA.setImpairment({ dropIf: (d) => pppProtocolOf(d) === PPP_PROTO_COMPRESSED && ++dataSeen === 20 });
    scheduleServerTraffic(s, 200, 5);
    s.pair.drive(s.pair.clock.now + 3_000);
    expect(dataSeen).toBeGreaterThanOrEqual(200);
    const ppp = s.client.session.stats.ppp!;
    expect(ppp.resetRequestsSent).toBe(1);
    expect(s.server.peer!.observed.resetRequests).toBe(1);
    const got = indicesOf(s.client.tun, true);
    expect(got.corrupt).toBe(0);
    // Before the loss: all of them. Packet 19 (0-based) is gone, and so is what the GRE reorder
    // buffer held behind it for 0.3 s plus what the server sent before the Reset-Request reached
    // it; from the flushed packet on, every packet to the end.
    expect(got.indices.slice(0, 19)).toEqual(Array.from({ length: 19 }, (_, i) => i));
    const after = got.indices.slice(19);
    expect(after.length).toBeGreaterThan(100);
    const first = after[0]!;
    expect(first).toBeGreaterThan(19);
    expect(after).toEqual(Array.from({ length: 200 - first }, (_, i) => first + i));
    expectUp(s);
  });

  it('upStateful_resetRequestLost_isRepeatedAndTrafficResumes', () => {
    let dataSeen = 0;
    let resetsDropped = 0;
    const s = sim({
      seed: 24,
      client: { mppe: { mppe: 'require-128', allowStateful: true } },
      server: { ppp: { mppeOffer: MPPE_BIT_S } },
    });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.links.bToA.setImpairment({ dropIf: (d) => pppProtocolOf(d) === PPP_PROTO_COMPRESSED && ++dataSeen === 20 });
    // The client's first CCP Reset-Request (code 14) is lost too.
    s.pair.links.aToB.setImpairment({
      dropIf: (d) => {
        if (resetsDropped > 0 || pppProtocolOf(d) !== 0x80fd) return false;
        const g = decodeGrePacket(d);
        const f = g.ok ? decodeFrame(g.value.payload) : undefined;
        if (!f?.ok || f.value.info[0] !== 14) return false;
        resetsDropped++;
        return true;
      },
    });
    // One packet every 20 ms: the stateful flag packet (every 256th, RFC 3078 §3) that would
    // resynchronise us anyway is 5 s away.
    scheduleServerTraffic(s, 600, 20);
    s.pair.drive(s.pair.clock.now + 13_000);
    expect(resetsDropped).toBe(1);
    expect(s.client.session.stats.ppp!.resetRequestsSent).toBeGreaterThanOrEqual(2);
    expect(s.server.peer!.observed.resetRequests).toBeGreaterThanOrEqual(1);
    const got = indicesOf(s.client.tun, true);
    expect(got.corrupt).toBe(0);
    expect(isIncreasing(got.indices)).toBe(true);
    // Traffic resumed about 1.7 s after the loss (0.3 s GRE reorder wait, 1 s until the repeat,
    // 0.3 s more at the server whose GRE waits for the lost Reset-Request), not at the next flag
    // packet (index ~255): only packets 19 .. ~105 are missing.
    const missing = 600 - got.indices.length;
    expect(missing).toBeGreaterThan(1);
    expect(missing).toBeLessThan(100);
    expect(got.indices.filter((i) => i >= 120)).toEqual(Array.from({ length: 480 }, (_, i) => 120 + i));
    expectUp(s);
  });

  it('upStateful_randomLossBothWays_keepsResyncing', () => {
    // Server-to-client traffic (the server peer sends its own Reset-Request only once per gap,
    // so client-to-server traffic is left out); loss both ways hits data, acknowledgements and
    // our Reset-Requests alike.
    const s = sim({
      seed: 23,
      client: { mppe: { mppe: 'require-128', allowStateful: true } },
      server: { ppp: { mppeOffer: MPPE_BIT_S } },
    });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.mppe?.stateful).toBe(true);
    const lossy: LinkImpairment = { dropRate: 0.03, delayMs: 15 };
    s.pair.links.aToB.setImpairment(lossy);
    s.pair.links.bToA.setImpairment(lossy);
    scheduleServerTraffic(s, 1000, 10);
    s.pair.drive(s.pair.clock.now + 11_000);
    const got = indicesOf(s.client.tun, true);
    expect(got.corrupt).toBe(0);
    expect(isIncreasing(got.indices)).toBe(true);
    const ppp = s.client.session.stats.ppp!;
    expect(ppp.resetRequestsSent).toBeGreaterThan(3);
    expect(s.server.peer!.observed.resetRequests).toBeGreaterThan(0);
    // Every loss costs a resync, yet most packets arrive and the stream is alive at the end.
    expect(got.indices.length).toBeGreaterThan(400);
    expect(got.indices.filter((i) => i >= 800).length).toBeGreaterThan(60);
    expectUp(s);
  });
});
