/**
 * ConnectOptions' `mppe` is the engine's MppePolicy in the shared vocabulary: the service
 * validates it as such and refuses the pre-vocabulary shape and contradictions.
 */
import { describe, expect, it } from 'vitest';
import { mppePolicySchema } from '../../../main/service/connect-options';
import { MPPE_KEY_BITS, MPPE_REQUIREMENTS } from '../../../preload/vocabulary';

describe('mppePolicySchema', () => {
  it('acceptsEveryRequirement', () => {
    for (const mppe of MPPE_REQUIREMENTS) expect(mppePolicySchema.safeParse({ mppe, allowStateful: false }).success, mppe).toBe(true);
  });

  it('acceptsKeyLengths_forRequireAnyAndOptional', () => {
    for (const bits of MPPE_KEY_BITS) {
      expect(mppePolicySchema.safeParse({ mppe: 'require-any', allowStateful: true, allowedBits: [bits] }).success).toBe(true);
    }
    expect(mppePolicySchema.safeParse({ mppe: 'optional', allowStateful: false, allowedBits: [128, 56, 40] }).success).toBe(true);
  });

  it('refusesKeyLengthsWhereTheyMeanNothing', () => {
    expect(mppePolicySchema.safeParse({ mppe: 'require-128', allowStateful: false, allowedBits: [40] }).success).toBe(false);
    expect(mppePolicySchema.safeParse({ mppe: 'none', allowStateful: false, allowedBits: [128] }).success).toBe(false);
  });

  it('refusesUnknownLengths_emptyLists_andTheOldShape', () => {
    expect(mppePolicySchema.safeParse({ mppe: 'require-any', allowStateful: false, allowedBits: [64] }).success).toBe(false);
    expect(mppePolicySchema.safeParse({ mppe: 'require-any', allowStateful: false, allowedBits: [] }).success).toBe(false);
    expect(mppePolicySchema.safeParse({ policy: 'required', bits: [128], allowStateful: false }).success).toBe(false);
  });
});
