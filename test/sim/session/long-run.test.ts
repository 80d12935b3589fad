/**
 * Sessions that run long enough to cross the counters' wrap-arounds and the keepalive timers:
 * the 12-bit MPPE coherency count (4096) in both modes, the server's 32-bit GRE sequence
 * number, ten idle minutes with both keepalives running, and the server's own LCP Echo.
 */
import { describe, expect, it } from 'vitest';
import { createSim, driveUntilUp, expectUp, indicesOf, scheduleServerTraffic } from './session-sim';
import { MPPE_BIT_S } from '../../../main/engine/ppp/ccp/mppe-option';
import { PPP_PROTO_LCP } from '../../../main/engine/ppp/protocol';
import { CODE_ECHO_REPLY, CODE_ECHO_REQUEST } from '../../../main/engine/ppp/packet';
import { readU32 } from '../../../main/engine/wire/bytes';

const RANGE = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('wrap-arounds', () => {
  for (const stateful of [false, true]) {
    it(`up${stateful ? 'Stateful' : 'Stateless'}_4300Packets_coherencyCountWrapsAndAllDecrypt`, () => {
      const s = createSim({
        client: { mppe: { mppe: 'require-128', allowStateful: stateful } },
        server: stateful ? { ppp: { mppeOffer: MPPE_BIT_S } } : {},
      });
      expect(driveUntilUp(s)).toBe(true);
      expect(s.client.upEvent?.mppe?.stateful).toBe(stateful);
      scheduleServerTraffic(s, 4300, 1, 100);
      s.pair.drive(s.pair.clock.now + 5_000);
      const got = indicesOf(s.client.tun, true);
      expect(got.corrupt).toBe(0);
      expect(got.indices).toEqual(RANGE(4300));
      expect(s.client.session.stats.ppp!.decryptErrors).toBe(0);
      expectUp(s);
    });
  }

  it('up_serverGreSequenceWrapsPast2pow32_allDelivered', () => {
    const s = createSim({ server: { gre: { initialSendSequence: 0xffff_ff00 } } });
    expect(driveUntilUp(s)).toBe(true);
    scheduleServerTraffic(s, 600, 2);
    s.pair.drive(s.pair.clock.now + 3_000);
    const got = indicesOf(s.client.tun, true);
    expect(got.indices).toEqual(RANGE(600));
    const gre = s.client.session.stats.gre!;
    expect(gre.rxLost + gre.rxStale + gre.rxDuplicate + gre.rxOverWindow).toBe(0);
    expectUp(s);
  });
});

describe('keepalives over time', () => {
  it('up_tenIdleMinutes_bothKeepalivesRunAndSessionStaysUp', () => {
    const s = createSim();
    expect(driveUntilUp(s)).toBe(true);
    s.pair.drive(s.pair.clock.now + 600_000);
    expectUp(s);
    const echoes = s.server.control.receivedKinds.filter((k) => k === 'EchoRequest').length;
    expect(echoes).toBeGreaterThanOrEqual(9); // RFC 2637 §3.1.4: every 60 s of silence
    expect(s.server.peer!.observed.echoRequests).toBeGreaterThanOrEqual(55); // LCP: every 10 s
  });

  it('up_serverLcpEchoRequest_answeredWithOurMagic', () => {
    const s = createSim();
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 10, (now) => {
      s.server.peer!.sendLcpPacket(CODE_ECHO_REQUEST, Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0xaa, 0xbb), 0x42);
      s.server.afterInput(now);
    });
    s.pair.drive(s.pair.clock.now + 200);
    const replies = s.server.peer!.framesIn.filter((f) => f.protocol === PPP_PROTO_LCP && f.info[0] === CODE_ECHO_REPLY && f.info[1] === 0x42);
    expect(replies).toHaveLength(1);
    // RFC 1661 §5.8: the reply carries OUR magic number, then the request's data.
    expect(readU32(replies[0]!.info, 4)).toBe(s.server.peer!.observed.clientMagic);
    expect([...replies[0]!.info.subarray(8)]).toEqual([0xaa, 0xbb]);
    expectUp(s);
  });
});
