/**
 * The stable failure reasons a session ends with. These codes are a public contract: the CLI
 * prints them in `{"event":"error","reason":...}`, maps them to exit codes, and the GUI shows
 * the doctor's advice for each. Add codes; never rename one.
 */
export const FAILURE_REASONS = [
  'tcp-unreachable', // TCP 1723 refused or timed out
  'control-refused', // the server answered SCCRQ or OCRQ with a refusal result code
  'gre-blocked', // call up, TCP fine, but no GRE from the server
  'auth-failed', // credentials rejected, or the server failed to prove it knows the password
  'encryption-refused', // MPPE required by the profile, the server will not do it
  'negotiation-failed', // LCP/IPCP/CCP could not converge (Nak loops, max-failure, rejects of required options)
  'peer-disconnected', // the server closed the call, the control connection or terminated PPP
  'keepalive-timeout', // PPTP echo or LCP echo went unanswered
  'network-config-failed', // TUN, routes or DNS could not be applied
  'protocol-error', // the server broke the protocol in a way we cannot recover from
  'local-disconnect', // the user asked to disconnect (not a failure; a reason all the same)
  'internal-error', // a bug on our side
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];

export interface Failure {
  readonly reason: FailureReason;
  /** One sentence a user can read, naming what happened (and the server's code in words). */
  readonly message: string;
  /** Optional machine-readable detail: result codes, error codes, phase. */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}
