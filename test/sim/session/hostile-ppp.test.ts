/**
 * Whole sessions against PPP servers that misbehave: MPPE downgrades when encryption is
 * required, CCP refused in every way, option lengths that lie, endless Nak loops, unknown and
 * Code-Rejected codes, LCP restarts and terminations mid-session, odd but legal options. Each
 * ends with the typed reason the doctor needs (or stays up when it should), throws nothing and
 * leaks no password.
 */
import { describe, expect, it } from 'vitest';
import { createSim, driveUntilClosed, driveUntilUp, expectEnded, expectUp, expectWellFormedTimeline, indicesOf, scheduleClientTraffic } from './session-sim';
import { MPPE_BIT_H, MPPE_BIT_L, MPPE_BIT_M } from '../../../main/engine/ppp/ccp/mppe-option';
import { PPP_PROTO_CCP, PPP_PROTO_IPCP, PPP_PROTO_LCP } from '../../../main/engine/ppp/protocol';
import { CODE_CONFIGURE_REQUEST } from '../../../main/engine/ppp/packet';

const REQUIRED_128 = { mppe: 'require-128', allowStateful: false } as const;
const OPTIONAL = { mppe: 'optional', allowStateful: false } as const;

describe('MPPE downgrade when encryption is required', () => {
  it('ccp_serverOffersOnly40bit_required128_endsEncryptionRefused', () => {
    const s = createSim({ client: { mppe: REQUIRED_128 }, server: { ppp: { mppeOffer: MPPE_BIT_L | MPPE_BIT_H } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'encryption-refused');
    expect(s.client.upEvent).toBeUndefined();
    expect(s.server.peer!.observed.plainIpReceived).toBe(0);
  });

  it('ccp_serverOffersOnly56bit_requiredAny_negotiates56', () => {
    // The control case: with 'require-any' (any length) the same server is fine.
    const s = createSim({ client: { mppe: { mppe: 'require-any', allowStateful: false } }, server: { ppp: { mppeOffer: MPPE_BIT_M | MPPE_BIT_H } } });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.mppe).toEqual({ bits: 56, stateful: false });
  });

  it('ccp_serverRejectsMppeOption_endsEncryptionRefused', () => {
    const s = createSim({ server: { ppp: { hostile: { rejectCcp: 'reject-mppe' } } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'encryption-refused');
    expect(s.client.phaseLog).toContain('ccp:failed');
  });

  it('ccp_serverProtocolRejectsCcp_endsEncryptionRefused', () => {
    const s = createSim({ server: { ppp: { hostile: { rejectCcp: 'protocol-reject' } } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'encryption-refused');
    expect(s.client.closed!.message).toMatch(/Protocol-Reject/);
  });

  it('ccp_serverWithoutCcp_required_endsEncryptionRefusedNotPlaintext', () => {
    const s = createSim({ server: { ppp: { ccp: false }, echoIp: true } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'encryption-refused');
    expect(s.server.peer!.observed.plainIpReceived).toBe(0);
  });

  it('ccp_serverRejectsMppe_optional_worksUnencrypted', () => {
    const s = createSim({ client: { mppe: OPTIONAL }, server: { ppp: { hostile: { rejectCcp: 'protocol-reject' } }, echoIp: true } });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.mppe).toBeNull();
    expectWellFormedTimeline(s);
    const ccp = s.client.eventsOf('phase').find((e) => e.phase === 'ccp' && e.status === 'done');
    expect(ccp?.detail).toEqual({ mppe: 'none' });
    scheduleClientTraffic(s, 10, 5);
    s.pair.drive(s.pair.clock.now + 500);
    expect(indicesOf(s.client.tun).indices).toHaveLength(10);
    expect(s.server.peer!.observed.plainIpReceived).toBe(10);
  });

  it('ccp_serverInsistsOnStatefulAnd40_required128_endsEncryptionRefused', () => {
    const s = createSim({ client: { mppe: { mppe: 'require-128', allowStateful: true } }, server: { ppp: { mppeOffer: MPPE_BIT_L } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'encryption-refused');
  });
});

describe('negotiation that cannot converge', () => {
  it('lcp_serverOptionLengthsLie_endsNegotiationFailedNamingMalformed', () => {
    const s = createSim({ server: { ppp: { hostile: { lyingOptionLengths: true } } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'negotiation-failed');
    expect(s.client.closed!.message).toMatch(/malformed/);
    expect(s.client.phaseLog).toContain('lcp:failed');
  });

  it('ipcp_serverRequestLengthLies_endsNegotiationFailed', () => {
    const s = createSim({
      server: {
        ppp: {
          hostile: {
            rewrite: (protocol, info) => {
              if (protocol !== PPP_PROTO_IPCP || info[0] !== CODE_CONFIGURE_REQUEST || info.length < 6) return [{ protocol, info }];
              const lying = new Uint8Array(info);
              lying[5] = 0x7f; // the first option's Length runs past the packet
              return [{ protocol, info: lying }];
            },
          },
        },
      },
    });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'negotiation-failed');
    expect(s.client.closed!.message).toMatch(/IPCP/);
  });

  it('lcp_serverNaksForever_endsNegotiationFailed', () => {
    const s = createSim({ server: { ppp: { hostile: { endlessNak: true } } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'negotiation-failed');
    expect(s.client.eventsOf('closed')[0]!.at).toBeLessThan(60_000);
  });

  it('lcp_serverAnswersWithUnknownCode_codeRejectsThenNegotiationFailed', () => {
    // The server sends an unknown code where its Configure-Ack belongs: we Code-Reject each one
    // and, since our request is never acknowledged, give up after Max-Configure, saying so.
    const s = createSim({ server: { ppp: { hostile: { unknownCodes: true } } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'negotiation-failed');
    const codeRejects = s.server.peer!.framesIn.filter((f) => f.protocol === PPP_PROTO_LCP && f.info[0] === 7);
    expect(codeRejects.length).toBeGreaterThanOrEqual(10);
    expect(codeRejects.every((f) => f.info[4] === 0x30)).toBe(true);
    expect(s.client.closed!.message).toMatch(/never acknowledged our LCP Configure-Request/);
    expect(s.client.closed!.message).toMatch(/Code-Rejected/);
  });

  it('lcp_serverCodeRejectsConfigureRequest_endsNegotiationFailed', () => {
    const s = createSim({ server: { ppp: { hostile: { codeRejectConfigure: true } } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'negotiation-failed');
    expect(s.client.closed!.message).toMatch(/Code-Reject/);
  });

  it('lcp_serverSilentOnPpp_endsNegotiationFailedNotGreBlocked', () => {
    // The call is up and the server's GRE layer acknowledges our packets, but pppd never
    // speaks: GRE works (not 'gre-blocked'); LCP gives up after Max-Configure and says that
    // no PPP frame came at all.
    const s = createSim({ server: { ppp: { hostile: { silent: true } } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'negotiation-failed');
    expect(s.client.closed!.message).toMatch(/did not answer any of our 10 LCP Configure-Requests/);
    expect(s.client.closed!.message).toMatch(/No PPP frame arrived/);
    expect(s.client.session.stats.gre!.rxAckOnly).toBeGreaterThan(0);
  });
});

describe('odd but legal servers', () => {
  it('lcp_serverAsksForCallbackOnce_rejectedAndUp', () => {
    // Callback (RFC 1570) in the server's requests until we reject it, as a server that drops a
    // rejected option would: we Configure-Reject it and come up.
    let rejected = false;
    const s = createSim({
      server: {
        ppp: {
          hostile: {
            rewrite: (protocol, info) => {
              if (protocol !== PPP_PROTO_LCP || info[0] !== CODE_CONFIGURE_REQUEST || rejected) return [{ protocol, info }];
              const withCallback = new Uint8Array(info.length + 3);
              withCallback.set(info);
              withCallback.set([13, 3, 6], info.length); // Callback, operation 6 (CBCP)
              withCallback[2] = withCallback.length >> 8;
              withCallback[3] = withCallback.length & 0xff;
              return [{ protocol, info: withCallback }];
            },
          },
        },
      },
    });
    s.pair.driveUntil(() => {
      rejected = s.server.peer?.framesIn.some((f) => f.protocol === PPP_PROTO_LCP && f.info[0] === 4) ?? false;
      return s.client.upEvent !== undefined || s.client.closed !== undefined;
    }, 60_000);
    expectUp(s);
    const rejects = s.server.peer!.framesIn.filter((f) => f.protocol === PPP_PROTO_LCP && f.info[0] === 4);
    expect(rejects).toHaveLength(1);
    expect([...rejects[0]!.info.subarray(4)]).toEqual([13, 3, 6]);
  });

  it('lcp_serverInsistsOnCallback_endsNegotiationFailedNamingIt', () => {
    const s = createSim({ server: { ppp: { extraLcpOptions: [{ type: 13, data: Uint8Array.of(6) }] } } });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'negotiation-failed');
    expect(s.client.closed!.message).toMatch(/Callback/);
  });

  it('lcp_serverMru1000_mtuFollowsPeerMru', () => {
    const s = createSim({ server: { ppp: { mru: 1000 } } });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.mtu).toBe(996);
  });

  it('ipcp_serverOffersWinsAndSecondaryDns_reported', () => {
    const s = createSim({ server: { ppp: { dns: ['192.168.77.1', '192.168.77.2'], wins: ['192.168.77.3'] } } });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent).toMatchObject({ dns: ['192.168.77.1', '192.168.77.2'], wins: ['192.168.77.3'] });
  });

  it('ipcp_serverAsksForVjCompression_rejectedAndUp', () => {
    const s = createSim({ server: { ppp: { ipcpRequestVj: true } } });
    expect(driveUntilUp(s)).toBe(true);
    expectUp(s);
  });
});

describe('mid-session PPP events', () => {
  it('up_unknownLcpCode_isCodeRejectedAndSessionContinues', () => {
    const s = createSim({ server: { echoIp: true } });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 10, () => {
      s.server.peer!.sendLcpPacket(0x30, Uint8Array.of(1, 2, 3, 4));
    });
    s.pair.drive(s.pair.clock.now + 500);
    const codeRejects = s.server.peer!.framesIn.filter((f) => f.protocol === PPP_PROTO_LCP && f.info[0] === 7);
    expect(codeRejects).toHaveLength(1);
    expect(codeRejects[0]!.info[4]).toBe(0x30); // the rejected packet, from its Code on
    scheduleClientTraffic(s, 10, 5);
    s.pair.drive(s.pair.clock.now + 500);
    expect(indicesOf(s.client.tun).indices).toHaveLength(10);
    expectUp(s);
  });

  it('up_unknownCcpCode_isCodeRejectedAndSessionContinues', () => {
    const s = createSim({ server: { echoIp: true } });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 10, (now) => {
      s.server.peer!.ccp.sendPacket(0x42, Uint8Array.of(9));
      s.server.afterInput(now);
    });
    s.pair.drive(s.pair.clock.now + 500);
    const codeRejects = s.server.peer!.framesIn.filter((f) => f.protocol === PPP_PROTO_CCP && f.info[0] === 7);
    expect(codeRejects).toHaveLength(1);
    expectUp(s);
  });

  it('up_unknownProtocol_isProtocolRejectedAndSessionContinues', () => {
    const s = createSim();
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 10, (now) => {
      s.server.peer!.sendRawFrame(0x8207, Uint8Array.of(1, 1, 0, 4)); // an NCP we do not run
      s.server.afterInput(now);
    });
    s.pair.drive(s.pair.clock.now + 500);
    expect(s.server.peer!.observed.protocolRejects).toContain(0x8207);
    expectUp(s);
  });

  it('up_serverLcpTerminateRequest_endsPeerDisconnectedWithItsWords', () => {
    const s = createSim();
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 10, (now) => s.server.terminatePpp(now, 'idle timeout'));
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    expectEnded(s, 'peer-disconnected');
    expect(s.client.closed!.message).toContain('idle timeout');
    // The link was torn down: the control connection hung up after PPP.
    expect(s.server.control.receivedKinds).toContain('CallClearRequest');
  });

  it('up_serverRestartsLcp_endsPeerDisconnected', () => {
    const s = createSim();
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 10, (now) => {
      s.server.peer!.lcp.down(now);
      s.server.peer!.lcp.up(now);
      s.server.afterInput(now);
    });
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    expectEnded(s, 'peer-disconnected');
    expect(s.client.closed!.message).toMatch(/restarted LCP/);
  });

  it('up_serverRenegotiatesIpcp_newUpEventSameAddress', () => {
    const s = createSim();
    expect(driveUntilUp(s)).toBe(true);
    s.pair.schedule(s.pair.clock.now + 10, (now) => {
      s.server.peer!.ipcp.down(now);
      s.server.peer!.ipcp.up(now);
      s.server.afterInput(now);
    });
    s.pair.drive(s.pair.clock.now + 2_000);
    expectUp(s);
    const ups = s.client.eventsOf('up');
    expect(ups).toHaveLength(2);
    expect(ups[1]!.localIp).toBe('192.168.77.10');
  });

  it('up_lcpEchoUnanswered_endsKeepaliveTimeout', () => {
    const s = createSim({ client: { lcpEcho: { mode: 'fixed', intervalMs: 5_000, failures: 3 } }, server: { ppp: { hostile: { ignoreEcho: true } } } });
    expect(driveUntilUp(s)).toBe(true);
    const upAt = s.pair.clock.now;
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expectEnded(s, 'keepalive-timeout');
    const closedAt = s.client.eventsOf('closed')[0]!.at;
    expect(closedAt - upAt).toBeGreaterThanOrEqual(15_000);
    expect(closedAt - upAt).toBeLessThanOrEqual(25_000);
    expect(s.server.peer!.observed.echoRequests).toBeGreaterThanOrEqual(3);
  });

  it('up_lcpEchoAnswered_staysUpForMinutes', () => {
    const s = createSim({ client: { lcpEcho: { mode: 'fixed', intervalMs: 5_000, failures: 3 } } });
    expect(driveUntilUp(s)).toBe(true);
    s.pair.drive(s.pair.clock.now + 180_000);
    expectUp(s);
    expect(s.server.peer!.observed.echoRequests).toBeGreaterThanOrEqual(30);
  });
});
