/** The words the UI uses for contract values (phases, auth methods, MPPE policies, states). */
import type { AuthMethod, MppePolicy } from '../../../preload/schema/profile';
import type { TunnelPhase } from '../../../preload/schema/tunnel';

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

export const AUTH_LABELS: Readonly<Record<AuthMethod, string>> = {
  mschapv2: 'MS-CHAPv2',
  mschap: 'MS-CHAP (v1)',
  chap: 'CHAP (MD5)',
  pap: 'PAP (clear text)',
  eap: 'EAP',
};

export const MPPE_LABELS: Readonly<Record<MppePolicy, string>> = {
  'require-128': 'Required, 128-bit only (recommended)',
  'require-any': 'Required, 40/56/128-bit',
  optional: 'Optional (may be unencrypted)',
  none: 'None (unencrypted)',
};

export const STATE_LABELS = {
  connected: 'Connected',
  connecting: 'Connecting',
  disconnecting: 'Disconnecting',
  error: 'Failed',
} as const;
