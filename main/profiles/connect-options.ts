/**
 * A stored profile + its password -> the ConnectOptions the service takes. The one place the app
 * and pptpctl --profile turn profile vocabulary (MPPE policies, route modes) into the service's,
 * so a profile connects the same way from either. Pure; the result holds the password.
 * Owns the mapping only: the ConnectOptions schema is the service's (main/service/connect-options.ts).
 */
import type { Profile } from '../../preload/schema/profile';
import { MPPE_KEY_BITS } from '../../preload/vocabulary';
import { connectOptionsSchema, type ConnectOptions, type MppeOption } from '../service/connect-options';

export type ConnectOptionsProblem = { readonly code: 'no-username' | 'too-many-routes' | 'invalid-options'; readonly message: string };

/** Every MPPE key length (RFC 3078 §2.1), strongest first: the order the client prefers them. */
const ALL_BITS: MppeOption['bits'] = [...MPPE_KEY_BITS].reverse();

export function mppeOptionFor(profile: Pick<Profile, 'mppe' | 'allowStateful'>): MppeOption {
  switch (profile.mppe) {
    case 'require-128':
      return { policy: 'required', bits: [128], allowStateful: profile.allowStateful };
    case 'require-any':
      return { policy: 'required', bits: [...ALL_BITS], allowStateful: profile.allowStateful };
    case 'optional':
      return { policy: 'optional', bits: [...ALL_BITS], allowStateful: profile.allowStateful };
    case 'none':
      return { policy: 'none', bits: [128], allowStateful: false };
  }
}

export interface ConnectOverrides {
  /** The global "auto-reconnect" setting: when false, no profile reconnects by itself. */
  readonly autoReconnect?: boolean;
}

export function connectOptionsFor(
  profile: Profile,
  password: string,
  overrides: ConnectOverrides = {},
): { ok: true; options: ConnectOptions } | { ok: false; problem: ConnectOptionsProblem } {
  if (profile.username.length === 0) {
    return { ok: false, problem: { code: 'no-username', message: `The profile "${profile.name}" has no user name.` } };
  }
  let routes: ConnectOptions['routes'];
  if (profile.routes.mode === 'full') routes = 'default';
  else if (profile.routes.cidrs.length === 0) routes = 'none';
  else if (profile.routes.cidrs.length > 256) {
    return { ok: false, problem: { code: 'too-many-routes', message: 'The tunnel service takes at most 256 split routes per connection.' } };
  } else routes = [...profile.routes.cidrs];
  const candidate: ConnectOptions = {
    server: profile.server,
    username: profile.username,
    password,
    ...(profile.domain !== undefined ? { domain: profile.domain } : {}),
    auth: [...profile.auth],
    mppe: mppeOptionFor(profile),
    routes,
    dns: profile.usePeerDns,
    ...(profile.mtu !== undefined ? { mtu: profile.mtu } : {}),
    lcpEcho: { intervalS: profile.keepalive.lcpEchoIntervalS, failures: profile.keepalive.lcpEchoFailures },
    reconnect: {
      enabled: profile.reconnect.enabled && overrides.autoReconnect !== false,
      maxAttempts: profile.reconnect.maxAttempts,
    },
    label: profile.name,
  };
  const parsed = connectOptionsSchema.safeParse(candidate);
  if (!parsed.success) {
    // Paths only: the message must not echo the password.
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    return { ok: false, problem: { code: 'invalid-options', message: `The profile cannot be used to connect (invalid: ${where}).` } };
  }
  return { ok: true, options: parsed.data };
}
