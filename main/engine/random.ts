/**
 * Randomness is injected, never read from the OS by the engine: the driver passes
 * `crypto.getRandomValues`-backed bytes in production and a seeded generator in tests, so
 * simulations replay exactly.
 */
export type RandomSource = (length: number) => Uint8Array;

/** A small seeded generator (xorshift32) for tests and simulations. Not for production keys. */
export function seededRandom(seed: number): RandomSource {
  let s = seed >>> 0 || 0x9e3779b9;
  return (length: number) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      out[i] = s & 0xff;
    }
    return out;
  };
}

export function randomU16(random: RandomSource): number {
  const b = random(2);
  return (b[0]! << 8) | b[1]!;
}

export function randomU32(random: RandomSource): number {
  const b = random(4);
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}
