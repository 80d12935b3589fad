/**
 * LCP Magic-Number (RFC 1661 §6.4, option type 5): a random non-zero number in each side's
 * request, used to detect a looped-back link. Rules kept here:
 *  - ours is random and non-zero (a fresh one each negotiation);
 *  - the peer's equal to ours (or zero, which is illegal) -> Configure-Nak with another value;
 *  - a Nak of ours -> choose a new one; each such event counts as a loopback suspicion, and
 *    after MAX_LOOPBACK_SUSPICIONS the link fails ('negotiation-failed', "looped back")
 *    (pppd: lcp_loopbackfail).
 *
 * Owns: the Magic-Number handler and the choice of a magic. Must not: write the failure message
 * (lcp.ts does, on 'looped-back').
 */
import type { RandomSource } from '../../random';
import { randomU32 } from '../../random';
import type { PppOption } from '../packet';
import { optionU32, optionValueU32 } from '../packet';
import type { LcpOptionHandler } from './option-handler';
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

function magicOption(magic: number): PppOption {
  return optionU32(LCP_OPT_MAGIC_NUMBER, magic);
}

export const magicHandler: LcpOptionHandler = {
  type: LCP_OPT_MAGIC_NUMBER,
  want(request, ctx) {
    request.magic = newMagic(ctx.random);
  },
  encode: (request) => (request.magic === undefined ? undefined : magicOption(request.magic)),
  checkRequest(option, ctx, agreed) {
    const value = optionValueU32(option);
    if (value === undefined) return { kind: 'reject' };
    const ours = ctx.ours.magic;
    if (value === 0 || (ours !== undefined && value === ours)) {
      if (value !== 0) ctx.suspectLoopback(); // our own number came back
      return { kind: 'nak', suggest: magicOption(newMagic(ctx.random, ours)) };
    }
    agreed.magic = value;
    return { kind: 'ack' };
  },
  /** RFC 1661 §6.4: a Nak of our magic means the peer saw its own number: pick another. */
  onNak(_option, ctx) {
    if (ctx.suspectLoopback() >= MAX_LOOPBACK_SUSPICIONS) return 'looped-back';
    ctx.ours.magic = newMagic(ctx.random, ctx.ours.magic);
    return 'ok';
  },
  onReject(ctx) {
    ctx.ours.magic = undefined;
  },
};
