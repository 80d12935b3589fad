/**
 * The password never appears in any session event, in any encoding a careless log line could
 * carry it (text, hex of UTF-8, hex of UTF-16LE as MS-CHAP hashes it, base64), over a sweep of
 * whole sessions: success with every method, wrong passwords, servers that echo the password
 * into their failure text, hostile and lossy runs, disconnects.
 */
import { describe, expect, it } from 'vitest';
import { PASSWORD, USERNAME, createSim, driveUntilClosed, driveUntilUp, scheduleClientTraffic, serializedEvents, type SimOptions } from './session-sim';
import { AUTH_METHODS } from '../../../preload/vocabulary';
import { toHex } from '../../../main/engine/wire/bytes';

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) & 0xff;
    out[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

const FORMS = [
  PASSWORD,
  PASSWORD.toLowerCase(),
  toHex(new TextEncoder().encode(PASSWORD)),
  toHex(utf16le(PASSWORD)),
  Buffer.from(PASSWORD, 'utf8').toString('base64'),
];

function expectNoSecret(json: string, label: string): void {
  const haystack = json.toLowerCase();
  for (const form of FORMS) expect(haystack.includes(form.toLowerCase()), `${label}: ${form}`).toBe(false);
}

const NO_MPPE = { mppe: 'none', allowStateful: false } as const;

function scenarios(): [string, SimOptions][] {
  const out: [string, SimOptions][] = [['pptpd default', { server: { echoIp: true } }]];
  for (const method of AUTH_METHODS) {
    const auth = { method, username: USERNAME, password: PASSWORD };
    out.push([`${method} ok`, { client: { allowedAuth: [method], mppe: NO_MPPE }, server: { auth, ppp: { ccp: false } } }]);
    out.push([`${method} wrong password`, { client: { allowedAuth: [method], mppe: NO_MPPE }, server: { auth: { ...auth, password: 'other' }, ppp: { ccp: false } } }]);
    out.push([
      `${method} echoes password`,
      { client: { allowedAuth: [method], mppe: NO_MPPE }, server: { auth: { ...auth, hostile: { echoPassword: true, failWith: { errorCode: 691 } } }, ppp: { ccp: false } } },
    ]);
  }
  out.push(['impostor', { server: { auth: { method: 'mschapv2', username: USERNAME, password: PASSWORD, hostile: { wrongAuthenticatorResponse: true } } } }]);
  out.push(['lossy', { seed: 5, pair: { datagrams: { aToB: { dropRate: 0.1 }, bToA: { dropRate: 0.1 } } } }]);
  out.push(['gre blocked', { pair: { datagrams: { bToA: { dropRate: 1 } } } }]);
  return out;
}

describe('secrets in events', () => {
  for (const [label, options] of scenarios()) {
    it(`anyRun_${label.replace(/ /g, '-')}_passwordInNoEvent`, () => {
      const s = createSim(options);
      if (driveUntilUp(s, 120_000)) {
        scheduleClientTraffic(s, 5);
        s.pair.drive(s.pair.clock.now + 200);
        s.client.disconnect(s.pair.clock.now);
      }
      expect(driveUntilClosed(s, 120_000)).toBe(true);
      expect(s.client.thrown).toEqual([]);
      const json = serializedEvents(s);
      expect(json).toContain('"type":"closed"');
      expectNoSecret(json, label);
    });
  }

  it('failureText_serverEchoedPassword_isNotRepeated', () => {
    // The server really did put the password in its failure text: what did we say instead?
    const s = createSim({
      client: { allowedAuth: ['mschapv2'] },
      server: { auth: { method: 'mschapv2', username: USERNAME, password: PASSWORD, hostile: { echoPassword: true, failWith: { errorCode: 691 } } } },
    });
    expect(driveUntilClosed(s, 60_000)).toBe(true);
    expect(s.client.closed?.reason).toBe('auth-failed');
    expect(s.client.closed?.message).toContain('691');
    expectNoSecret(serializedEvents(s), 'echo');
  });
});
