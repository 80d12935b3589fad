/**
 * The link's receive gate: which layer a received PPP frame goes to in which RFC 1661 phase
 * (§3.4-3.7), or why it is dropped or Protocol-Rejected. Pure: it counts nothing, sends nothing
 * and runs no layer (layer-sequencer.ts acts on the route).
 *
 * Policy: once LCP is Opened we Protocol-Reject every protocol we do not run, including IPV6CP
 * (0x8057) and IPv6 (0x0057): there is no IPv6 inside the tunnel yet (RFC 1661 §5.7).
 */
import type { PppPhase } from './link-types';
import { CODE_CONFIGURE_REQUEST } from './packet';
import { PPP_PROTO_CCP, PPP_PROTO_COMPRESSED, PPP_PROTO_IP, PPP_PROTO_IPCP, PPP_PROTO_LCP } from './protocol';

export type FrameRoute =
  | 'lcp'
  | 'auth'
  | 'ccp'
  | 'ipcp'
  /** An IPCP Configure-Request before IPCP started (MPPE required, CCP not Opened yet): kept for then. */
  | 'ipcp-early'
  | 'ip'
  | 'mppe'
  /** A known protocol the phase does not allow yet (counted as droppedWrongPhase). */
  | 'drop-wrong-phase'
  /** The auth method's protocol outside Authenticate or after the method decided (droppedAuth). */
  | 'drop-auth'
  | 'protocol-reject';

/** What the gate needs to know of the link at this moment. */
export interface ReceiveGateState {
  readonly phase: PppPhase;
  /** The protocol of the auth method LCP agreed on, once it began. */
  readonly authProtocol: number | undefined;
  /** The method began and has not decided yet. */
  readonly authRunning: boolean;
  /** CCP was started and neither finished nor was Protocol-Rejected. */
  readonly ccpRunning: boolean;
  readonly ipcpStarted: boolean;
}

export function routeFrame(protocol: number, info: Uint8Array, s: ReceiveGateState): FrameRoute {
  if (protocol === PPP_PROTO_LCP) return 'lcp';
  // RFC 1661 §3.4/§3.7: only LCP is processed in Establish and Terminate.
  if (s.phase === 'establish' || s.phase === 'terminate' || s.phase === 'dead') return 'drop-wrong-phase';
  if (s.authProtocol !== undefined && protocol === s.authProtocol) {
    return s.phase === 'authenticate' && s.authRunning ? 'auth' : 'drop-auth';
  }
  if (s.phase === 'authenticate') {
    // RFC 1661 §3.5: network-layer packets before authentication completes are discarded.
    return isNetworkProtocol(protocol) ? 'drop-wrong-phase' : 'protocol-reject';
  }
  // Network phase.
  switch (protocol) {
    case PPP_PROTO_CCP:
      return s.ccpRunning ? 'ccp' : 'protocol-reject'; // MPPE off (or no keys): we do not run CCP
    case PPP_PROTO_IPCP:
      if (s.ipcpStarted) return 'ipcp';
      return info[0] === CODE_CONFIGURE_REQUEST ? 'ipcp-early' : 'drop-wrong-phase';
    case PPP_PROTO_IP:
      return 'ip';
    case PPP_PROTO_COMPRESSED:
      return 'mppe';
    default:
      return 'protocol-reject';
  }
}

function isNetworkProtocol(protocol: number): boolean {
  return protocol === PPP_PROTO_CCP || protocol === PPP_PROTO_IPCP || protocol === PPP_PROTO_IP || protocol === PPP_PROTO_COMPRESSED;
}
