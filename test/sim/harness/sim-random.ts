/**
 * Seeded randomness for simulations: floats and choices on top of the engine's seeded
 * generator (main/engine/random.ts), so a failing run replays exactly from its seed.
 */
import { randomU32, seededRandom } from '../../../main/engine/random';
import type { RandomSource } from '../../../main/engine/random';

export class SimRandom {
  private readonly source: RandomSource;

  constructor(readonly seed: number) {
    this.source = seededRandom(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return randomU32(this.source) / 0x1_0000_0000;
  }

  /** True with probability p (p <= 0: never, p >= 1: always). */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.next() < p;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bytes(length: number): Uint8Array {
    return this.source(length);
  }
}
