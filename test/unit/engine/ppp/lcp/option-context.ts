/** A recording LcpOptionContext for the per-option handler tests. */
import type { AuthMethod } from '../../../../../preload/vocabulary';
import type { LcpOptionContext, LcpOurRequest, LcpPeerOptions } from '../../../../../main/engine/ppp/lcp/option-handler';
import { seededRandom } from '../../../../../main/engine/random';

export interface RecordingContext extends LcpOptionContext {
  readonly ours: LcpOurRequest;
  suspicions: number;
  refusals: string[];
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
    suspectLoopback: () => ++ctx.suspicions,
    refuseAuth: (text) => {
      ctx.refusals.push(text);
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
