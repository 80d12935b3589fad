/**
 * The LCP options this client negotiates, one handler per option (accel-ppp's list of
 * lcp_opt_*.c registrations). lcp.ts walks this table to build our Configure-Request, judge the
 * peer's and handle a Nak or Reject of ours; an option type not listed here is Configure-Rejected
 * (RFC 1661 §5.4): Quality-Protocol (4), Callback (13), the multilink options (17, 18, 19) and
 * anything unknown.
 *
 * Owns: which options are handled, and their order in our Configure-Request.
 * Must not: hold option logic (each option's file does).
 */
import { accmHandler } from './accm';
import { authProtocolHandler } from './auth-protocol';
import { acfcHandler, pfcHandler } from './compression';
import { magicHandler } from './magic';
import { mruHandler } from './mru';
import type { LcpOptionHandler } from './option-handler';

/** In the order our Configure-Request carries them: MRU, ACCM, Magic-Number, PFC, ACFC. */
export const LCP_OPTION_HANDLERS: readonly LcpOptionHandler[] = [
  mruHandler, // RFC 1661 §6.1, type 1
  accmHandler, // RFC 1662 §7.1, type 2
  authProtocolHandler, // RFC 1661 §6.2, type 3 (never in our request)
  magicHandler, // RFC 1661 §6.4, type 5
  pfcHandler, // RFC 1661 §6.5, type 7
  acfcHandler, // RFC 1661 §6.6, type 8
];

const BY_TYPE: ReadonlyMap<number, LcpOptionHandler> = new Map(LCP_OPTION_HANDLERS.map((h) => [h.type, h]));

/** The handler for an option type, or undefined for a type we Configure-Reject. */
export function lcpOptionHandler(type: number): LcpOptionHandler | undefined {
  return BY_TYPE.get(type);
}
