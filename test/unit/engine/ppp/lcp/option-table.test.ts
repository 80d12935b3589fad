import { describe, expect, it } from 'vitest';
import { LCP_OPTION_HANDLERS, lcpOptionHandler } from '../../../../../main/engine/ppp/lcp/option-table';
import {
  LCP_OPT_CALLBACK,
  LCP_OPT_ENDPOINT_DISC,
  LCP_OPT_MRRU,
  LCP_OPT_QUALITY_PROTOCOL,
  LCP_OPT_SHORT_SEQ,
} from '../../../../../main/engine/ppp/lcp/options';

describe('LCP option table', () => {
  it('handles MRU, ACCM, Authentication-Protocol, Magic-Number, PFC and ACFC, in request order', () => {
    expect(LCP_OPTION_HANDLERS.map((h) => h.type)).toEqual([1, 2, 3, 5, 7, 8]);
  });

  it('has one handler per type', () => {
    const types = LCP_OPTION_HANDLERS.map((h) => h.type);
    expect(new Set(types).size).toBe(types.length);
    for (const t of types) expect(lcpOptionHandler(t)?.type).toBe(t);
  });

  it.each([LCP_OPT_QUALITY_PROTOCOL, LCP_OPT_CALLBACK, LCP_OPT_MRRU, LCP_OPT_SHORT_SEQ, LCP_OPT_ENDPOINT_DISC, 0, 6, 99])(
    'has no handler for type %i (Configure-Rejected)',
    (type) => {
      expect(lcpOptionHandler(type)).toBeUndefined();
    },
  );
});
