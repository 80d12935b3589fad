import { describe, expect, it } from 'vitest';
import { MPPE_BIT_H, MPPE_BIT_L, MPPE_BIT_M, MPPE_BIT_S } from '../../../main/engine/ppp/ccp/mppe-option';
import { encodeFrame } from '../../../main/engine/ppp/frame';
import { FakeAuthClient } from './fakes';
import { driveToDown, driveToIpcpUp, ipPacket, startSession } from './session-driver';

const OPTIONAL = { mppe: 'optional', allowStateful: false } as const;

describe('MPPE policy against the server', () => {
  it('required-128 vs a server offering 40-bit only -> encryption-refused', () => {
    const s = startSession({ peer: { mppeOffer: MPPE_BIT_L | MPPE_BIT_H, acceptBits: MPPE_BIT_L | MPPE_BIT_H } });
    const down = driveToDown(s);
    expect(down?.failure).toMatchObject({ reason: 'encryption-refused', message: expect.stringMatching(/40-bit/) });
    expect(s.client.event('ipcp-up')).toBeUndefined();
  });

  it('required (any length) takes 40-bit when that is all the server has', () => {
    const s = startSession({
      link: { mppe: { mppe: 'require-any', allowStateful: false } },
      peer: { mppeOffer: MPPE_BIT_L | MPPE_BIT_H, acceptBits: MPPE_BIT_L | MPPE_BIT_H },
    });
    expect(driveToIpcpUp(s)).toBe(true);
    expect(s.client.event('ccp-up')?.mppe).toEqual({ bits: 40, stateful: false });
  });

  it('required narrows a server offering every length to 128-bit', () => {
    const all = MPPE_BIT_S | MPPE_BIT_M | MPPE_BIT_L | MPPE_BIT_H;
    const s = startSession({ link: { mppe: { mppe: 'require-any', allowStateful: false } }, peer: { mppeOffer: all, acceptBits: all } });
    expect(driveToIpcpUp(s)).toBe(true);
    expect(s.client.event('ccp-up')?.mppe).toEqual({ bits: 128, stateful: false });
    expect(s.peer.observed.mppe).toEqual({ bits: 128, stateful: false });
  });

  it('a Configure-Reject of MPPE -> encryption-refused', () => {
    const down = driveToDown(startSession({ peer: { hostile: { rejectCcp: 'reject-mppe' } } }));
    expect(down?.failure).toMatchObject({ reason: 'encryption-refused', message: expect.stringMatching(/rejected MPPE/) });
  });

  it('a Protocol-Reject of CCP -> encryption-refused', () => {
    const down = driveToDown(startSession({ peer: { hostile: { rejectCcp: 'protocol-reject' } } }));
    expect(down?.failure).toMatchObject({ reason: 'encryption-refused', message: expect.stringMatching(/Protocol-Reject/) });
  });

  it('optional: a Protocol-Reject of CCP leaves the link up, unencrypted', () => {
    const s = startSession({ link: { mppe: OPTIONAL }, peer: { hostile: { rejectCcp: 'protocol-reject' } } });
    expect(driveToIpcpUp(s)).toBe(true);
    expect(s.link.mppe).toBeNull();
    expect(s.client.event('ipcp-up')?.mtu).toBe(1400);
    const now = s.pair.clock.now;
    expect(s.link.sendIpPacket(now, ipPacket(4))).toBe(true);
    s.pair.flush();
    s.pair.drive(now + 50);
    expect(s.peer.observed.plainIpReceived).toBe(1);
  });

  it('optional: a server that will not encrypt -> CCP opens without MPPE', () => {
    const s = startSession({ link: { mppe: OPTIONAL }, peer: { hostile: { rejectCcp: 'reject-mppe' } } });
    expect(driveToIpcpUp(s)).toBe(true);
    expect(s.client.event('ccp-up')?.mppe).toBeNull();
  });

  it('optional: still encrypts when the server offers MPPE', () => {
    const s = startSession({ link: { mppe: OPTIONAL } });
    expect(driveToIpcpUp(s)).toBe(true);
    expect(s.client.event('ccp-up')?.mppe).toEqual({ bits: 128, stateful: false });
  });

  it('stateful-only server: agreed when the profile allows stateful', () => {
    const s = startSession({
      link: { mppe: { mppe: 'require-128', allowStateful: true } },
      peer: { mppeOffer: MPPE_BIT_S, acceptBits: MPPE_BIT_S },
    });
    expect(driveToIpcpUp(s)).toBe(true);
    expect(s.client.event('ccp-up')?.mppe).toEqual({ bits: 128, stateful: true });
    expect(s.encryptors[0]!.params).toEqual({ bits: 128, stateful: true });
  });

  it('stateful-only server: encryption-refused when the profile does not allow stateful', () => {
    const down = driveToDown(startSession({ peer: { mppeOffer: MPPE_BIT_S, acceptBits: MPPE_BIT_S } }));
    expect(down?.failure.reason).toBe('encryption-refused');
  });

  it('MPPE required but the method yields no keys (PAP) -> encryption-refused before CCP', () => {
    const s = startSession({
      link: { allowedAuth: ['pap'], createAuthClient: (m) => new FakeAuthClient(m, 'alice', 's3cret-Pass', false) },
      peer: { authDemand: 'pap' },
    });
    const down = driveToDown(s);
    expect(down?.failure).toMatchObject({ reason: 'encryption-refused', message: expect.stringMatching(/with PAP/) });
    expect(s.client.event('auth-success')).toBeDefined();
    expect(s.peer.framesIn.some((f) => f.protocol === 0x80fd)).toBe(false);
  });
});

describe('Authentication-Protocol policy against the server', () => {
  it('server demands PAP, profile allows MS-CHAPv2 only, server cannot switch -> auth-method-refused with the reason in words', () => {
    const s = startSession({ peer: { authDemand: 'pap' } });
    const down = driveToDown(s);
    expect(down?.failure).toMatchObject({
      reason: 'auth-method-refused',
      message: expect.stringMatching(/requires PAP.*allowed: MS-CHAPv2/),
      detail: { refusal: 'auth-method', serverMethod: 'pap', allowedMethods: 'mschapv2' },
    });
    expect(s.client.event('lcp-up')).toBeUndefined();
  });

  it('server demands PAP but can switch: our Nak moves it to MS-CHAPv2', () => {
    const s = startSession({ peer: { authDemand: 'pap', authAlternatives: ['mschapv2'] } });
    expect(driveToIpcpUp(s)).toBe(true);
    expect(s.client.event('lcp-up')?.auth).toBe('mschapv2');
  });

  it('server demands SPAP -> auth-method-refused naming SPAP', () => {
    const down = driveToDown(startSession({ peer: { authDemand: 'spap' } }));
    expect(down?.failure).toMatchObject({ reason: 'auth-method-refused', message: expect.stringMatching(/SPAP/), detail: { refusal: 'auth-method' } });
  });

  it('server asks for no authentication: fine without encryption, refused with MPPE required', () => {
    const plain = startSession({ link: { mppe: { mppe: 'none', allowStateful: false } }, peer: { authDemand: 'none' } });
    expect(driveToIpcpUp(plain)).toBe(true);
    expect(plain.client.event('lcp-up')?.auth).toBeNull();
    expect(plain.client.event('auth-success')).toBeUndefined();
    const strict = startSession({ peer: { authDemand: 'none' } });
    expect(driveToDown(strict)?.failure).toMatchObject({ reason: 'encryption-refused', message: expect.stringMatching(/without authentication/) });
  });
});

describe('Data path rules', () => {
  it('drops IP offered before IPCP is up', () => {
    const s = startSession();
    expect(s.link.sendIpPacket(0, ipPacket(1))).toBe(false);
    expect(s.link.counters.droppedNotReady).toBe(1);
  });

  it('never accepts an unencrypted IP packet while MPPE is required', () => {
    const s = startSession();
    driveToIpcpUp(s);
    const now = s.pair.clock.now;
    s.peer.sendRawFrame(0x0021, ipPacket(7));
    s.pair.flush();
    s.pair.drive(now + 50);
    expect(s.client.ip).toEqual([]);
    expect(s.link.counters.droppedUnencrypted).toBe(1);
  });

  it('stateful MPPE: a lost packet makes us send a CCP Reset-Request', () => {
    const s = startSession({
      link: { mppe: { mppe: 'require-128', allowStateful: true } },
      peer: { mppeOffer: MPPE_BIT_S, acceptBits: MPPE_BIT_S },
    });
    driveToIpcpUp(s);
    const now = s.pair.clock.now;
    s.peer.sendIpPacket(now, ipPacket(1));
    expect(s.peer.pollFrame()).toBeDefined(); // lost on the way
    s.peer.sendIpPacket(now, ipPacket(2));
    s.pair.flush();
    s.pair.drive(now + 50);
    expect(s.link.counters.decryptErrors).toBe(1);
    expect(s.link.counters.resetRequestsSent).toBe(1);
    expect(s.peer.observed.resetRequests).toBe(1);
  });

  it('a Reset-Request from the server resets our encryptor and is Reset-Acked', () => {
    const s = startSession({
      link: { mppe: { mppe: 'require-128', allowStateful: true } },
      peer: { mppeOffer: MPPE_BIT_S, acceptBits: MPPE_BIT_S },
    });
    driveToIpcpUp(s);
    const now = s.pair.clock.now;
    s.peer.sendCcpResetRequest();
    s.pair.flush();
    s.pair.drive(now + 50);
    expect(s.encryptors[0]!.resets).toBe(1);
    expect(s.peer.framesIn.some((f) => f.protocol === 0x80fd && f.info[0] === 15)).toBe(true);
  });

  it('the server MRU bounds the MTU and the largest packet we send', () => {
    const s = startSession({ peer: { mru: 1200 } });
    driveToIpcpUp(s);
    expect(s.client.event('lcp-up')?.peerMru).toBe(1200);
    expect(s.client.event('ipcp-up')?.mtu).toBe(1196);
    const now = s.pair.clock.now;
    expect(s.link.sendIpPacket(now, ipPacket(1, 1196))).toBe(true);
    expect(s.link.sendIpPacket(now, ipPacket(1, 1197))).toBe(false);
    expect(s.link.counters.droppedTooBig).toBe(1);
  });

  it('accepts uncompressed data frames even though PFC/ACFC were negotiated', () => {
    const s = startSession({ link: { mppe: { mppe: 'none', allowStateful: false } } });
    driveToIpcpUp(s);
    const now = s.pair.clock.now;
    s.link.handleFrame(now, encodeFrame(0x0021, ipPacket(5), { pfc: false, acfc: false }));
    s.link.handleFrame(now, encodeFrame(0x0021, ipPacket(6), { pfc: true, acfc: true }));
    expect([s.link.pollIpPacket()?.[20], s.link.pollIpPacket()?.[20]]).toEqual([5, 6]);
  });
});

describe('IPCP against the server', () => {
  it('rejects the server VJ compression request and still opens', () => {
    const s = startSession({ peer: { ipcpRequestVj: true } });
    expect(driveToIpcpUp(s)).toBe(true);
    const rejected = s.peer.framesIn.find((f) => f.protocol === 0x8021 && f.info[0] === 4);
    expect(rejected?.info[4]).toBe(2);
  });

  it('takes two DNS and two WINS servers, and stops asking for what the server lacks', () => {
    const full = startSession({ peer: { dns: ['10.0.0.1', '10.0.0.2'], wins: ['10.0.0.3', '10.0.0.4'] } });
    driveToIpcpUp(full);
    expect(full.client.event('ipcp-up')).toMatchObject({ dns: ['10.0.0.1', '10.0.0.2'], wins: ['10.0.0.3', '10.0.0.4'] });
    const bare = startSession({ peer: { dns: ['10.0.0.1'], wins: [] } });
    driveToIpcpUp(bare);
    expect(bare.client.event('ipcp-up')).toMatchObject({ dns: ['10.0.0.1'], wins: [] });
    expect([...bare.peer.observed.clientIpcpRequest.keys()]).toEqual([3, 129]);
  });
});
