/**
 * The whole session against a server that behaves like Debian's pptpd 1.4 + pppd 2.4.9
 * (require-mschap-v2 require-mppe-128 ms-dns 192.168.77.1): the timeline, the negotiated values,
 * encrypted IP both ways, and the teardown order on disconnect.
 */
import { describe, expect, it } from 'vitest';
import {
  PASSWORD,
  createSim,
  driveUntilClosed,
  driveUntilUp,
  expectEnded,
  expectUp,
  expectWellFormedTimeline,
  indicesOf,
  numberedIpPacket,
  scheduleClientTraffic,
  scheduleServerTraffic,
  serializedEvents,
} from './session-sim';
import { PPP_PROTO_IPV6CP } from '../../../main/engine/ppp/protocol';

const sim = createSim;
const RANGE = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('pptpd-like server, MS-CHAPv2 + MPPE-128 stateless', () => {
  it('idle_start_reportsPhasesInOrderThenUp', () => {
    const s = sim();
    expect(driveUntilUp(s)).toBe(true);
    expectUp(s);
    expect(s.client.phaseLog).toEqual([
      'control:started',
      'control:done',
      'call:started',
      'call:done',
      'lcp:started',
      'lcp:done',
      'auth:started',
      'auth:done',
      'ccp:started',
      'ccp:done',
      'ipcp:started',
      'ipcp:done',
    ]);
    expectWellFormedTimeline(s);
    const done = Object.fromEntries(s.client.eventsOf('phase').filter((e) => e.status === 'done').map((e) => [e.phase, e.detail]));
    expect(done.control).toMatchObject({ server: 'local', vendor: 'linux', version: '1.0' });
    expect(done.call).toMatchObject({ peerCallId: 0, window: 64 });
    expect(done.lcp).toMatchObject({ mru: 1400, peerMru: 1500, auth: 'MS-CHAPv2' });
    expect(done.auth).toMatchObject({ method: 'MS-CHAPv2' });
    expect(done.ccp).toEqual({ mppe: '128-bit', mode: 'stateless' });
    expect(done.ipcp).toMatchObject({ local: '192.168.77.10', remote: '192.168.77.1', dns: ['192.168.77.1'], mtu: 1396 });
    // Times never run backwards and every phase took a non-negative time.
    const phases = s.client.eventsOf('phase');
    for (let i = 1; i < phases.length; i++) expect(phases[i]!.at).toBeGreaterThanOrEqual(phases[i - 1]!.at);
    for (const p of phases) if (p.status === 'done') expect(p.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('ipcpOpened_upEvent_carriesTheNegotiatedValues', () => {
    const s = sim();
    expect(driveUntilUp(s)).toBe(true);
    const up = s.client.upEvent!;
    expect(up).toMatchObject({
      localIp: '192.168.77.10',
      remoteIp: '192.168.77.1',
      dns: ['192.168.77.1'],
      wins: [],
      mtu: 1396, // MRU 1400 (Ack'd by pppd) - 4 octets of MPPE
      auth: 'mschapv2',
      mppe: { bits: 128, stateful: false },
    });
    expect(up.peer).toMatchObject({ hostName: 'local', vendor: 'linux', firmwareRevision: 1 });
    expect(up.call?.peerCallId).toBe(s.server.control.calls[0]!.serverCallId);
    expect(up.call?.callId).toBe(s.server.control.calls[0]!.clientCallId);
    expect(s.client.session.info).toEqual(expect.objectContaining({ localIp: '192.168.77.10' }));
    // What the server saw of the client.
    const seen = s.server.peer!.observed;
    expect(seen.clientMru).toBe(1400);
    expect(seen.authResult).toBe(true);
    expect(seen.mppe).toEqual({ bits: 128, stateful: false });
    expect(seen.ipcpUp).toBe(true);
    expect(s.server.control.malformed).toEqual([]);
  });

  it('up_ipPacketsBothWays_areEncryptedAndDecryptIntact', () => {
    const s = sim({ server: { echoIp: true } });
    expect(driveUntilUp(s)).toBe(true);
    const sent = scheduleClientTraffic(s, 300, 3);
    s.pair.drive(s.pair.clock.now + 1_500);
    expect(sent.accepted).toBe(300);
    // Every packet went through the server's MPPE decryptor and came back through ours.
    const back = indicesOf(s.client.tun);
    expect(back.corrupt).toBe(0);
    expect(back.indices).toEqual(RANGE(300));
    const seen = s.server.peer!.observed;
    expect(seen.encryptedIpReceived).toBe(300);
    expect(seen.plainIpReceived).toBe(0);
    expect(seen.decryptErrors).toBe(0);
    expect(s.client.session.counters).toMatchObject({ ipTxPackets: 300, ipRxPackets: 300 });
    expect(s.client.session.stats.ppp).toMatchObject({ decryptErrors: 0, droppedUnencrypted: 0 });
    expectUp(s);
  });

  it('up_serverOriginatedPackets_reachTheTunInOrder', () => {
    const s = sim();
    expect(driveUntilUp(s)).toBe(true);
    scheduleServerTraffic(s, 250, 2, 900);
    scheduleClientTraffic(s, 120, 5, 64);
    s.pair.drive(s.pair.clock.now + 1_500);
    const fromServer = indicesOf(s.client.tun, true);
    expect(fromServer.corrupt).toBe(0);
    expect(fromServer.indices).toEqual(RANGE(250));
    const atServer = indicesOf(s.server.ipReceived);
    expect(atServer.corrupt).toBe(0);
    expect(atServer.indices).toEqual(RANGE(120));
  });

  it('callConnected_serverLcpImmediately_upWithin200ms', () => {
    const s = sim();
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent!.at).toBeLessThan(200);
    expect(s.client.session.counters.greBeforeCall).toBe(0);
  });

  it('callWaiting_greOvertakesOcrp_droppedThenLcpRecoversByRestart', () => {
    // pppd's first LCP packet and the OCRP leave at the same instant and the GRE one arrives
    // first: we cannot know the call yet, so it is dropped and counted; the server's restart
    // timer (3 s) repeats it and the session comes up.
    const s = sim({ server: { pppStartDelayMs: 0 } });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.session.counters.greBeforeCall).toBe(1);
    expect(s.client.upEvent!.at).toBeGreaterThanOrEqual(3_000);
    expect(s.client.upEvent!.at).toBeLessThan(3_500);
  });

  it('up_packetLargerThanMtu_isDroppedNotSent', () => {
    const s = sim({ server: { echoIp: true } });
    expect(driveUntilUp(s)).toBe(true);
    const now = s.pair.clock.now;
    expect(s.client.sendIp(now, numberedIpPacket(1, 1396))).toBe(true);
    expect(s.client.sendIp(now, numberedIpPacket(2, 1497))).toBe(false);
    s.pair.drive(now + 500);
    expect(indicesOf(s.client.tun).indices).toEqual([1]);
    expect(s.client.session.stats.ppp?.droppedTooBig).toBe(1);
  });

  it('beforeUp_tunPacket_isDropped', () => {
    const s = sim();
    s.pair.drive(20); // control up, PPP still negotiating
    expect(s.client.session.state).not.toBe('up');
    expect(s.client.sendIp(s.pair.clock.now, numberedIpPacket(0))).toBe(false);
    expect(driveUntilUp(s)).toBe(true);
    expect(s.server.peer!.observed.plainIpReceived + s.server.peer!.observed.encryptedIpReceived).toBe(0);
  });

  it('networkPhase_ipv6cpConfigureRequest_isProtocolRejectedAndSessionComesUp', () => {
    const s = sim();
    expect(driveUntilUp(s)).toBe(true);
    expect(s.server.peer!.observed.protocolRejects).toContain(PPP_PROTO_IPV6CP);
    expect(s.client.session.stats.ppp?.protocolRejectsSent).toBeGreaterThanOrEqual(1);
    expectUp(s);
  });

  it('up_disconnect_terminatesPppThenClearsCallThenStopsControl', () => {
    // RFC 2637 §2.12 behaviour: Call-Disconnect-Notify answers the Call-Clear-Request.
    const s = sim({ server: { control: { onCallClear: 'disconnect-notify' } } });
    expect(driveUntilUp(s)).toBe(true);
    const t0 = s.pair.clock.now + 100;
    s.pair.schedule(t0, (now) => s.client.disconnect(now));
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    s.pair.drive(s.pair.clock.now + 100); // the client's FIN reaches the server
    expectEnded(s, 'local-disconnect');
    const order = s.server.timeline.filter((e) => e.at >= t0).map((e) => e.what);
    expect(order).toEqual([
      'ppp:terminate-request',
      'control:CallClearRequest',
      'control:StopControlConnectionRequest',
      'tcp:closed',
    ]);
    // Fast: one Terminate round trip, one CCRQ/CDN, one StopCCRQ/RP (10 ms each way).
    expect(s.client.eventsOf('closed')[0]!.at - t0).toBeLessThan(200);
    expect(s.server.peer?.observed.terminateRequests).toBe(1);
  });

  it('up_disconnectWithPptpdHangUp_closesCleanOnTcpClose', () => {
    // pptpd answers Call-Clear-Request by closing TCP, without Call-Disconnect-Notify.
    const s = sim();
    expect(driveUntilUp(s)).toBe(true);
    const t0 = s.pair.clock.now;
    s.pair.schedule(t0, (now) => s.client.disconnect(now));
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    expectEnded(s, 'local-disconnect');
    const order = s.server.timeline.filter((e) => e.at >= t0).map((e) => e.what);
    expect(order).toEqual(['ppp:terminate-request', 'control:CallClearRequest']);
    expect(s.client.eventsOf('closed')[0]!.at - t0).toBeLessThan(200);
  });

  it('closed_afterDisconnect_isQuietAndIgnoresMoreInput', () => {
    const s = sim();
    expect(driveUntilUp(s)).toBe(true);
    s.client.disconnect(s.pair.clock.now);
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    const events = s.client.events.length;
    const now = s.pair.clock.now;
    s.client.disconnect(now);
    s.client.handleTimeout(now + 1);
    s.client.handleDatagram(now + 2, new Uint8Array([0x30, 0x81, 0x88, 0x0b, 0, 0, 0, 0]));
    expect(s.client.sendIp(now + 3, numberedIpPacket(0))).toBe(false);
    expect(s.client.session.nextTimeout()).toBeUndefined();
    expect(s.client.events.length).toBe(events);
    expectEnded(s, 'local-disconnect');
  });

  it('negotiating_disconnect_endsWithLocalDisconnect', () => {
    for (const at of [0, 5, 15, 25, 35, 45]) {
      const s = sim();
      s.pair.schedule(at, (now) => s.client.disconnect(now));
      expect(driveUntilClosed(s, 30_000), `disconnect at ${at} ms`).toBe(true);
      expectEnded(s, 'local-disconnect');
      expect(s.client.upEvent).toBeUndefined();
    }
  });

  it('anyEvent_neverContainsThePassword', () => {
    const s = sim({ server: { echoIp: true, control: { onCallClear: 'disconnect-notify' } } });
    expect(driveUntilUp(s)).toBe(true);
    scheduleClientTraffic(s, 20);
    s.pair.drive(s.pair.clock.now + 200);
    s.client.disconnect(s.pair.clock.now);
    driveUntilClosed(s);
    const json = serializedEvents(s);
    expect(json.length).toBeGreaterThan(500);
    expect(json).not.toContain(PASSWORD);
    expect(json.toLowerCase()).not.toContain(PASSWORD.toLowerCase());
  });
});
