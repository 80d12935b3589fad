import { describe, expect, it } from 'vitest';
import { EapClient } from '../../../../../main/engine/ppp/auth/eap';
import {
  EAP_TYPE_IDENTITY,
  EAP_TYPE_MD5_CHALLENGE,
  EAP_TYPE_MSCHAPV2,
  EAP_TYPE_NAK,
  EAP_TYPE_NOTIFICATION,
  encodeEapMessage,
  encodeEapMschapv2,
  encodeEapStatus,
  encodeValueName,
  parseEapMschapv2,
  parseEapPacket,
  parseValueName,
} from '../../../../../main/engine/ppp/auth/eap-packet';
import { encodeAuthPacket } from '../../../../../main/engine/ppp/auth/auth-packet';
import type { AuthClientOptions } from '../../../../../main/engine/ppp/auth/auth-client';
import { seededRandom } from '../../../../../main/engine/random';
import { fromHex, toHex } from '../../../../../main/engine/wire/bytes';
import { EapAuthenticator, type EapAuthenticatorConfig, type Hostility } from '../../../../sim/support/authenticators';
import { exposedText, runExchange, scriptedRandom } from './drive';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const credentials = { username: 'alice', password: 's3cret-Pass' };

function client(extra: Partial<AuthClientOptions> = {}) {
  const c = new EapClient({ credentials, random: seededRandom(21), ...extra });
  c.start(0);
  return c;
}

function responseOf(packet: Uint8Array | undefined) {
  const p = parseEapPacket(packet!);
  if (!p.ok || p.value.code !== 'response') throw new Error('not a Response');
  return p.value;
}

const request = (id: number, type: number, data: Uint8Array = new Uint8Array(0)) => encodeEapMessage('request', id, type, data);

describe('EapClient: Identity, Notification, Nak', () => {
  it('requestIdentity_respondsWithDomainAndUser', () => {
    const c = client({ credentials: { ...credentials, domain: 'CORP' } });
    c.handlePacket(0, request(1, EAP_TYPE_IDENTITY));
    const r = responseOf(c.pollTransmit());
    expect(r).toMatchObject({ identifier: 1, type: EAP_TYPE_IDENTITY });
    expect(dec(r.typeData)).toBe('CORP\\alice');
  });

  it('requestNotification_respondsEmpty_andQuotesItOnFailure', () => {
    const c = client();
    c.handlePacket(0, request(1, EAP_TYPE_NOTIFICATION, enc('Your account expires soon')));
    const r = responseOf(c.pollTransmit());
    expect(r.type).toBe(EAP_TYPE_NOTIFICATION);
    expect(r.typeData.length).toBe(0);
    c.handlePacket(0, encodeEapStatus('failure', 1));
    const out = c.pollResult();
    expect(out?.kind === 'failure' && out.failure.message).toContain('Your account expires soon');
  });

  it.each<[string, AuthClientOptions['eapTypes'], number, number[]]>([
    ['EAP-TLS, both allowed', undefined, 13, [EAP_TYPE_MSCHAPV2, EAP_TYPE_MD5_CHALLENGE]],
    ['EAP-TLS, only md5 allowed', ['md5'], 13, [EAP_TYPE_MD5_CHALLENGE]],
    ['MD5, only mschapv2 allowed', ['mschapv2'], EAP_TYPE_MD5_CHALLENGE, [EAP_TYPE_MSCHAPV2]],
    ['MS-CHAPv2, only md5 allowed', ['md5'], EAP_TYPE_MSCHAPV2, [EAP_TYPE_MD5_CHALLENGE]],
    ['an expanded type, nothing allowed', [], 254, [0]],
  ])('unsupported request (%s) gets a Legacy Nak listing our types', (_what, eapTypes, type, listed) => {
    const c = client(eapTypes !== undefined ? { eapTypes } : {});
    c.handlePacket(0, request(7, type, Uint8Array.of(0x20)));
    const r = responseOf(c.pollTransmit());
    expect(r.identifier).toBe(7);
    expect(r.type).toBe(EAP_TYPE_NAK);
    expect([...r.typeData]).toEqual(listed);
  });

  it('duplicateRequest_resendsTheOriginalResponseWithoutReprocessing', () => {
    const c = client();
    c.handlePacket(0, request(4, EAP_TYPE_MD5_CHALLENGE, encodeValueName(fromHex('00112233'), enc('srv'))));
    const first = c.pollTransmit()!;
    c.handlePacket(1, request(4, EAP_TYPE_MD5_CHALLENGE, encodeValueName(fromHex('44556677'), enc('srv'))));
    expect(c.pollTransmit()).toEqual(first);
  });

  it('ignores a Nak sent as a Request, Responses, malformed packets and stale Success/Failure', () => {
    const c = client();
    c.handlePacket(0, request(1, EAP_TYPE_IDENTITY));
    c.pollTransmit();
    const bad = [
      request(2, EAP_TYPE_NAK, Uint8Array.of(4)),
      encodeEapMessage('response', 3, EAP_TYPE_IDENTITY, enc('x')),
      encodeAuthPacket(1, 4, new Uint8Array(0)), // Request without a Type
      Uint8Array.of(1, 5, 0, 9, 1),
      encodeAuthPacket(9, 5, Uint8Array.of(1)),
      encodeEapStatus('success', 77),
      encodeEapStatus('failure', 0),
      request(6, EAP_TYPE_MD5_CHALLENGE, Uint8Array.of(0)), // Value-Size 0
      request(7, EAP_TYPE_MD5_CHALLENGE, Uint8Array.of(16, 1)), // Value-Size beyond the data
      request(8, EAP_TYPE_MSCHAPV2, Uint8Array.of(1, 8)), // inner header truncated
      request(9, EAP_TYPE_MSCHAPV2, encodeEapMschapv2(1, 9, encodeValueName(fromHex('0102'), enc('s')))), // 2-octet challenge
      request(10, EAP_TYPE_MSCHAPV2, encodeEapMschapv2(3, 10, enc('S=00'))), // Success before any Challenge
    ];
    for (const b of bad) c.handlePacket(1, b);
    expect(c.pollTransmit()).toBeUndefined();
    expect(c.pollResult()).toBeUndefined();
    expect(c.counters.ignored).toBe(bad.length);
  });

  it('accepts Success carrying the next identifier (a common server quirk)', () => {
    const c = client();
    c.handlePacket(0, request(200, EAP_TYPE_MD5_CHALLENGE, encodeValueName(fromHex('00112233'), enc('srv'))));
    c.pollTransmit();
    c.handlePacket(0, encodeEapStatus('success', 201));
    expect(c.pollResult()).toEqual({ kind: 'success', method: 'eap' });
  });

  it('gives up when the server never finishes', () => {
    const c = client({ timeoutMs: 2000 });
    c.handleTimeout(2000);
    const r = c.pollResult();
    expect(r?.kind === 'failure' && r.failure.reason).toBe('negotiation-failed');
  });
});

// RFC 2759 §9.2, inside EAP-MS-CHAPv2.
const AUTH_CHALLENGE = '5B5D7C7D7B3F2F3E3C2C602132262628';
const PEER_CHALLENGE = '21402324255E262A28295F2B3A337C7E';
const NT_RESPONSE = '82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF';
const AUTH_RESPONSE = 'S=407A5589115FD0D6209F510FE9C04566932CDA56';

describe('EapClient: EAP-MS-CHAPv2 with the RFC 2759 vector', () => {
  function challenged() {
    const c = new EapClient({ credentials: { username: 'User', password: 'clientPass' }, random: scriptedRandom(PEER_CHALLENGE) });
    c.start(0);
    c.handlePacket(0, request(1, EAP_TYPE_MSCHAPV2, encodeEapMschapv2(1, 0x42, encodeValueName(fromHex(AUTH_CHALLENGE), enc('srv')))));
    return { c, response: responseOf(c.pollTransmit()) };
  }

  it('Response: OpCode 2, the same MS-CHAPv2-ID, MS-Length, 49-octet value, name', () => {
    const { response } = challenged();
    expect(response.type).toBe(EAP_TYPE_MSCHAPV2);
    const inner = parseEapMschapv2(response.typeData);
    expect(inner.ok).toBe(true);
    if (!inner.ok) return;
    expect(inner.value).toMatchObject({ opCode: 2, msId: 0x42 });
    expect((response.typeData[2]! << 8) | response.typeData[3]!).toBe(response.typeData.length); // EAP Length - 5
    const vn = parseValueName(inner.value.body);
    expect(vn.ok && toHex(vn.value.value).toUpperCase()).toBe(PEER_CHALLENGE + '00'.repeat(8) + NT_RESPONSE + '00');
    expect(vn.ok && dec(vn.value.name)).toBe('User');
  });

  it('verified Success is acknowledged, then EAP-Success gives keys', () => {
    const { c } = challenged();
    c.handlePacket(1, request(2, EAP_TYPE_MSCHAPV2, encodeEapMschapv2(3, 0x42, enc(`${AUTH_RESPONSE} M=Welcome`))));
    const ack = responseOf(c.pollTransmit());
    expect([ack.type, ...ack.typeData]).toEqual([EAP_TYPE_MSCHAPV2, 3]);
    expect(c.pollResult()).toBeUndefined();
    c.handlePacket(2, encodeEapStatus('success', 2));
    const r = c.pollResult();
    expect(r?.kind).toBe('success');
    if (r?.kind !== 'success') return;
    expect(r.method).toBe('eap');
    expect(r.message).toBe('Welcome');
    expect(toHex(r.mppeKeys!.receive)).toBe('8b7cdc149b993a1ba118cb153f56dccb');
  });

  it('tolerates an MS-Length that disagrees with the EAP Length', () => {
    const c = new EapClient({ credentials: { username: 'User', password: 'clientPass' }, random: scriptedRandom(PEER_CHALLENGE) });
    c.start(0);
    const inner = encodeEapMschapv2(1, 7, encodeValueName(fromHex(AUTH_CHALLENGE), enc('srv')));
    inner[2] = 0x12; // MS-Length now claims 0x12xx octets
    c.handlePacket(0, request(1, EAP_TYPE_MSCHAPV2, inner));
    const r = responseOf(c.pollTransmit());
    expect(r.type).toBe(EAP_TYPE_MSCHAPV2);
    expect(r.typeData[0]).toBe(2);
  });

  it('wrong S= is not acknowledged and fails', () => {
    const { c } = challenged();
    c.handlePacket(1, request(2, EAP_TYPE_MSCHAPV2, encodeEapMschapv2(3, 0x42, enc('S=0000000000000000000000000000000000000000'))));
    expect(c.pollTransmit()).toBeUndefined();
    const r = c.pollResult();
    expect(r?.kind === 'failure' && r.failure.message).toContain('server failed to authenticate');
  });
});

describe('EapClient against EapAuthenticator', () => {
  const run = (
    server: Partial<EapAuthenticatorConfig> & { hostile?: Hostility } = {},
    opts: Partial<AuthClientOptions> = {},
  ) => {
    const c = new EapClient({ credentials, random: seededRandom(31), ...opts });
    const s = new EapAuthenticator({ ...credentials, random: seededRandom(32), method: 'mschapv2', ...server });
    return { c, s, ...runExchange(c, s) };
  };

  it('EAP-MD5 full exchange', () => {
    const ex = run({ method: 'md5' });
    expect(ex.s.identity).toBe('alice');
    expect(ex.outcome).toEqual({ kind: 'success', method: 'eap' });
    expect(ex.serverResult?.ok).toBe(true);
  });

  it('EAP-MD5 wrong password: auth-failed', () => {
    const ex = run({ method: 'md5' }, { credentials: { ...credentials, password: 'x' } });
    expect(ex.outcome?.kind === 'failure' && ex.outcome.failure.message).toContain('EAP-MD5');
  });

  it('EAP-MS-CHAPv2 full exchange with domain, keys mirror the server', () => {
    const ex = run({}, { credentials: { ...credentials, domain: 'CORP' } });
    expect(ex.s.identity).toBe('CORP\\alice');
    expect(ex.outcome?.kind).toBe('success');
    if (ex.outcome?.kind !== 'success') return;
    expect(toHex(ex.outcome.mppeKeys!.send)).toBe(toHex(ex.serverResult!.mppeKeys!.receive));
    expect(toHex(ex.outcome.mppeKeys!.receive)).toBe(toHex(ex.serverResult!.mppeKeys!.send));
  });

  it('server offers EAP-TLS first: our Nak steers it to MS-CHAPv2', () => {
    const ex = run({ firstType: 13 });
    expect(ex.s.nakTypes).toEqual([EAP_TYPE_MSCHAPV2, EAP_TYPE_MD5_CHALLENGE]);
    expect(ex.outcome?.kind).toBe('success');
  });

  it('server only does MD5, profile allows only MS-CHAPv2: refused at the EAP Failure, auth-method-refused naming EAP-MD5', () => {
    const ex = run({ method: 'md5' }, { eapTypes: ['mschapv2'] });
    expect(ex.s.nakTypes).toEqual([EAP_TYPE_MSCHAPV2]);
    const failure = ex.outcome?.kind === 'failure' ? ex.outcome.failure : undefined;
    expect(failure?.reason).toBe('auth-method-refused');
    expect(failure?.message).toMatch(/asked for EAP-MD5 \(EAP type 4\), which this client does not do \(it does EAP-MS-CHAPv2\)/);
    expect(failure?.detail).toMatchObject({ refusal: 'eap-type', eapType: 4 });
  });

  it.each([
    [25, 'PEAP'],
    [13, 'EAP-TLS'],
    [21, 'EAP-TTLS'],
  ])('server offers only EAP type %i (%s): auth-method-refused at its EAP Failure, naming the type', (type, name) => {
    // The server's method is MD5 but it offers `type` first; with MD5 not allowed it gives up on our Nak.
    const ex = run({ method: 'md5', firstType: type }, { eapTypes: ['mschapv2'] });
    expect(ex.s.nakTypes).toEqual([EAP_TYPE_MSCHAPV2]);
    const failure = ex.outcome?.kind === 'failure' ? ex.outcome.failure : undefined;
    expect(failure?.reason).toBe('auth-method-refused');
    expect(failure?.message).toContain(`${name} (EAP type ${type})`);
    expect(failure?.detail).toMatchObject({ layer: 'Authentication', refusal: 'eap-type', eapType: type });
  });

  it('notification first, then success', () => {
    const ex = run({ notification: 'Hello' });
    expect(ex.outcome?.kind).toBe('success');
  });

  it('wrong password: 691 in words', () => {
    const ex = run({}, { credentials: { ...credentials, password: 'guess' } });
    expect(ex.outcome?.kind === 'failure' && ex.outcome.failure.message).toMatch(/EAP-MS-CHAPv2.*bad user name or password \(error 691\)/);
  });

  it.each<[string, Hostility]>([
    ['wrong', { wrongAuthenticatorResponse: true }],
    ['missing', { missingAuthenticatorResponse: true }],
    ['skipped (EAP-Success without MS-CHAPv2 Success)', { skipInnerSuccess: true }],
  ])('%s authenticator response: server failed to authenticate itself', (_what, hostile) => {
    const ex = run({ hostile });
    expect(ex.serverResult?.ok ?? true).toBe(true);
    expect(ex.outcome?.kind === 'failure' && ex.outcome.failure.message).toContain('server failed to authenticate');
  });

  it('garbage and stale identifiers: still succeeds', () => {
    const ex = run({ hostile: { garbage: true } });
    expect(ex.outcome?.kind).toBe('success');
    expect(ex.c.counters.ignored).toBeGreaterThan(10);
  });

  it('echoed password is not repeated', () => {
    const ex = run({ hostile: { failWith: { errorCode: 691 }, echoPassword: true } });
    expect(ex.outcome?.kind).toBe('failure');
    expect(exposedText(ex.c, ex.outcome)).not.toContain(credentials.password);
  });
});
