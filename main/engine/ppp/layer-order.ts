/**
 * The PPP layer order (RFC 1661 §3.2), decided here and nowhere else:
 *
 *   Dead -> Establish (LCP) -> Authenticate (the method LCP agreed; skipped if none)
 *        -> Network: CCP first; IPCP once CCP is Opened when MPPE is required (pppd does the
 *           same: no NCP, hence no IP packet, before encryption is up), or CCP and IPCP together
 *           when MPPE is optional, or IPCP alone when MPPE is off or no keys exist
 *        -> Terminate -> Dead.
 *
 * Pure decisions only. link.ts carries them out (opens the automata, arms the deadlines,
 * reports each layer as it starts, finishes or is given up); this module starts nothing, keeps
 * no state, and knows nothing of frames, timers or the session's timeline.
 */
import { isMppeRequired, type MppePolicy } from './ccp/mppe-option';
import type { FsmState } from './fsm';

/** What the Network phase runs, given the profile's MPPE policy and the keys auth produced. */
export type NetworkPlan =
  /** MPPE required, but the method yields no MPPE keys (PAP, CHAP-MD5, none): the CCP step fails at once. */
  | 'refuse-without-keys'
  /** MPPE required: CCP first, IPCP only once CCP is Opened. */
  | 'ccp-then-ipcp'
  /** MPPE optional and keys exist: CCP and IPCP side by side; IPCP goes on if CCP is lost. */
  | 'ccp-beside-ipcp'
  /** MPPE off, or optional without keys: IPCP alone (CCP is Protocol-Rejected). */
  | 'ipcp-only';

export function planNetworkPhase(policy: MppePolicy, hasMppeKeys: boolean): NetworkPlan {
  if (isMppeRequired(policy)) return hasMppeKeys ? 'ccp-then-ipcp' : 'refuse-without-keys';
  if (policy.mppe !== 'none' && hasMppeKeys) return 'ccp-beside-ipcp';
  return 'ipcp-only';
}

/**
 * Losing CCP (it finished, was Protocol-Rejected or ran out of time) ends the link when MPPE is
 * required ('encryption-refused'); with optional MPPE the link carries on without it.
 */
export function ccpLossIsFatal(policy: MppePolicy): boolean {
  return isMppeRequired(policy);
}

/** RFC 1661 §4.2: the automaton is negotiating (Req-Sent, Ack-Rcvd, Ack-Sent) or Opened. */
export function isNegotiatingOrOpened(state: FsmState): boolean {
  return state === 'req-sent' || state === 'ack-rcvd' || state === 'ack-sent' || state === 'opened';
}
