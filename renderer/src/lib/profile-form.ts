/**
 * The profile editor's form model: what the inputs hold (strings and flags), how it becomes a
 * ProfileInput for the shared schema, and how the schema's issues map back to fields. Pure.
 */
import {
  DEFAULT_KEEPALIVE,
  DEFAULT_RECONNECT,
  ProfileSettingsSchema,
  toFieldIssues,
  type FieldIssue,
  type Profile,
  type ProfileInput,
  type ProfileSettings,
} from '../../../preload/schema/profile';
import type { AuthMethod, MppeRequirement } from '../../../preload/vocabulary';

export interface ProfileForm {
  name: string;
  server: string;
  username: string;
  domain: string;
  password: string;
  askPasswordEveryTime: boolean;
  auth: AuthMethod[];
  mppe: MppeRequirement;
  allowStateful: boolean;
  routesMode: 'full' | 'split';
  /** One CIDR per line (commas also separate). */
  cidrs: string;
  usePeerDns: boolean;
  mtu: string;
  lcpEchoIntervalS: string;
  lcpEchoFailures: string;
  reconnectEnabled: boolean;
  reconnectMaxAttempts: string;
}

export type FormField = Exclude<keyof ProfileForm, 'password' | 'askPasswordEveryTime'> | 'form';

export function emptyForm(): ProfileForm {
  return {
    name: '',
    server: '',
    username: '',
    domain: '',
    password: '',
    askPasswordEveryTime: false,
    auth: ['mschapv2'],
    mppe: 'require-128',
    allowStateful: false,
    routesMode: 'full',
    cidrs: '',
    usePeerDns: true,
    mtu: '',
    lcpEchoIntervalS: String(DEFAULT_KEEPALIVE.lcpEchoIntervalS),
    lcpEchoFailures: String(DEFAULT_KEEPALIVE.lcpEchoFailures),
    reconnectEnabled: DEFAULT_RECONNECT.enabled,
    reconnectMaxAttempts: String(DEFAULT_RECONNECT.maxAttempts),
  };
}

export function formFromProfile(p: Profile | ProfileSettings): ProfileForm {
  return {
    name: p.name,
    server: p.server,
    username: p.username,
    domain: p.domain ?? '',
    password: '',
    askPasswordEveryTime: p.askPasswordEveryTime,
    auth: [...p.auth],
    mppe: p.mppe,
    allowStateful: p.allowStateful,
    routesMode: p.routes.mode,
    cidrs: p.routes.mode === 'split' ? p.routes.cidrs.join('\n') : '',
    usePeerDns: p.usePeerDns,
    mtu: p.mtu === undefined ? '' : String(p.mtu),
    lcpEchoIntervalS: String(p.keepalive.lcpEchoIntervalS),
    lcpEchoFailures: String(p.keepalive.lcpEchoFailures),
    reconnectEnabled: p.reconnect.enabled,
    reconnectMaxAttempts: String(p.reconnect.maxAttempts),
  };
}

/** '' -> undefined (the schema's default applies); anything else -> a number (NaN if not one). */
function numberOrUndefined(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

export function splitCidrs(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export function formToInput(f: ProfileForm): ProfileInput {
  const domain = f.domain.trim();
  const mtu = numberOrUndefined(f.mtu);
  return {
    name: f.name,
    server: f.server,
    username: f.username,
    ...(domain !== '' ? { domain } : {}),
    auth: f.auth,
    mppe: f.mppe,
    allowStateful: f.allowStateful,
    routes: f.routesMode === 'full' ? { mode: 'full' } : { mode: 'split', cidrs: splitCidrs(f.cidrs) },
    usePeerDns: f.usePeerDns,
    ...(mtu !== undefined ? { mtu } : {}),
    keepalive: {
      lcpEchoIntervalS: numberOrUndefined(f.lcpEchoIntervalS),
      lcpEchoFailures: numberOrUndefined(f.lcpEchoFailures),
    } as ProfileInput['keepalive'],
    reconnect: { enabled: f.reconnectEnabled, maxAttempts: numberOrUndefined(f.reconnectMaxAttempts) } as ProfileInput['reconnect'],
    askPasswordEveryTime: f.askPasswordEveryTime,
  };
}

export type FieldErrors = Partial<Record<FormField, string>>;

const FIELD_OF_PATH: Record<string, FormField> = {
  name: 'name',
  server: 'server',
  username: 'username',
  domain: 'domain',
  auth: 'auth',
  mppe: 'mppe',
  allowStateful: 'allowStateful',
  routes: 'cidrs',
  usePeerDns: 'usePeerDns',
  mtu: 'mtu',
  'keepalive.lcpEchoIntervalS': 'lcpEchoIntervalS',
  'keepalive.lcpEchoFailures': 'lcpEchoFailures',
  'reconnect.maxAttempts': 'reconnectMaxAttempts',
  'reconnect.enabled': 'reconnectEnabled',
};

/** Maps schema issues (paths like "routes.cidrs.2") to the first message per form field. */
export function issuesToFieldErrors(issues: readonly FieldIssue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.replace(/^(profile|patch)\./, '');
    const cidr = /^routes\.cidrs\.(\d+)$/.exec(path);
    let field: FormField = 'form';
    let message = issue.message;
    if (cidr) {
      field = 'cidrs';
      message = `Line ${Number(cidr[1]) + 1}: ${issue.message}`;
    } else {
      const key = Object.keys(FIELD_OF_PATH).find((k) => path === k || path.startsWith(`${k}.`));
      if (key) field = FIELD_OF_PATH[key] as FormField;
      else if (path !== '') message = `${path}: ${issue.message}`;
    }
    if (out[field] === undefined) out[field] = message;
  }
  return out;
}

export type FormValidation = { ok: true; value: ProfileSettings } | { ok: false; errors: FieldErrors };

/** Runs the shared schema over the form, as main will. */
export function validateForm(f: ProfileForm): FormValidation {
  const parsed = ProfileSettingsSchema.safeParse(formToInput(f));
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: issuesToFieldErrors(toFieldIssues(parsed.error)) };
}

/** True when the form differs from what it started as (the password counts once typed). */
export function isFormDirty(initial: ProfileForm, current: ProfileForm): boolean {
  return (Object.keys(initial) as (keyof ProfileForm)[]).some((k) => {
    const a = initial[k];
    const b = current[k];
    return Array.isArray(a) && Array.isArray(b) ? a.length !== b.length || a.some((x, i) => x !== b[i]) : a !== b;
  });
}

// --- the editor's collapsible sections -------------------------------------------------------

/**
 * The sections below the essentials (name, server, user, domain, password), in screen order.
 * Each field belongs to exactly one place; a field not listed here is an essential.
 */
export const EDITOR_SECTIONS = ['security', 'routes', 'mtu', 'keepalive', 'reconnect'] as const;
export type EditorSection = (typeof EDITOR_SECTIONS)[number];

export const SECTION_TITLES: Readonly<Record<EditorSection, string>> = {
  security: 'Security',
  routes: 'Routes and DNS',
  mtu: 'MTU',
  keepalive: 'Keepalive',
  reconnect: 'Reconnect',
};

const SECTION_FIELDS: Readonly<Record<EditorSection, readonly FormField[]>> = {
  security: ['auth', 'mppe', 'allowStateful'],
  routes: ['routesMode', 'cidrs', 'usePeerDns'],
  mtu: ['mtu'],
  keepalive: ['lcpEchoIntervalS', 'lcpEchoFailures'],
  reconnect: ['reconnectEnabled', 'reconnectMaxAttempts'],
};

/** The section a field lives in, or null for the essentials (always shown). */
export function sectionOf(field: FormField): EditorSection | null {
  return EDITOR_SECTIONS.find((s) => SECTION_FIELDS[s].includes(field)) ?? null;
}

/** The sections holding at least one of these errors (they open themselves on submit). */
export function sectionsWithErrors(errors: FieldErrors): EditorSection[] {
  const fields = (Object.keys(errors) as FormField[]).filter((f) => errors[f] !== undefined);
  return EDITOR_SECTIONS.filter((s) => fields.some((f) => sectionOf(f) === s));
}

function plural(n: string, one: string, many: string): string {
  return `${n} ${n.trim() === '1' ? one : many}`;
}

/**
 * One line saying what a collapsed section holds, so a closed section still tells its value
 * (as Viscosity and Tunnelblick summarise theirs). Method and MPPE names are the vocabulary's.
 */
export function sectionSummary(section: EditorSection, f: ProfileForm, labels: { auth: Readonly<Record<AuthMethod, string>>; mppe: Readonly<Record<MppeRequirement, string>> }): string {
  switch (section) {
    case 'security': {
      const auth = f.auth.length ? f.auth.map((m) => labels.auth[m]).join(', ') : 'no method';
      const stateful = f.allowStateful && f.mppe !== 'none' ? ', stateful allowed' : '';
      return `${auth}; encryption ${labels.mppe[f.mppe].toLowerCase()}${stateful}`;
    }
    case 'routes': {
      const n = splitCidrs(f.cidrs).length;
      const routes = f.routesMode === 'full' ? 'All traffic' : `Split tunnel, ${plural(String(n), 'network', 'networks')}`;
      return `${routes}; ${f.usePeerDns ? "the VPN's DNS" : 'own DNS'}`;
    }
    case 'mtu':
      return f.mtu.trim() === '' ? 'Negotiated' : f.mtu.trim();
    case 'keepalive':
      return f.lcpEchoIntervalS.trim() === '0' ? 'Off' : `Every ${f.lcpEchoIntervalS.trim() || '?'} s, dead after ${plural(f.lcpEchoFailures.trim() || '?', 'miss', 'misses')}`;
    case 'reconnect':
      if (!f.reconnectEnabled) return 'Off';
      return f.reconnectMaxAttempts.trim() === '0' ? 'On, no limit' : `On, up to ${plural(f.reconnectMaxAttempts.trim() || '?', 'attempt', 'attempts')}`;
  }
}
