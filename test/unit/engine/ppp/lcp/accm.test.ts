import { describe, expect, it } from 'vitest';
import { accmHandler } from '../../../../../main/engine/ppp/lcp/accm';
import { optionU16, optionU32, optionValueU32 } from '../../../../../main/engine/ppp/packet';
import { blankRequest, optionContext, peerDefaults } from './option-context';

describe('LCP ACCM handler (RFC 1662 §7.1)', () => {
  it('is option type 2 and asks for map 0', () => {
    expect(accmHandler.type).toBe(2);
    const r = blankRequest();
    accmHandler.want(r, optionContext());
    expect(r.accm).toBe(0);
    expect(optionValueU32(accmHandler.encode(r)!)).toBe(0);
  });

  it('acks any 4-octet map and records it', () => {
    const agreed = peerDefaults();
    expect(accmHandler.checkRequest(optionU32(2, 0x000a0000), optionContext(), agreed)).toEqual({ kind: 'ack' });
    expect(agreed.accm).toBe(0x000a0000);
  });

  it('rejects a malformed map', () => {
    const agreed = peerDefaults();
    expect(accmHandler.checkRequest(optionU16(2, 0), optionContext(), agreed)).toEqual({ kind: 'reject' });
    expect(agreed.accm).toBe(0xffffffff);
  });

  it('on a Nak uses the suggested map, and stops asking when the suggestion is malformed', () => {
    const ctx = optionContext();
    expect(accmHandler.onNak(optionU32(2, 0x000a0000), ctx)).toBe('ok');
    expect(ctx.ours.accm).toBe(0x000a0000);
    accmHandler.onNak(optionU16(2, 1), ctx);
    expect(ctx.ours.accm).toBeUndefined();
  });

  it('on a Reject stops asking', () => {
    const ctx = optionContext();
    accmHandler.onReject(ctx);
    expect(ctx.ours.accm).toBeUndefined();
    expect(accmHandler.encode(ctx.ours)).toBeUndefined();
  });
});
