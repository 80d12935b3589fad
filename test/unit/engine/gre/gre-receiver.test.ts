import { describe, expect, it } from 'vitest';
import { GreReceiver } from '../../../../main/engine/gre/gre-receiver';
import { seqAdd, seqDiff } from '../../../../main/engine/gre/serial';
import { readU32, writeU32 } from '../../../../main/engine/wire/bytes';
import { seededRandom, randomU32 } from '../../../../main/engine/random';

function frame(seq: number): Uint8Array {
  const f = new Uint8Array(4);
  writeU32(f, 0, seq);
  return f;
}

/** Arrivals of `count` packets from `start`: dropped, duplicated and locally shuffled by a seeded PRNG. */
function arrivals(seed: number, start: number, count: number): number[] {
  const rnd = seededRandom(seed);
  const u = () => randomU32(rnd) / 2 ** 32;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = u();
    if (r < 0.1 && i > 0 && i < count - 1) continue; // keep the first and the last
    out.push(seqAdd(start, i));
    if (r > 0.93) out.push(seqAdd(start, i));
  }
  for (let i = 1; i < out.length - 1; i++) {
    if (u() < 0.2) {
      const j = Math.min(out.length - 2, i + 1 + Math.floor(u() * 6));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
  }
  return out;
}

describe('GreReceiver under seeded drop, duplication and reordering', () => {
  for (const [seed, start] of [
    [1, 0],
    [2, 0xffffff00],
    [3, 12345],
    [4, 0xfffffff0],
  ] as const) {
    it(`seed${seed}_start${start.toString(16)}_inOrderOnceAndAccountedFor`, () => {
      const rx = new GreReceiver({ window: 64, reorderTimeoutMs: 300, maxReorderBuffer: 8 });
      const order = arrivals(seed, start, 500);
      let now = 0;
      const delivered: number[] = [];
      const drain = () => {
        for (let f = rx.pollReady(); f !== undefined; f = rx.pollReady()) delivered.push(readU32(f, 0));
      };
      for (const seq of order) {
        now += 1;
        rx.expire(now);
        rx.onData(now, seq, frame(seq));
        drain();
      }
      rx.expire(now + 1000);
      drain();
      expect(rx.heldCount).toBe(0);
      for (let i = 1; i < delivered.length; i++) expect(seqDiff(delivered[i]!, delivered[i - 1]!)).toBeGreaterThan(0);
      const c = rx.counters;
      expect(c.accepted).toBe(delivered.length);
      const span = seqDiff(order[order.length - 1]!, start) + 1;
      expect(delivered[delivered.length - 1]).toBe(order[order.length - 1]);
      expect(c.accepted + c.lost).toBe(span);
      // Every arrival is classified exactly once.
      expect(c.accepted + c.duplicate + c.stale + c.overWindow).toBe(order.length);
      expect(rx.highestReceived).toBe(seqAdd(start, 499));
    });
  }
});
