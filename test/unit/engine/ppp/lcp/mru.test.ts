import { describe, expect, it } from 'vitest';
import { mruHandler } from '../../../../../main/engine/ppp/lcp/mru';
import { optionU16, optionU32, optionValueU16 } from '../../../../../main/engine/ppp/packet';
import { blankRequest, optionContext, peerDefaults } from './option-context';

describe('LCP MRU handler (RFC 1661 §6.1)', () => {
  it('is option type 1', () => {
    expect(mruHandler.type).toBe(1);
  });

  it('wants the configured MRU, and leaves out the default 1500', () => {
    const r = blankRequest();
    mruHandler.want(r, optionContext({ wantedMru: 1400 }));
    expect(r.mru).toBe(1400);
    expect(optionValueU16(mruHandler.encode(r)!)).toBe(1400);
    mruHandler.want(r, optionContext({ wantedMru: 1500 }));
    expect(r.mru).toBeUndefined();
    expect(mruHandler.encode(r)).toBeUndefined();
  });

  it.each([
    ['acks an MRU of 128 or more and records it', 1300, { kind: 'ack' }, 1300],
    ['acks exactly 128', 128, { kind: 'ack' }, 128],
    ['naks an MRU below 128 with 128', 100, { kind: 'nak', suggest: optionU16(1, 128) }, 1500],
  ] as const)('%s', (_what, value, verdict, agreedMru) => {
    const agreed = peerDefaults();
    expect(mruHandler.checkRequest(optionU16(1, value), optionContext(), agreed)).toEqual(verdict);
    expect(agreed.mru).toBe(agreedMru);
  });

  it('rejects a malformed MRU (not two octets)', () => {
    const agreed = peerDefaults();
    expect(mruHandler.checkRequest(optionU32(1, 1400), optionContext(), agreed)).toEqual({ kind: 'reject' });
    expect(agreed.mru).toBe(1500);
  });

  it.each([
    ['takes a suggestion it can live with', 1300, 1300],
    ['takes 1500 (no more than max(ours, 1500))', 1500, 1500],
    ['stops asking for a suggestion below 128', 60, undefined],
    ['stops asking for a suggestion above 1500 and ours', 1600, undefined],
  ])('on a Nak %s', (_what, suggested, next) => {
    const ctx = optionContext({ wantedMru: 1400 });
    expect(mruHandler.onNak(optionU16(1, suggested), ctx)).toBe('ok');
    expect(ctx.ours.mru).toBe(next);
  });

  it('on a Nak hint for an MRU we did not ask for: takes a well-formed one, ignores a malformed one', () => {
    const ctx = optionContext({ ours: { mru: undefined } });
    mruHandler.onNak(optionU32(1, 1300), ctx);
    expect(ctx.ours.mru).toBeUndefined();
    mruHandler.onNak(optionU16(1, 1300), ctx);
    expect(ctx.ours.mru).toBe(1300);
  });

  it('on a Reject stops asking', () => {
    const ctx = optionContext();
    mruHandler.onReject(ctx);
    expect(ctx.ours.mru).toBeUndefined();
  });
});
