import { describe, expect, it } from 'vitest';
import { PppLink } from '../../../main/engine/ppp/link';
import type { PppLinkEvent } from '../../../main/engine/ppp/link';
import { encodeFrame } from '../../../main/engine/ppp/frame';
import { encodeControlPacket } from '../../../main/engine/ppp/packet';
import { seededRandom } from '../../../main/engine/random';
import type { PeerAuthenticator } from '../support/ppp-peer';
import { FakeAuthClient } from './fakes';
import { driveToDown, driveToIpcpUp, startSession } from './session-driver';

describe('hostile servers: each ends in its typed reason, nothing throws', () => {
  it('silence: Max-Configure LCP requests, then negotiation-failed saying no frame arrived', () => {
    const s = startSession({ peer: { hostile: { silent: true } } });
    const down = driveToDown(s);
    expect(down?.failure).toMatchObject({
      reason: 'negotiation-failed',
      message: expect.stringMatching(/did not answer any of our 10 LCP Configure-Requests.*No PPP frame arrived/),
    });
    expect(down?.at).toBe(30_000);
    expect(s.link.lcp.fsm.counters.configureRequestsSent).toBe(10);
  });

  it('lying option lengths: malformed requests are dropped, then negotiation-failed naming them', () => {
    const s = startSession({ peer: { hostile: { lyingOptionLengths: true } } });
    const down = driveToDown(s);
    expect(down?.failure.reason).toBe('negotiation-failed');
    expect(down?.failure.message).toMatch(/malformed LCP packets/);
    expect(s.link.lcp.fsm.counters.malformed).toBeGreaterThan(0);
  });

  it('endless Naks: negotiation-failed after twice Max-Failure rounds', () => {
    const s = startSession({ peer: { hostile: { endlessNak: true } } });
    const down = driveToDown(s);
    expect(down?.failure).toMatchObject({ reason: 'negotiation-failed', message: expect.stringMatching(/LCP did not converge.*11 times.*MRU/) });
    expect(down!.at).toBeLessThan(1000); // converges to failure at wire speed, not by timeouts
  });

  it('unknown codes instead of Acks: Code-Rejected, then negotiation-failed', () => {
    const s = startSession({ peer: { hostile: { unknownCodes: true } } });
    const down = driveToDown(s);
    expect(down?.failure.reason).toBe('negotiation-failed');
    expect(s.link.lcp.fsm.counters.codeRejectsSent).toBeGreaterThan(0);
    expect(s.peer.observed.codeRejects).toContain(0x30);
  });

  it('a Code-Reject of our Configure-Request: negotiation-failed at once (RXJ-)', () => {
    const down = driveToDown(startSession({ peer: { hostile: { codeRejectConfigure: true } } }));
    expect(down?.failure).toMatchObject({ reason: 'negotiation-failed', message: expect.stringMatching(/Code-Reject/) });
    expect(down!.at).toBeLessThan(1000);
  });

  it('no answer to LCP Echo: keepalive-timeout 40 s after the last reply', () => {
    const s = startSession({ peer: { hostile: { ignoreEcho: true } } });
    expect(driveToIpcpUp(s)).toBe(true);
    const lcpUpAt = s.client.event('lcp-up')!.at;
    const down = driveToDown(s, 200_000);
    expect(down?.failure.reason).toBe('keepalive-timeout');
    expect(s.peer.observed.echoRequests).toBe(3);
    expect(s.client.event('failed')!.at).toBe(lcpUpAt + 40_000);
  });

  it('answered LCP Echo keeps the link up', () => {
    const s = startSession();
    driveToIpcpUp(s);
    s.pair.drive(s.pair.clock.now + 120_000);
    expect(s.client.down).toBeUndefined();
    expect(s.peer.observed.echoRequests).toBeGreaterThanOrEqual(11);
  });

  it('an authenticator that never answers: negotiation-failed (not the password) by the link safety net', () => {
    const mute: PeerAuthenticator = { protocol: 0xc023, start() {}, handlePacket() {}, pollTransmit: () => undefined, pollResult: () => undefined };
    const down = driveToDown(startSession({ peer: { authenticator: mute } }));
    expect(down?.failure).toMatchObject({ reason: 'negotiation-failed', message: expect.stringMatching(/Authentication did not complete within 60 s/) });
  });

  it('IPCP never answered: negotiation-failed naming IPCP', () => {
    const s = startSession({ peer: { hostile: { rewrite: (protocol, info) => (protocol === 0x8021 ? [] : [{ protocol, info }]) } } });
    const down = driveToDown(s);
    expect(down?.failure).toMatchObject({ reason: 'negotiation-failed', message: expect.stringMatching(/IPCP/) });
  });

  it('CCP never answered with MPPE required: encryption-refused', () => {
    const s = startSession({ peer: { hostile: { rewrite: (protocol, info) => (protocol === 0x80fd ? [] : [{ protocol, info }]) } } });
    expect(driveToDown(s)?.failure).toMatchObject({ reason: 'encryption-refused', message: expect.stringMatching(/CCP/) });
  });

  it('an LCP Configure-Request after Opened (renegotiation): peer-disconnected', () => {
    const s = startSession();
    driveToIpcpUp(s);
    s.peer.lcp.handlePacket(s.pair.clock.now, encodeControlPacket({ code: 1, identifier: 0x77, data: new Uint8Array(0) }));
    s.peer.sendRawFrame(0xc021, encodeControlPacket({ code: 1, identifier: 0x78, data: Uint8Array.of(7, 2) }));
    s.pair.flush();
    expect(driveToDown(s)?.failure).toMatchObject({ reason: 'peer-disconnected', message: expect.stringMatching(/restarted LCP/) });
  });

  it('a looped-back link: negotiation-failed "looped back"', () => {
    const link = new PppLink({
      credentials: { username: 'a', password: 'b' },
      allowedAuth: ['mschapv2'],
      mppe: { mppe: 'require-128', allowStateful: false },
      random: seededRandom(3),
      createAuthClient: (m) => new FakeAuthClient(m, 'a', 'b'),
    });
    const events: PppLinkEvent[] = [];
    let now = 0;
    link.start(now);
    for (let round = 0; round < 1000 && !link.isDead; round++) {
      const f = link.pollFrame();
      if (f) link.handleFrame(now, f);
      else {
        now = link.nextTimeout() ?? now + 1;
        link.handleTimeout(now);
      }
      for (let e = link.pollEvent(); e; e = link.pollEvent()) events.push(e);
    }
    const down = events.find((e) => e.type === 'link-down');
    expect(down && down.type === 'link-down' && down.failure).toMatchObject({ reason: 'negotiation-failed', message: expect.stringMatching(/looped back/) });
  });

  it('random garbage in every phase never throws and is counted', () => {
    const s = startSession();
    const rnd = seededRandom(2024);
    const junk = (): Uint8Array => rnd((rnd(1)[0]! % 64) + 1);
    const protocols = [0xc021, 0x8021, 0x80fd, 0x00fd, 0x0021, 0xc023, 0x8057, 0x0057, 0x1234];
    const spray = (now: number): void => {
      for (let i = 0; i < 200; i++) {
        const p = protocols[i % protocols.length]!;
        expect(() => s.link.handleFrame(now, junk())).not.toThrow();
        expect(() => s.link.handleFrame(now, encodeFrame(p, junk(), { pfc: false, acfc: false }))).not.toThrow();
      }
    };
    spray(0);
    driveToIpcpUp(s);
    spray(s.pair.clock.now);
    s.client.afterInput();
    expect(s.link.counters.malformedFrames + s.link.counters.droppedWrongPhase + s.link.counters.decryptErrors).toBeGreaterThan(0);
    expect(s.link.counters.protocolRejectsSent).toBeGreaterThan(0);
  });
});
