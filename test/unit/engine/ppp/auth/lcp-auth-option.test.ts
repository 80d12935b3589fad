import { describe, expect, it } from 'vitest';
import { AUTH_METHODS } from '../../../../../main/engine/ppp/auth/auth-client';
import { authOptionFor, methodFromAuthOption } from '../../../../../main/engine/ppp/auth/lcp-auth-option';

describe('LCP Authentication-Protocol option numbers', () => {
  it.each([
    ['pap', 0xc023, undefined],
    ['chap', 0xc223, 0x05],
    ['mschap', 0xc223, 0x80],
    ['mschapv2', 0xc223, 0x81],
    ['eap', 0xc227, undefined],
  ] as const)('%s is protocol %i algorithm %s', (method, protocol, algorithm) => {
    expect(authOptionFor(method)).toEqual(algorithm === undefined ? { protocol } : { protocol, algorithm });
  });

  it('round-trips every method', () => {
    for (const m of AUTH_METHODS) {
      const o = authOptionFor(m);
      expect(methodFromAuthOption(o.protocol, o.algorithm === undefined ? new Uint8Array(0) : Uint8Array.of(o.algorithm))).toBe(m);
    }
  });

  it.each([
    ['SPAP', 0xc027, [], 'spap'],
    ['CHAP with an unknown algorithm', 0xc223, [0x06], undefined],
    ['CHAP without an algorithm', 0xc223, [], undefined],
    ['CHAP with two data octets', 0xc223, [0x81, 0], undefined],
    ['PAP with data', 0xc023, [1], undefined],
    ['an unknown protocol', 0xc123, [], undefined],
  ])('%s', (_what, protocol, data, expected) => {
    expect(methodFromAuthOption(protocol, Uint8Array.from(data))).toBe(expected);
  });
});
