/**
 * pptpctl's exit codes: one per failure reason, stable, documented in the README. Scripts can
 * branch on them (e.g. retry on 10 keepalive-timeout, alert on 6 auth-failed). ExitError is the
 * thrown form: a command throws it and main() prints the message and exits with the code.
 */
import type { FailureReason } from '../../preload/vocabulary';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;
export const EXIT_NOT_PRIVILEGED = 13;
export const EXIT_PROFILE = 14;
export const EXIT_NOT_RUNNING = 15;
/** `connect` while another pptpctl connect holds the control socket. */
export const EXIT_ALREADY_RUNNING = 19;
/** The user pressed Ctrl-C at a prompt, or cancelled it with Ctrl-D (128 + SIGINT, as shells do). */
export const EXIT_INTERRUPTED = 130;

export const EXIT_CODE_BY_REASON: Readonly<Record<FailureReason, number>> = {
  'local-disconnect': EXIT_OK,
  'internal-error': EXIT_INTERNAL,
  'tcp-unreachable': 3,
  'control-refused': 4,
  'gre-blocked': 5,
  'auth-failed': 6,
  'encryption-refused': 7,
  'negotiation-failed': 8,
  'peer-disconnected': 9,
  'keepalive-timeout': 10,
  'network-config-failed': 11,
  'protocol-error': 12,
  'server-not-found': 16,
  'data-path-dead': 17,
  'auth-method-refused': 18,
};

/** Rows for the README and `pptpctl --help`: code, name, meaning. */
export const EXIT_CODE_TABLE: ReadonlyArray<readonly [number, string, string]> = [
  [0, 'ok', 'connected and later disconnected on request (or the command succeeded)'],
  [1, 'internal-error', 'a bug in pptpctl, or an unexpected system error (said in words)'],
  [2, 'usage', 'bad command line or a bad value (the message names the option); also a confirmation or password that could not be asked for without a terminal'],
  [3, 'tcp-unreachable', 'TCP 1723 refused or timed out'],
  [4, 'control-refused', 'the server refused the control connection or the call'],
  [5, 'gre-blocked', 'call up but no GRE (IP protocol 47) from the server'],
  [6, 'auth-failed', 'bad credentials, or the server failed to authenticate itself'],
  [7, 'encryption-refused', 'the server and the profile do not agree on encryption (MPPE required by one, refused by the other; key length or stateful mode)'],
  [8, 'negotiation-failed', 'LCP/CCP/IPCP did not converge'],
  [9, 'peer-disconnected', 'the server hung up'],
  [10, 'keepalive-timeout', 'echo requests went unanswered'],
  [11, 'network-config-failed', 'TUN, routes or DNS could not be applied (all undone)'],
  [12, 'protocol-error', 'the server broke the protocol'],
  [13, 'not-privileged', 'needs root (on Linux CAP_NET_ADMIN + CAP_NET_RAW also do)'],
  [14, 'profile-error', 'profile or keychain problem (not found, invalid, keychain unavailable); an import that imported nothing'],
  [15, 'not-running', '`disconnect`/`status`: no pptpctl tunnel is running'],
  [16, 'server-not-found', 'the server name does not resolve (misspelt, or no DNS on this network)'],
  [17, 'data-path-dead', 'connected, but the server Protocol-Rejects our encrypted (MPPE) or IP data: its side did not start'],
  [18, 'auth-method-refused', 'the server requires an authentication method or EAP type the profile does not allow (or this client does not do)'],
  [19, 'already-running', '`connect`: another pptpctl connect is already running'],
  [130, 'interrupted', 'Ctrl-C, or Ctrl-D at a password prompt or question'],
];

/** Ends pptpctl with `code` after printing `message` (main() in cli.ts catches it). */
export class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
