/**
 * MikroTik RouterOS, the kernel-GRE servers (accel-ppp, VyOS) and mpd5 as the scripted server
 * speaks them (server-families.ts; facts in shared/notes/servers.md): MRU 1450 with ACCM / PFC /
 * ACFC refused and IPV6CP, server Call ID 0, GRE sequence numbers from 1, CCP + IPCP + IPV6CP
 * requests arriving together, and a stateful-only MPPE server on a lossy link. Simulation only.
 */
import { describe, expect, it } from 'vitest';
import { createSim, driveUntilUp, expectUp, indicesOf, scheduleClientTraffic, scheduleServerTraffic } from '../session/session-sim';
import { mikrotikServer } from '../support/server-families';
import { PPP_PROTO_CCP, PPP_PROTO_IP, PPP_PROTO_IPCP, PPP_PROTO_IPV6CP, PPP_PROTO_LCP } from '../../../main/engine/ppp/protocol';
import { CODE_CONFIGURE_REQUEST, decodeOptions } from '../../../main/engine/ppp/packet';
import { MPPE_BIT_S } from '../../../main/engine/ppp/ccp/mppe-option';

describe('MikroTik RouterOS', () => {
  it('mikrotik_mru1450_accmPfcAcfcRejected_ipv6cpProtocolRejected_up', () => {
    const s = createSim({ server: mikrotikServer({ echoIp: true }) });
    expect(driveUntilUp(s)).toBe(true);
    // We took the server's MRU 1450; our own MRU (1400) is the smaller, so the MTU is 1400 - 4.
    const lcp = s.client.eventsOf('phase').find((e) => e.phase === 'lcp' && e.status === 'done');
    expect(lcp?.detail).toMatchObject({ peerMru: 1450 });
    expect(s.client.upEvent?.mtu).toBe(1396);
    // The server refused ACCM, PFC and ACFC in our request; our next request left them out.
    const requests = s.server.peer!.framesIn.filter((f) => f.protocol === PPP_PROTO_LCP && f.info[0] === CODE_CONFIGURE_REQUEST);
    const last = decodeOptions(requests.at(-1)!.info.subarray(4));
    expect(last.ok && last.value.map((o) => o.type).filter((t) => [2, 7, 8].includes(t))).toEqual([]);
    expect(s.server.peer!.observed.clientPfc).toBe(false);
    expect(s.server.peer!.observed.clientAcfc).toBe(false);
    // IPV6CP: one Protocol-Reject (we run no IPv6), and the link is not disturbed.
    expect(s.server.peer!.observed.protocolRejects).toEqual([PPP_PROTO_IPV6CP]);
    scheduleClientTraffic(s, 20, 5, 1300); // up to 1,378 octets: within the MTU
    s.pair.drive(s.pair.clock.now + 1_000);
    expect(indicesOf(s.client.tun).indices).toHaveLength(20);
    expectUp(s);
  });
});

describe('kernel-GRE servers (accel-ppp, VyOS) and call IDs', () => {
  it('serverCallId0_keysGreWithZero_trafficBothWays', () => {
    const s = createSim({ server: { echoIp: true, control: { firstCallId: 0 } } });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.server.control.currentCall?.serverCallId).toBe(0);
    scheduleClientTraffic(s, 20, 5);
    s.pair.drive(s.pair.clock.now + 1_000);
    expect(indicesOf(s.client.tun).indices).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // Every GRE packet the client sent carried key 0 (the server's GreCall drops any other).
    expect(s.server.gre!.counters.rxWrongCall).toBe(0);
    expect(s.client.wire.filter((w) => w.channel === 'gre').every((w) => ((w.bytes[6]! << 8) | w.bytes[7]!) === 0)).toBe(true);
  });

  it('greSequenceFrom1_firstPacketAccepted_noLossCounted', () => {
    const s = createSim({ server: { echoIp: true, greAckOnlyLimit: 0, gre: { initialSendSequence: 1 } } });
    expect(driveUntilUp(s)).toBe(true);
    const gre = s.client.session.stats.gre!;
    expect(gre.rxLost).toBe(0);
    expect(gre.rxAccepted).toBeGreaterThan(0);
    scheduleServerTraffic(s, 50, 5);
    s.pair.drive(s.pair.clock.now + 1_000);
    expect(indicesOf(s.client.tun, true).indices).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(s.client.session.stats.gre!.rxLost).toBe(0);
  });

  it('ccpIpcpIpv6cpRequestsTogether_ipcpBeforeCcpUp_noPlainIpAndUp', () => {
    const s = createSim({ server: { echoIp: true, greAckOnlyLimit: 0, gre: { initialSendSequence: 1 } } });
    expect(driveUntilUp(s)).toBe(true);
    // The server's first CCP, IPCP and IPV6CP Configure-Requests left in one instant.
    const out = s.server.peer!.framesOut;
    const firstOf = (p: number) => out.findIndex((f) => f.protocol === p && f.info[0] === CODE_CONFIGURE_REQUEST);
    const idx = [firstOf(PPP_PROTO_CCP), firstOf(PPP_PROTO_IPCP), firstOf(PPP_PROTO_IPV6CP)];
    expect(idx.every((i) => i >= 0)).toBe(true);
    expect(Math.max(...idx) - Math.min(...idx)).toBe(2);
    expect(s.client.upEvent?.mppe).toEqual({ bits: 128, stateful: false });
    scheduleClientTraffic(s, 10, 5);
    s.pair.drive(s.pair.clock.now + 1_000);
    // Nothing crossed in the clear (MPPE required): every IP frame the server saw was encrypted.
    expect(s.server.peer!.observed.plainIpReceived).toBe(0);
    expect(s.server.peer!.framesIn.some((f) => f.protocol === PPP_PROTO_IP)).toBe(false);
    expect(indicesOf(s.client.tun).indices).toHaveLength(10);
    expectUp(s);
  });
});

describe('mpd5: stateful MPPE only', () => {
  it('statefulOnlyServer_lossBothWays_resetRequestsResync_trafficFlows', () => {
    const s = createSim({
      seed: 31,
      client: { mppe: { mppe: 'require-128', allowStateful: true } },
      server: { echoIp: false, ppp: { mppeOffer: MPPE_BIT_S } },
    });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.mppe).toEqual({ bits: 128, stateful: true });
    s.pair.links.aToB.setImpairment({ dropRate: 0.01 });
    s.pair.links.bToA.setImpairment({ dropRate: 0.01 });
    scheduleServerTraffic(s, 400, 5);
    scheduleClientTraffic(s, 400, 5);
    s.pair.drive(s.pair.clock.now + 5_000);
    const ppp = s.client.session.stats.ppp!;
    expect(ppp.resetRequestsSent).toBeGreaterThan(0);
    expect(s.server.peer!.observed.resetRequests).toBeGreaterThan(0);
    const down = indicesOf(s.client.tun, true);
    const up = indicesOf(s.server.ipReceived);
    expect(down.corrupt + up.corrupt).toBe(0);
    // Each loss costs every packet until the flushed one (a Reset-Request round trip plus the
    // 0.3 s GRE reorder wait: ~70 packets at one per 5 ms), which is why stateless is preferred;
    // what arrives is intact and in order.
    console.log(`stateful MPPE, 1% loss each way: ${down.indices.length}/400 down, ${up.indices.length}/400 up, ${ppp.resetRequestsSent} Reset-Requests sent`);
    expect(down.indices.length).toBeGreaterThan(100);
    expect(up.indices.length).toBeGreaterThan(100);
    expect(down.indices).toEqual([...down.indices].sort((a, b) => a - b));
    // After the loss stops, traffic flows whole again.
    s.pair.links.aToB.setImpairment({ dropRate: 0 });
    s.pair.links.bToA.setImpairment({ dropRate: 0 });
    s.pair.drive(s.pair.clock.now + 1_000);
    const before = s.server.ipReceived.length;
    scheduleClientTraffic(s, 30, 5);
    s.pair.drive(s.pair.clock.now + 1_000);
    expect(indicesOf(s.server.ipReceived.slice(before)).indices).toHaveLength(30);
    expectUp(s);
  });
});
