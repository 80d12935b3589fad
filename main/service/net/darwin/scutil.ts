/**
 * scutil(8) scripts for the System Configuration dynamic store, and the parser for its `show`
 * output. Only our own keys (State:/Network/Service/<SERVICE_ID>/{DNS,IPv4}) are ever written,
 * and only from validated values (IPv4 addresses, utun names, strict DNS names, 0/1): there is
 * no free text in a script. Pure: builds text, parses text.
 *
 * Script commands (scutil(8) and its `help`): `open` a session, `d.init` an empty dictionary,
 * `d.add key [*|#|?] value...` (array / number / boolean), `set key` stores it, `show key`
 * prints it, `remove key` deletes it, `quit`. `show` prints "<dictionary> {", one
 * "  Key : value" line per scalar and "  Key : <array> {" + "    N : value" lines per array,
 * and "  No such key" when the key is absent. scutil reads stdin and exits 0 even when a
 * command fails, so every change script ends with `show` of the key and the caller checks it.
 */
import type { ScutilDictionary, ScutilValue } from '../types';
import { isDomainName, isIpv4, isUtunName } from '../validate';

/** Our service ID in the dynamic store: a fixed name no network service of the system uses. */
export const SERVICE_ID = 'com.pptpmanager.tunnel';
export const DNS_KEY = `State:/Network/Service/${SERVICE_ID}/DNS`;
export const IPV4_KEY = `State:/Network/Service/${SERVICE_ID}/IPv4`;
export const OUR_KEYS: readonly string[] = [DNS_KEY, IPV4_KEY];

export function isOurKey(key: unknown): key is string {
  return typeof key === 'string' && OUR_KEYS.includes(key);
}

type Check = (value: ScutilValue) => boolean;
const ipv4List: Check = (v) => Array.isArray(v) && v.length > 0 && v.length <= 8 && v.every(isIpv4);
const domainList: Check = (v) => Array.isArray(v) && v.length > 0 && v.length <= 8 && v.every(isDomainName);

/**
 * The dictionary entries we write and accept back (SystemConfiguration SCSchemaDefinitions.h:
 * kSCPropNetDNSServerAddresses, ...SearchDomains, ...SupplementalMatchDomains;
 * kSCPropNetIPv4Addresses, ...DestAddresses, ...Router, kSCPropInterfaceName,
 * kSCPropNetOverridePrimary, a number).
 */
const ENTRY_CHECKS: Readonly<Record<string, Check>> = {
  ServerAddresses: ipv4List,
  SearchDomains: domainList,
  SupplementalMatchDomains: domainList,
  Addresses: ipv4List,
  DestAddresses: ipv4List,
  Router: (v) => typeof v === 'string' && isIpv4(v),
  InterfaceName: (v) => typeof v === 'string' && isUtunName(v),
  OverridePrimary: (v) => v === 0 || v === 1,
};
const NUMBER_KEYS = new Set(['OverridePrimary']);

/** null when `dict` holds only entries we know with valid values, else what is wrong. */
export function dictionaryProblem(dict: unknown): string | null {
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) return 'not a dictionary';
  const entries = Object.entries(dict as Record<string, unknown>);
  if (entries.length === 0) return 'empty dictionary';
  for (const [key, value] of entries) {
    const check = ENTRY_CHECKS[key];
    if (check === undefined) return `unexpected entry ${JSON.stringify(key)}`;
    if (!check(value as ScutilValue)) return `bad value for ${key}`;
  }
  return null;
}

function addLine(key: string, value: ScutilValue): string {
  if (Array.isArray(value)) return `d.add ${key} * ${value.join(' ')}`;
  if (typeof value === 'number') return `d.add ${key} # ${value}`;
  return `d.add ${key} ${String(value)}`;
}

/** Sets `key` to `dict` and shows it back. Throws on a value that did not pass dictionaryProblem (a programming error). */
export function setScript(key: string, dict: ScutilDictionary): string {
  const problem = isOurKey(key) ? dictionaryProblem(dict) : `not our key: ${key}`;
  if (problem !== null) throw new Error(`refusing to build a scutil script: ${problem}`);
  const adds = Object.keys(dict)
    .sort()
    .map((name) => addLine(name, dict[name] as ScutilValue));
  return ['open', 'd.init', ...adds, `set ${key}`, `show ${key}`, 'quit', ''].join('\n');
}

export function removeScript(key: string): string {
  if (!isOurKey(key)) throw new Error(`refusing to build a scutil script: not our key: ${key}`);
  return ['open', `remove ${key}`, `show ${key}`, 'quit', ''].join('\n');
}

export function showScript(key: string): string {
  if (!isOurKey(key)) throw new Error(`refusing to build a scutil script: not our key: ${key}`);
  return ['open', `show ${key}`, 'quit', ''].join('\n');
}

export type ScutilShow =
  | { readonly kind: 'absent' }
  | { readonly kind: 'dictionary'; readonly dictionary: Readonly<Record<string, string | readonly string[]>> }
  | { readonly kind: 'garbled'; readonly reason: string };

/**
 * Reads the output of a script whose last command is `show <key>`: the last "<dictionary> {"
 * block or the last "No such key" line decides. Values stay text here (scutil prints numbers
 * and strings alike); `typedDictionary` gives them our types back.
 */
export function parseScutilShow(stdout: string): ScutilShow {
  const lines = stdout.split('\n').map((line) => line.replace(/\s+$/, ''));
  let start = -1;
  let absentAt = -1;
  lines.forEach((line, index) => {
    if (line === '<dictionary> {') start = index;
    if (/^\s*No such key$/.test(line)) absentAt = index;
  });
  if (absentAt > start) return { kind: 'absent' };
  if (start === -1) return { kind: 'garbled', reason: 'scutil printed neither a dictionary nor "No such key"' };
  const dictionary: Record<string, string | string[]> = {};
  let array: string[] | null = null;
  for (let index = start + 1; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (array !== null) {
      if (/^\s*}$/.test(line)) {
        array = null;
        continue;
      }
      const item = /^\s+([0-9]+) : (\S+)$/.exec(line);
      if (item?.[1] === undefined || item[2] === undefined || Number(item[1]) !== array.length) {
        return { kind: 'garbled', reason: `unexpected array line ${JSON.stringify(line)}` };
      }
      array.push(item[2]);
      continue;
    }
    if (line === '}') return { kind: 'dictionary', dictionary };
    const opens = /^\s+([A-Za-z0-9]+) : <array> \{$/.exec(line);
    if (opens?.[1] !== undefined) {
      array = [];
      dictionary[opens[1]] = array;
      continue;
    }
    const scalar = /^\s+([A-Za-z0-9]+) : (\S+)$/.exec(line);
    if (scalar?.[1] === undefined || scalar[2] === undefined || scalar[2].startsWith('<')) {
      return { kind: 'garbled', reason: `unexpected dictionary line ${JSON.stringify(line)}` };
    }
    dictionary[scalar[1]] = scalar[2];
  }
  return { kind: 'garbled', reason: 'the dictionary is not closed' };
}

/** The shown dictionary with our types (numbers for numeric entries), or null when it is not one of ours. */
export function typedDictionary(shown: Readonly<Record<string, string | readonly string[]>>): ScutilDictionary | null {
  const typed: Record<string, ScutilValue> = {};
  for (const [key, value] of Object.entries(shown)) {
    typed[key] = NUMBER_KEYS.has(key) && typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  }
  return dictionaryProblem(typed) === null ? typed : null;
}

/** Same entries, same values (order of keys irrelevant, order of arrays relevant). */
export function sameDictionary(a: ScutilDictionary, b: ScutilDictionary): boolean {
  const keys = Object.keys(a).sort();
  if (keys.join(',') !== Object.keys(b).sort().join(',')) return false;
  return keys.every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

/**
 * What we publish for pushed DNS (see darwin-configurator.ts for why):
 *  - IPv4: the utun's addresses, so configd's IPMonitor treats our service as active; with
 *    OverridePrimary 1 for the full tunnel, which makes it the primary service and its
 *    resolver the default one (what Apple's own PPP/IPSec controllers do).
 *  - DNS: ServerAddresses, plus SearchDomains (full tunnel) or SupplementalMatchDomains (split).
 */
export function tunnelDictionaries(input: {
  readonly dev: string;
  readonly local: string;
  readonly peer: string;
  readonly servers: readonly string[];
  readonly domains: readonly string[];
  readonly routeAllDomains: boolean;
}): { readonly ipv4: ScutilDictionary; readonly dns: ScutilDictionary } {
  const ipv4: Record<string, ScutilValue> = {
    Addresses: [input.local],
    DestAddresses: [input.peer],
    InterfaceName: input.dev,
    Router: input.peer,
  };
  if (input.routeAllDomains) ipv4.OverridePrimary = 1;
  const dns: Record<string, ScutilValue> = { ServerAddresses: [...input.servers] };
  if (input.domains.length > 0) dns[input.routeAllDomains ? 'SearchDomains' : 'SupplementalMatchDomains'] = [...input.domains];
  return { ipv4, dns };
}
