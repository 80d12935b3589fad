/**
 * What to tell a user for each failure reason: a short title and what usually fixes it. The CLI,
 * the doctor and the GUI all show these words, so a failure reads the same everywhere. When the
 * client itself refused the server's proposal (`detail.refusal`), adviceFor() gives the precise
 * advice of refusal-advice.ts instead: what the server wanted and how to allow it.
 */
import type { FailureReason } from '../../../preload/vocabulary';
import { refusalAdvice, type FailureDetail } from './refusal-advice';

export interface Advice {
  readonly title: string;
  readonly fix: string;
}

export const ADVICE: Readonly<Record<FailureReason, Advice>> = {
  'tcp-unreachable': {
    title: 'The server does not accept connections on TCP port 1723',
    fix: 'Check the server address, that the PPTP service runs there, and that no firewall between you blocks TCP 1723.',
  },
  'server-not-found': {
    title: 'The server name could not be found',
    fix: 'Check the spelling of the server name in the profile, or use its IP address. If the name is right, this network cannot resolve it: check the connection to the internet and its DNS (some company names resolve only inside the company network).',
  },
  'control-refused': {
    title: 'The PPTP server refused the control connection or the call',
    fix: 'The server is reachable but said no (its reason is shown). It may be out of call slots or restricted to certain clients; ask its administrator.',
  },
  'gre-blocked': {
    title: 'The call was set up, but no GRE packets arrive from the server',
    fix: 'IP protocol 47 (GRE) is blocked or not forwarded. Allow GRE in the firewall, enable the PPTP/GRE helper on the NAT router (e.g. nf_conntrack_pptp), or try another network.',
  },
  'auth-failed': {
    title: 'Authentication failed',
    fix: 'Check the user name, password and domain. If the server failed to prove it knows the password, do not trust it.',
  },
  'encryption-refused': {
    title: 'The server and this profile do not agree on encryption',
    fix: 'The server will not encrypt the way this profile requires (or requires encryption the profile turns off). Ask the administrator to enable MPPE-128. Lowering the profile to weaker or no encryption is possible but exposes your traffic.',
  },
  'auth-method-refused': {
    title: 'The server requires an authentication method this profile does not allow',
    fix: 'The message names the method the server asked for. Allow it under Security in the profile (pptpctl: --auth), or ask the administrator to allow MS-CHAPv2.',
  },
  'data-path-dead': {
    title: 'Connected, but the server refuses the tunnel\'s data',
    fix: 'The server agreed on the link but answers our packets with a Protocol-Reject: its encryption (MPPE) or IP side did not start — a known race in accel-ppp servers. Reconnecting usually helps (auto-reconnect retries this). If it keeps happening, the administrator should check that the server\'s kernel has MPPE support (ppp_mppe) and look at its logs.',
  },
  'negotiation-failed': {
    title: 'PPP negotiation did not converge',
    fix: 'The server and this client could not agree on link options. The log names the layer and option; check the server configuration.',
  },
  'peer-disconnected': {
    title: 'The server closed the connection',
    fix: 'The server hung up (its reason is shown if it gave one). Reconnect; if it keeps happening, check the server logs.',
  },
  'keepalive-timeout': {
    title: 'The server stopped answering keepalives',
    fix: 'The network path or the server went away. Auto-reconnect will retry if enabled.',
  },
  'network-config-failed': {
    title: 'The tunnel came up but the system network could not be configured',
    fix: 'Setting the TUN device, routes or DNS failed (the step is shown). Everything applied was undone. Check that the service runs as root (on Linux, CAP_NET_ADMIN also does).',
  },
  'protocol-error': {
    title: 'The server broke the protocol',
    fix: 'The server sent something this client cannot work with. Save the log and report it with the server type and version.',
  },
  'local-disconnect': { title: 'Disconnected', fix: 'You ended the connection.' },
  'internal-error': {
    title: 'An internal error in PPTP Manager',
    fix: 'Please report it with the log (secrets are redacted).',
  },
};

/** The advice for this failure: the refusal's own when the client refused the server's proposal, else the reason's. */
/** A connected tunnel whose TUN was deleted from outside: not a privilege problem (connect-attempt.ts). */
const TUN_GONE_ADVICE: Advice = {
  title: 'The tunnel interface was removed while connected',
  fix: 'Another program deleted the tunnel interface, so nothing could pass and the tunnel was closed; routes and DNS were restored. Connect again; if it keeps happening, look for a network manager or script that removes unknown interfaces.',
};

export function adviceFor(failure: { readonly reason: FailureReason; readonly detail?: FailureDetail | undefined }): Advice {
  if (failure.reason === 'network-config-failed' && failure.detail?.tunGone === true) return TUN_GONE_ADVICE;
  return refusalAdvice(failure.detail) ?? ADVICE[failure.reason];
}
