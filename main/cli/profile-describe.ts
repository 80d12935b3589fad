/**
 * `pptpctl profiles show`'s text: a profile's settings in words, one "key: value" line each
 * (as `nmcli connection show` and `wg show` lay them out), and where its password is. Pure.
 */
import type { Profile } from '../../preload/schema/profile';
import { AUTH_METHOD_LABELS, MPPE_REQUIREMENT_LABELS } from '../../preload/vocabulary';

/** Where the password is: stored, asked every time, not stored, or unknown (keychain error). */
export type PasswordState = { kind: 'stored' } | { kind: 'ask' } | { kind: 'none' } | { kind: 'unknown'; why: string };

export function passwordStateText(p: Pick<Profile, 'name'>, state: PasswordState): string {
  switch (state.kind) {
    case 'stored':
      return 'stored in the keychain';
    case 'ask':
      return 'asked at every connect';
    case 'none':
      return `not stored (connect asks; store it with: pptpctl profiles set-password ${JSON.stringify(p.name)})`;
    case 'unknown':
      return `unknown (${state.why})`;
  }
}

export function describeProfile(p: Profile, password: PasswordState): string[] {
  const routes = p.routes.mode === 'full' ? 'all traffic' : p.routes.cidrs.length === 0 ? 'none (only the server end of the tunnel)' : p.routes.cidrs.join(', ');
  const keepalive = p.keepalive.lcpEchoIntervalS === 0 ? 'off (PPTP echo only)' : `LCP echo every ${p.keepalive.lcpEchoIntervalS} s, down after ${p.keepalive.lcpEchoFailures} missed`;
  const reconnect = !p.reconnect.enabled ? 'off' : p.reconnect.maxAttempts === 0 ? 'on, no limit' : `on, up to ${p.reconnect.maxAttempts} attempts`;
  const rows: [string, string][] = [
    ['server', p.server],
    ['user', `${p.username || '(none)'}${p.domain ? ` (domain ${p.domain})` : ''}`],
    ['password', passwordStateText(p, password)],
    ['auth', p.auth.map((m) => AUTH_METHOD_LABELS[m]).join(', ')],
    ['encryption', `${MPPE_REQUIREMENT_LABELS[p.mppe]}${p.mppe === 'none' ? '' : p.allowStateful ? ', stateful allowed' : ', stateless'}`],
    ['routes', routes],
    ['dns', p.usePeerDns ? "the server's" : 'not used'],
    ['mtu', p.mtu === undefined ? 'auto' : String(p.mtu)],
    ['keepalive', keepalive],
    ['reconnect', reconnect],
  ];
  return [p.name, ...rows.map(([k, v]) => `  ${(k + ':').padEnd(12)}${v}`)];
}
