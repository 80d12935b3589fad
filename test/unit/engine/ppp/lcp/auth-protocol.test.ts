import { describe, expect, it } from 'vitest';
import { authOption, authProtocolHandler, parseAuthOption } from '../../../../../main/engine/ppp/lcp/auth-protocol';
import { fromHex, toHex } from '../../../../../main/engine/wire/bytes';
import { AUTH_METHODS } from '../../../../../preload/vocabulary';
import { blankRequest, optionContext, peerDefaults } from './option-context';

const opt = (hex: string) => ({ type: 3, data: fromHex(hex) });

describe('LCP Authentication-Protocol handler (RFC 1661 §6.2)', () => {
  it('is option type 3 and never in our request (we are the authenticatee)', () => {
    expect(authProtocolHandler.type).toBe(3);
    const r = blankRequest();
    authProtocolHandler.want(r, optionContext());
    expect(r).toEqual(blankRequest());
    expect(authProtocolHandler.encode(r)).toBeUndefined();
  });

  it.each([
    ['pap', 'c023'],
    ['chap', 'c22305'],
    ['mschap', 'c22380'],
    ['mschapv2', 'c22381'],
    ['eap', 'c227'],
  ] as const)('encodes %s as %s and parses it back', (method, hex) => {
    expect(toHex(authOption(method).data)).toBe(hex);
    expect(parseAuthOption(authOption(method))).toMatchObject({ kind: 'method', selection: { method } });
  });

  it('every method round-trips', () => {
    for (const m of AUTH_METHODS) expect(parseAuthOption(authOption(m))).toMatchObject({ selection: { method: m } });
  });

  it.each([
    ['SPAP', 'c027', /SPAP/],
    ['CHAP with an unknown algorithm', 'c22306', /unknown algorithm 0x6/],
    ['CHAP without an algorithm', 'c223', /0xc223/],
    ['CHAP with two data octets', 'c2238100', /0xc223/],
    ['PAP with data', 'c02301', /0xc023/],
    ['an unknown protocol', 'c123', /0xc123/],
    ['a one-octet option', 'c0', /malformed/],
  ])('does not take %s as a method', (_what, hex, description) => {
    const parsed = parseAuthOption(opt(hex));
    expect(parsed.kind).toBe('unsupported');
    expect(parsed.kind === 'unsupported' && parsed.description).toMatch(description);
  });

  it('acks an allowed method and records the selection', () => {
    const ctx = optionContext({ allowedAuth: ['mschapv2', 'mschap'] });
    const agreed = peerDefaults();
    expect(authProtocolHandler.checkRequest(opt('c22380'), ctx, agreed)).toEqual({ kind: 'ack' });
    expect(agreed.auth).toEqual({ method: 'mschap', protocol: 0xc223 });
    expect(ctx.refusals).toEqual([]);
  });

  it('naks a method the profile does not allow with the strongest allowed one, and says why', () => {
    const ctx = optionContext({ allowedAuth: ['pap', 'mschap'] });
    const agreed = peerDefaults();
    const v = authProtocolHandler.checkRequest(opt('c22381'), ctx, agreed);
    expect(v.kind === 'nak' && toHex(v.suggest.data)).toBe('c22380');
    expect(agreed.auth).toBeNull();
    expect(ctx.refusals).toEqual(['The server requires MS-CHAPv2, which this profile does not allow (allowed: MS-CHAPv1, PAP).']);
    // Structured, so the advice can name the method and how to allow it.
    expect(ctx.refused).toEqual([{ kind: 'auth-method', serverOffer: 'MS-CHAPv2', serverMethod: 'mschapv2', allowed: ['mschap', 'pap'] }]);
  });

  it('labels MS-CHAPv1 with the shared vocabulary in the refusal', () => {
    const ctx = optionContext({ allowedAuth: ['pap'] });
    authProtocolHandler.checkRequest(opt('c22380'), ctx, peerDefaults());
    expect(ctx.refusals[0]).toBe('The server requires MS-CHAPv1, which this profile does not allow (allowed: PAP).');
  });

  it('rejects the option when the profile allows no method', () => {
    const ctx = optionContext({ allowedAuth: [] });
    expect(authProtocolHandler.checkRequest(opt('c023'), ctx, peerDefaults())).toEqual({ kind: 'reject' });
    expect(ctx.refusals[0]).toMatch(/requires PAP.*allowed: none/);
  });

  it('ignores a Nak hint and a Reject (we never sent it)', () => {
    const ctx = optionContext();
    const before = { ...ctx.ours };
    expect(authProtocolHandler.onNak(opt('c023'), ctx)).toBe('ok');
    authProtocolHandler.onReject(ctx);
    expect(ctx.ours).toEqual(before);
  });
});
