/**
 * SHA-1 (FIPS 180-4) with preallocated state, for MPPE rekeying on the data path: stateless MPPE
 * runs GetNewKeyFromSHA (RFC 3079 §7) once per packet, and node:crypto's createHash allocates a
 * hash object and a digest Buffer each time. An instance here reuses its buffers: `reset`,
 * `update`, `digestInto` allocate nothing.
 *
 * Owns: the SHA-1 compression function and padding. Must not: be used where node:crypto suffices
 * (see hash.ts) or for anything but the legacy protocol key derivations that mandate SHA-1.
 */
export class Sha1 {
  private readonly h = new Int32Array(5);
  private readonly w = new Int32Array(80);
  private readonly block = new Uint8Array(64);
  private blockLength = 0;
  private totalLength = 0;

  constructor() {
    this.reset();
  }

  reset(): this {
    // FIPS 180-4 §5.3.1: initial hash value.
    const h = this.h;
    h[0] = 0x67452301;
    h[1] = 0xefcdab89 | 0;
    h[2] = 0x98badcfe | 0;
    h[3] = 0x10325476;
    h[4] = 0xc3d2e1f0 | 0;
    this.blockLength = 0;
    this.totalLength = 0;
    return this;
  }

  update(data: Uint8Array, offset = 0, length = data.length - offset): this {
    const block = this.block;
    this.totalLength += length;
    let n = offset;
    const end = offset + length;
    while (n < end) {
      const take = Math.min(64 - this.blockLength, end - n);
      for (let k = 0; k < take; k++) block[this.blockLength + k] = data[n + k]!;
      this.blockLength += take;
      n += take;
      if (this.blockLength === 64) {
        this.compress();
        this.blockLength = 0;
      }
    }
    return this;
  }

  /** Feeds `count` copies of the octet `value` (the SHSpad constants of RFC 3079 §7). */
  updateRepeated(value: number, count: number): this {
    const block = this.block;
    this.totalLength += count;
    let left = count;
    while (left > 0) {
      const take = Math.min(64 - this.blockLength, left);
      block.fill(value, this.blockLength, this.blockLength + take);
      this.blockLength += take;
      left -= take;
      if (this.blockLength === 64) {
        this.compress();
        this.blockLength = 0;
      }
    }
    return this;
  }

  /** Finishes the digest into `out[offset..offset+20]`; the instance must be reset before reuse. */
  digestInto(out: Uint8Array, offset = 0): void {
    const bitLength = this.totalLength * 8;
    // FIPS 180-4 §5.1.1: 0x80, zeros to 56 mod 64, then the 64-bit big-endian bit length.
    const block = this.block;
    block[this.blockLength++] = 0x80;
    if (this.blockLength > 56) {
      block.fill(0, this.blockLength, 64);
      this.compress();
      this.blockLength = 0;
    }
    block.fill(0, this.blockLength, 56);
    const high = Math.floor(bitLength / 0x100000000);
    const low = bitLength >>> 0;
    block[56] = (high >>> 24) & 0xff;
    block[57] = (high >>> 16) & 0xff;
    block[58] = (high >>> 8) & 0xff;
    block[59] = high & 0xff;
    block[60] = (low >>> 24) & 0xff;
    block[61] = (low >>> 16) & 0xff;
    block[62] = (low >>> 8) & 0xff;
    block[63] = low & 0xff;
    this.compress();
    this.blockLength = 0;
    const h = this.h;
    for (let k = 0; k < 5; k++) {
      const v = h[k]!;
      out[offset + k * 4] = (v >>> 24) & 0xff;
      out[offset + k * 4 + 1] = (v >>> 16) & 0xff;
      out[offset + k * 4 + 2] = (v >>> 8) & 0xff;
      out[offset + k * 4 + 3] = v & 0xff;
    }
  }

  digest(): Uint8Array {
    const out = new Uint8Array(20);
    this.digestInto(out);
    return out;
  }

  private compress(): void {
    const w = this.w;
    const b = this.block;
    for (let t = 0; t < 16; t++) {
      w[t] = (b[t * 4]! << 24) | (b[t * 4 + 1]! << 16) | (b[t * 4 + 2]! << 8) | b[t * 4 + 3]!;
    }
    sha1Compress(this.h, w);
  }
}

/**
 * The SHA-1 compression function (FIPS 180-4 §6.1.2) on one block already in `w[0..15]` as
 * big-endian words; `w` needs room for 80 words (the message schedule is expanded in place).
 * Four branch-free loops, one per round function, shared by the streaming Sha1 class and the
 * fixed-shape GetNewKeyHasher (mppe-keys.ts). Against the previous single loop that picked the
 * function by `t`, an A/B on the shared 2-core machine was within its noise: the rekey's
 * measured gain comes from the fixed two-block input (bench/mppe.bench.ts, GetNewKeyFromSHA).
 */
export function sha1Compress(h: Int32Array, w: Int32Array): void {
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    w[t] = (x << 1) | (x >>> 31);
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let t = 0;
  // FIPS 180-4 §4.1.1 and §4.2.1: Ch, Parity, Maj, Parity with their round constants.
  for (; t < 20; t++) {
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (; t < 40; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (; t < 60; t++) {
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + (0x8f1bbcdc | 0) + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (; t < 80; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + (0xca62c1d6 | 0) + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
}

/** FIPS 180-4 §5.3.1: the initial hash value. */
export const SHA1_INITIAL_HASH: readonly number[] = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0];
