/**
 * LCP Protocol-Field-Compression (RFC 1661 §6.5) and Address-and-Control-Field-Compression
 * (RFC 1661 §6.6). Each is an empty option. The side that *sends* the option says it can
 * *receive* compressed frames, so:
 *  - our request carries both (we accept compressed frames; frame.ts always does anyway);
 *  - when the peer's request carries them and we Ack, we compress what we send (pppd does the
 *    same: "his" options configure the send side).
 * A Nak of either makes no sense (no value); it is handled as a Reject.
 */
import type { OptionVerdict } from '../fsm';
import type { PppOption } from '../packet';
import { optionEmpty } from '../packet';
import { LCP_OPT_ACFC, LCP_OPT_PFC } from './options';

export function pfcOption(): PppOption {
  return optionEmpty(LCP_OPT_PFC);
}

export function acfcOption(): PppOption {
  return optionEmpty(LCP_OPT_ACFC);
}

export function checkPeerEmptyOption(option: PppOption): OptionVerdict {
  return option.data.length === 0 ? { kind: 'ack' } : { kind: 'reject' };
}
