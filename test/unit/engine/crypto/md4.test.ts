import { describe, expect, it } from 'vitest';
import { md4 } from '../../../../main/engine/crypto/md4';
import { toHex } from '../../../../main/engine/wire/bytes';

const text = (s: string) => new TextEncoder().encode(s);

describe('md4', () => {
  // RFC 1320 Appendix A.5: the MD4 test suite.
  const suite: [string, string][] = [
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    ['1234567890'.repeat(8), 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ];
  for (const [input, digest] of suite) {
    it(`rfc1320Suite_${JSON.stringify(input).slice(0, 24)}`, () => {
      expect(toHex(md4(text(input)))).toBe(digest);
    });
  }

  it('paddingBoundaries_55_56_63_64_octets_allDistinctAnd16Octets', () => {
    // 55 fits one block with the length; 56 spills the length into a second block.
    const digests = [55, 56, 63, 64, 65].map((n) => toHex(md4(new Uint8Array(n).fill(0x61))));
    expect(new Set(digests).size).toBe(5);
    for (const d of digests) expect(d).toHaveLength(32);
  });

  it('millionA_matchesTheWellKnownDigest', () => {
    expect(toHex(md4(new Uint8Array(1_000_000).fill(0x61)))).toBe('bbce80cc6bb65e5c6745e30d4eeca9a4');
  });

  it('doesNotModifyItsInput', () => {
    const input = text('abc');
    md4(input);
    expect(Array.from(input)).toEqual([0x61, 0x62, 0x63]);
  });
});
