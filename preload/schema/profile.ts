/**
 * The VPN profile: one zod schema, shared by the main process (store, import/export, pptpctl)
 * and the renderer (editor validation). It owns the shape, the defaults, the field rules and the
 * words used for weak security choices (`securityWarnings`), so every surface says the same thing.
 *
 * Must not: import node:*, electron or anything from main/ (the renderer bundles this file).
 * Only zod and the shared vocabulary. Secrets never appear in a profile: the password lives in
 * the OS keychain.
 *
 * Defaults are the strongest settings PPTP has (DESIGN §1): MS-CHAPv2 only, MPPE-128 required,
 * stateless. Every weaker choice is allowed but explicit, and `securityWarnings` names it.
 */
import * as z from 'zod';
import { AUTH_METHODS, MPPE_REQUIREMENTS } from '../vocabulary';
import { DOMAIN_MAX_LENGTH, MAX_SPLIT_ROUTES, MTU_MAX, MTU_MIN, USERNAME_MAX_LENGTH } from './limits';
import { isIPv4, routeProblem } from './routes';
import { hasControlChars } from './text';

/** Version of the profile shape (and of the store file that holds profiles). Bump with a migration. */
export const PROFILE_SCHEMA_VERSION = 1;

/**
 * The methods a profile may allow and what it asks of MPPE are the shared vocabulary's
 * (preload/vocabulary.ts: AUTH_METHODS, MPPE_REQUIREMENTS), wrapped in zod below.
 */

export const NAME_MAX_LENGTH = 64;
// The limits shared with pptpctl and the service RPC live in limits.ts (one number each).
export { DOMAIN_MAX_LENGTH, MAX_SPLIT_ROUTES, MTU_MAX, MTU_MIN, USERNAME_MAX_LENGTH } from './limits';

export const DEFAULT_KEEPALIVE = { lcpEchoIntervalS: 30, lcpEchoFailures: 4 } as const;
export const DEFAULT_RECONNECT = { enabled: true, maxAttempts: 5 } as const;

// Control characters and IPv4/route rules have their own homes (text.ts, routes.ts), shared
// with pptpctl and the service RPC; re-exported here for the profile's users.
export { hasControlChars } from './text';
export { isIPv4, isNetworkCidr, normalizeCidr, parseCidr, routeProblem } from './routes';

/**
 * RFC 1123 host name: labels of 1..63 letters, digits and hyphens, not starting or ending with a
 * hyphen, 253 octets in all; a trailing dot is accepted. A name whose last label is all digits
 * is refused (it would be a mistyped IPv4 address such as "300.1.1.1").
 */
export function isHostname(value: string): boolean {
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  if (!labels.every((l) => label.test(l))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1] ?? '');
}

export function isServerAddress(value: string): boolean {
  return isIPv4(value) || isHostname(value);
}

const nameSchema = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(NAME_MAX_LENGTH, `Name must be at most ${NAME_MAX_LENGTH} characters`)
  .refine((v) => !hasControlChars(v), 'Name must not contain control characters');

const serverSchema = z
  .string()
  .trim()
  .min(1, 'Server is required')
  .refine(isServerAddress, 'Server must be a host name (vpn.example.com) or an IPv4 address (192.0.2.10)');

const usernameSchema = z
  .string()
  .max(USERNAME_MAX_LENGTH, `User name must be at most ${USERNAME_MAX_LENGTH} characters`)
  .refine((v) => !hasControlChars(v), 'User name must not contain control characters');

const domainSchema = z
  .string()
  .trim()
  .min(1, 'Domain must not be empty (leave it out instead)')
  .max(DOMAIN_MAX_LENGTH, `Domain must be at most ${DOMAIN_MAX_LENGTH} characters`)
  .refine((v) => !hasControlChars(v), 'Domain must not contain control characters')
  .refine((v) => !v.includes('\\'), 'Domain must not contain a backslash');

const authSchema = z
  .array(z.enum(AUTH_METHODS, { error: `Authentication methods are ${AUTH_METHODS.join(', ')}` }))
  .min(1, 'Allow at least one authentication method')
  .refine((v) => new Set(v).size === v.length, 'Each authentication method may be listed once');

/** A split route: routes.ts's one rule (a network, not 0.0.0.0/0), with its message. */
export const routeCidrSchema = z.string().superRefine((v, ctx) => {
  const problem = routeProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
});

export const RoutesSchema = z.discriminatedUnion('mode', [
  /** All traffic through the tunnel (default route via the VPN). */
  z.object({ mode: z.literal('full') }),
  /** Only these networks through the tunnel; an empty list means just the peer itself. */
  z.object({ mode: z.literal('split'), cidrs: z.array(routeCidrSchema).max(MAX_SPLIT_ROUTES, `At most ${MAX_SPLIT_ROUTES} split routes`) }),
]);
export type Routes = z.infer<typeof RoutesSchema>;

/**
 * A whole number in [min, max] with the words every surface shows (editor, import report,
 * pptpctl): "Keepalive interval must be at most 3600 seconds", never the validator's own.
 */
function wholeNumber(what: string, min: number, max: number, unit = '') {
  return z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be at least ${min}${unit}`)
    .max(max, `${what} must be at most ${max}${unit}`);
}

export const KeepaliveSchema = z.object({
  /** LCP Echo-Request interval in seconds; 0 turns LCP keepalive off (PPTP echo still runs). */
  lcpEchoIntervalS: wholeNumber('Keepalive interval', 0, 3600, ' seconds').default(DEFAULT_KEEPALIVE.lcpEchoIntervalS),
  /** Unanswered echoes before the link is declared dead. */
  lcpEchoFailures: wholeNumber('Keepalive failures', 1, 100).default(DEFAULT_KEEPALIVE.lcpEchoFailures),
});

export const ReconnectSchema = z.object({
  enabled: z.boolean().default(DEFAULT_RECONNECT.enabled),
  /** Attempts after an unexpected drop; 0 means no limit. */
  maxAttempts: wholeNumber('Reconnect attempts', 0, 1000).default(DEFAULT_RECONNECT.maxAttempts),
});

/** Everything a user edits: a profile minus its identity and timestamps. */
export const ProfileSettingsSchema = z.object({
  name: nameSchema,
  server: serverSchema,
  username: usernameSchema.default(''),
  domain: domainSchema.optional(),
  auth: authSchema.default(['mschapv2']),
  mppe: z.enum(MPPE_REQUIREMENTS, { error: `Encryption must be one of ${MPPE_REQUIREMENTS.join(', ')}` }).default('require-128'),
  allowStateful: z.boolean().default(false),
  routes: RoutesSchema.default({ mode: 'full' }),
  usePeerDns: z.boolean().default(true),
  mtu: wholeNumber('MTU', MTU_MIN, MTU_MAX).optional(),
  keepalive: KeepaliveSchema.default({ ...DEFAULT_KEEPALIVE }),
  reconnect: ReconnectSchema.default({ ...DEFAULT_RECONNECT }),
  /** No password is kept in the keychain; the app asks at every connect. */
  askPasswordEveryTime: z.boolean().default(false),
});

export const ProfileSchema = ProfileSettingsSchema.extend({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** What create() accepts: settings with every defaulted field optional. */
export type ProfileInput = z.input<typeof ProfileSettingsSchema>;
/** Validated settings with defaults filled in (assignable to ProfileInput). */
export type ProfileSettings = z.output<typeof ProfileSettingsSchema>;
/** A stored profile. */
export type Profile = z.output<typeof ProfileSchema>;
/** What update() accepts: any subset of the settings. */
export type ProfilePatch = Partial<ProfileInput>;

/** One field's problem, as IPC errors, import outcomes and the store's set-aside entries carry it. */
export const fieldIssueSchema = z.object({
  /** Dotted path of the field ("routes.cidrs.0"), '' for the whole object. */
  path: z.string(),
  message: z.string(),
});
export type FieldIssue = Readonly<z.output<typeof fieldIssueSchema>>;

/** zod issues as plain {path, message} pairs, fit for IPC and the CLI. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export type SecurityWarningCode =
  | 'auth-pap'
  | 'auth-chap'
  | 'auth-mschap'
  | 'auth-eap'
  | 'mppe-weak-keys'
  | 'mppe-optional'
  | 'mppe-none'
  | 'mppe-stateful';

export interface SecurityWarning {
  readonly code: SecurityWarningCode;
  readonly message: string;
}

/** Said once, wherever profiles are shown: the protocol itself is weak (DESIGN §1). */
export const PPTP_SECURITY_NOTICE =
  'PPTP is an old protocol: MS-CHAPv2 and RC4 (MPPE) can be broken by a determined attacker. Use it only where nothing better is available.';

/**
 * The weak choices a profile makes, as sentences the GUI and pptpctl both print, in a stable
 * order. An empty list means the profile uses the strongest settings PPTP offers.
 */
export function securityFindings(profile: Pick<ProfileSettings, 'auth' | 'mppe' | 'allowStateful'>): SecurityWarning[] {
  const out: SecurityWarning[] = [];
  const auth = new Set(profile.auth);
  if (auth.has('pap')) {
    out.push({ code: 'auth-pap', message: 'PAP is allowed: the password crosses the network in clear text.' });
  }
  if (auth.has('chap')) {
    out.push({
      code: 'auth-chap',
      message: 'CHAP (MD5) is allowed: its exchange can be cracked offline, and it yields no keys for MPPE encryption.',
    });
  }
  if (auth.has('mschap')) {
    out.push({ code: 'auth-mschap', message: 'MS-CHAP version 1 is allowed: its responses can be cracked quickly; prefer MS-CHAPv2.' });
  }
  if (auth.has('eap')) {
    out.push({
      code: 'auth-eap',
      message: 'EAP is allowed: a server may pick EAP-MD5, which can be cracked offline and yields no keys for MPPE encryption.',
    });
  }
  switch (profile.mppe) {
    case 'require-any':
      out.push({
        code: 'mppe-weak-keys',
        message: '40-bit and 56-bit MPPE keys are accepted: they can be broken quickly; require 128-bit.',
      });
      break;
    case 'optional':
      out.push({
        code: 'mppe-optional',
        message: 'Encryption is optional: if the server declines MPPE, traffic is sent unencrypted.',
      });
      break;
    case 'none':
      out.push({ code: 'mppe-none', message: 'Encryption is off: all traffic is sent unencrypted.' });
      break;
    case 'require-128':
      break;
  }
  if (profile.allowStateful && profile.mppe !== 'none') {
    out.push({
      code: 'mppe-stateful',
      message: 'Stateful MPPE is allowed: keys change less often, and one lost packet stalls traffic until the keys resynchronise.',
    });
  }
  return out;
}

/** The sentences of securityFindings(), for places that only print text. */
export function securityWarnings(profile: Pick<ProfileSettings, 'auth' | 'mppe' | 'allowStateful'>): string[] {
  return securityFindings(profile).map((w) => w.message);
}
