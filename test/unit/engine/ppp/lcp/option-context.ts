/** A recording LcpOptionContext for the per-option handler tests. */
import type { AuthMethod } from '../../../../../preload/vocabulary';
import type { LcpOptionContext, LcpOurRequest, LcpPeerOptions } from '../../../../../main/engine/ppp/lcp/option-handler';
import { seededRandom } from '../../../../../main/engine/random';
import { refusalFailure, type Refusal } from '../../../../../main/engine/ppp/refusal';

export interface RecordingContext extends LcpOptionContext {
  readonly ours: LcpOurRequest;
  suspicions: number;
  /** The refusals as the user reads them (refusalFailure's message). */
  refusals: string[];
  refused: Refusal[];
}

export function optionContext(
  opts: { wantedMru?: number; allowedAuth?: AuthMethod[]; ours?: Partial<LcpOurRequest>; seed?: number } = {},
): RecordingContext {
  const ctx: RecordingContext = {
    wantedMru: opts.wantedMru ?? 1400,
    allowedAuth: opts.allowedAuth ?? ['mschapv2'],
    random: seededRandom(opts.seed ?? 5),
    ours: { mru: 1400, accm: 0, magic: 0x11223344, pfc: true, acfc: true, ...opts.ours },
    suspicions: 0,
    refusals: [],
    refused: [],
    suspectLoopback: () => ++ctx.suspicions,
    refuseAuth: (refusal) => {
      ctx.refused.push(refusal);
      ctx.refusals.push(refusalFailure(refusal).message);
    },
  };
  return ctx;
}

/** The peer-option record LCP starts each check from (RFC 1661 defaults). */
export function peerDefaults(): LcpPeerOptions {
  return { mru: 1500, accm: 0xffffffff, auth: null, magic: 0, pfc: false, acfc: false };
}

export function blankRequest(): LcpOurRequest {
  return { mru: undefined, accm: undefined, magic: undefined, pfc: false, acfc: false };
}
