/**
 * The shape of one LCP Configuration Option handler (accel-ppp's lcp_option_handler: one file per
 * option, lcp_opt_mru.c etc.). Each option file (mru, accm, auth-protocol, magic, compression)
 * exports a handler; option-table.ts lists them; lcp.ts walks the table where it used to switch
 * on the option type.
 *
 * Owns: the handler interface, the request/peer records the handlers fill in, and the context
 * through which a handler reads configuration and reports what LCP must remember.
 * Must not: know any particular option (those live in their files) or send packets.
 *
 * IPCP and CCP do not use this: IPCP's options are uniform 4-octet values in one map and CCP has
 * a single option whose verdict depends on the whole request, so a shared type would not fit.
 */
import type { AuthMethod } from '../../../../preload/vocabulary';
import type { RandomSource } from '../../random';
import type { OptionVerdict } from '../fsm-contract';
import type { PppOption } from '../packet';
import type { Refusal } from '../refusal';

/** Our Configure-Request as it stands; an undefined/false field is not asked for. */
export interface LcpOurRequest {
  mru: number | undefined;
  accm: number | undefined;
  magic: number | undefined;
  pfc: boolean;
  acfc: boolean;
}

/** The method the server made us use (RFC 1661 §6.2 Authentication-Protocol) and the PPP protocol its packets travel in. */
export interface AuthSelection {
  readonly method: AuthMethod;
  readonly protocol: number;
}

/** What the peer's request gave us, value by value (defaults for what it did not name). */
export interface LcpPeerOptions {
  mru: number;
  accm: number;
  auth: AuthSelection | null;
  magic: number;
  pfc: boolean;
  acfc: boolean;
}

/** What a handler may read, and the two things it may report to LCP. */
export interface LcpOptionContext {
  /** The MRU the profile asks for (LcpConfig.mru). */
  readonly wantedMru: number;
  readonly allowedAuth: readonly AuthMethod[];
  readonly random: RandomSource;
  /** Our request as it stands: Nak and Reject handlers change it, check handlers only read it. */
  readonly ours: LcpOurRequest;
  /** Counts one loopback suspicion (RFC 1661 §6.4) and returns the count in this negotiation. */
  suspectLoopback(): number;
  /** Records why we could not accept the server's Authentication-Protocol (what it asked, what we allow). */
  refuseAuth(refusal: Refusal): void;
}

/** After a Nak: carry on, or the link is looped back (the Magic-Number handler decides). */
export type LcpNakOutcome = 'ok' | 'looped-back';

export interface LcpOptionHandler {
  /** The option's Type (RFC 1661 §6 and later assignments; the numbers are in options.ts). */
  readonly type: number;
  /** Sets this option's field of a fresh request to what we want at the start of a negotiation. */
  want(request: LcpOurRequest, ctx: LcpOptionContext): void;
  /** This option in our next Configure-Request, or undefined when we do not ask for it. */
  encode(request: Readonly<LcpOurRequest>): PppOption | undefined;
  /**
   * The verdict on this option in the peer's Configure-Request (RFC 1661 §5.2-5.4). On 'ack' the
   * handler writes the value into `agreed` (LCP keeps it only when the whole request is Ack'd).
   */
  checkRequest(option: PppOption, ctx: LcpOptionContext, agreed: LcpPeerOptions): OptionVerdict;
  /** The peer Nak'd this option (RFC 1661 §5.3): `option` is its suggestion or hint. */
  onNak(option: PppOption, ctx: LcpOptionContext): LcpNakOutcome;
  /** The peer Rejected this option of ours (RFC 1661 §5.4): stop asking for it. */
  onReject(ctx: LcpOptionContext): void;
}
