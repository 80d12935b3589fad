/**
 * `pptpctl connect` flags (DESIGN.md §6) turned into ConnectOptions, as a pure function so every
 * flag combination is unit-tested. Validation errors name the flag and what it takes; they
 * become exit code 2 (usage).
 */
import { MAX_SPLIT_ROUTES, PASSWORD_MAX_LENGTH } from '../../preload/schema/limits';
import { routeProblem } from '../../preload/schema/routes';
import { AUTH_METHODS } from '../../preload/vocabulary';
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

export function connectOptionsFromFlags(flags: ConnectFlags, password: string): ConnectOptions {
  if (!flags.server) throw new UsageError('--server is required (or use --profile NAME)');
  if (!flags.user) throw new UsageError('--user is required (or use --profile NAME)');
  if (password.length > PASSWORD_MAX_LENGTH) throw new UsageError(`the password is longer than ${PASSWORD_MAX_LENGTH} characters (the MS-CHAP limit, RFC 2759)`);
  const auth = (flags.auth ?? 'mschapv2').split(',').map((s) => s.trim()).filter(Boolean);
  let lcpEcho: ConnectOptions['lcpEcho'];
  if (flags.lcpEcho !== undefined) {
    const m = /^(\d+)(?:,(\d+))?$/.exec(flags.lcpEcho);
    if (!m) throw new UsageError('--lcp-echo takes SECONDS[,FAILURES], e.g. 30,4 (0 turns it off)');
    lcpEcho = { intervalS: Number(m[1]), failures: Number(m[2] ?? 4) };
  }
  const candidate = {
    server: flags.server,
    username: flags.user,
    password,
    ...(flags.domain ? { domain: flags.domain } : {}),
    auth,
    mppe: parseMppeFlag(flags.mppe, flags.stateful ?? false),
    routes: parseRoutesFlag(flags.routes),
    dns: parseOnOff('--dns', flags.dns, true),
    ...(flags.mtu !== undefined ? { mtu: Number(flags.mtu) } : {}),
    ...(lcpEcho ? { lcpEcho } : {}),
    ...(flags.reconnect ? { reconnect: { enabled: true, maxAttempts: typeof flags.reconnect === 'string' ? Number(flags.reconnect) : 0 } } : {}),
    label: flags.server,
  };
  const parsed = connectOptionsSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    const flagName: Record<string, string> = { server: '--server', username: '--user', auth: '--auth', routes: '--routes', mtu: '--mtu', domain: '--domain', password: 'the password', lcpEcho: '--lcp-echo', reconnect: '--reconnect' };
    const shown = field === 'password' ? '' : ` (${issue.message})`;
    if (field === 'auth') throw new UsageError(`--auth takes a comma-separated list of ${AUTH_METHODS.join(', ')}`);
    throw new UsageError(`invalid ${flagName[field] ?? field}${shown}`);
  }
  return parsed.data;
}
