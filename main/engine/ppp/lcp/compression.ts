/**
 * LCP Protocol-Field-Compression (RFC 1661 §6.5, option type 7) and
 * Address-and-Control-Field-Compression (RFC 1661 §6.6, option type 8). Each is an empty option.
 * The side that *sends* the option says it can *receive* compressed frames, so:
 *  - our request carries both (we accept compressed frames; frame.ts always does anyway);
 *  - when the peer's request carries them and we Ack, we compress what we send (pppd does the
 *    same: "his" options configure the send side).
 * A Nak of either makes no sense (no value); it is handled as a Reject.
 *
 * Owns: the two handlers. Must not: compress frames (frame.ts does, with the negotiated values).
 */
import { optionEmpty } from '../packet';
import type { LcpOptionHandler } from './option-handler';
import { LCP_OPT_ACFC, LCP_OPT_PFC } from './options';

/** One handler per empty compression option; `field` names it in our request and the peer's. */
function compressionHandler(type: number, field: 'pfc' | 'acfc'): LcpOptionHandler {
  return {
    type,
    want(request) {
      request[field] = true;
    },
    encode: (request) => (request[field] ? optionEmpty(type) : undefined),
    checkRequest(option, _ctx, agreed) {
      if (option.data.length !== 0) return { kind: 'reject' };
      agreed[field] = true;
      return { kind: 'ack' };
    },
    onNak(_option, ctx) {
      ctx.ours[field] = false;
      return 'ok';
    },
    onReject(ctx) {
      ctx.ours[field] = false;
    },
  };
}

export const pfcHandler = compressionHandler(LCP_OPT_PFC, 'pfc');
export const acfcHandler = compressionHandler(LCP_OPT_ACFC, 'acfc');
