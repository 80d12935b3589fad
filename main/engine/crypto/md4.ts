/**
 * MD4 message digest (RFC 1320), written here because OpenSSL 3 keeps MD4 behind its legacy
 * provider and neither Node nor Electron guarantees it. MS-CHAP needs it for the NT password hash
 * (RFC 2759 §8.3 NtPasswordHash) and its hash-of-hash (§8.4 HashNtPasswordHash).
 *
 * Owns: the MD4 compression function and padding. Must not: be used for anything but the legacy
 * protocol hashes MS-CHAP defines (MD4 is broken as a general-purpose hash).
 */

// RFC 1320 §3.3: initial chaining values A, B, C, D.
const INIT_A = 0x67452301;
const INIT_B = 0xefcdab89;
const INIT_C = 0x98badcfe;
const INIT_D = 0x10325476;
// RFC 1320 §3.4: round 2 and round 3 additive constants (sqrt 2 and sqrt 3, 2^30 scaled).
const ROUND2_K = 0x5a827999;
const ROUND3_K = 0x6ed9eba1;
// RFC 1320 §3.4 round 3: the first word index of each group of four steps.
const ROUND3_ORDER = [0, 2, 1, 3] as const;

function rotl(x: number, s: number): number {
  return (x << s) | (x >>> (32 - s));
}

/** MD4 digest (16 octets) of `data`. */
export function md4(data: Uint8Array): Uint8Array {
  const len = data.length;
  // RFC 1320 §3.1-3.2: append 0x80, zeros to 56 mod 64, then the bit length as 64-bit little-endian.
  const blocks = ((len + 8) >>> 6) + 1;
  const padded = new Uint8Array(blocks * 64);
  padded.set(data);
  padded[len] = 0x80;
  const end = padded.length;
  const bitsLow = (len << 3) >>> 0;
  const bitsHigh = Math.floor(len / 0x20000000) >>> 0;
  padded[end - 8] = bitsLow & 0xff;
  padded[end - 7] = (bitsLow >>> 8) & 0xff;
  padded[end - 6] = (bitsLow >>> 16) & 0xff;
  padded[end - 5] = (bitsLow >>> 24) & 0xff;
  padded[end - 4] = bitsHigh & 0xff;
  padded[end - 3] = (bitsHigh >>> 8) & 0xff;
  padded[end - 2] = (bitsHigh >>> 16) & 0xff;
  padded[end - 1] = (bitsHigh >>> 24) & 0xff;

  let a = INIT_A;
  let b = INIT_B;
  let c = INIT_C;
  let d = INIT_D;
  const x = new Int32Array(16);

  for (let off = 0; off < end; off += 64) {
    for (let i = 0; i < 16; i++) {
      const p = off + i * 4;
      x[i] = padded[p]! | (padded[p + 1]! << 8) | (padded[p + 2]! << 16) | (padded[p + 3]! << 24);
    }
    const aa = a;
    const bb = b;
    const cc = c;
    const dd = d;

    // RFC 1320 §3.4 round 1: F(X,Y,Z) = XY v not(X) Z; shifts 3, 7, 11, 19.
    for (let i = 0; i < 16; i += 4) {
      a = rotl((a + ((b & c) | (~b & d)) + x[i]!) | 0, 3);
      d = rotl((d + ((a & b) | (~a & c)) + x[i + 1]!) | 0, 7);
      c = rotl((c + ((d & a) | (~d & b)) + x[i + 2]!) | 0, 11);
      b = rotl((b + ((c & d) | (~c & a)) + x[i + 3]!) | 0, 19);
    }
    // Round 2: G(X,Y,Z) = XY v XZ v YZ; word order 0,4,8,12 / 1,5,9,13 / ...; shifts 3, 5, 9, 13.
    for (let i = 0; i < 4; i++) {
      a = rotl((a + ((b & c) | (b & d) | (c & d)) + x[i]! + ROUND2_K) | 0, 3);
      d = rotl((d + ((a & b) | (a & c) | (b & c)) + x[i + 4]! + ROUND2_K) | 0, 5);
      c = rotl((c + ((d & a) | (d & b) | (a & b)) + x[i + 8]! + ROUND2_K) | 0, 9);
      b = rotl((b + ((c & d) | (c & a) | (d & a)) + x[i + 12]! + ROUND2_K) | 0, 13);
    }
    // Round 3: H(X,Y,Z) = X xor Y xor Z; word order 0,8,4,12 / 2,10,6,14 / 1,9,5,13 / 3,11,7,15; shifts 3, 9, 11, 15.
    for (const i of ROUND3_ORDER) {
      a = rotl((a + (b ^ c ^ d) + x[i]! + ROUND3_K) | 0, 3);
      d = rotl((d + (a ^ b ^ c) + x[i + 8]! + ROUND3_K) | 0, 9);
      c = rotl((c + (d ^ a ^ b) + x[i + 4]! + ROUND3_K) | 0, 11);
      b = rotl((b + (c ^ d ^ a) + x[i + 12]! + ROUND3_K) | 0, 15);
    }

    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }

  const out = new Uint8Array(16);
  const words = [a, b, c, d];
  for (let w = 0; w < 4; w++) {
    const v = words[w]!;
    out[w * 4] = v & 0xff;
    out[w * 4 + 1] = (v >>> 8) & 0xff;
    out[w * 4 + 2] = (v >>> 16) & 0xff;
    out[w * 4 + 3] = (v >>> 24) & 0xff;
  }
  return out;
}
