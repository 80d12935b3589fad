import { describe, expect, it } from 'vitest';
import { isMppeRequired } from '../../../../main/engine/ppp/ccp/mppe-option';
import type { MppePolicy } from '../../../../main/engine/ppp/ccp/mppe-option';
import { ccpLossIsFatal, isNegotiatingOrOpened, planNetworkPhase } from '../../../../main/engine/ppp/layer-order';
import { FSM_STATES } from '../../../../main/engine/ppp/fsm-table';

/** "MPPE required" policies in whichever spelling mppe-option.ts uses. */
const REQUIRED = (['require-128', 'require-any', 'required-128', 'required'] as const)
  .map((mppe) => ({ mppe, allowStateful: false }) as unknown as MppePolicy)
  .filter((p) => isMppeRequired(p));
const OPTIONAL: MppePolicy = { mppe: 'optional', allowStateful: false };
const NONE: MppePolicy = { mppe: 'none', allowStateful: false };

describe('planNetworkPhase (RFC 1661 §3.2 Network phase)', () => {
  it('MPPE required: CCP then IPCP with keys, refused without', () => {
    expect(REQUIRED).toHaveLength(2);
    for (const policy of REQUIRED) {
      expect(planNetworkPhase(policy, true)).toBe('ccp-then-ipcp');
      expect(planNetworkPhase(policy, false)).toBe('refuse-without-keys');
    }
  });

  it('MPPE optional: CCP beside IPCP with keys, IPCP alone without', () => {
    expect(planNetworkPhase(OPTIONAL, true)).toBe('ccp-beside-ipcp');
    expect(planNetworkPhase(OPTIONAL, false)).toBe('ipcp-only');
  });

  it('MPPE off: IPCP alone, keys or not', () => {
    expect(planNetworkPhase(NONE, true)).toBe('ipcp-only');
    expect(planNetworkPhase(NONE, false)).toBe('ipcp-only');
  });
});

describe('ccpLossIsFatal', () => {
  it('is fatal only when MPPE is required', () => {
    for (const policy of REQUIRED) expect(ccpLossIsFatal(policy)).toBe(true);
    expect(ccpLossIsFatal(OPTIONAL)).toBe(false);
    expect(ccpLossIsFatal(NONE)).toBe(false);
  });
});

describe('isNegotiatingOrOpened (RFC 1661 §4.2 states 6-9)', () => {
  it('holds for Req-Sent, Ack-Rcvd, Ack-Sent and Opened only', () => {
    expect(FSM_STATES.filter(isNegotiatingOrOpened)).toEqual(['req-sent', 'ack-rcvd', 'ack-sent', 'opened']);
  });
});
