/**
 * RC4 stream cipher (the "ARCFOUR" algorithm, as specified for MPPE by RFC 3078 §2 and tested by
 * RFC 6229). This is the MPPE data path's inner loop, so it works on typed arrays only: one
 * 256-octet state table per instance, re-keyed in place (`setKey`) and run over caller-supplied
 * ranges (`crypt`) so that a packet costs no allocation beyond its output buffer.
 *
 * Owns: the RC4 key schedule and keystream. Must not: allocate per call on the hot path (`crypt`,
 * `setKey`), or be used outside the legacy protocols that mandate it (RC4 is broken).
 */
const IDENTITY = Uint8Array.from({ length: 256 }, (_, n) => n);

/** What the MPPE key schedule needs of an RC4 implementation (this one, or rc4-wasm.ts). */
/** Throws a RangeError unless input[inputOffset..+length] and output[outputOffset..+length] exist (both RC4s). */
export function checkCryptRange(input: Uint8Array, inputOffset: number, length: number, output: Uint8Array, outputOffset: number): void {
  if (length < 0 || inputOffset < 0 || outputOffset < 0 || inputOffset + length > input.length || outputOffset + length > output.length) {
    throw new RangeError('RC4 range outside the buffers');
  }
}

export interface Rc4Cipher {
  setKey(key: Uint8Array, keyLength?: number): void;
  crypt(input: Uint8Array, inputOffset: number, length: number, output: Uint8Array, outputOffset: number): void;
  process(input: Uint8Array, output?: Uint8Array): Uint8Array;
  skip(length: number): void;
}

export class Rc4 implements Rc4Cipher {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Uint8Array, keyLength = key.length) {
    this.setKey(key, keyLength);
  }

  /**
   * Re-keys in place (the key-scheduling algorithm), without allocating: the keystream restarts.
   * Only the first `keyLength` octets of `key` are used (MPPE keys live in reused buffers).
   */
  setKey(key: Uint8Array, keyLength = key.length): void {
    if (keyLength < 1 || keyLength > 256 || keyLength > key.length) {
      throw new RangeError(`RC4 key length must be 1..256 octets and within the key buffer (got ${keyLength})`);
    }
    const s = this.s;
    // Measured (bench/rc4.bench.ts): a memcpy of the identity table and a loop nest without the
    // per-octet key-index wrap test are ~20 % faster than the textbook loop (stateless MPPE runs
    // two key schedules per packet).
    s.set(IDENTITY);
    let j = 0;
    for (let n = 0; n < 256; ) {
      for (let k = 0; k < keyLength && n < 256; k++, n++) {
        const t = s[n]!;
        j = (j + t + key[k]!) & 0xff;
        s[n] = s[j]!;
        s[j] = t;
      }
    }
    this.i = 0;
    this.j = 0;
  }

  /**
   * XORs the next `length` keystream octets over `input[inputOffset..]` into
   * `output[outputOffset..]`. Input and output may be the same buffer (in-place) at the same offset.
   */
  crypt(input: Uint8Array, inputOffset: number, length: number, output: Uint8Array, outputOffset: number): void {
    checkCryptRange(input, inputOffset, length, output, outputOffset);
    const s = this.s;
    let i = this.i;
    let j = this.j;
    for (let n = 0; n < length; n++) {
      i = (i + 1) & 0xff;
      const si = s[i]!;
      j = (j + si) & 0xff;
      const sj = s[j]!;
      s[i] = sj;
      s[j] = si;
      output[outputOffset + n] = input[inputOffset + n]! ^ s[(si + sj) & 0xff]!;
    }
    this.i = i;
    this.j = j;
  }

  /** Encrypts (or decrypts: RC4 is symmetric) `input`; into `output` when given (may be `input`). */
  process(input: Uint8Array, output: Uint8Array = new Uint8Array(input.length)): Uint8Array {
    this.crypt(input, 0, input.length, output, 0);
    return output;
  }

  /** Advances the keystream by `length` octets without output (RFC 6229 reads at offsets). */
  skip(length: number): void {
    const s = this.s;
    let i = this.i;
    let j = this.j;
    for (let n = 0; n < length; n++) {
      i = (i + 1) & 0xff;
      const si = s[i]!;
      j = (j + si) & 0xff;
      s[i] = s[j]!;
      s[j] = si;
    }
    this.i = i;
    this.j = j;
  }
}
