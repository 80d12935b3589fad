/**
 * Server configurations for accel-ppp in the test VM: renders /etc/accel-ppp.conf (and its
 * chap-secrets) from the few things the interop tests vary: which authentication methods accel
 * offers, in which order, and its MPPE policy. Facts: /work/shared/notes/accel-ppp.md.
 *
 * Owns: what accel-ppp is configured to do. Must not: start anything (pptpd-vm.ts boots the VM,
 * test/interop/vm/init.sh starts accel-pppd).
 * Addresses match pptpd's (pptpd-config.ts), so tests can run the same cases against both.
 */
import { DEFAULT_CHAP_SECRETS, PPP_POOL_FIRST, PPP_POOL_LAST, PPP_SERVER_IP, SERVER_IP } from './pptpd-config';

/** accel's auth modules; LCP offers them in the order they are loaded. */
export type AccelAuthModule = 'auth_mschap_v2' | 'auth_mschap_v1' | 'auth_chap_md5' | 'auth_pap';

/** accel's [ppp] mppe= values (require: no MPPE, no session; deny: never offer it). */
export type AccelMppePolicy = 'require' | 'prefer' | 'allow' | 'deny';

export interface AccelServerConfig {
  /** Auth modules, in the order LCP should offer them; default MS-CHAPv2 only. */
  auth?: readonly AccelAuthModule[];
  /** Default 'require'. */
  mppe?: AccelMppePolicy;
  /** /etc/ppp/chap-secrets (pppd's format; accel uses it for every method). */
  chapSecrets?: string;
}

/** accel-cmd's TCP port inside the VM ([cli] tcp=127.0.0.1:<port>). */
export const ACCEL_CLI_PORT = 2001;

/** The accel-ppp.conf and chap-secrets files init.sh installs (hostfs config directory names). */
export function renderAccelConfig(cfg: AccelServerConfig = {}): Record<string, string> {
  const auth = cfg.auth ?? ['auth_mschap_v2'];
  if (auth.length === 0) throw new Error('accel-ppp needs at least one auth module');
  const mppe = cfg.mppe ?? 'require';
  const poolLast = PPP_POOL_LAST.split('.').pop() ?? '20';
  const conf = [
    '[modules]',
    'log_file',
    // chap-secrets before the auth modules: it is their password source.
    'chap-secrets',
    'pptp',
    ...auth,
    'ippool',
    'pppd_compat',
    '',
    '[core]',
    'log-error=/dev/console',
    'thread-count=2',
    '',
    '[ppp]',
    'verbose=1',
    `mppe=${mppe}`,
    'ipv4=require',
    'ipv6=deny',
    'lcp-echo-interval=20',
    'lcp-echo-failure=3',
    '',
    '[pptp]',
    'verbose=1',
    `bind=${SERVER_IP}`,
    'echo-interval=30',
    `mppe=${mppe}`,
    '',
    // Without it every PPTP connection is refused ("no IP address range defined").
    '[client-ip-range]',
    `${SERVER_IP.split('.').slice(0, 3).join('.')}.0/24`,
    '',
    '[ip-pool]',
    `gw-ip-address=${PPP_SERVER_IP}`,
    `${PPP_POOL_FIRST}-${poolLast}`,
    '',
    '[dns]',
    `dns1=${PPP_SERVER_IP}`,
    '',
    '[chap-secrets]',
    'chap-secrets=/etc/ppp/chap-secrets',
    '',
    '[pppd-compat]',
    'verbose=1',
    '',
    // copy=1: without it the per-session lines are dropped.
    '[log]',
    'log-file=/dev/console',
    'level=5',
    'copy=1',
    '',
    '[cli]',
    `tcp=127.0.0.1:${ACCEL_CLI_PORT}`,
    '',
  ].join('\n');
  return { 'accel-ppp.conf': conf, 'chap-secrets': cfg.chapSecrets ?? DEFAULT_CHAP_SECRETS };
}
