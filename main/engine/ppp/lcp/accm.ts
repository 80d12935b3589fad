/**
 * LCP Async-Control-Character-Map (RFC 1662 §7.1, option type 2). It only matters for
 * asynchronous HDLC framing, which PPTP does not use (RFC 2637 §4.3: GRE carries raw PPP frames,
 * no byte stuffing). We still negotiate it the way pppd does, so the values can be shown: we
 * request 0 and Ack whatever the peer asks for. The ACCM the server sends in a PPTP
 * Set-Link-Info message is handed to the link as a value (PppLink.setLinkInfoAccm) and is
 * likewise only recorded.
 *
 * Owns: the ACCM handler. Must not: escape or unescape anything (there is no async framing).
 */
import { optionU32, optionValueU32 } from '../packet';
import type { LcpOptionHandler } from './option-handler';
import { LCP_OPT_ACCM } from './options';

export const DEFAULT_ACCM = 0xffffffff; // RFC 1662 §7.1: all control characters mapped
export const OUR_ACCM = 0; // pppd default request: asyncmap 0

export const accmHandler: LcpOptionHandler = {
  type: LCP_OPT_ACCM,
  want(request) {
    request.accm = OUR_ACCM;
  },
  encode: (request) => (request.accm === undefined ? undefined : optionU32(LCP_OPT_ACCM, request.accm)),
  checkRequest(option, _ctx, agreed) {
    const value = optionValueU32(option);
    if (value === undefined) return { kind: 'reject' };
    agreed.accm = value;
    return { kind: 'ack' };
  },
  /** Use the map the peer suggests (a malformed suggestion: stop asking). */
  onNak(option, ctx) {
    ctx.ours.accm = optionValueU32(option);
    return 'ok';
  },
  onReject(ctx) {
    ctx.ours.accm = undefined;
  },
};
