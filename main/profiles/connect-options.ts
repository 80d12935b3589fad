/**
 * A stored profile + its password -> the ConnectOptions the service takes. The one place the app
 * and pptpctl --profile turn a profile's shape (flat MPPE fields, route modes) into the service's,
 * so a profile connects the same way from either. Both speak the shared MPPE vocabulary
 * (preload/vocabulary.ts), so nothing is translated. Pure; the result holds the password.
 * Owns the mapping only: the ConnectOptions schema is the service's (main/service/connect-options.ts).
 */
import { MAX_SPLIT_ROUTES } from '../../preload/schema/limits';
import type { Profile } from '../../preload/schema/profile';
import type { MppePolicy } from '../engine/ppp/ccp/mppe-option';
import { connectOptionsSchema, type ConnectOptions } from '../service/connect-options';

export type ConnectOptionsProblem = { readonly code: 'no-username' | 'too-many-routes' | 'invalid-options'; readonly message: string };

/** The profile's requirement as is; stateful mode means nothing without encryption. */
export function mppeOptionFor(profile: Pick<Profile, 'mppe' | 'allowStateful'>): MppePolicy {
  return { mppe: profile.mppe, allowStateful: profile.mppe !== 'none' && profile.allowStateful };
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
  else if (profile.routes.cidrs.length > MAX_SPLIT_ROUTES) {
    // The schema caps a stored profile at the same limit; this guards a profile built elsewhere.
    return { ok: false, problem: { code: 'too-many-routes', message: `The tunnel service takes at most ${MAX_SPLIT_ROUTES} split routes per connection.` } };
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
