import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha1 } from '../../../../main/engine/crypto/sha1';
import { seededRandom } from '../../../../main/engine/random';
import { toHex } from '../../../../main/engine/wire/bytes';

const text = (s: string) => new TextEncoder().encode(s);

describe('Sha1 (allocation-free)', () => {
  // FIPS 180-2 Appendix A examples.
  it('fips180_abc', () => {
    expect(toHex(new Sha1().update(text('abc')).digest())).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
  it('fips180_twoBlockMessage', () => {
    const m = text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
    expect(toHex(new Sha1().update(m).digest())).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  });
  it('fips180_millionA_fedInUnevenChunks', () => {
    const h = new Sha1();
    const chunk = new Uint8Array(999).fill(0x61);
    let left = 1_000_000;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      h.update(chunk, 0, n);
      left -= n;
    }
    expect(toHex(h.digest())).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });

  it('matchesNodeCryptoForEveryLength0To200_andReusesAfterReset', () => {
    const random = seededRandom(7);
    const h = new Sha1();
    for (let n = 0; n <= 200; n++) {
      const data = random(n);
      h.reset().update(data);
      expect(toHex(h.digest())).toBe(createHash('sha1').update(data).digest('hex'));
    }
  });

  it('updateRepeated_equalsFeedingTheRepeatedOctets', () => {
    const a = new Sha1().update(text('k')).updateRepeated(0xf2, 130).digest();
    expect(toHex(a)).toBe(createHash('sha1').update('k').update(Buffer.alloc(130, 0xf2)).digest('hex'));
  });

  it('digestInto_writesAtAnOffset', () => {
    const out = new Uint8Array(24).fill(0xee);
    new Sha1().update(text('abc')).digestInto(out, 2);
    expect(toHex(out)).toBe('eeee' + 'a9993e364706816aba3e25717850c26c9cd0d89d' + 'eeee');
  });
});
