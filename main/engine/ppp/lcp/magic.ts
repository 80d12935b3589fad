/**
 * LCP Magic-Number (RFC 1661 §6.4): a random non-zero number in each side's request, used to
 * detect a looped-back link. Rules kept here:
 *  - ours is random and non-zero (a fresh one each negotiation);
 *  - the peer's equal to ours (or zero, which is illegal) -> Configure-Nak with another value;
 *  - a Nak of ours -> choose a new one; each such event counts as a loopback suspicion, and
 *    after MAX_LOOPBACK_SUSPICIONS the link fails ('negotiation-failed', "looped back")
 *    (pppd: lcp_loopbackfail).
 */
import type { RandomSource } from '../../random';
import { randomU32 } from '../../random';
import type { OptionVerdict } from '../fsm';
import type { PppOption } from '../packet';
import { optionU32, optionValueU32 } from '../packet';
import { LCP_OPT_MAGIC_NUMBER } from './options';

export const MAX_LOOPBACK_SUSPICIONS = 5;

export function newMagic(random: RandomSource, avoid?: number): number {
  // A bounded loop: each draw is uniformly random, so two rejected draws in a row are rare,
  // and after 8 we fall back to a deterministic non-zero value different from `avoid`.
  for (let i = 0; i < 8; i++) {
    const m = randomU32(random);
    if (m !== 0 && m !== avoid) return m;
  }
  return avoid === 1 ? 2 : 1;
}

export function magicOption(magic: number): PppOption {
  return optionU32(LCP_OPT_MAGIC_NUMBER, magic);
}

export interface MagicCheck {
  readonly verdict: OptionVerdict;
  readonly peerMagic?: number;
  readonly loopbackSuspected: boolean;
}

export function checkPeerMagic(option: PppOption, ours: number | undefined, random: RandomSource): MagicCheck {
  const value = optionValueU32(option);
  if (value === undefined) return { verdict: { kind: 'reject' }, loopbackSuspected: false };
  if (value === 0 || (ours !== undefined && value === ours)) {
    return {
      verdict: { kind: 'nak', suggest: magicOption(newMagic(random, ours)) },
      loopbackSuspected: value !== 0,
    };
  }
  return { verdict: { kind: 'ack' }, peerMagic: value, loopbackSuspected: false };
}
