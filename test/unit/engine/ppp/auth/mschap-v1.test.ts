import { describe, expect, it } from 'vitest';
import { MschapV1Client, mschapv1ResponseValue } from '../../../../../main/engine/ppp/auth/mschap-v1';
import { encodeChapStatus, encodeChapValue, parseChapPacket } from '../../../../../main/engine/ppp/auth/chap-packet';
import { seededRandom } from '../../../../../main/engine/random';
import { fromHex, toHex } from '../../../../../main/engine/wire/bytes';
import { MschapV1Authenticator } from '../../../../sim/support/authenticators';
import { exposedText, runExchange } from './drive';

const enc = (s: string) => new TextEncoder().encode(s);

function responseOf(packet: Uint8Array | undefined) {
  const p = parseChapPacket(packet!);
  if (!p.ok || p.value.code !== 'response') throw new Error('not a Response');
  return p.value;
}

describe('MS-CHAPv1 RFC 2433 vector', () => {
  it('challenge 102DB5DF085D3041, password MyPw: LM zeroed, NT-Response 4E9D3C8F..., flag 1', () => {
    const c = new MschapV1Client({ credentials: { username: 'User', password: 'MyPw' }, random: seededRandom(1) });
    c.start(0);
    c.handlePacket(0, encodeChapValue('challenge', 3, fromHex('102DB5DF085D3041'), enc('srv')));
    const r = responseOf(c.pollTransmit());
    expect(r.value.length).toBe(49);
    expect(toHex(r.value)).toBe(
      '00'.repeat(24) + '4e9d3c8f9cfd385d5bf4d3246791956ca4c351ab409a3d61' + '01',
    );
    expect(toHex(mschapv1ResponseValue(fromHex('102DB5DF085D3041'), 'MyPw'))).toBe(toHex(r.value));
  });
});

describe('MschapV1Client', () => {
  const credentials = { username: 'alice', password: 's3cret-Pass' };

  it('sends DOMAIN\\user as the name when a domain is set', () => {
    const c = new MschapV1Client({ credentials: { ...credentials, domain: 'CORP' }, random: seededRandom(1) });
    c.start(0);
    c.handlePacket(0, encodeChapValue('challenge', 1, fromHex('0102030405060708'), enc('srv')));
    expect(new TextDecoder().decode(responseOf(c.pollTransmit()).name)).toBe('CORP\\alice');
  });

  it('ignores a challenge that is not 8 octets', () => {
    const c = new MschapV1Client({ credentials, random: seededRandom(1) });
    c.start(0);
    c.handlePacket(0, encodeChapValue('challenge', 1, fromHex('01020304050607'), enc('srv')));
    expect(c.pollTransmit()).toBeUndefined();
    expect(c.counters.lastIgnored).toContain('8');
  });

  it('success derives MPPE keys that mirror the server', () => {
    const ex = runExchange(
      new MschapV1Client({ credentials: { ...credentials, domain: 'CORP' }, random: seededRandom(1) }),
      new MschapV1Authenticator({ ...credentials, random: seededRandom(2) }),
    );
    expect(ex.outcome?.kind).toBe('success');
    if (ex.outcome?.kind !== 'success') return;
    expect(ex.outcome.method).toBe('mschap');
    expect(ex.outcome.mppeKeys?.send.length).toBe(16);
    expect(toHex(ex.outcome.mppeKeys!.send)).toBe(toHex(ex.serverResult!.mppeKeys!.receive));
    expect(toHex(ex.outcome.mppeKeys!.receive)).toBe(toHex(ex.serverResult!.mppeKeys!.send));
  });

  it('wrong password: auth-failed, 691 in words', () => {
    const c = new MschapV1Client({ credentials: { ...credentials, password: 'wrong' }, random: seededRandom(1) });
    const ex = runExchange(c, new MschapV1Authenticator({ ...credentials, random: seededRandom(2) }));
    expect(ex.outcome?.kind).toBe('failure');
    if (ex.outcome?.kind !== 'failure') return;
    expect(ex.outcome.failure.reason).toBe('auth-failed');
    expect(ex.outcome.failure.message).toMatch(/bad user name or password.*691/);
    expect(ex.outcome.failure.detail?.errorCode).toBe(691);
  });

  it('failure with an unmatched identifier is ignored', () => {
    const c = new MschapV1Client({ credentials, random: seededRandom(1) });
    c.start(0);
    c.handlePacket(0, encodeChapValue('challenge', 1, fromHex('0102030405060708'), enc('srv')));
    c.pollTransmit();
    c.handlePacket(0, encodeChapStatus('failure', 2, enc('E=691 R=0')));
    expect(c.pollResult()).toBeUndefined();
    expect(c.counters.ignored).toBe(1);
  });

  it('garbage + echoed password: succeeds / never repeats the password', () => {
    const ok = runExchange(
      new MschapV1Client({ credentials, random: seededRandom(1) }),
      new MschapV1Authenticator({ ...credentials, random: seededRandom(2), hostile: { garbage: true } }),
    );
    expect(ok.outcome?.kind).toBe('success');
    const c = new MschapV1Client({ credentials, random: seededRandom(1) });
    const bad = runExchange(
      c,
      new MschapV1Authenticator({ ...credentials, random: seededRandom(2), hostile: { failWith: { errorCode: 647 }, echoPassword: true } }),
    );
    expect(bad.outcome?.kind === 'failure' && bad.outcome.failure.message).toContain('disabled');
    expect(exposedText(c, bad.outcome)).not.toContain(credentials.password);
  });
});
