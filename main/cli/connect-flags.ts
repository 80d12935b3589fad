/**
 * The connection flags, one home for `connect`, `profiles add` and `profiles edit`: their
 * commander definitions (`addConnectionOptions`) and one parser (`settingsFromFlags`) that turns
 * them into profile settings. Validation is the profile schema's (preload/schema/profile.ts), so
 * pptpctl says exactly what the editor and the importer say ("MTU must be at most 1500"), with
 * the flag and the value in front: `--mtu 9000: MTU must be at most 1500`. Errors are
 * UsageError (exit 2).
 *
 * No flag has a commander default: `profiles edit` changes only what is given, and the parser
 * fills the defaults (the strongest settings: MS-CHAPv2, MPPE-128 required, stateless, full
 * tunnel, pushed DNS on) where a value is needed.
 *
 * Decisions: `--mppe 56|40` (exactly that key length) is for one connection only, since a profile
 * keeps a requirement (required / 128 / optional / none); `--mtu auto` and `--domain ''` clear
 * a stored value; `--reconnect off` turns reconnecting off; `--stateful` / `--no-stateful`.
 */
import { Option, type Command } from 'commander';
import { PASSWORD_MAX_LENGTH } from '../../preload/schema/limits';
import { ProfileSettingsSchema, toFieldIssues, type ProfileInput, type ProfileSettings } from '../../preload/schema/profile';
import { routeProblem } from '../../preload/schema/routes';
import { MAX_SPLIT_ROUTES } from '../../preload/schema/limits';
import { AUTH_METHODS, type MppeRequirement } from '../../preload/vocabulary';
import type { MppePolicy } from '../engine/ppp/ccp/mppe-option';
import { connectOptionsSchema, type ConnectOptions } from '../service/connect-options';

export interface ConnectFlags {
  server?: string;
  user?: string;
  domain?: string;
  auth?: string;
  mppe?: string;
  stateful?: boolean;
  routes?: string;
  dns?: string;
  mtu?: string;
  lcpEcho?: string;
  reconnect?: boolean | string;
}

export class UsageError extends Error {}

/** The flags every connection command shares, in help order. `profiles` adds --ask-password. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--server <host>', 'PPTP server host name or IPv4 address')
    .option('--user <name>', 'user name')
    .option('--domain <domain>', "NT domain, sent as DOMAIN\\user by MS-CHAP ('' for none)")
    .option('--auth <list>', `allowed methods, comma-separated: ${AUTH_METHODS.join(',')} (default: mschapv2)`)
    .option('--mppe <mode>', 'encryption: required | 128 | 56 | 40 | optional | none (default: 128)')
    .option('--stateful', 'accept stateful MPPE when the server insists (stateless is always asked for first)')
    .option('--no-stateful', 'stateless MPPE only (the default)')
    .option('--routes <spec>', 'default (all traffic) | none | CIDR[,CIDR...] (default: default)')
    .option('--dns <on|off>', 'use the DNS servers the server pushes (default: on)')
    .option('--mtu <n|auto>', 'cap the tunnel MTU (576-1500; auto: as negotiated)')
    .option('--lcp-echo <s[,n]>', 'LCP keepalive: interval in seconds and failures allowed (default 30,4; 0 = off)')
    .addOption(new Option('--reconnect [attempts]', 'reconnect with backoff after a drop; 0 = unlimited, off = never'));
}

/**
 * --mppe values (pptpctl's own words, a CLI contract): required (any length), 128/56/40 (exactly
 * that), optional, none. Default 128. They map onto the shared MPPE requirements.
 */
export function parseMppeFlag(value: string | undefined, stateful: boolean): MppePolicy {
  switch (value ?? '128') {
    case 'required':
      return { mppe: 'require-any', allowStateful: stateful };
    case '128':
      return { mppe: 'require-128', allowStateful: stateful };
    case '56':
      return { mppe: 'require-any', allowedBits: [56], allowStateful: stateful };
    case '40':
      return { mppe: 'require-any', allowedBits: [40], allowStateful: stateful };
    case 'optional':
      return { mppe: 'optional', allowStateful: stateful };
    case 'none':
      if (stateful) throw new UsageError('--stateful makes no sense with --mppe none');
      return { mppe: 'none', allowStateful: false };
    default:
      throw new UsageError(`--mppe takes required, 128, 56, 40, optional or none (got "${value}")`);
  }
}

export function parseRoutesFlag(value: string | undefined): ConnectOptions['routes'] {
  const v = (value ?? 'default').trim();
  if (v === 'default' || v === 'none') return v;
  const cidrs = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (cidrs.length === 0) throw new UsageError('--routes takes default, none or a comma-separated CIDR list');
  if (cidrs.length > MAX_SPLIT_ROUTES) throw new UsageError(`--routes takes at most ${MAX_SPLIT_ROUTES} networks (got ${cidrs.length})`);
  // The same rule as profiles and the service RPC (preload/schema/routes.ts), in pptpctl's words.
  for (const cidr of cidrs) {
    const problem = routeProblem(cidr);
    if (problem?.code === 'whole-internet') throw new UsageError(`--routes ${cidr} is the whole Internet: for the full tunnel use --routes default`);
    if (problem?.code === 'host-bits-set') throw new UsageError(`--routes ${cidr} has host bits set: write the network, ${problem.network}`);
    if (problem) throw new UsageError(`--routes takes default, none or networks such as 10.0.0.0/8,192.168.1.0/24 (not "${cidr}")`);
  }
  return cidrs;
}

export function parseOnOff(flag: string, value: string | undefined, dflt: boolean): boolean {
  if (value === undefined) return dflt;
  if (/^(on|yes|true|1)$/i.test(value)) return true;
  if (/^(off|no|false|0)$/i.test(value)) return false;
  throw new UsageError(`${flag} takes on or off (got "${value}")`);
}

/** --mppe as a profile's requirement; 56 and 40 alone are one connection's choice only. */
function mppeRequirementFlag(value: string): MppeRequirement {
  const policy = parseMppeFlag(value, false);
  if (policy.allowedBits) {
    throw new UsageError(`--mppe ${value} (exactly ${value}-bit) is for one connection; a profile takes required (40/56/128-bit), 128, optional or none`);
  }
  return policy.mppe;
}

function numberFlag(flag: string, value: string): number {
  // "12abc" and "" are not numbers; the schema says what range a number must be in.
  if (!/^\s*-?\d+(\.\d+)?\s*$/.test(value)) throw new UsageError(`${flag} takes a number (got "${value}")`);
  return Number(value);
}

/**
 * The settings the given flags set, as a profile patch: only what was given (for `edit`).
 * Values are checked for form here (on/off, numbers, routes); ranges and names by the schema.
 */
export function settingsFromFlags(flags: ConnectFlags): Partial<ProfileInput> {
  const s: Partial<ProfileInput> = {};
  if (flags.server !== undefined) s.server = flags.server;
  if (flags.user !== undefined) s.username = flags.user;
  if (flags.domain !== undefined) s.domain = flags.domain.trim() === '' ? undefined : flags.domain;
  if (flags.auth !== undefined) {
    const auth = flags.auth.split(',').map((m) => m.trim()).filter(Boolean);
    const unknown = auth.filter((m) => !(AUTH_METHODS as readonly string[]).includes(m));
    if (auth.length === 0 || unknown.length) {
      throw new UsageError(`--auth takes a comma-separated list of ${AUTH_METHODS.join(', ')}${unknown.length ? ` (not "${unknown.join(',')}")` : ''}`);
    }
    s.auth = auth as ProfileInput['auth'];
  }
  if (flags.mppe !== undefined) s.mppe = mppeRequirementFlag(flags.mppe);
  if (flags.stateful !== undefined) s.allowStateful = flags.stateful;
  if (flags.routes !== undefined) {
    const routes = parseRoutesFlag(flags.routes);
    s.routes = routes === 'default' ? { mode: 'full' } : { mode: 'split', cidrs: routes === 'none' ? [] : routes };
  }
  if (flags.dns !== undefined) s.usePeerDns = parseOnOff('--dns', flags.dns, true);
  if (flags.mtu !== undefined) s.mtu = flags.mtu === 'auto' ? undefined : numberFlag('--mtu', flags.mtu);
  if (flags.lcpEcho !== undefined) {
    const m = /^(\d+)(?:,(\d+))?$/.exec(flags.lcpEcho.trim());
    if (!m) throw new UsageError('--lcp-echo takes SECONDS[,FAILURES], e.g. 30,4 (0 turns it off)');
    s.keepalive = { lcpEchoIntervalS: Number(m[1]), ...(m[2] !== undefined ? { lcpEchoFailures: Number(m[2]) } : {}) };
  }
  if (flags.reconnect !== undefined && flags.reconnect !== false) {
    if (flags.reconnect === 'off') s.reconnect = { enabled: false };
    else if (flags.reconnect === true) s.reconnect = { enabled: true };
    else s.reconnect = { enabled: true, maxAttempts: numberFlag('--reconnect', flags.reconnect) };
  }
  return s;
}

/** The flag (or argument) a profile field comes from, for messages. */
const FLAG_OF_FIELD: Record<string, string> = {
  name: 'the profile name',
  server: '--server',
  username: '--user',
  domain: '--domain',
  auth: '--auth',
  mppe: '--mppe',
  allowStateful: '--stateful',
  routes: '--routes',
  usePeerDns: '--dns',
  mtu: '--mtu',
  keepalive: '--lcp-echo',
  reconnect: '--reconnect',
  askPasswordEveryTime: '--ask-password',
};

/** The value a flag was given, for the message (only flags, never the password). */
function givenValue(field: string, flags: ConnectFlags): string | undefined {
  const byField: Record<string, unknown> = {
    server: flags.server,
    username: flags.user,
    domain: flags.domain,
    mtu: flags.mtu,
    keepalive: flags.lcpEcho,
    reconnect: flags.reconnect,
  };
  const v = byField[field];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Validates profile settings with the profile schema; the first problem becomes a UsageError
 * "<flag> <value>: <the schema's message>".
 */
export function checkSettings(input: Partial<ProfileInput>, flags: ConnectFlags = {}): ProfileSettings {
  const parsed = ProfileSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = toFieldIssues(parsed.error)[0]!;
  const field = issue.path.split('.')[0] ?? '';
  const flag = FLAG_OF_FIELD[field] ?? field;
  const value = givenValue(field, flags);
  const shown = value !== undefined && value.length <= 80 ? ` ${JSON.stringify(value)}` : '';
  throw new UsageError(`${flag}${shown}: ${issue.message}`);
}

/**
 * `pptpctl connect` (and doctor) flags → ConnectOptions. Without `--reconnect` a connect does not
 * reconnect, and without `--lcp-echo` the service's keepalive default applies.
 */
export function connectOptionsFromFlags(flags: ConnectFlags, password: string): ConnectOptions {
  if (!flags.server) throw new UsageError('--server is required (or use --profile NAME)');
  if (!flags.user) throw new UsageError('--user is required (or use --profile NAME)');
  if (password.length > PASSWORD_MAX_LENGTH) throw new UsageError(`the password is longer than ${PASSWORD_MAX_LENGTH} characters (the MS-CHAP limit, RFC 2759)`);
  const mppe = parseMppeFlag(flags.mppe, flags.stateful ?? false);
  const given = settingsFromFlags({ ...flags, mppe: undefined });
  const settings = checkSettings({ name: 'pptpctl connect', ...given, mppe: mppe.mppe }, flags);
  const candidate: ConnectOptions = {
    server: settings.server,
    username: settings.username,
    password,
    ...(settings.domain !== undefined ? { domain: settings.domain } : {}),
    auth: settings.auth,
    mppe,
    routes: parseRoutesFlag(flags.routes),
    dns: settings.usePeerDns,
    ...(settings.mtu !== undefined ? { mtu: settings.mtu } : {}),
    ...(flags.lcpEcho !== undefined ? { lcpEcho: { intervalS: settings.keepalive.lcpEchoIntervalS, failures: settings.keepalive.lcpEchoFailures } } : {}),
    ...(flags.reconnect !== undefined && flags.reconnect !== false ? { reconnect: { enabled: settings.reconnect.enabled, maxAttempts: given.reconnect?.maxAttempts ?? 0 } } : {}),
    label: settings.server,
  };
  const parsed = connectOptionsSchema.safeParse(candidate);
  if (!parsed.success) {
    // The profile schema passed, so this is a limit only the service has; name the field, never the password.
    const field = String(parsed.error.issues[0]?.path[0] ?? '');
    throw new UsageError(`${FLAG_OF_FIELD[field === 'username' ? 'username' : field] ?? (field === 'password' ? 'the password' : field)}: not accepted by the tunnel service`);
  }
  return parsed.data;
}
