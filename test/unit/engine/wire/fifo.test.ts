import { describe, expect, it } from 'vitest';
import { Fifo } from '../../../../main/engine/wire/fifo';

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
