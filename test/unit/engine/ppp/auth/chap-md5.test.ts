import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { ChapMd5Client, chapMd5Response } from '../../../../../main/engine/ppp/auth/chap-md5';
import { encodeChapStatus, encodeChapValue, parseChapPacket } from '../../../../../main/engine/ppp/auth/chap-packet';
import { encodeAuthPacket } from '../../../../../main/engine/ppp/auth/auth-packet';
import { seededRandom } from '../../../../../main/engine/random';
import { fromHex, toHex } from '../../../../../main/engine/wire/bytes';
import { ChapMd5Authenticator } from '../../../../sim/support/authenticators';
import { exposedText, pump, runExchange } from './drive';

const credentials = { username: 'alice', password: 's3cret-Pass' };
const enc = (s: string) => new TextEncoder().encode(s);
const challenge = fromHex('00112233445566778899aabbccddeeff');

function client(extra = {}) {
  const c = new ChapMd5Client({ credentials, random: seededRandom(1), ...extra });
  c.start(0);
  return c;
}

function responseOf(packet: Uint8Array | undefined) {
  const p = parseChapPacket(packet!);
  if (!p.ok || p.value.code !== 'response') throw new Error('not a Response');
  return p.value;
}

describe('chapMd5Response', () => {
  it('is MD5 over identifier, secret and challenge (RFC 1994 §4.1), checked against node:crypto', () => {
    const expected = createHash('md5').update(Uint8Array.of(0x2a)).update(enc('s3cret-Pass')).update(challenge).digest();
    expect(toHex(chapMd5Response(0x2a, enc('s3cret-Pass'), challenge))).toBe(expected.toString('hex'));
  });
});

describe('ChapMd5Client', () => {
  it('waiting_receivesChallenge_sendsMd5ResponseNamedByUser', () => {
    const c = client();
    c.handlePacket(1, encodeChapValue('challenge', 0x2a, challenge, enc('pptpd')));
    const r = responseOf(c.pollTransmit());
    expect(r.identifier).toBe(0x2a);
    expect(toHex(r.value)).toBe(toHex(chapMd5Response(0x2a, enc('s3cret-Pass'), challenge)));
    expect(new TextDecoder().decode(r.name)).toBe('alice');
  });

  it('responded_receivesSameChallengeAgain_resendsTheSameResponse', () => {
    const c = client();
    c.handlePacket(1, encodeChapValue('challenge', 5, challenge, enc('pptpd')));
    const first = c.pollTransmit()!;
    c.handlePacket(2, encodeChapValue('challenge', 5, challenge, enc('pptpd')));
    expect(c.pollTransmit()).toEqual(first);
  });

  it('responded_receivesChallengeWithNewId_recomputes', () => {
    const c = client();
    c.handlePacket(1, encodeChapValue('challenge', 5, challenge, enc('pptpd')));
    const first = responseOf(c.pollTransmit());
    c.handlePacket(2, encodeChapValue('challenge', 6, challenge, enc('pptpd')));
    const second = responseOf(c.pollTransmit());
    expect(second.identifier).toBe(6);
    expect(toHex(second.value)).not.toBe(toHex(first.value));
    // Success for the old identifier is now stale.
    c.handlePacket(3, encodeChapStatus('success', 5, enc('')));
    expect(c.pollResult()).toBeUndefined();
    c.handlePacket(3, encodeChapStatus('success', 6, enc('ok')));
    expect(c.pollResult()).toEqual({ kind: 'success', method: 'chap', message: 'ok' });
  });

  it('responded_receivesFailure_authFailedWithServerText', () => {
    const c = client();
    c.handlePacket(1, encodeChapValue('challenge', 5, challenge, enc('pptpd')));
    c.handlePacket(2, encodeChapStatus('failure', 5, enc('Access denied')));
    const r = c.pollResult();
    expect(r?.kind === 'failure' && r.failure.reason).toBe('auth-failed');
    expect(r?.kind === 'failure' && r.failure.message).toContain('Access denied');
  });

  it('waiting_receivesSuccessBeforeAnyResponse_ignores', () => {
    const c = client();
    c.handlePacket(1, encodeChapStatus('success', 0, enc('')));
    expect(c.pollResult()).toBeUndefined();
    expect(c.counters.ignored).toBe(1);
  });

  it('ignores malformed packets: zero Value-Size, Value beyond Length, unknown code, a Response', () => {
    const c = client();
    const bad = [
      encodeAuthPacket(1, 1, Uint8Array.of(0)),
      encodeAuthPacket(1, 1, Uint8Array.of(16, 1, 2)),
      encodeAuthPacket(9, 1, Uint8Array.of(1)),
      encodeChapValue('response', 1, challenge, enc('x')),
      Uint8Array.of(1, 1, 0xff, 0xff, 1),
    ];
    for (const b of bad) c.handlePacket(1, b);
    expect(c.pollTransmit()).toBeUndefined();
    expect(c.counters.ignored).toBe(bad.length);
  });

  it('afterSuccess_answersRechallenge', () => {
    const c = client();
    const s = new ChapMd5Authenticator({ ...credentials, random: seededRandom(9) });
    s.start(0);
    const ex = pump(c, s);
    expect(ex.outcome?.kind).toBe('success');
    s.rechallenge();
    const again = pump(c, s);
    expect(again.clientSent).toHaveLength(1);
    expect(responseOf(again.clientSent[0]).identifier).not.toBe(responseOf(ex.clientSent[0]).identifier);
  });

  it('gives up when the server never finishes (timeoutMs)', () => {
    const c = client({ timeoutMs: 5000 });
    expect(c.nextTimeout()).toBe(5000);
    c.handleTimeout(5000);
    const r = c.pollResult();
    expect(r?.kind === 'failure' && r.failure.reason).toBe('negotiation-failed');
  });
});

describe('ChapMd5Client against ChapMd5Authenticator', () => {
  const server = (hostile = {}) => new ChapMd5Authenticator({ ...credentials, random: seededRandom(4), hostile });

  it('right password: success on both sides', () => {
    const ex = runExchange(new ChapMd5Client({ credentials, random: seededRandom(1) }), server());
    expect(ex.outcome).toEqual({ kind: 'success', method: 'chap', message: 'Access granted' });
    expect(ex.serverResult?.ok).toBe(true);
  });

  it('server retransmits its challenge: identical response, one success', () => {
    const c = new ChapMd5Client({ credentials, random: seededRandom(1) });
    const s = server();
    c.start(0);
    s.start(0);
    const challengePacket = s.pollTransmit()!;
    c.handlePacket(0, challengePacket);
    c.handlePacket(0, challengePacket);
    const a = c.pollTransmit()!;
    const b = c.pollTransmit()!;
    expect(a).toEqual(b);
    s.handlePacket(0, a);
    const ex = pump(c, s);
    expect(ex.outcome?.kind).toBe('success');
  });

  it('wrong password: auth-failed', () => {
    const ex = runExchange(new ChapMd5Client({ credentials: { ...credentials, password: 'x' }, random: seededRandom(1) }), server());
    expect(ex.outcome?.kind === 'failure' && ex.outcome.failure.reason).toBe('auth-failed');
  });

  it('garbage before each packet: still succeeds', () => {
    const c = new ChapMd5Client({ credentials, random: seededRandom(1) });
    const ex = runExchange(c, server({ garbage: true }));
    expect(ex.outcome?.kind).toBe('success');
    expect(c.counters.ignored).toBeGreaterThanOrEqual(9);
  });

  it('server echoes the password: not repeated', () => {
    const c = new ChapMd5Client({ credentials, random: seededRandom(1) });
    const ex = runExchange(c, server({ failWith: { errorCode: 691 }, echoPassword: true }));
    expect(ex.outcome?.kind).toBe('failure');
    expect(exposedText(c, ex.outcome)).not.toContain(credentials.password);
  });
});
