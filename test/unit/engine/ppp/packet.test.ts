import { describe, expect, it } from 'vitest';
import {
  codeName,
  decodeControlPacket,
  decodeOptions,
  encodeControlPacket,
  encodeOptions,
  optionU16,
  optionValueU16,
  optionValueU32,
  optionsEqual,
} from '../../../../main/engine/ppp/packet';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

describe('control packet codec (RFC 1661 §5)', () => {
  it('round-trips code, identifier, length and data', () => {
    const bytes = encodeControlPacket({ code: 1, identifier: 0x2a, data: fromHex('0104 05dc') });
    expect(toHex(bytes)).toBe('012a0008010405dc');
    const p = decodeControlPacket(bytes);
    expect(p.ok && p.value).toMatchObject({ code: 1, identifier: 0x2a });
    expect(p.ok && toHex(p.value.data)).toBe('010405dc');
  });

  it('drops padding beyond Length (RFC 1661 §5)', () => {
    const p = decodeControlPacket(fromHex('0901 0008 11223344 0000 0000'));
    expect(p.ok && toHex(p.value.data)).toBe('11223344');
  });

  it.each([
    ['empty', '', 'truncated'],
    ['short header', '0101 00', 'truncated'],
    ['Length below header', '0101 0003', 'bad-length'],
    ['Length beyond the bytes', '0101 0010 0000', 'truncated'],
  ])('refuses %s with a typed error', (_name, hex, code) => {
    const p = decodeControlPacket(fromHex(hex));
    expect(p.ok).toBe(false);
    expect(!p.ok && p.error.code).toBe(code);
  });

  it('names codes', () => {
    expect(codeName(4)).toBe('Configure-Reject');
    expect(codeName(14)).toBe('Reset-Request');
    expect(codeName(99)).toBe('code 99');
  });
});

describe('option list codec (RFC 1661 §6)', () => {
  it('walks type/length/data', () => {
    const o = decodeOptions(fromHex('0104 0578 0506 11223344 0702 0802'));
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.value.map((x) => x.type)).toEqual([1, 5, 7, 8]);
    expect(optionValueU16(o.value[0]!)).toBe(1400);
    expect(optionValueU32(o.value[1]!)).toBe(0x11223344);
    expect(toHex(encodeOptions(o.value))).toBe('010405780506112233440702' + '0802');
  });

  it.each([
    ['a Length that overruns the list', '0104 0578 05f0 1122', 'truncated'],
    ['a Length of 1 (would not advance)', '0101 00', 'bad-length'],
    ['a Length of 0', '0500', 'bad-length'],
    ['a lone type octet', '0104 0578 07', 'truncated'],
  ])('rejects %s with a typed error, never throwing', (_name, hex, code) => {
    const o = decodeOptions(fromHex(hex));
    expect(o.ok).toBe(false);
    expect(!o.ok && o.error.code).toBe(code);
  });

  it('handles 255-octet options and an empty list', () => {
    const big = { type: 200, data: new Uint8Array(253).fill(7) };
    const o = decodeOptions(encodeOptions([big]));
    expect(o.ok && o.value[0]!.data.length).toBe(253);
    const e = decodeOptions(new Uint8Array(0));
    expect(e.ok && e.value).toEqual([]);
  });

  it('gives no value for a wrong-sized body and compares options exactly', () => {
    expect(optionValueU16({ type: 1, data: fromHex('05') })).toBeUndefined();
    expect(optionValueU32({ type: 5, data: fromHex('0102') })).toBeUndefined();
    expect(optionsEqual(optionU16(1, 1400), optionU16(1, 1400))).toBe(true);
    expect(optionsEqual(optionU16(1, 1400), optionU16(1, 1500))).toBe(false);
    expect(optionsEqual(optionU16(1, 1400), optionU16(2, 1400))).toBe(false);
  });

  it('never throws on random bytes', () => {
    let s = 7;
    for (let n = 0; n < 2000; n++) {
      const len = n % 40;
      const b = new Uint8Array(len);
      for (let i = 0; i < len; i++) b[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
      expect(() => decodeOptions(b)).not.toThrow();
      expect(() => decodeControlPacket(b)).not.toThrow();
    }
  });
});
