/**
 * Importer for NetworkManager keyfiles (/etc/NetworkManager/system-connections/*.nmconnection)
 * of PPTP VPN connections: `[connection] type=vpn` and `[vpn] service-type=
 * org.freedesktop.NetworkManager.pptp`. One file is one entry.
 *
 * The [vpn] keys are NetworkManager-pptp's (src/nm-pptp-service-defines.h): gateway, user,
 * domain, refuse-eap/pap/chap/mschap/mschapv2, require-mppe, require-mppe-40, require-mppe-128,
 * mppe-stateful, lcp-echo-failure, lcp-echo-interval. `password-flags` are NetworkManager's
 * secret flags (1 agent-owned, 2 not saved = ask every time, 4 not required). A password in the
 * file ([vpn-secrets] or [vpn] password=) is never read; the entry says so.
 *
 * The keyfile syntax is GLib's key file: `[group]`, `key=value`, `#` comments, `\s \n \t \r \\`
 * escapes in values. A small line parser reads it (groups are maps; a repeated key keeps the
 * first value and warns, so a crafted file cannot smuggle a second gateway past the report).
 */
import { AUTH_METHODS, type AuthMethod } from '../../../preload/vocabulary';
import type { ImportReport } from '../../../preload/schema/profile-store';
import { decodeImportBytes, MAX_LINE_LENGTH, splitLines } from './decode';
import { shown } from './printable';
import { finishEntry, skippedEntry, type EntryDraft } from './report';

const PPTP_SERVICE = 'org.freedesktop.NetworkManager.pptp';
const SECRET_FLAG_NOT_SAVED = 0x2;

type Groups = Map<string, Map<string, string>>;

function unescapeValue(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => ({ s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' })[c] ?? `\\${c}`);
}

function parseKeyFile(text: string, warnings: string[]): Groups {
  const groups: Groups = new Map();
  let current: Map<string, string> | undefined;
  let currentName = '';
  splitLines(text).forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    if (raw.length > MAX_LINE_LENGTH) {
      warnings.push(`line ${lineNo}: longer than ${MAX_LINE_LENGTH} characters, skipped.`);
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      currentName = line.slice(1, -1);
      current = groups.get(currentName);
      if (current) {
        warnings.push(`line ${lineNo}: the group ${shown(currentName)} appears twice; its keys were merged.`);
      } else {
        current = new Map();
        groups.set(currentName, current);
      }
      return;
    }
    const eq = line.indexOf('=');
    if (!current || eq <= 0) {
      warnings.push(`line ${lineNo}: ${shown(line)} is not "key=value" inside a [group]; ignored.`);
      return;
    }
    const key = line.slice(0, eq).trim();
    if (/\[.+\]$/.test(key)) return; // localised variant (name[de]=...): not a setting we read
    if (current.has(key)) {
      warnings.push(`line ${lineNo}: ${shown(`[${currentName}] ${key}`)} is set twice; the first value was kept.`);
      return;
    }
    current.set(key, unescapeValue(line.slice(eq + 1).trim()));
  });
  return groups;
}

function yes(value: string | undefined): boolean {
  return value !== undefined && /^(yes|true|1)$/i.test(value);
}

function intIn(value: string | undefined, min: number, max: number, what: string, warnings: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (/^[0-9]{1,6}$/.test(value) && Number(value) >= min && Number(value) <= max) return Number(value);
  warnings.push(`${what}=${shown(value)} is out of range; the default was used.`);
  return undefined;
}

/** NetworkManager routes: `routeN=a.b.c.d/p[,gateway[,metric]]`, or the old `routes=a/p,gw,m;...`. */
function routesOf(ipv4: Map<string, string>): string[] {
  const out: string[] = [];
  const numbered = [...ipv4.keys()]
    .map((k) => /^route(\d+)$/.exec(k))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]));
  for (const m of numbered) out.push((ipv4.get(m[0]) ?? '').split(',')[0]?.trim() ?? '');
  for (const item of (ipv4.get('routes') ?? '').split(';')) {
    const cidr = item.split(',')[0]?.trim();
    if (cidr) out.push(cidr);
  }
  return out.filter((r) => r !== '');
}

export function importNmConnection(bytes: Uint8Array, fileName = 'connection.nmconnection'): ImportReport {
  const format = 'nmconnection' as const;
  const decoded = decodeImportBytes(bytes);
  if (!decoded.ok) return { format, entries: [], fileError: decoded.error, fileWarnings: [] };
  const warnings: string[] = [];
  const groups = parseKeyFile(decoded.text, warnings);
  const connection = groups.get('connection');
  if (!connection) {
    return { format, entries: [], fileError: { code: 'wrong-format', message: 'No [connection] group: this is not a NetworkManager keyfile.' }, fileWarnings: warnings };
  }
  const baseName = fileName.replace(/^.*[\\/]/, '').replace(/\.nmconnection$/i, '');
  const sourceName = connection.get('id') || baseName;
  const type = connection.get('type') ?? '';
  const vpn = groups.get('vpn') ?? new Map<string, string>();
  const service = vpn.get('service-type') ?? '';
  if (type !== 'vpn') return { format, entries: [skippedEntry(sourceName, `not PPTP (a ${shown(type)} connection).`)], fileWarnings: [] };
  if (service !== PPTP_SERVICE) return { format, entries: [skippedEntry(sourceName, `not PPTP (VPN service ${shown(service)}).`)], fileWarnings: [] };

  const draft: EntryDraft = { name: sourceName, server: vpn.get('gateway')?.trim(), username: vpn.get('user') ?? '' };
  const domain = vpn.get('domain')?.trim();
  if (domain) draft.domain = domain;

  const refused = new Set(AUTH_METHODS.filter((m) => yes(vpn.get(`refuse-${m}`))));
  draft.auth = AUTH_METHODS.filter((m) => !refused.has(m)) as AuthMethod[];

  if (yes(vpn.get('require-mppe-128'))) draft.mppe = 'require-128';
  else if (yes(vpn.get('require-mppe')) || yes(vpn.get('require-mppe-40'))) draft.mppe = 'require-any';
  else draft.mppe = 'optional';
  if (yes(vpn.get('require-mppe-40')) && !yes(vpn.get('require-mppe-128'))) {
    warnings.push('The connection asked for 40-bit MPPE; the profile requires MPPE and accepts any key length.');
  }
  draft.allowStateful = yes(vpn.get('mppe-stateful'));

  const keepalive: NonNullable<EntryDraft['keepalive']> = {};
  const interval = intIn(vpn.get('lcp-echo-interval'), 0, 3600, 'lcp-echo-interval', warnings);
  const failures = intIn(vpn.get('lcp-echo-failure'), 1, 100, 'lcp-echo-failure', warnings);
  if (interval !== undefined) keepalive.lcpEchoIntervalS = interval;
  if (failures !== undefined) keepalive.lcpEchoFailures = failures;
  draft.keepalive = keepalive;

  const flags = Number(vpn.get('password-flags') ?? '0');
  if (Number.isInteger(flags) && flags & SECRET_FLAG_NOT_SAVED) draft.askPasswordEveryTime = true;
  if (vpn.has('password') || groups.get('vpn-secrets')?.has('password')) {
    warnings.push('The file holds a saved password; it was not imported. Enter it in the profile (it is kept in the system keychain).');
  }

  const ipv4 = groups.get('ipv4') ?? new Map<string, string>();
  const routes = routesOf(ipv4);
  if (yes(ipv4.get('never-default'))) {
    draft.routes = { mode: 'split', cidrs: routes };
  } else {
    draft.routes = { mode: 'full' };
    if (routes.length) warnings.push(`All traffic goes through the tunnel, so the ${routes.length} extra route(s) were not needed and were left out.`);
  }
  draft.usePeerDns = !yes(ipv4.get('ignore-auto-dns'));
  if (ipv4.get('dns')) warnings.push(`Fixed DNS servers (${shown(ipv4.get('dns') ?? '')}) are not imported.`);

  return { format, entries: [finishEntry(sourceName, draft, warnings)], fileWarnings: [] };
}
