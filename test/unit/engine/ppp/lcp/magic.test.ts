import { describe, expect, it } from 'vitest';
import { MAX_LOOPBACK_SUSPICIONS, magicHandler, newMagic } from '../../../../../main/engine/ppp/lcp/magic';
import { optionU16, optionU32, optionValueU32 } from '../../../../../main/engine/ppp/packet';
import type { RandomSource } from '../../../../../main/engine/random';
import { blankRequest, optionContext, peerDefaults } from './option-context';

const OURS = 0x11223344;

describe('LCP Magic-Number handler (RFC 1661 §6.4)', () => {
  it('is option type 5 and wants a random non-zero magic', () => {
    expect(magicHandler.type).toBe(5);
    const r = blankRequest();
    magicHandler.want(r, optionContext());
    expect(r.magic).toBeDefined();
    expect(r.magic).not.toBe(0);
    expect(optionValueU32(magicHandler.encode(r)!)).toBe(r.magic);
  });

  it('acks a different non-zero magic and records it', () => {
    const ctx = optionContext({ ours: { magic: OURS } });
    const agreed = peerDefaults();
    expect(magicHandler.checkRequest(optionU32(5, 0x1a2b3c4d), ctx, agreed)).toEqual({ kind: 'ack' });
    expect(agreed.magic).toBe(0x1a2b3c4d);
    expect(ctx.suspicions).toBe(0);
  });

  it('naks a magic equal to ours with another value and counts a loopback suspicion', () => {
    const ctx = optionContext({ ours: { magic: OURS } });
    const agreed = peerDefaults();
    const v = magicHandler.checkRequest(optionU32(5, OURS), ctx, agreed);
    expect(v.kind).toBe('nak');
    const suggest = v.kind === 'nak' ? optionValueU32(v.suggest) : undefined;
    expect(suggest).not.toBe(OURS);
    expect(suggest).not.toBe(0);
    expect(ctx.suspicions).toBe(1);
    expect(agreed.magic).toBe(0);
  });

  it('naks a zero magic without suspecting a loopback', () => {
    const ctx = optionContext();
    const v = magicHandler.checkRequest(optionU32(5, 0), ctx, peerDefaults());
    expect(v.kind).toBe('nak');
    expect(ctx.suspicions).toBe(0);
  });

  it('rejects a malformed magic', () => {
    expect(magicHandler.checkRequest(optionU16(5, 1), optionContext(), peerDefaults())).toEqual({ kind: 'reject' });
  });

  it('on a Nak picks a new magic, and reports a loopback at the fifth suspicion', () => {
    const ctx = optionContext({ ours: { magic: OURS } });
    const seen = new Set<number | undefined>([OURS]);
    for (let i = 1; i < MAX_LOOPBACK_SUSPICIONS; i++) {
      expect(magicHandler.onNak(optionU32(5, ctx.ours.magic!), ctx)).toBe('ok');
      seen.add(ctx.ours.magic);
    }
    expect(seen.size).toBe(MAX_LOOPBACK_SUSPICIONS);
    expect(magicHandler.onNak(optionU32(5, ctx.ours.magic!), ctx)).toBe('looped-back');
    expect(ctx.suspicions).toBe(MAX_LOOPBACK_SUSPICIONS);
  });

  it('on a Reject stops asking', () => {
    const ctx = optionContext();
    magicHandler.onReject(ctx);
    expect(ctx.ours.magic).toBeUndefined();
  });

  it('newMagic never returns zero or the value to avoid, even from a stuck source', () => {
    const zeros: RandomSource = (n) => new Uint8Array(n);
    expect(newMagic(zeros)).toBe(1);
    expect(newMagic(zeros, 1)).toBe(2);
  });
});
