import { describe, expect, it } from 'vitest';
import { encodeAuthPacket, parseAuthHeader } from '../../../../../main/engine/ppp/auth/auth-packet';
import { fromHex, toHex } from '../../../../../main/engine/wire/bytes';

describe('parseAuthHeader', () => {
  it('returns code, identifier and the data bounded by Length, treating extra octets as padding', () => {
    const r = parseAuthHeader(fromHex('03 07 0006 aabb ccdd'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.code).toBe(3);
    expect(r.value.identifier).toBe(7);
    expect(toHex(r.value.data)).toBe('aabb');
  });
  it.each([
    ['shorter than the header', '0301 00', 'truncated'],
    ['Length beyond the bytes received', '0301 0010 aabb', 'truncated'],
    ['Length below the header size', '0301 0003 aa', 'bad-length'],
  ])('refuses a packet %s', (_what, hex, code) => {
    const r = parseAuthHeader(fromHex(hex));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });
  it('round-trips what encodeAuthPacket writes', () => {
    const p = encodeAuthPacket(1, 0xfe, fromHex('010203'));
    expect(toHex(p)).toBe('01fe0007010203');
    const r = parseAuthHeader(p);
    expect(r.ok && toHex(r.value.data)).toBe('010203');
  });
});
