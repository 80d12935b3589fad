/**
 * 32-bit sequence-number arithmetic for the enhanced GRE sequence and acknowledgement numbers
 * (RFC 2637 §4.1: both are 32-bit and wrap), compared the RFC 1982 way: `a` is "after" `b` when
 * the forward distance from b to a is below 2^31. Owns only arithmetic: no state.
 */

/** RFC 1982 §2: serial numbers of SERIAL_BITS = 32. */
const SERIAL_MODULUS = 0x1_0000_0000;
const HALF = 0x8000_0000;

/** (a + n) mod 2^32. */
export function seqAdd(a: number, n: number): number {
  return (((a + n) % SERIAL_MODULUS) + SERIAL_MODULUS) % SERIAL_MODULUS;
}

/**
 * The signed distance from `b` to `a` in [-2^31, 2^31): positive when `a` is after `b`.
 * RFC 1982 leaves a distance of exactly 2^31 undefined; we call it "before" (negative), which
 * makes such a packet stale rather than far ahead.
 */
export function seqDiff(a: number, b: number): number {
  const d = ((a >>> 0) - (b >>> 0) + SERIAL_MODULUS) % SERIAL_MODULUS;
  return d >= HALF ? d - SERIAL_MODULUS : d;
}

export function seqLt(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}

export function seqLte(a: number, b: number): boolean {
  return seqDiff(a, b) <= 0;
}

export function seqGt(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}
