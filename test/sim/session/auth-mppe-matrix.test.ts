/**
 * Every authentication method x every MPPE mode that makes sense, each a whole session against
 * the scripted server: PAP and CHAP-MD5 yield no MPPE keys (encryption required: refused; policy
 * none: the session works unencrypted); MS-CHAPv1, MS-CHAPv2 and EAP-MS-CHAPv2 x 40/56/128 x
 * stateless/stateful (stateful only when the profile allows it); EAP-MD5 with policy none.
 * Each run moves IP both ways and checks the server decrypted what the client encrypted.
 */
import { describe, expect, it } from 'vitest';
import {
  createSim,
  driveUntilClosed,
  driveUntilUp,
  expectEnded,
  expectUp,
  expectWellFormedTimeline,
  indicesOf,
  scheduleClientTraffic,
  type Sim,
  type SimOptions,
} from './session-sim';
import type { AuthMethod, MppeKeyBits } from '../../../preload/vocabulary';
import { MPPE_BIT_H, MPPE_BIT_L, MPPE_BIT_M, MPPE_BIT_S } from '../../../main/engine/ppp/ccp/mppe-option';
import type { PptpServerAuthConfig } from '../support/pptp-server';
import { PASSWORD, USERNAME } from './session-sim';

const LENGTH_BIT: Record<MppeKeyBits, number> = { 40: MPPE_BIT_L, 56: MPPE_BIT_M, 128: MPPE_BIT_S };

function auth(method: AuthMethod, extra: Partial<PptpServerAuthConfig> = {}): PptpServerAuthConfig {
  return { method, username: USERNAME, password: PASSWORD, ...extra };
}

/** Up, 40 packets through the echoing server and back, all intact. */
function expectWorkingTunnel(s: Sim, encrypted: boolean): void {
  expect(driveUntilUp(s)).toBe(true);
  expectUp(s);
  expectWellFormedTimeline(s);
  const sent = scheduleClientTraffic(s, 40, 5);
  s.pair.drive(s.pair.clock.now + 1_000);
  expect(sent.accepted).toBe(40);
  const back = indicesOf(s.client.tun);
  expect(back.corrupt).toBe(0);
  expect(back.indices).toEqual(Array.from({ length: 40 }, (_, i) => i));
  const seen = s.server.peer!.observed;
  expect(seen.encryptedIpReceived).toBe(encrypted ? 40 : 0);
  expect(seen.plainIpReceived).toBe(encrypted ? 0 : 40);
  expect(seen.decryptErrors).toBe(0);
  s.client.disconnect(s.pair.clock.now);
  expect(driveUntilClosed(s, 30_000)).toBe(true);
  expectEnded(s, 'local-disconnect');
}

describe('methods without MPPE keys (PAP, CHAP-MD5, EAP-MD5)', () => {
  for (const [label, method, eapMethod] of [
    ['PAP', 'pap', undefined],
    ['CHAP-MD5', 'chap', undefined],
    ['EAP-MD5', 'eap', 'md5'],
  ] as const) {
    const serverAuth = auth(method, eapMethod ? { eapMethod } : {});

    it(`${label}_encryptionRequired_endsEncryptionRefused`, () => {
      const s = createSim({ client: { allowedAuth: [method] }, server: { auth: serverAuth } });
      expect(driveUntilClosed(s, 60_000)).toBe(true);
      expectEnded(s, 'encryption-refused');
      expect(s.client.closed!.message).toMatch(/no MPPE keys/);
      expect(s.client.upEvent).toBeUndefined();
      // Authentication itself worked; the refusal is ours, before CCP.
      expect(s.server.peer!.observed.authResult).toBe(true);
      expect(s.client.phaseLog).toContain('auth:done');
    });

    it(`${label}_policyNone_worksUnencrypted`, () => {
      const s = createSim({
        client: { allowedAuth: [method], mppe: { mppe: 'none', allowStateful: false } },
        server: { auth: serverAuth, ppp: { ccp: false }, echoIp: true },
      });
      expectWorkingTunnel(s, false);
      expect(s.client.upEvent).toMatchObject({ auth: method, mppe: null, mtu: 1400 });
      expect(s.client.phaseLog).not.toContain('ccp:started');
    });
  }

  it('PAP_policyNone_serverStillOffersCcp_ccpIsProtocolRejected', () => {
    const s = createSim({
      client: { allowedAuth: ['pap'], mppe: { mppe: 'none', allowStateful: false } },
      server: { auth: auth('pap'), echoIp: true },
    });
    expectWorkingTunnel(s, false);
    expect(s.server.peer!.observed.protocolRejects).toContain(0x80fd);
  });

  it('PAP_policyOptional_serverWithoutCcp_worksUnencrypted', () => {
    const s = createSim({
      client: { allowedAuth: ['pap'], mppe: { mppe: 'optional', allowStateful: false } },
      server: { auth: auth('pap'), ppp: { ccp: false }, echoIp: true },
    });
    expectWorkingTunnel(s, false);
  });
});

describe('MPPE methods x key length x mode', () => {
  const methods: [string, AuthMethod, SimOptions['server']][] = [
    ['MS-CHAPv1', 'mschap', { auth: auth('mschap') }],
    ['MS-CHAPv2', 'mschapv2', { auth: auth('mschapv2') }],
    ['EAP-MS-CHAPv2', 'eap', { auth: auth('eap', { eapMethod: 'mschapv2' }) }],
  ];
  for (const [label, method, server] of methods) {
    for (const bits of [40, 56, 128] as const) {
      for (const stateful of [false, true]) {
        const mode = stateful ? 'stateful' : 'stateless';
        it(`${label}_mppe${bits}${mode}_negotiatesAndCarriesData`, () => {
          const offer = LENGTH_BIT[bits] | (stateful ? 0 : MPPE_BIT_H);
          const s = createSim({
            seed: bits + (stateful ? 1 : 0),
            client: { allowedAuth: [method], mppe: { mppe: 'require-any', allowStateful: stateful } },
            server: { ...server, ppp: { mppeOffer: offer }, echoIp: true },
          });
          expectWorkingTunnel(s, true);
          expect(s.client.upEvent).toMatchObject({ auth: method, mppe: { bits, stateful }, mtu: 1396 });
          expect(s.server.peer!.observed.mppe).toEqual({ bits, stateful });
          const ccp = s.client.eventsOf('phase').find((e) => e.phase === 'ccp' && e.status === 'done');
          expect(ccp?.detail).toEqual({ mppe: `${bits}-bit`, mode });
        });
      }
    }

    it(`${label}_serverInsistsStateful_profileStatelessOnly_endsEncryptionRefused`, () => {
      const s = createSim({
        client: { allowedAuth: [method], mppe: { mppe: 'require-any', allowStateful: false } },
        server: { ...server, ppp: { mppeOffer: MPPE_BIT_S } },
      });
      expect(driveUntilClosed(s, 120_000)).toBe(true);
      expectEnded(s, 'encryption-refused');
      expect(s.client.upEvent).toBeUndefined();
    });
  }

  it('MS-CHAPv2_policyOptional_serverWithMppe_encrypts', () => {
    const s = createSim({
      client: { mppe: { mppe: 'optional', allowStateful: false } },
      server: { echoIp: true },
    });
    expectWorkingTunnel(s, true);
    expect(s.client.upEvent?.mppe).toEqual({ bits: 128, stateful: false });
    // Optional encryption: the link runs CCP and IPCP side by side (link.ts), and so does the timeline.
    const started = s.client.eventsOf('phase').filter((e) => e.status === 'started');
    expect(started.find((e) => e.phase === 'ipcp')!.at).toBe(started.find((e) => e.phase === 'ccp')!.at);
  });

  it('MS-CHAPv2_policyNone_serverWithoutCcp_worksUnencrypted', () => {
    const s = createSim({
      client: { mppe: { mppe: 'none', allowStateful: false } },
      server: { ppp: { ccp: false }, echoIp: true },
    });
    expectWorkingTunnel(s, false);
  });
});

describe('method choice', () => {
  it('profileAllowsSeveral_serverDemandsMschapv1_usesIt', () => {
    const s = createSim({
      client: { allowedAuth: ['mschapv2', 'mschap', 'pap'], mppe: { mppe: 'require-any', allowStateful: false } },
      server: { auth: auth('mschap'), echoIp: true },
    });
    expectWorkingTunnel(s, true);
    expect(s.client.upEvent?.auth).toBe('mschap');
  });

  it('serverDemandsMschapv2_profileOnlyPap_serverSwitchesAfterNak', () => {
    const s = createSim({
      client: { allowedAuth: ['pap'], mppe: { mppe: 'none', allowStateful: false } },
      server: { auth: auth('pap'), ppp: { authDemand: 'mschapv2', authAlternatives: ['pap'], ccp: false }, echoIp: true },
    });
    expectWorkingTunnel(s, false);
    expect(s.client.upEvent?.auth).toBe('pap');
  });

  it('serverDemandsPapOnly_profileOnlyMschapv2_endsAuthMethodRefused', () => {
    const s = createSim({
      client: { allowedAuth: ['mschapv2'] },
      server: { auth: auth('pap') },
    });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'auth-method-refused');
    expect(s.client.closed!.message).toMatch(/PAP/);
    expect(s.server.peer!.observed.authResult).toBeUndefined();
  });
});
