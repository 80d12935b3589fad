import { describe, expect, it } from 'vitest';
import { desEncryptBlock, desEncryptBlock8, expandDesKey } from '../../../../main/engine/crypto/des';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

describe('expandDesKey', () => {
  it('rfc2759_9_3_sevenOctetsToEightWithOddParity', () => {
    expect(toHex(expandDesKey(fromHex('FC 15 6A F7 ED CD 6C')))).toBe('fd0b5b5e7f6e34d9');
  });

  it('everyOutputOctetHasOddParity', () => {
    for (const key of ['00000000000000', 'ffffffffffffff', '0123456789abcd', 'dde3337d427f4e']) {
      for (const octet of expandDesKey(fromHex(key))) {
        let ones = 0;
        for (let b = 0; b < 8; b++) ones += (octet >> b) & 1;
        expect(ones % 2).toBe(1);
      }
    }
  });

  it('refusesAKeyThatIsNotSevenOctets', () => {
    expect(() => expandDesKey(new Uint8Array(8))).toThrow(RangeError);
  });
});

describe('desEncryptBlock8', () => {
  // Known-answer vectors: NIST SP 800-17 (variable plaintext / variable key tables), the
  // FIPS 81 "Now is t" example, and the classic textbook key 133457799BBCDFF1.
  const vectors: [string, string, string][] = [
    ['0101010101010101', '8000000000000000', '95f8a5e5dd31d900'],
    ['0101010101010101', '4000000000000000', 'dd7f121ca5015619'],
    ['0101010101010101', '0000000000000001', '166b40b44aba4bd6'],
    ['8001010101010101', '0000000000000000', '95a8d72813daa94d'],
    ['0123456789abcdef', '4e6f772069732074', '3fa40e8a984d4815'],
    ['133457799bbcdff1', '0123456789abcdef', '85e813540f0ab405'],
  ];
  for (const [key, plain, cipher] of vectors) {
    it(`knownAnswer_key${key}_plain${plain}`, () => {
      expect(toHex(desEncryptBlock8(fromHex(key), fromHex(plain)))).toBe(cipher);
    });
  }

  it('ignoresParityBits', () => {
    const a = desEncryptBlock8(fromHex('0101010101010101'), fromHex('8000000000000000'));
    const b = desEncryptBlock8(fromHex('0000000000000000'), fromHex('8000000000000000'));
    expect(toHex(a)).toBe(toHex(b));
  });

  it('refusesWrongSizes', () => {
    expect(() => desEncryptBlock8(new Uint8Array(7), new Uint8Array(8))).toThrow(RangeError);
    expect(() => desEncryptBlock8(new Uint8Array(8), new Uint8Array(9))).toThrow(RangeError);
  });
});

describe('desEncryptBlock', () => {
  it('rfc2759_9_2_firstThirdOfTheNtResponse', () => {
    // RFC 2759 §9.2: PasswordHash 44EBBA8D5312B8D6... ; Challenge D02E4386BCE91226; the first
    // DES block of the NT-Response is the challenge under the hash's first 7 octets.
    const out = desEncryptBlock(fromHex('44 EB BA 8D 53 12 B8'), fromHex('D0 2E 43 86 BC E9 12 26'));
    expect(toHex(out)).toBe('82309ecd8d708b5e');
  });
});
