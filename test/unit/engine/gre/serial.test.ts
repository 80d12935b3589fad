import { describe, expect, it } from 'vitest';
import { seqAdd, seqDiff, seqGt, seqLt, seqLte } from '../../../../main/engine/gre/serial';

describe('serial arithmetic (RFC 1982, 32 bits)', () => {
  it('seqAdd_wrapsAt2pow32', () => {
    expect(seqAdd(0xffffffff, 1)).toBe(0);
    expect(seqAdd(0, -1)).toBe(0xffffffff);
    expect(seqAdd(0xfffffff0, 0x20)).toBe(0x10);
  });
  it('seqDiff_isSignedAcrossTheWrap', () => {
    expect(seqDiff(0, 0xffffffff)).toBe(1);
    expect(seqDiff(0xffffffff, 0)).toBe(-1);
    expect(seqDiff(5, 3)).toBe(2);
    expect(seqDiff(0x7fffffff, 0)).toBe(0x7fffffff);
    // Exactly half way is undefined in RFC 1982; we call it "before".
    expect(seqDiff(0x80000000, 0)).toBe(-0x80000000);
  });
  it('comparisons_followSeqDiff', () => {
    expect(seqLt(0xfffffffe, 1)).toBe(true);
    expect(seqGt(1, 0xfffffffe)).toBe(true);
    expect(seqLte(7, 7)).toBe(true);
    expect(seqLt(7, 7)).toBe(false);
  });
});
