/**
 * Whole sessions against servers that fail or fake authentication: an MS-CHAPv2 "Success"
 * that cannot prove the server knows the password, refusals with MS-CHAP error codes (in
 * words), wrong passwords for every method, silence, garbage, and a server that puts the
 * password into its failure text. Every run ends with a typed reason, throws nothing and never
 * lets the password into an event.
 */
import { describe, expect, it } from 'vitest';
import { PASSWORD, USERNAME, createSim, driveUntilClosed, driveUntilUp, expectEnded, expectUp, serializedEvents } from './session-sim';
import type { AuthMethod } from '../../../preload/vocabulary';
import type { Hostility } from '../support/authenticators';

function hostileServer(method: AuthMethod, hostile: Hostility, extra: { eapMethod?: 'md5' | 'mschapv2' } = {}) {
  return { auth: { method, username: USERNAME, password: PASSWORD, hostile, ...extra } };
}

describe('MS-CHAPv2: the server must prove it knows the password', () => {
  it('authenticate_successWithWrongAuthenticatorResponse_endsAuthFailed', () => {
    const s = createSim({ server: hostileServer('mschapv2', { wrongAuthenticatorResponse: true }) });
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expectEnded(s, 'auth-failed');
    expect(s.client.closed!.message).toMatch(/failed to authenticate/);
    expect(s.client.closed!.message).toMatch(/authenticator response is wrong/);
    expect(s.client.upEvent).toBeUndefined();
    expect(s.client.phaseLog).toContain('auth:failed');
    expect(s.client.phaseLog).not.toContain('ccp:started');
    // The impostor "accepted" us; we hung up on it anyway.
    expect(s.server.peer!.observed.authResult).toBe(true);
  });

  it('authenticate_successWithoutAuthenticatorResponse_endsAuthFailed', () => {
    const s = createSim({ server: hostileServer('mschapv2', { missingAuthenticatorResponse: true }) });
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expectEnded(s, 'auth-failed');
    expect(s.client.closed!.message).toMatch(/failed to authenticate.*no authenticator response/);
  });

  it('eapMschapv2_successWithWrongAuthenticatorResponse_endsAuthFailed', () => {
    const s = createSim({
      client: { allowedAuth: ['eap'] },
      server: hostileServer('eap', { wrongAuthenticatorResponse: true }, { eapMethod: 'mschapv2' }),
    });
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expectEnded(s, 'auth-failed');
    expect(s.client.closed!.message).toMatch(/failed to authenticate/);
  });

  it('eapMschapv2_eapSuccessWithoutInnerSuccess_endsAuthFailed', () => {
    const s = createSim({
      client: { allowedAuth: ['eap'] },
      server: hostileServer('eap', { skipInnerSuccess: true }, { eapMethod: 'mschapv2' }),
    });
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expectEnded(s, 'auth-failed');
    expect(s.client.upEvent).toBeUndefined();
  });
});

describe('refusals in words', () => {
  it('authenticate_wrongPassword_endsAuthFailedWith691InWords', () => {
    const s = createSim({ serverPassword: 'not-the-password' });
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expectEnded(s, 'auth-failed');
    const message = s.client.closed!.message;
    expect(message).toContain('691');
    expect(message).toMatch(/bad user name or password/);
    expect(s.server.peer!.observed.authResult).toBe(false);
  });

  for (const [code, words] of [
    [648, /password has expired/],
    [649, /no dial-in permission/],
    [647, /account is disabled/],
  ] as const) {
    it(`authenticate_failureE${code}_endsAuthFailedInWords`, () => {
      const s = createSim({ server: hostileServer('mschapv2', { failWith: { errorCode: code } }) });
      expect(driveUntilClosed(s, 60_000)).toBe(true);
      expectEnded(s, 'auth-failed');
      expect(s.client.closed!.message).toContain(String(code));
      expect(s.client.closed!.message).toMatch(words);
    });
  }

  it('authenticate_failureWithRetryAllowed_doesNotRetryAndSaysSo', () => {
    const s = createSim({ server: hostileServer('mschapv2', { failWith: { errorCode: 691, retry: true } }) });
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expectEnded(s, 'auth-failed');
    expect(s.client.closed!.message).toMatch(/offers a retry, which this client does not do/);
    // One Response, no second attempt.
    const received = (s.server.authenticator as unknown as { received: Uint8Array[] }).received;
    expect(received.filter((p) => p[0] === 2)).toHaveLength(1);
  });

  for (const [method, extra] of [
    ['mschap', {}],
    ['chap', {}],
    ['pap', {}],
    ['eap', { eapMethod: 'mschapv2' as const }],
    ['eap', { eapMethod: 'md5' as const }],
  ] as const) {
    const label = `${method}${'eapMethod' in extra ? `-${extra.eapMethod}` : ''}`;
    it(`authenticate_${label}WrongPassword_endsAuthFailed`, () => {
      const s = createSim({
        client: { allowedAuth: [method], mppe: { mppe: 'none', allowStateful: false } },
        server: { auth: { method, username: USERNAME, password: 'wrong-one', ...extra }, ppp: { ccp: false } },
      });
      expect(driveUntilClosed(s, 90_000)).toBe(true);
      expectEnded(s, 'auth-failed');
      expect(s.client.upEvent).toBeUndefined();
    });
  }

  it('authenticate_failureTextEchoesPassword_passwordNeverInEvents', () => {
    for (const method of ['mschapv2', 'mschap', 'chap', 'pap'] as const) {
      const s = createSim({
        client: { allowedAuth: [method], mppe: { mppe: 'none', allowStateful: false } },
        server: { ...hostileServer(method, { echoPassword: true, failWith: { errorCode: 691 } }), ppp: { ccp: false } },
      });
      expect(driveUntilClosed(s, 90_000), method).toBe(true);
      expectEnded(s, 'auth-failed');
      expect(serializedEvents(s)).not.toContain(PASSWORD);
    }
  });
});

describe('silent and noisy authenticators', () => {
  it('authenticate_serverNeverChallenges_endsNegotiationFailedInTime_notBlamedOnThePassword', () => {
    const s = createSim({ server: hostileServer('mschapv2', { silent: true }) });
    expect(driveUntilClosed(s, 120_000)).toBe(true);
    expectEnded(s, 'negotiation-failed');
    const closedAt = s.client.eventsOf('closed')[0]!.at;
    expect(closedAt).toBeLessThanOrEqual(65_000); // the method's 30 s, the link's 60 s safety net at most
    expect(s.client.closed!.message.length).toBeGreaterThan(10);
  });

  for (const method of ['mschapv2', 'mschap', 'chap'] as const) {
    it(`authenticate_${method}GarbageBeforeEveryPacket_stillSucceeds`, () => {
      const mppe = method === 'chap' ? ({ mppe: 'none', allowStateful: false } as const) : ({ mppe: 'require-any', allowStateful: false } as const);
      const s = createSim({
        client: { allowedAuth: [method], mppe },
        server: { ...hostileServer(method, { garbage: true }), ...(method === 'chap' ? { ppp: { ccp: false } } : {}) },
      });
      expect(driveUntilUp(s), s.client.closed?.message).toBe(true);
      expectUp(s);
      expect(s.client.upEvent?.auth).toBe(method);
    });
  }
});
