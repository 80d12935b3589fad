import { describe, expect, it } from 'vitest';
import { FramePool } from '../../../../main/engine/wire/frame-pool';

/** The send path's buffer pool: who owns a slot when, and what happens when the rules are broken. */
describe('FramePool', () => {
  it('acquire_handsOutDistinctSlots_andReleaseMakesThemReusable', () => {
    const pool = new FramePool(3, 64);
    const a = pool.acquire(10);
    const b = pool.acquire(64);
    expect(a.length).toBe(64);
    expect(a).not.toBe(b);
    expect(a.buffer).toBe(b.buffer); // one slab
    expect(pool.free).toBe(1);
    expect(pool.release(a)).toBe('released');
    expect(pool.free).toBe(2);
    expect(pool.acquire(5)).toBe(a); // the slot given back is the next one out
    expect(pool.counters).toMatchObject({ acquired: 3, released: 1, exhausted: 0 });
  });

  it('releasedTwice_isAlreadyFree_andTheSlotNeverHasTwoOwners', () => {
    const pool = new FramePool(4, 32);
    const a = pool.acquire(8);
    expect(pool.release(a)).toBe('released');
    expect(pool.release(a)).toBe('already-free');
    expect(pool.counters.doubleReleases).toBe(1);
    expect(pool.free).toBe(4);
    // Drain the pool: every slot comes out exactly once (the double release added no copy).
    const out = [pool.acquire(8), pool.acquire(8), pool.acquire(8), pool.acquire(8)];
    expect(new Set(out).size).toBe(4);
    expect(out.every((s) => pool.owns(s))).toBe(true);
    expect(pool.counters.exhausted).toBe(0);
    expect(pool.acquire(8).length).toBe(8); // the fifth is a fallback
    expect(pool.counters.exhausted).toBe(1);
  });

  it('foreignBuffer_isNotPooled_andChangesNothing', () => {
    const pool = new FramePool(2, 32);
    const slot = pool.acquire(8);
    expect(pool.release(new Uint8Array(32))).toBe('not-pooled');
    // A view of the slab that spills over a slot boundary is not one the pool handed out.
    expect(pool.release(new Uint8Array(slot.buffer, slot.byteOffset + 4, 32))).toBe('not-pooled');
    expect(pool.counters.notPooled).toBe(2);
    expect(pool.free).toBe(1);
    expect(pool.owns(slot)).toBe(true);
  });

  it('viewInsideASlot_releasesThatSlot', () => {
    const pool = new FramePool(2, 32);
    const slot = pool.acquire(8);
    // What pollGrePacket hands out: the packet as a view at the slot's end.
    expect(pool.release(slot.subarray(24))).toBe('released');
    expect(pool.free).toBe(2);
    expect(pool.release(slot)).toBe('already-free');
  });

  it('exhausted_fallsBackToAnExactlySizedBuffer_countedAndNotPooled', () => {
    const pool = new FramePool(1, 32);
    const slot = pool.acquire(20);
    const fallback = pool.acquire(20);
    expect(fallback.length).toBe(20);
    expect(pool.owns(fallback)).toBe(false);
    expect(pool.counters.exhausted).toBe(1);
    expect(pool.release(fallback)).toBe('not-pooled');
    expect(pool.release(slot)).toBe('released');
    expect(pool.acquire(20)).toBe(slot); // back to the pool once a slot is free
  });

  it('frameLargerThanASlot_getsAFreshBuffer_countedAsOversize', () => {
    const pool = new FramePool(2, 32);
    const big = pool.acquire(33);
    expect(big.length).toBe(33);
    expect(pool.counters).toMatchObject({ oversize: 1, exhausted: 0 });
    expect(pool.free).toBe(2);
  });

  it('refusesAShapelessPool_withARangeError', () => {
    expect(() => new FramePool(0, 32)).toThrow(RangeError);
    expect(() => new FramePool(2, 1.5)).toThrow(RangeError);
  });
});
