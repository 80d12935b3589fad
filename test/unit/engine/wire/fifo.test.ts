import { describe, expect, it } from 'vitest';
import { Fifo, OffsetFrameFifo } from '../../../../main/engine/wire/fifo';

describe('Fifo', () => {
  it('keepsOrder_acrossGrowthAndWrapAround', () => {
    const q = new Fifo<number>(2);
    const model: number[] = [];
    let next = 0;
    for (let step = 0; step < 2000; step++) {
      if ((step * 7) % 5 < 3) {
        q.push(next);
        model.push(next++);
      } else {
        expect(q.shift()).toBe(model.shift());
      }
      expect(q.length).toBe(model.length);
      expect(q.peek()).toBe(model[0]);
    }
    while (model.length > 0) expect(q.shift()).toBe(model.shift());
    expect(q.shift()).toBeUndefined();
  });
});

describe('OffsetFrameFifo', () => {
  it('keepsEachFramesOffset_inOrder_asBufferAndStartOrAsAView', () => {
    const q = new OffsetFrameFifo();
    const a = Uint8Array.of(0, 0, 1, 2);
    const b = Uint8Array.of(3, 4);
    q.push(a, 2);
    q.push(b, 0);
    expect(q.length).toBe(2);
    expect(q.shiftAt()).toBe(a);
    expect(q.lastStart).toBe(2);
    // Offset 0 hands out the buffer itself, not a view.
    expect(q.shift()).toBe(b);
    expect(q.lastStart).toBe(0);
    expect(q.shift()).toBeUndefined();
    q.push(a, 2);
    const view = q.shift()!;
    expect(Array.from(view)).toEqual([1, 2]);
    expect(view.buffer).toBe(a.buffer);
  });
});
