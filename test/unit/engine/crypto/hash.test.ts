import { describe, expect, it } from 'vitest';
import { md5, sha1 } from '../../../../main/engine/crypto/hash';
import { toHex } from '../../../../main/engine/wire/bytes';

const text = (s: string) => new TextEncoder().encode(s);

describe('hash', () => {
  it('sha1_overParts_equalsOverTheConcatenation', () => {
    expect(toHex(sha1(text('ab'), text(''), text('c')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
  it('md5_rfc1321Suite', () => {
    expect(toHex(md5())).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(toHex(md5(text('a'), text('bc')))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(toHex(md5(text('message digest')))).toBe('f96b697d7cb7938d525a2f31aaf161d0');
  });
  it('returnsPlainUint8ArraysOfDigestLength', () => {
    const d = sha1(text('x'));
    expect(d).toBeInstanceOf(Uint8Array);
    expect(d.length).toBe(20);
    expect(md5(text('x')).length).toBe(16);
  });
});
