/**
 * Whole sessions against PPTP servers whose control connection or GRE path misbehaves: silence
 * at SCCRQ/OCRQ, refusals, hang-ups mid-call in every form (CDN, the server's own CCRQ,
 * StopCCRQ, TCP close), GRE filtered in one or both directions, PPTP echo timeouts, malformed
 * control bytes, re-cut TCP segments, and servers that ignore our teardown. Each ends with the
 * typed reason the connection doctor needs, within the advertised time, throwing nothing.
 */
import { describe, expect, it } from 'vitest';
import { createSim, driveUntilClosed, driveUntilUp, expectEnded, expectUp, indicesOf, scheduleClientTraffic } from './session-sim';
import { DEFAULT_GRE_SILENCE_TIMEOUT_MS } from '../../../main/engine/session';
import { CallDisconnectResult, StopControlReason } from '../../../main/engine/control/constants';

describe('control connection setup', () => {
  it('waitSccrp_serverNeverAnswers_endsTypedWithinReplyTimeout', () => {
    const s = createSim({ server: { control: { startReply: 'silent' } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'protocol-error');
    expect(s.client.eventsOf('closed')[0]!.at).toBeLessThanOrEqual(30_100);
    expect(s.client.phaseLog).toEqual(['control:started', 'control:failed']);
  });

  it('waitSccrp_serverNeverAnswers_honoursConfiguredTimeout', () => {
    const s = createSim({ client: { control: { replyTimeoutMs: 5_000 } }, server: { control: { startReply: 'silent' } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'protocol-error');
    expect(s.client.eventsOf('closed')[0]!.at).toBeLessThanOrEqual(5_100);
  });

  it('waitSccrp_refusedNotAuthorized_endsControlRefusedInWords', () => {
    const s = createSim({ server: { control: { startReply: { resultCode: 4 } } } });
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    expectEnded(s, 'control-refused');
    expect(s.client.closed!.message).toMatch(/not authorized/);
  });

  it('waitOcrp_serverNeverAnswers_endsTypedAndStopsControl', () => {
    const s = createSim({ server: { control: { callReply: 'silent' } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'protocol-error');
    expect(s.server.control.receivedKinds).toContain('StopControlConnectionRequest');
    expect(s.client.eventsOf('closed')[0]!.at).toBeLessThanOrEqual(40_000);
  });

  for (const [result, words] of [
    [3, /no carrier/],
    [4, /busy/],
    [7, /do not accept/],
  ] as const) {
    it(`waitOcrp_callRefusedResult${result}_endsControlRefusedInWords`, () => {
      const s = createSim({ server: { control: { callReply: { resultCode: result } } } });
      expect(driveUntilClosed(s, 30_000)).toBe(true);
      expectEnded(s, 'control-refused');
      expect(s.client.closed!.message).toMatch(words);
      expect(s.client.phaseLog).toContain('call:failed');
      expect(s.server.control.receivedKinds).toContain('StopControlConnectionRequest');
      expect(s.server.greWithoutCall).toBe(0);
    });
  }

  it('control_tcpReCutIntoOneOctetSegments_stillComesUp', () => {
    const s = createSim({ pair: { stream: { aToB: { maxSegment: 1 }, bToA: { maxSegment: 3, coalesce: true } } } });
    expect(driveUntilUp(s)).toBe(true);
    expectUp(s);
    expect(s.server.control.malformed).toEqual([]);
  });

  it('control_setLinkInfoAfterOcrp_appliedAndUp', () => {
    const s = createSim({ server: { control: { setLinkInfo: { sendAccm: 0, receiveAccm: 0xffffffff } } } });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.eventsOf('log').some((e) => /Set-Link-Info/.test(e.message))).toBe(true);
  });
});

describe('the server hangs up mid-call', () => {
  function upThen(action: (s: ReturnType<typeof createSim>, now: number) => void, options: Parameters<typeof createSim>[0] = {}) {
    const s = createSim(options);
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 100, (now) => action(s, now));
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    s.pair.drive(s.pair.clock.now + 100); // our last control bytes reach the server
    return s;
  }

  it('up_callDisconnectNotify_endsPeerDisconnectedInWords', () => {
    const s = upThen((s) => s.server.control.disconnectCall(CallDisconnectResult.AdminShutdown));
    expectEnded(s, 'peer-disconnected');
    expect(s.client.closed!.message).toMatch(/the server cleared the call/);
    expect(s.client.closed!.message).toMatch(/administrative shutdown|admin/i);
    // PPP was aborted, not terminated: no LCP Terminate-Request after the call was gone.
    expect(s.server.peers[0]!.observed.terminateRequests).toBe(0);
  });

  it('up_serverCallClearRequest_answersCdnAndEndsPeerDisconnected', () => {
    const s = upThen((s) => {
      const call = s.server.control.currentCall!;
      s.server.control.send({ kind: 'CallClearRequest', callId: call.serverCallId });
    });
    expectEnded(s, 'peer-disconnected');
    expect(s.server.control.receivedKinds).toContain('CallDisconnectNotify');
  });

  it('up_stopControlConnectionRequest_repliesAndEndsPeerDisconnected', () => {
    const s = upThen((s) => s.server.control.stopControl(StopControlReason.StopLocalShutdown));
    expectEnded(s, 'peer-disconnected');
    expect(s.server.control.receivedKinds).toContain('StopControlConnectionReply');
  });

  it('up_tcpClosed_endsPeerDisconnected', () => {
    const s = upThen((s) => s.server.control.closeTransport());
    expectEnded(s, 'peer-disconnected');
  });

  it('up_lcpTerminateThenTcpClose_endsPeerDisconnectedWithTheServersWords', () => {
    const s = upThen((s, now) => s.server.terminatePpp(now, 'Authentication expired'));
    expectEnded(s, 'peer-disconnected');
    expect(s.client.closed!.message).toMatch(/Authentication expired/);
  });
});

describe('GRE blocked', () => {
  it('callUp_everyGreDatagramDropped_endsGreBlockedAfterSilenceTimeout', () => {
    const s = createSim({ pair: { datagrams: { aToB: { dropRate: 1 }, bToA: { dropRate: 1 } } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'gre-blocked');
    const call = s.client.eventsOf('phase').find((e) => e.phase === 'call' && e.status === 'done')!;
    const closedAt = s.client.eventsOf('closed')[0]!.at;
    expect(closedAt - call.at).toBeGreaterThanOrEqual(DEFAULT_GRE_SILENCE_TIMEOUT_MS);
    expect(closedAt - call.at).toBeLessThan(DEFAULT_GRE_SILENCE_TIMEOUT_MS + 1_000);
    expect(s.client.closed!.message).toMatch(/no GRE packet came from the server within 8 s/);
    // TCP was fine: the call was hung up cleanly.
    expect(s.server.control.receivedKinds).toContain('CallClearRequest');
  });

  it('callUp_greFromServerDropped_endsGreBlocked', () => {
    const s = createSim({ pair: { datagrams: { bToA: { dropRate: 1 } } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'gre-blocked');
  });

  it('callUp_firewallOnServerDropsGre_endsGreBlockedWithConfiguredTimeout', () => {
    const s = createSim({ client: { greSilenceTimeoutMs: 3_000 } });
    s.server.blockGre = true;
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'gre-blocked');
    expect(s.client.closed!.message).toMatch(/within 3 s/);
    expect(s.server.greBlockedCount).toBeGreaterThan(0);
  });

  it('callUp_greToServerDropped_notGreBlockedButNegotiationFails', () => {
    // The server's LCP reaches us, ours never reaches it: GRE is not blocked from our side.
    const s = createSim({ pair: { datagrams: { aToB: { dropRate: 1 } } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'negotiation-failed');
  });

  it('callUp_serverGreCarriesAnotherCallId_endsGreBlocked', () => {
    // Every GRE packet from the server names a call that is not ours: none is for us.
    const s = createSim({ server: { greKeyCallId: 0x4242 } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'gre-blocked');
    expect(s.client.session.stats.gre!.rxWrongCall).toBeGreaterThan(0);
  });

  it('callUp_serverCallIdFFFF_worksEndToEnd', () => {
    const s = createSim({ server: { control: { firstCallId: 0xffff }, echoIp: true } });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.call?.peerCallId).toBe(0xffff);
    scheduleClientTraffic(s, 10, 5);
    s.pair.drive(s.pair.clock.now + 500);
    expect(indicesOf(s.client.tun).indices).toHaveLength(10);
  });

  it('up_greStopsLaterOn_lcpEchoEndsKeepaliveTimeout', () => {
    // gre-blocked is about a path that never worked; a path that dies later is a keepalive matter.
    const s = createSim({ client: { lcpEcho: { mode: 'fixed', intervalMs: 5_000, failures: 3 } } });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.links.bToA.setImpairment({ dropRate: 1 });
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expectEnded(s, 'keepalive-timeout');
  });
});

describe('PPTP keepalive', () => {
  it('up_serverIgnoresEchoRequests_endsKeepaliveTimeout', () => {
    const s = createSim({
      client: { control: { echoIdleMs: 10_000, echoReplyTimeoutMs: 5_000 }, lcpEcho: { mode: 'off' } },
      server: { control: { answerEchoes: false } },
    });
    expect(driveUntilUp(s)).toBe(true);
    const upAt = s.pair.clock.now;
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expectEnded(s, 'keepalive-timeout');
    const closedAt = s.client.eventsOf('closed')[0]!.at;
    expect(closedAt - upAt).toBeGreaterThanOrEqual(10_000);
    expect(closedAt - upAt).toBeLessThanOrEqual(16_000);
    expect(s.server.control.receivedKinds).toContain('EchoRequest');
  });

  it('up_serverAnswersEchoes_staysUpPastSeveralIntervals', () => {
    const s = createSim({ client: { lcpEcho: { mode: 'off' } } });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.drive(s.pair.clock.now + 300_000);
    expectUp(s);
    expect(s.server.control.receivedKinds.filter((k) => k === 'EchoRequest').length).toBeGreaterThanOrEqual(4);
  });

  it('up_serverSendsEchoRequests_answeredAndUp', () => {
    const s = createSim({ server: { control: { echoIdleMs: 20_000 } } });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.drive(s.pair.clock.now + 70_000);
    expectUp(s);
    expect(s.server.control.receivedKinds.filter((k) => k === 'EchoReply').length).toBeGreaterThanOrEqual(1);
  });
});

describe('malformed or unexpected control input mid-session', () => {
  it('up_garbageBytesOnControl_endsProtocolError', () => {
    const s = createSim();
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 10, () => s.server.control.sendRaw(Uint8Array.from({ length: 40 }, (_, i) => (i * 37) & 0xff)));
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    expectEnded(s, 'protocol-error');
  });

  it('up_wrongMagicCookie_endsProtocolError', () => {
    const s = createSim();
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 10, () => {
      // An Echo-Request (16 octets) with a broken cookie.
      s.server.control.sendRaw(Uint8Array.of(0, 16, 0, 1, 0xde, 0xad, 0xbe, 0xef, 0, 5, 0, 0, 0, 0, 0, 1));
    });
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    expectEnded(s, 'protocol-error');
  });

  it('up_unexpectedStartReplyAndWanErrors_ignoredAndSessionContinues', () => {
    const s = createSim({ server: { echoIp: true } });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 10, () => {
      const call = s.server.control.currentCall!;
      s.server.control.send({
        kind: 'StartControlConnectionReply',
        protocolVersion: 0x0100,
        resultCode: 1,
        errorCode: 0,
        framingCapabilities: 0,
        bearerCapabilities: 0,
        maximumChannels: 1,
        firmwareRevision: 1,
        hostName: 'again',
        vendorString: 'linux',
      });
      s.server.control.send({
        kind: 'WanErrorNotify',
        peerCallId: call.clientCallId,
        crcErrors: 1,
        framingErrors: 2,
        hardwareOverruns: 0,
        bufferOverruns: 0,
        timeoutErrors: 0,
        alignmentErrors: 0,
      });
      // A Call-Disconnect-Notify for a call that is not ours.
      s.server.control.send({ kind: 'CallDisconnectNotify', callId: (call.serverCallId + 1) & 0xffff, resultCode: 3, errorCode: 0, causeCode: 0, callStatistics: '' });
    });
    s.pair.drive(s.pair.clock.now + 500);
    expectUp(s);
    expect(s.client.eventsOf('log').some((e) => /WAN errors/.test(e.message))).toBe(true);
    scheduleClientTraffic(s, 10, 5);
    s.pair.drive(s.pair.clock.now + 500);
    expect(indicesOf(s.client.tun).indices).toHaveLength(10);
  });
});

describe('teardown against an unhelpful server', () => {
  it('up_disconnectServerIgnoresCcrqAndStop_closesWithinTeardownTimeouts', () => {
    const s = createSim({ server: { control: { onCallClear: 'silent', onStopRequest: 'silent' } } });
    expect(driveUntilUp(s)).toBe(true);
    const t0 = s.pair.clock.now;
    s.client.disconnect(t0);
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expectEnded(s, 'local-disconnect');
    // LCP Terminate (at most 2 x 3 s if unanswered; answered here), then 5 s for the CDN and 5 s for the StopCCRP.
    expect(s.client.eventsOf('closed')[0]!.at - t0).toBeLessThanOrEqual(11_000);
    expect(s.server.control.receivedKinds).toEqual(expect.arrayContaining(['CallClearRequest', 'StopControlConnectionRequest']));
  });

  it('up_disconnectPppPeerSilent_terminateTimesOutThenHangsUp', () => {
    const s = createSim();
    expect(driveUntilUp(s)).toBe(true);
    s.pair.links.bToA.setImpairment({ dropRate: 1 }); // the Terminate-Ack never comes back
    const t0 = s.pair.clock.now;
    s.client.disconnect(t0);
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expectEnded(s, 'local-disconnect');
    expect(s.client.eventsOf('closed')[0]!.at - t0).toBeLessThanOrEqual(7_000);
    expect(s.server.control.receivedKinds).toContain('CallClearRequest');
  });

  it('waitOcrp_disconnect_endsLocalDisconnect', () => {
    const s = createSim({ server: { control: { callReply: 'silent' } } });
    s.pair.drive(100);
    s.client.disconnect(s.pair.clock.now);
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    expectEnded(s, 'local-disconnect');
  });
});
