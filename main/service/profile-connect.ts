/**
 * Turns a stored profile (preload/schema/profile.ts) plus the password of the moment into the
 * ConnectOptions the tunnel service takes. The app's supervisor and `pptpctl --profile` both use
 * it, so a profile connects the same way from either.
 */
import type { Profile } from '../../preload/schema/profile';
import type { ConnectOptions, MppeOption } from './connect-options';

export function mppeOptionForProfile(policy: Profile['mppe'], allowStateful: boolean): MppeOption {
  switch (policy) {
    case 'require-128':
      return { policy: 'required', bits: [128], allowStateful };
    case 'require-any':
      return { policy: 'required', bits: [128, 56, 40], allowStateful };
    case 'optional':
      return { policy: 'optional', bits: [128, 56, 40], allowStateful };
    case 'none':
      return { policy: 'none', bits: [128], allowStateful: false };
  }
}

export function connectOptionsFromProfile(profile: Profile, password: string): ConnectOptions {
  const routes: ConnectOptions['routes'] =
    profile.routes.mode === 'full' ? 'default' : profile.routes.cidrs.length === 0 ? 'none' : [...profile.routes.cidrs];
  return {
    server: profile.server,
    username: profile.username,
    password,
    ...(profile.domain ? { domain: profile.domain } : {}),
    auth: [...profile.auth],
    mppe: mppeOptionForProfile(profile.mppe, profile.allowStateful),
    routes,
    dns: profile.usePeerDns,
    ...(profile.mtu !== undefined ? { mtu: profile.mtu } : {}),
    lcpEcho: { intervalS: profile.keepalive.lcpEchoIntervalS, failures: profile.keepalive.lcpEchoFailures },
    reconnect: { enabled: profile.reconnect.enabled, maxAttempts: profile.reconnect.maxAttempts },
    label: profile.name,
  };
}
