/**
 * LCP Maximum-Receive-Unit (RFC 1661 §6.1, option type 1). The MRU counts the Information field
 * only (not the Protocol field). Default 1500 when not negotiated; every implementation must be
 * able to receive 1500 anyway.
 *
 * Our default request is 1400 (see link.ts for the arithmetic): PPTP runs PPP inside IP+GRE, so
 * a 1500-octet PPP frame would not fit a 1500-octet path. pppd's default is 1500; Windows and
 * pptp-linux's documentation use 1400 for PPTP. The real pptpd/pppd Acks any MRU >= 128.
 *
 * Owns: the MRU handler (our request, the verdict on the peer's MRU, Nak and Reject of ours).
 * Must not: size frames (link.ts applies the negotiated values).
 */
import type { PppOption } from '../packet';
import { optionU16, optionValueU16 } from '../packet';
import type { LcpOptionHandler } from './option-handler';
import { LCP_OPT_MRU } from './options';

export const DEFAULT_MRU = 1500; // RFC 1661 §6.1
export const MIN_MRU = 128; // pppd MINMRU: we Nak anything smaller
export const OUR_DEFAULT_MRU = 1400;

function mruOption(mru: number): PppOption {
  return optionU16(LCP_OPT_MRU, mru);
}

/**
 * The peer Nak'd our MRU with the value it wants us to use: take it when it is one we can live
 * with, else stop asking (the default of 1500 then applies).
 */
function mruAfterNak(option: PppOption, ours: number): number | undefined {
  const value = optionValueU16(option);
  if (value === undefined) return undefined;
  if (value < MIN_MRU || value > Math.max(ours, DEFAULT_MRU)) return undefined;
  return value;
}

export const mruHandler: LcpOptionHandler = {
  type: LCP_OPT_MRU,
  want(request, ctx) {
    // RFC 1661 §6.1: no need to send the default.
    request.mru = ctx.wantedMru === DEFAULT_MRU ? undefined : ctx.wantedMru;
  },
  encode: (request) => (request.mru === undefined ? undefined : mruOption(request.mru)),
  /** The peer announces what it can receive (what we may send). */
  checkRequest(option, _ctx, agreed) {
    const value = optionValueU16(option);
    if (value === undefined) return { kind: 'reject' };
    if (value < MIN_MRU) return { kind: 'nak', suggest: mruOption(MIN_MRU) };
    agreed.mru = value;
    return { kind: 'ack' };
  },
  onNak(option, ctx) {
    // A malformed hint for an MRU we did not ask for is ignored; a well-formed one is taken.
    if (ctx.ours.mru !== undefined || option.data.length === 2) ctx.ours.mru = mruAfterNak(option, ctx.wantedMru);
    return 'ok';
  },
  onReject(ctx) {
    ctx.ours.mru = undefined;
  },
};
