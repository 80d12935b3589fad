/**
 * The words the UI uses for contract values that only the UI names (timeline phases, states),
 * plus short security hints beside weak authentication methods. The names of the methods and
 * of the MPPE requirements are the shared vocabulary's (preload/vocabulary.ts
 * AUTH_METHOD_LABELS, MPPE_REQUIREMENT_LABELS): this file must not label them again.
 */
import type { AuthMethod, TunnelPhase } from '../../../preload/vocabulary';

export const PHASE_LABELS: Readonly<Record<TunnelPhase, string>> = {
  tcp: 'TCP connection (port 1723)',
  control: 'PPTP control connection',
  call: 'Outgoing call',
  lcp: 'Link (LCP)',
  auth: 'Authentication',
  ccp: 'Encryption (CCP/MPPE)',
  ipcp: 'Addresses (IPCP)',
  routes: 'Routes and DNS',
};

/**
 * A security note shown beside a weak method in the editor, before it is ticked (once ticked,
 * the profile's securityWarnings say it in full). Not a label: the method keeps its one name.
 */
export const AUTH_METHOD_HINTS: Readonly<Partial<Record<AuthMethod, string>>> = {
  pap: 'clear text',
};

export const STATE_LABELS = {
  connected: 'Connected',
  connecting: 'Connecting',
  disconnecting: 'Disconnecting',
  error: 'Failed',
} as const;
