/**
 * LCP Async-Control-Character-Map (RFC 1662 §7.1). It only matters for asynchronous HDLC
 * framing, which PPTP does not use (RFC 2637 §4.3: GRE carries raw PPP frames, no byte
 * stuffing). We still negotiate it the way pppd does, so the values can be shown: we request 0
 * and Ack whatever the peer asks for. The ACCM the server sends in a PPTP Set-Link-Info message
 * is handed to the link as a value (PppLink.setLinkInfoAccm) and is likewise only recorded.
 */
import type { OptionVerdict } from '../fsm';
import type { PppOption } from '../packet';
import { optionU32, optionValueU32 } from '../packet';
import { LCP_OPT_ACCM } from './options';

export const DEFAULT_ACCM = 0xffffffff; // RFC 1662 §7.1: all control characters mapped
export const OUR_ACCM = 0; // pppd default request: asyncmap 0

export function accmOption(accm: number): PppOption {
  return optionU32(LCP_OPT_ACCM, accm);
}

export function checkPeerAccm(option: PppOption): OptionVerdict {
  return optionValueU32(option) === undefined ? { kind: 'reject' } : { kind: 'ack' };
}

export function accmAfterNak(option: PppOption): number | undefined {
  return optionValueU32(option);
}
