/**
 * The contract between the RFC 1661 automaton (fsm.ts) and the layers that run on it (LCP, IPCP,
 * CCP): what a layer supplies (FsmLayer, after pppd's fsm.h callbacks), the verdicts it returns,
 * why a layer finished, how the automaton is tuned (RFC 1661 §4.6) and what it reports.
 *
 * Owns: these types and DEFAULT_FSM_TIMING. Must not: hold behaviour (fsm.ts runs the automaton).
 */
import type { FsmAction, FsmEvent, FsmState } from './fsm-table';
import type { ControlPacket, PppOption } from './packet';

export interface FsmTiming {
  /** RFC 1661 §4.6 Restart timer: 3 seconds. */
  readonly restartMs: number;
  /** RFC 1661 §4.6 Max-Configure: 10 Configure-Requests. */
  readonly maxConfigure: number;
  /** RFC 1661 §4.6 Max-Terminate: 2 Terminate-Requests. */
  readonly maxTerminate: number;
  /** RFC 1661 §4.6 Max-Failure: 5 Configure-Naks before they turn into Rejects. */
  readonly maxFailure: number;
}

export const DEFAULT_FSM_TIMING: FsmTiming = { restartMs: 3000, maxConfigure: 10, maxTerminate: 2, maxFailure: 5 };

/** The layer's verdict on one option of the peer's Configure-Request. */
export type OptionVerdict =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nak'; readonly suggest: PppOption }
  | { readonly kind: 'reject' };

export interface RequestCheck {
  /** One verdict per received option, in order (a missing verdict counts as reject). */
  readonly verdicts: readonly OptionVerdict[];
  /** Options the peer did not include but should (sent in the Nak, RFC 1661 §5.3). */
  readonly hints?: readonly PppOption[];
}

/** What a layer made of a Nak/Reject of our request: 'bad' drops the packet as invalid. */
export type ReplyVerdict = 'ok' | 'bad' | 'fatal';

/** How a layer classifies a code beyond 1-7 (RFC 1661 §4.1 events RXR/RXJ/RUC). */
export type ExtraCodeVerdict = 'rxr' | 'rxj+' | 'rxj-' | 'handled' | 'unknown';

export type FsmFinishCause =
  | { readonly kind: 'closed' } // our Close completed (or Close before the lower layer came up)
  | { readonly kind: 'peer-terminated' } // the peer's Terminate-Request ended the layer
  | { readonly kind: 'no-answer'; readonly state: FsmState; readonly requests: number } // Max-Configure used up
  | { readonly kind: 'rejected'; readonly code: number }; // catastrophic Code-Reject / Protocol-Reject

export interface NonConvergence {
  /** 'ours': the peer kept Nak/Rejecting our request; 'theirs': we kept Nak/Rejecting the peer's. */
  readonly direction: 'ours' | 'theirs';
  readonly rounds: number;
  /** Option types in the last refused set. */
  readonly optionTypes: readonly number[];
}

export interface FsmLayer {
  /** 'LCP', 'IPCP', 'CCP': used in messages. */
  readonly name: string;
  /** A new negotiation starts (pppd resetci): go back to the options we want. */
  resetOptions(): void;
  /** The options of our next Configure-Request. */
  buildRequest(): PppOption[];
  /** Judge the peer's request; with rejectIfDisagree, anything not acceptable as-is is rejected. */
  checkRequest(now: number, options: readonly PppOption[], rejectIfDisagree: boolean): RequestCheck;
  /** The peer Ack'd our request (the FSM already checked it repeats our options exactly). */
  onAck(options: readonly PppOption[]): void;
  onNak(now: number, options: readonly PppOption[], treatAsReject: boolean): ReplyVerdict;
  /** Every option is one we sent (the FSM checked). */
  onReject(now: number, options: readonly PppOption[]): ReplyVerdict;
  up(now: number): void;
  down(now: number): void;
  started(now: number): void;
  finished(now: number, cause: FsmFinishCause): void;
  notConverging(now: number, detail: NonConvergence): void;
  /** Codes 8 and up. Without it every such code is RUC (Code-Reject). */
  handleExtraCode?(now: number, packet: ControlPacket): ExtraCodeVerdict;
  /** ser: the Data of the Echo-Reply to an Echo-Request (LCP). */
  echoReply?(request: ControlPacket): Uint8Array;
  /** A Terminate-Request arrived (called before the RTR transition runs). */
  onTerminateRequest?(now: number, packet: ControlPacket): void;
  /** The peer Code-Rejected one of our codes (after the RXJ transition ran). */
  onCodeReject?(now: number, rejectedCode: number): void;
}

export interface FsmTraceEntry {
  readonly at: number;
  readonly event: FsmEvent;
  readonly from: FsmState;
  readonly to: FsmState;
  readonly actions: readonly FsmAction[];
  readonly illegal?: true;
}

export interface FsmCounters {
  received: number;
  /** Undecodable packets (bad lengths): dropped. */
  malformed: number;
  /** Replies with an old identifier or to a request already answered: dropped. */
  staleReplies: number;
  /** Acks that do not repeat our options, Rejects of options we did not send, Naks the layer refused. */
  invalidReplies: number;
  /** Packets while the lower layer is down, and RFC-illegal events. */
  ignored: number;
  configureRequestsSent: number;
  codeRejectsSent: number;
  /** Retransmissions of the request we Ack'd, received in Opened: Ack'd again (our Ack was lost). */
  repeatedRequests: number;
}

export interface FsmOptions {
  readonly timing?: Partial<FsmTiming>;
  /** First identifier used (RFC 1661 leaves it free). Default 1. */
  readonly initialIdentifier?: number;
  /** Keep a trace of transitions (tests, diagnostics); bounded to the last 256. */
  readonly trace?: boolean;
  /** Largest control packet we send (Code-Reject truncates to fit): default 1500. */
  readonly maxPacket?: () => number;
}
