import { describe, expect, it } from 'vitest';
import { MschapV2Client } from '../../../../../main/engine/ppp/auth/mschap-v2';
import { encodeChapStatus, encodeChapValue, parseChapPacket } from '../../../../../main/engine/ppp/auth/chap-packet';
import { seededRandom } from '../../../../../main/engine/random';
import { fromHex, toHex } from '../../../../../main/engine/wire/bytes';
import { MschapV2Authenticator, type Hostility } from '../../../../sim/support/authenticators';
import { exposedText, runExchange, scriptedRandom } from './drive';

const enc = (s: string) => new TextEncoder().encode(s);

// RFC 2759 §9.2 (see shared/notes/rfc-vectors.md)
const AUTH_CHALLENGE = '5B5D7C7D7B3F2F3E3C2C602132262628';
const PEER_CHALLENGE = '21402324255E262A28295F2B3A337C7E';
const NT_RESPONSE = '82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF';
const AUTH_RESPONSE = 'S=407A5589115FD0D6209F510FE9C04566932CDA56';

function responseOf(packet: Uint8Array | undefined) {
  const p = parseChapPacket(packet!);
  if (!p.ok || p.value.code !== 'response') throw new Error('not a Response');
  return p.value;
}

function vectorClient(domain?: string) {
  const c = new MschapV2Client({
    credentials: { username: 'User', password: 'clientPass', ...(domain !== undefined ? { domain } : {}) },
    random: scriptedRandom(PEER_CHALLENGE),
  });
  c.start(0);
  c.handlePacket(0, encodeChapValue('challenge', 9, fromHex(AUTH_CHALLENGE), enc('pptpd')));
  return { c, response: responseOf(c.pollTransmit()) };
}

describe('MS-CHAPv2 RFC 2759 §9.2 vector through the client', () => {
  it('Response Value = PeerChallenge | 8 zero octets | NT-Response | flags 0', () => {
    const { response } = vectorClient();
    expect(response.identifier).toBe(9);
    expect(toHex(response.value).toUpperCase()).toBe(PEER_CHALLENGE + '00'.repeat(8) + NT_RESPONSE + '00');
    expect(new TextDecoder().decode(response.name)).toBe('User');
  });

  it('accepts the RFC authenticator response and derives the RFC 3079 keys', () => {
    const { c } = vectorClient();
    c.handlePacket(1, encodeChapStatus('success', 9, enc(`${AUTH_RESPONSE} M=Welcome`)));
    const r = c.pollResult();
    expect(r?.kind).toBe('success');
    if (r?.kind !== 'success') return;
    expect(r.method).toBe('mschapv2');
    expect(r.message).toBe('Welcome');
    // RFC 3079 §3.5: the printed start key is the client's receive key; the send key per the notes.
    expect(toHex(r.mppeKeys!.receive)).toBe('8b7cdc149b993a1ba118cb153f56dccb');
    expect(toHex(r.mppeKeys!.send)).toBe('d5f0e9521e3ea9589645e86051c82226');
  });

  it('accepts lower-case hex and a Success without M=', () => {
    const { c } = vectorClient();
    c.handlePacket(1, encodeChapStatus('success', 9, enc(AUTH_RESPONSE.toLowerCase().replace('s=', 'S='))));
    const r = c.pollResult();
    expect(r?.kind === 'success' && r.message).toBeUndefined();
    expect(r?.kind).toBe('success');
  });

  it('with a domain: sends DOMAIN\\User but hashes only User (RFC 2759 §8.2), so the vector still holds', () => {
    const { c, response } = vectorClient('CORP');
    expect(new TextDecoder().decode(response.name)).toBe('CORP\\User');
    expect(toHex(response.value.subarray(24, 48)).toUpperCase()).toBe(NT_RESPONSE);
    c.handlePacket(1, encodeChapStatus('success', 9, enc(AUTH_RESPONSE)));
    expect(c.pollResult()?.kind).toBe('success');
  });

  it.each([
    ['wrong', 'S=407A5589115FD0D6209F510FE9C04566932CDA57 M=Welcome'],
    ['missing', 'M=Welcome'],
    ['truncated', 'S=407A5589115FD0D6209F510FE9C04566932CDA5'],
    ['empty', ''],
  ])('a %s authenticator response fails: the server failed to authenticate itself, no keys', (_what, msg) => {
    const { c } = vectorClient();
    c.handlePacket(1, encodeChapStatus('success', 9, enc(msg)));
    const r = c.pollResult();
    expect(r?.kind).toBe('failure');
    if (r?.kind !== 'failure') return;
    expect(r.failure.reason).toBe('auth-failed');
    expect(r.failure.message).toContain('server failed to authenticate');
    expect(JSON.stringify(r)).not.toContain('mppeKeys');
  });

  it('a repeated challenge (same id) gets the same response, with the same peer challenge', () => {
    const c = new MschapV2Client({ credentials: { username: 'User', password: 'clientPass' }, random: seededRandom(5) });
    c.start(0);
    const ch = encodeChapValue('challenge', 9, fromHex(AUTH_CHALLENGE), enc('pptpd'));
    c.handlePacket(0, ch);
    c.handlePacket(0, ch);
    expect(c.pollTransmit()).toEqual(c.pollTransmit());
  });

  it('ignores a Success for another identifier and a challenge that is not 16 octets', () => {
    const { c } = vectorClient();
    c.handlePacket(1, encodeChapStatus('success', 8, enc(AUTH_RESPONSE)));
    c.handlePacket(1, encodeChapValue('challenge', 10, fromHex('0102030405060708'), enc('pptpd')));
    expect(c.pollResult()).toBeUndefined();
    expect(c.pollTransmit()).toBeUndefined();
    expect(c.counters.ignored).toBe(2);
  });
});

describe('MschapV2Client against MschapV2Authenticator', () => {
  const credentials = { username: 'alice', password: 's3cret-Pass' };
  const run = (hostile: Hostility = {}, clientCreds: { username: string; password: string; domain?: string } = credentials) => {
    const c = new MschapV2Client({ credentials: clientCreds, random: seededRandom(11) });
    const ex = runExchange(c, new MschapV2Authenticator({ ...credentials, random: seededRandom(12), hostile }));
    return { c, ...ex };
  };

  it('right password: success, keys mirror the server', () => {
    const ex = run({}, { ...credentials, domain: 'WORKGROUP' });
    expect(ex.outcome?.kind).toBe('success');
    if (ex.outcome?.kind !== 'success') return;
    expect(ex.outcome.message).toBe('Access granted');
    expect(toHex(ex.outcome.mppeKeys!.send)).toBe(toHex(ex.serverResult!.mppeKeys!.receive));
    expect(toHex(ex.outcome.mppeKeys!.receive)).toBe(toHex(ex.serverResult!.mppeKeys!.send));
  });

  it('wrong password: auth-failed with 691 in words', () => {
    const ex = run({}, { ...credentials, password: 'guess' });
    expect(ex.outcome?.kind).toBe('failure');
    if (ex.outcome?.kind !== 'failure') return;
    expect(ex.outcome.failure.reason).toBe('auth-failed');
    expect(ex.outcome.failure.message).toContain('691');
    expect(ex.outcome.failure.message).toContain('bad user name or password');
    expect(ex.outcome.failure.detail).toMatchObject({ errorCode: 691, retry: false, version: 3 });
  });

  it('E=648 R=0: password expired in words', () => {
    const ex = run({ failWith: { errorCode: 648, retry: false } });
    expect(ex.outcome?.kind === 'failure' && ex.outcome.failure.message).toMatch(/password has expired \(error 648\)/);
  });

  it('E=691 R=1: says that it does not retry', () => {
    const ex = run({ failWith: { errorCode: 691, retry: true } });
    expect(ex.outcome?.kind === 'failure' && ex.outcome.failure.message).toContain('does not do');
    expect(ex.outcome?.kind === 'failure' && ex.outcome.failure.detail?.retry).toBe(true);
  });

  it('server with a wrong authenticator response: auth-failed although the server said Success', () => {
    const ex = run({ wrongAuthenticatorResponse: true });
    expect(ex.serverResult?.ok).toBe(true);
    expect(ex.outcome?.kind === 'failure' && ex.outcome.failure.message).toContain('server failed to authenticate');
  });

  it('server with no authenticator response: auth-failed', () => {
    const ex = run({ missingAuthenticatorResponse: true });
    expect(ex.outcome?.kind === 'failure' && ex.outcome.failure.message).toContain('server failed to authenticate');
  });

  it('garbage and stale identifiers before every packet: still succeeds', () => {
    const ex = run({ garbage: true });
    expect(ex.outcome?.kind).toBe('success');
    // 4 malformed before the Challenge; 4 malformed + 1 stale Failure before the Success.
    expect(ex.c.counters.ignored).toBe(9);
  });

  it('a silent server: the give-up timer ends it', () => {
    const c = new MschapV2Client({ credentials, random: seededRandom(11), timeoutMs: 1000 });
    runExchange(c, new MschapV2Authenticator({ ...credentials, random: seededRandom(12), hostile: { silent: true } }));
    expect(c.nextTimeout()).toBe(1000);
    c.handleTimeout(1000);
    expect(c.pollResult()?.kind).toBe('failure');
  });

  it('echoed password in the failure text is redacted', () => {
    const ex = run({ failWith: { errorCode: 691 }, echoPassword: true });
    expect(ex.outcome?.kind).toBe('failure');
    expect(exposedText(ex.c, ex.outcome)).not.toContain(credentials.password);
  });
});
