import { describe, expect, it } from 'vitest';
import { AUTH_METHODS, type AuthMethod } from '../../../../../preload/vocabulary';
import {
  ChapMd5Client,
  EapClient,
  MschapV1Client,
  MschapV2Client,
  PapClient,
  PPP_PROTO_CHAP,
  PPP_PROTO_EAP,
  PPP_PROTO_PAP,
  createAuthClient,
  type AuthClient,
} from '../../../../../main/engine/ppp/auth';
import { seededRandom } from '../../../../../main/engine/random';
import { createAuthenticator, type Hostility } from '../../../../sim/support/authenticators';
import { exposedText, runExchange } from './drive';

describe('createAuthClient', () => {
  it.each([
    ['pap', PapClient, PPP_PROTO_PAP],
    ['chap', ChapMd5Client, PPP_PROTO_CHAP],
    ['mschap', MschapV1Client, PPP_PROTO_CHAP],
    ['mschapv2', MschapV2Client, PPP_PROTO_CHAP],
    ['eap', EapClient, PPP_PROTO_EAP],
  ] as const)('%s', (method, cls, protocol) => {
    const c = createAuthClient(method, { credentials: { username: 'u', password: 'p' }, random: seededRandom(1) });
    expect(c).toBeInstanceOf(cls);
    expect(c.method).toBe(method);
    expect(c.protocol).toBe(protocol);
  });
});

describe('no secret in any outcome, failure message, detail or counter', () => {
  const password = 'Zq9-unique-Secret';
  const scenarios: [string, Hostility, string][] = [
    ['honest, right password', {}, password],
    ['honest, wrong password', {}, 'not-it'],
    ['refuses with 691 and echoes the password', { failWith: { errorCode: 691 }, echoPassword: true }, password],
    ['refuses with 648 R=0', { failWith: { errorCode: 648, retry: false } }, password],
    ['wrong authenticator response', { wrongAuthenticatorResponse: true }, password],
    ['missing authenticator response', { missingAuthenticatorResponse: true }, password],
    ['garbage', { garbage: true }, password],
    ['silent', { silent: true }, password],
  ];
  for (const method of AUTH_METHODS) {
    for (const eapMethod of method === 'eap' ? (['md5', 'mschapv2'] as const) : ([undefined] as const)) {
      it.each(scenarios)(`${method}${eapMethod ? `/${eapMethod}` : ''}: %s`, (_what, hostile, clientPassword) => {
        const client = createAuthClient(method as AuthMethod, {
          credentials: { username: 'alice', password: clientPassword, domain: 'CORP' },
          random: seededRandom(5),
          restartMs: 10,
          maxRequests: 2,
          timeoutMs: 50,
        });
        const server = createAuthenticator(method, {
          username: 'alice',
          password,
          random: seededRandom(6),
          hostile,
          ...(eapMethod ? { method: eapMethod } : {}),
        });
        const ex = runExchange(client, server);
        let outcome = ex.outcome;
        for (let now = 0; outcome === undefined && now < 1000; ) {
          now = client.nextTimeout() ?? 1000;
          client.handleTimeout(now);
          while (client.pollTransmit() !== undefined);
          outcome = client.pollResult();
        }
        expect(outcome).toBeDefined(); // every scenario ends
        expect(exposedText(client, outcome)).not.toContain(clientPassword);
        expect(exposedText(client, outcome)).not.toContain(password);
      });
    }
  }

  it('the scanner itself finds a password hidden in a failure detail', () => {
    const fake: AuthClient = {
      method: 'pap',
      protocol: PPP_PROTO_PAP,
      start: () => {},
      handlePacket: () => {},
      handleTimeout: () => {},
      nextTimeout: () => undefined,
      pollTransmit: () => undefined,
      pollResult: () => undefined,
      counters: { received: 0, ignored: 1, transmitted: 0, lastIgnored: 'x' },
    };
    const leaky = { kind: 'failure' as const, failure: { reason: 'auth-failed' as const, message: 'no', detail: { serverMessage: `pw ${password}` } } };
    expect(exposedText(fake, leaky)).toContain(password);
  });
});
