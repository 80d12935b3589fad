import { describe, expect, it } from 'vitest';
import { PPP_PROTO_PAP } from '../../../main/engine/ppp/auth/auth-client';
import { decodeFrame } from '../../../main/engine/ppp/frame';
import { seededRandom } from '../../../main/engine/random';
import { toHex } from '../../../main/engine/wire/bytes';
import { MschapV2Authenticator } from '../support/authenticators';
import { driveToDown, driveToIpcpUp, ipPacket, startSession } from './session-driver';
import type { SessionOptions } from './session-driver';

describe('PPP session against a pptpd-like peer (fake auth, XOR cipher)', () => {
  it('runs the phases in RFC 1661 order with the negotiated values', () => {
    const s = startSession();
    expect(driveToIpcpUp(s)).toBe(true);
    const kinds = s.client.events.map((e) => (e.type === 'phase' ? `phase:${e.phase}` : e.type === 'layer' ? `${e.layer}:${e.status}` : e.type));
    expect(kinds).toEqual([
      'phase:establish',
      'lcp:started',
      'lcp-up',
      'phase:authenticate',
      'auth:started',
      'auth-success',
      'phase:network',
      'ccp:started',
      'ccp-up',
      'ipcp:started',
      'ipcp-up',
    ]);
    const times = s.client.events.map((e) => e.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(s.client.event('lcp-up')).toMatchObject({ mru: 1400, peerMru: 1500, auth: 'mschapv2', pfc: { send: true }, acfc: { send: true } });
    expect(s.client.event('ccp-up')).toMatchObject({ mppe: { bits: 128, stateful: false } });
    expect(s.client.event('ipcp-up')).toMatchObject({ localIp: '192.168.77.10', remoteIp: '192.168.77.1', dns: ['192.168.77.1'], wins: [], mtu: 1396 });
    expect(s.link.phase).toBe('network');
    expect(s.peer.observed).toMatchObject({ lcpUp: true, authResult: true, ipcpUp: true, clientMru: 1400 });
  });

  it('with MPPE required, sends nothing of IPCP before CCP is Opened', () => {
    const s = startSession();
    driveToIpcpUp(s);
    const protocols = s.client.wire.map((f) => {
      const d = decodeFrame(f);
      return d.ok ? d.value.protocol : -1;
    });
    const firstIpcp = protocols.indexOf(0x8021);
    const ccpFrames = protocols.flatMap((p, i) => (p === 0x80fd ? [i] : []));
    expect(firstIpcp).toBeGreaterThan(-1);
    // Our CCP request and our Ack of the server's CCP request both precede our first IPCP frame.
    expect(ccpFrames.length).toBeGreaterThanOrEqual(2);
    expect(ccpFrames[1]!).toBeLessThan(firstIpcp);
  });

  it('Protocol-Rejects the server IPV6CP Configure-Request', () => {
    const s = startSession();
    driveToIpcpUp(s);
    s.pair.drive(s.pair.clock.now + 100);
    expect(s.peer.observed.protocolRejects).toContain(0x8057);
    expect(s.link.counters.protocolRejectsSent).toBe(1);
  });

  it('carries IP both ways MPPE-encrypted in compressed frames (PFC + ACFC)', () => {
    const s = startSession();
    driveToIpcpUp(s);
    const now = s.pair.clock.now;
    expect(s.link.sendIpPacket(now, ipPacket(1))).toBe(true);
    s.server.peer.sendIpPacket(now, ipPacket(2));
    s.pair.flush();
    s.pair.drive(now + 50);
    expect(s.server.ip.map((p) => p[20])).toEqual([1]);
    expect(s.client.ip.map((p) => p[20])).toEqual([2]);
    expect(s.peer.observed.encryptedIpReceived).toBe(1);
    expect(s.peer.observed.plainIpReceived).toBe(0);
    // PFC + ACFC: no FF 03, the 1-octet protocol FD, then the MPPE header (E and A bits).
    const data = s.client.wire.at(-1)!;
    expect(toHex(data.subarray(0, 2))).toBe('fd90');
    expect(s.encryptors[0]!.count).toBe(1);
  });

  it('close() sends an LCP Terminate-Request and ends with local-disconnect', () => {
    const s = startSession();
    driveToIpcpUp(s);
    s.link.close(s.pair.clock.now, 'User request');
    s.pair.flush();
    const down = driveToDown(s);
    expect(down?.failure.reason).toBe('local-disconnect');
    expect(s.peer.observed.terminateRequests).toBe(1);
    expect(s.client.events.filter((e) => e.type === 'failed')).toEqual([]);
    expect(s.link.isDead).toBe(true);
    expect(s.link.nextTimeout()).toBeUndefined();
    expect(s.link.sendIpPacket(s.pair.clock.now, ipPacket(3))).toBe(false);
  });

  it('a server Terminate-Request ends the link with peer-disconnected and its text', () => {
    const s = startSession();
    driveToIpcpUp(s);
    s.peer.terminate(s.pair.clock.now, 'Session timeout');
    s.pair.flush();
    const down = driveToDown(s);
    expect(down?.failure).toMatchObject({ reason: 'peer-disconnected', message: expect.stringMatching(/Session timeout/) });
    expect(s.client.event('failed')?.failure.reason).toBe('peer-disconnected');
    // The Terminate-Ack went out.
    s.pair.drive(s.pair.clock.now + 100);
    expect(s.peer.lcp.state).toBe('closed');
  });

  it('abort() ends at once without sending anything', () => {
    const s = startSession();
    driveToIpcpUp(s);
    const before = s.client.wire.length;
    s.link.abort(s.pair.clock.now, { reason: 'peer-disconnected', message: 'call cleared' });
    s.client.afterInput();
    expect(s.link.pollFrame()).toBeUndefined();
    expect(s.client.wire.length).toBe(before);
    expect(s.client.down?.failure.message).toBe('call cleared');
  });

  it('a wrong password ends with the auth method failure', () => {
    const s = startSession({ password: 'wrong' });
    const down = driveToDown(s);
    expect(down?.failure.reason).toBe('auth-failed');
    expect(s.client.event('ccp-up')).toBeUndefined();
    expect(s.peer.observed.authResult).toBe(false);
  });
});

describe('PPP session with the real MS-CHAPv2 and MPPE', () => {
  function realSession(impair?: SessionOptions['impair']) {
    return startSession({
      real: true,
      ...(impair ? { impair } : {}),
      peer: {
        authenticator: new MschapV2Authenticator({ username: 'alice', password: 's3cret-Pass', random: seededRandom(77), serverName: 'pptpd' }),
      },
    });
  }

  it('authenticates, agrees MPPE-128 stateless and carries IP both ways', () => {
    const s = realSession();
    expect(driveToIpcpUp(s)).toBe(true);
    const now = s.pair.clock.now;
    for (let i = 1; i <= 20; i++) s.link.sendIpPacket(now, ipPacket(i, 100 + i));
    for (let i = 1; i <= 20; i++) s.peer.sendIpPacket(now, ipPacket(100 + i, 200 + i));
    s.pair.flush();
    s.pair.drive(now + 100);
    expect(s.server.ip.map((p) => p.length)).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    expect(s.server.ip[0]![20]).toBe(1);
    expect(s.client.ip.map((p) => p[20])).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    expect(s.link.counters.decryptErrors).toBe(0);
    expect(s.client.event('auth-success')?.method).toBe('mschapv2');
  });

  it('converges over a lossy, reordering link', () => {
    const s = realSession({ aToB: { dropRate: 0.2, seed: 3, jitterMs: 20 }, bToA: { dropRate: 0.2, seed: 4, reorderRate: 0.1 } });
    const up = driveToIpcpUp(s, 120_000);
    if (!up) console.log(JSON.stringify(s.client.events), s.link.counters, s.peer.observed);
    expect(up).toBe(true);
    expect(s.client.event('ipcp-up')?.mtu).toBe(1396);
  });
});

describe('PPP session without encryption', () => {
  it('MPPE none: no CCP, the server CCP is Protocol-Rejected, IP travels plain in 0x21 frames', () => {
    const s = startSession({ link: { mppe: { mppe: 'none', allowStateful: false } } });
    expect(driveToIpcpUp(s)).toBe(true);
    expect(s.client.event('ccp-up')).toBeUndefined();
    expect(s.client.event('ipcp-up')?.mtu).toBe(1400);
    s.pair.drive(s.pair.clock.now + 100);
    expect(s.peer.observed.protocolRejects).toEqual(expect.arrayContaining([0x80fd, 0x8057]));
    const now = s.pair.clock.now;
    s.link.sendIpPacket(now, ipPacket(9));
    s.pair.flush();
    s.pair.drive(now + 50);
    expect(s.server.ip).toHaveLength(1);
    expect(toHex(s.client.wire.at(-1)!.subarray(0, 2))).toBe('2145');
  });

  it('uses the auth protocol the method reports for its packets', () => {
    const s = startSession();
    driveToIpcpUp(s);
    const authFrames = s.client.wire.filter((f) => {
      const d = decodeFrame(f);
      return d.ok && d.value.protocol === PPP_PROTO_PAP;
    });
    expect(authFrames).toHaveLength(1);
  });
});
