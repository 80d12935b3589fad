/**
 * Our reply to the peer's Configure-Request, from the layer's per-option verdicts (RFC 1661
 * §5.2-5.4): Ack the request exactly as received when every option is acceptable; else
 * Configure-Reject every option that must go (and only those); else Configure-Nak with the
 * suggested values and any hints. After Max-Failure Naks (rejectIfDisagree) Naks become Rejects
 * and no hints are sent (§4.6 Max-Failure).
 *
 * Owns: the choice of reply code and its options. Must not: send, count or change state (fsm.ts).
 */
import type { RequestCheck } from './fsm-contract';
import type { ControlPacket, PppOption } from './packet';
import { CODE_CONFIGURE_ACK, CODE_CONFIGURE_NAK, CODE_CONFIGURE_REJECT, encodeOptions } from './packet';

/** RFC 1661 §5.2-5.4: Ack the request as received, else Reject what must go, else Nak. */
export function assembleReply(
  request: ControlPacket,
  options: readonly PppOption[],
  check: RequestCheck,
  rejectIfDisagree: boolean,
): ControlPacket {
  const rejects: PppOption[] = [];
  const naks: PppOption[] = [];
  options.forEach((option, i) => {
    const v = check.verdicts[i] ?? { kind: 'reject' };
    if (v.kind === 'reject' || (v.kind === 'nak' && rejectIfDisagree)) rejects.push(option);
    else if (v.kind === 'nak') naks.push(v.suggest);
  });
  if (rejects.length > 0) {
    return { code: CODE_CONFIGURE_REJECT, identifier: request.identifier, data: encodeOptions(rejects) };
  }
  if (!rejectIfDisagree && check.hints) naks.push(...check.hints);
  if (naks.length > 0) return { code: CODE_CONFIGURE_NAK, identifier: request.identifier, data: encodeOptions(naks) };
  return { code: CODE_CONFIGURE_ACK, identifier: request.identifier, data: request.data };
}
