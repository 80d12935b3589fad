import { describe, expect, it } from 'vitest';
import { Rc4 } from '../../../../main/engine/crypto/rc4';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

const text = (s: string) => new TextEncoder().encode(s);

function keystream(key: string, offset: number, length: number): string {
  const rc4 = new Rc4(fromHex(key));
  rc4.skip(offset);
  return toHex(rc4.process(new Uint8Array(length)));
}

describe('Rc4', () => {
  // RFC 6229 §2: keystream at offsets 0, 16 and 4096 (40-bit key), 0 and 1520 (128-bit key), 0 (64-bit key).
  it('rfc6229_40bitKey_offsets0_16_4096', () => {
    expect(keystream('0102030405', 0, 16)).toBe('b2396305f03dc027ccc3524a0a1118a8');
    expect(keystream('0102030405', 16, 16)).toBe('6982944f18fc82d589c403a47a0d0919');
    expect(keystream('0102030405', 4096, 16)).toBe('ff25b58995996707e51fbdf08b34d875');
  });

  it('rfc6229_64bitKey_offset0', () => {
    expect(keystream('0102030405060708', 0, 16)).toBe('97ab8a1bf0afb96132f2f67258da15a8');
  });

  it('rfc6229_128bitKey_offsets0_1520', () => {
    expect(keystream('0102030405060708090a0b0c0d0e0f10', 0, 16)).toBe('9ac7cc9a609d1ef7b2932899cde41b97');
    expect(keystream('0102030405060708090a0b0c0d0e0f10', 1520, 16)).toBe('b40110c4190b5622a96116b0017ed297');
  });

  it('classicTextVectors', () => {
    expect(toHex(new Rc4(text('Key')).process(text('Plaintext')))).toBe('bbf316e8d940af0ad3');
    expect(toHex(new Rc4(text('Wiki')).process(text('pedia')))).toBe('1021bf0420');
    expect(toHex(new Rc4(text('Secret')).process(text('Attack at dawn')))).toBe('45a01f645fc35b383552544b9bf5');
  });

  it('decryptsWhatItEncrypted_andContinuesTheKeystreamAcrossCalls', () => {
    const key = text('Secret');
    const whole = new Rc4(key).process(text('Attack at dawn'));
    const a = new Rc4(key);
    const parts = [a.process(text('Attack')), a.process(text(' at dawn'))];
    expect(toHex(parts[0]!) + toHex(parts[1]!)).toBe(toHex(whole));
    expect(new TextDecoder().decode(new Rc4(key).process(whole))).toBe('Attack at dawn');
  });

  it('setKey_restartsTheKeystreamInPlace_sameAsANewInstance', () => {
    const rc4 = new Rc4(text('first key'));
    rc4.process(new Uint8Array(100));
    rc4.setKey(fromHex('0102030405'));
    expect(toHex(rc4.process(new Uint8Array(16)))).toBe('b2396305f03dc027ccc3524a0a1118a8');
  });

  it('setKey_usesOnlyKeyLengthOctetsOfALargerBuffer', () => {
    const buffer = fromHex('0102030405ffffffffff');
    const rc4 = new Rc4(buffer, 5);
    expect(toHex(rc4.process(new Uint8Array(16)))).toBe('b2396305f03dc027ccc3524a0a1118a8');
  });

  it('crypt_worksInPlaceAndAtOffsets', () => {
    const plain = text('xxhello worldyy');
    const expected = new Rc4(text('k')).process(text('hello world'));
    const buffer = plain.slice();
    new Rc4(text('k')).crypt(buffer, 2, 11, buffer, 2);
    expect(toHex(buffer.subarray(2, 13))).toBe(toHex(expected));
    expect(new TextDecoder().decode(buffer.subarray(0, 2))).toBe('xx');
    expect(new TextDecoder().decode(buffer.subarray(13))).toBe('yy');
  });

  it('refusesBadKeysAndRanges', () => {
    expect(() => new Rc4(new Uint8Array(0))).toThrow(RangeError);
    expect(() => new Rc4(new Uint8Array(4), 5)).toThrow(RangeError);
    const rc4 = new Rc4(text('k'));
    expect(() => rc4.crypt(new Uint8Array(4), 2, 3, new Uint8Array(8), 0)).toThrow(RangeError);
    expect(() => rc4.crypt(new Uint8Array(4), 0, 4, new Uint8Array(3), 0)).toThrow(RangeError);
  });

  it('randomKeysOfEveryLength_matchTheTextbookAlgorithm', () => {
    // The key schedule is written for speed (identity copy, nested loops): check it against the
    // RFC 3078 §2 / textbook form for key lengths 1..256 and keystreams across calls.
    function textbook(key: Uint8Array, data: Uint8Array): Uint8Array {
      const s = Array.from({ length: 256 }, (_, n) => n);
      for (let n = 0, j = 0; n < 256; n++) {
        j = (j + s[n]! + key[n % key.length]!) & 0xff;
        [s[n], s[j]] = [s[j]!, s[n]!];
      }
      const out = new Uint8Array(data.length);
      for (let n = 0, i = 0, j = 0; n < data.length; n++) {
        i = (i + 1) & 0xff;
        j = (j + s[i]!) & 0xff;
        [s[i], s[j]] = [s[j]!, s[i]!];
        out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
      }
      return out;
    }
    let seed = 99;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    const rc4 = new Rc4(new Uint8Array([1]));
    for (let length = 1; length <= 256; length++) {
      const key = Uint8Array.from({ length }, next);
      const data = Uint8Array.from({ length: 300 + length }, next);
      rc4.setKey(key);
      const out = new Uint8Array(data.length);
      rc4.crypt(data, 0, 100, out, 0);
      rc4.crypt(data, 100, data.length - 100, out, 100);
      expect(toHex(out)).toBe(toHex(textbook(key, data)));
    }
  });
});
