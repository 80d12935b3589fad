/**
 * The shared vocabulary: the one home of the names every process and the renderer use for the
 * same protocol and product things — failure reasons, timeline phases, authentication methods
 * and their labels, MPPE requirements, tunnel states. Everything else imports these; nothing
 * restates them.
 *
 * Why here: the renderer may import only `preload/` (it never sees `main/`), and the pure engine
 * may import nothing that does I/O or pulls a library in. So this file imports nothing at all —
 * plain constants and types — and lint keeps it so (`eslint.config.js`). `preload/schema/*`
 * wraps these lists in zod schemas for the edges; the engine uses them bare.
 */

/**
 * The stable failure reasons a session ends with. A public contract: `pptpctl --json` prints them
 * in `{"event":"error","reason":...}`, the CLI maps them to exit codes, the GUI shows the
 * doctor's advice for each. Add codes; never rename one.
 */
export const FAILURE_REASONS = [
  'tcp-unreachable', // TCP 1723 refused or timed out
  'control-refused', // the server answered SCCRQ or OCRQ with a refusal result code
  'gre-blocked', // call up, TCP fine, but no GRE from the server
  'auth-failed', // credentials rejected, or the server failed to prove it knows the password
  'encryption-refused', // the server and the profile do not agree on encryption: MPPE required by one side and refused by the other, or no key length/mode in common
  'negotiation-failed', // LCP/IPCP/CCP could not converge (Nak loops, max-failure, rejects of required options)
  'peer-disconnected', // the server closed the call, the control connection or terminated PPP
  'keepalive-timeout', // PPTP echo or LCP echo went unanswered
  'network-config-failed', // TUN, routes or DNS could not be applied
  'protocol-error', // the server broke the protocol in a way we cannot recover from
  'local-disconnect', // the user asked to disconnect (not a failure; a reason all the same)
  'internal-error', // a bug on our side
  'server-not-found', // the server's name did not resolve to an IPv4 address (DNS), so nothing was tried
  'data-path-dead', // up, but the server Protocol-Rejects our data (MPPE 0x00FD or IP 0x0021): nothing we send reaches it
  'auth-method-refused', // the server requires an authentication method (or EAP type) the profile does not allow or this client does not do
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * What the client itself refused of the server's proposals, carried in a Failure's
 * `detail.refusal` so the advice can say exactly what the server wanted and how to allow it:
 *  - 'auth-method': LCP Authentication-Protocol (RFC 1661 §6.2) the profile does not allow;
 *  - 'eap-type': an EAP method (RFC 3748 §5) this client does not do (PEAP, EAP-TLS, ...);
 *  - 'mppe-off': the server runs CCP with MPPE (RFC 3078) and the profile has MPPE off;
 *  - 'mppe-stateful': the server offers only stateful MPPE and the profile allows stateless only;
 *  - 'mppe-key-length': the server offers only key lengths the profile refuses.
 */
export const NEGOTIATION_REFUSALS = ['auth-method', 'eap-type', 'mppe-off', 'mppe-stateful', 'mppe-key-length'] as const;
export type NegotiationRefusal = (typeof NEGOTIATION_REFUSALS)[number];

/** The phases of the connect timeline, in order (DESIGN.md §2 Diagnostics). */
export const TUNNEL_PHASES = ['tcp', 'control', 'call', 'lcp', 'auth', 'ccp', 'ipcp', 'routes'] as const;
export type TunnelPhase = (typeof TUNNEL_PHASES)[number];

/**
 * PPP authentication methods a profile may allow, strongest first (the order the client Naks
 * the server's Auth-Protocol towards). RFC 2759 (MS-CHAPv2), RFC 2433 (MS-CHAPv1),
 * RFC 1994 (CHAP with MD5), RFC 1334 (PAP), RFC 3748 (EAP).
 */
export const AUTH_METHODS = ['mschapv2', 'mschap', 'chap', 'pap', 'eap'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** The one name shown for each method, in the CLI timeline, the GUI and engine messages. */
export const AUTH_METHOD_LABELS: Readonly<Record<AuthMethod, string>> = {
  mschapv2: 'MS-CHAPv2',
  mschap: 'MS-CHAPv1',
  chap: 'CHAP-MD5',
  pap: 'PAP',
  eap: 'EAP',
};

/**
 * What a profile asks of encryption (RFC 3078 MPPE, negotiated in CCP, RFC 1962):
 * 'require-128': only 128-bit keys; 'require-any': MPPE required, 40/56/128-bit accepted;
 * 'optional': MPPE if the server agrees, cleartext otherwise; 'none': never encrypt.
 */
export const MPPE_REQUIREMENTS = ['require-128', 'require-any', 'optional', 'none'] as const;
export type MppeRequirement = (typeof MPPE_REQUIREMENTS)[number];

export const MPPE_REQUIREMENT_LABELS: Readonly<Record<MppeRequirement, string>> = {
  'require-128': 'Required, 128-bit only (recommended)',
  'require-any': 'Required, 40/56/128-bit',
  optional: 'Optional (may be unencrypted)',
  none: 'None (unencrypted)',
};

/** MPPE session key lengths (RFC 3078 §2.1 bits L, M, S). */
export const MPPE_KEY_BITS = [40, 56, 128] as const;
export type MppeKeyBits = (typeof MPPE_KEY_BITS)[number];

/** What the privileged service's tunnel is doing (its `status` reply, DESIGN §6). */
export const SERVICE_TUNNEL_STATES = ['idle', 'connecting', 'connected', 'disconnecting', 'reconnecting'] as const;
export type ServiceTunnelState = (typeof SERVICE_TUNNEL_STATES)[number];

/**
 * How loud a log line is: the tunnel's `{"event":"log"}` lines (pptpctl, the service RPC) and the
 * app's log view share these, least severe first.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
