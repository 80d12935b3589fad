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
