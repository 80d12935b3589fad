/**
 * Importer for the Windows phonebook, rasphone.pbk (%APPDATA%\Microsoft\Network\Connections\Pbk).
 * One `[Entry name]` section per connection; PPTP entries become profiles, other tunnel types are
 * reported as skipped. The phonebook holds no user name or password (Windows keeps credentials
 * apart), so none is imported.
 *
 * Why a hand-written line parser and not an INI library: a phonebook section is not a map.
 * After the entry's own keys come sub-blocks (`NETCOMPONENTS=`, `MEDIA=rastapi` then `Port=`,
 * `Device=`, `DEVICE=vpn` then `PhoneNumber=` ...), one per link, so keys repeat inside a
 * section (`CustomAuthData=` too), and `DEVICE=` and `Device=` differ only by case. INI
 * libraries keep the last duplicate or fold case; here each section keeps its ordered list of
 * pairs and the mapping asks for the first, or every, value of a case-sensitive key.
 *
 * Key meanings are from [MS-RRASM] §2.2.2.2 (the phonebook file keys) and [MS-RRASM] §2.2.2.2.11
 * VpnStrategy, §2.2.2.2.14 DataEncryption, §2.2.2.2.58 AuthRestrictions; the entry type and
 * DNS address source values match the RASET_* / ASRC_* values real phonebooks carry.
 */
import type { AuthMethod } from '../../../preload/vocabulary';
import type { ImportEntry, ImportReport } from '../../../preload/schema/profile-store';
import { decodeImportBytes, MAX_IMPORT_ENTRIES, MAX_LINE_LENGTH, splitLines } from './decode';
import { shown } from './printable';
import { failedEntry, finishEntry, skippedEntry, type EntryDraft } from './report';

interface Pair {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

interface Section {
  readonly name: string;
  readonly line: number;
  readonly pairs: Pair[];
  readonly warnings: string[];
}

// Type: RASET_Vpn (RASET_Phone = 1 is dial-up, 3 direct, 4 internet, 5 broadband).
const TYPE_VPN = '2';

/** VpnStrategy [MS-RRASM] §2.2.2.2.11 (5-6 SSTP and 14 IKEv2-then-SSTP as seen in real phonebooks). */
const VPN_STRATEGY: Readonly<Record<string, { pptp: 'only' | 'first' | 'fallback' | 'none'; words: string }>> = {
  '0': { pptp: 'fallback', words: 'automatic (Windows tries several protocols)' },
  '1': { pptp: 'only', words: 'PPTP only' },
  '2': { pptp: 'first', words: 'PPTP first, then L2TP' },
  '3': { pptp: 'none', words: 'L2TP only' },
  '4': { pptp: 'fallback', words: 'L2TP first, then PPTP' },
  '5': { pptp: 'none', words: 'SSTP only' },
  '6': { pptp: 'fallback', words: 'SSTP first, then others' },
  '7': { pptp: 'none', words: 'IKEv2 only' },
  '8': { pptp: 'fallback', words: 'IKEv2 first, then PPTP' },
  '14': { pptp: 'none', words: 'IKEv2 first, then SSTP' },
};

/** DataEncryption [MS-RRASM] §2.2.2.2.14: DE_None 0, DE_IfPossible 8, DE_Require 256, DE_RequireMax 512. */
const DATA_ENCRYPTION: Readonly<Record<string, EntryDraft['mppe']>> = {
  '0': 'none',
  '8': 'optional',
  '256': 'require-any',
  '512': 'require-128',
};

/** AuthRestrictions bits [MS-RRASM] §2.2.2.2.58 (bit numbers there count from 1 at the LSB). */
const AR_PAP = 0x008; // bit 4
const AR_SPAP = 0x010; // bit 5: Shiva PAP, not supported
const AR_MD5CHAP = 0x020; // bit 6
const AR_MSCHAP = 0x040; // bit 7
const AR_EAP = 0x080; // bit 8
const AR_MSCHAPV2 = 0x200; // bit 10
const AR_W95MSCHAP = 0x400; // bit 11: MS-CHAP, Windows 95 flavour

/** CustomAuthKey = EAP method type (IANA "Method Types", RFC 3748 §5): the ones our EAP client speaks. */
const EAP_SUPPORTED: Readonly<Record<string, string>> = { '4': 'EAP-MD5', '26': 'EAP-MSCHAPv2' };

// IpNameAssign: ASRC_ServerAssigned 1, ASRC_RequireSpecific 2 (static DNS servers).
const NAME_ASSIGN_STATIC = '2';

function parseSections(text: string): { sections: Section[]; fileWarnings: string[] } {
  const sections: Section[] = [];
  const fileWarnings: string[] = [];
  let current: Section | undefined;
  let strayLines = 0;
  splitLines(text).forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith(';')) return;
    if (raw.length > MAX_LINE_LENGTH) {
      (current?.warnings ?? fileWarnings).push(`line ${lineNo}: longer than ${MAX_LINE_LENGTH} characters, skipped.`);
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      current = { name: line.slice(1, -1), line: lineNo, pairs: [], warnings: [] };
      sections.push(current);
      return;
    }
    const eq = line.indexOf('=');
    if (!current) {
      strayLines++;
      return;
    }
    if (eq <= 0) {
      current.warnings.push(`line ${lineNo}: ${shown(line)} is not "key=value"; ignored.`);
      return;
    }
    current.pairs.push({ key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), line: lineNo });
  });
  if (strayLines) fileWarnings.push(`${strayLines} line(s) before the first [entry] were ignored.`);
  return { sections, fileWarnings };
}

const first = (s: Section, key: string) => s.pairs.find((p) => p.key === key)?.value;
const all = (s: Section, key: string) => s.pairs.filter((p) => p.key === key).map((p) => p.value);

function parseUint(value: string | undefined): number | undefined {
  return value !== undefined && /^[0-9]{1,10}$/.test(value) ? Number(value) : undefined;
}

function authFrom(section: Section, warnings: string[]): AuthMethod[] | undefined {
  const raw = first(section, 'AuthRestrictions');
  const bits = parseUint(raw);
  if (raw === undefined || bits === 0) {
    warnings.push('The entry does not restrict authentication; only MS-CHAPv2 was allowed. Add other methods in the editor if the server needs them.');
    return ['mschapv2'];
  }
  if (bits === undefined) {
    warnings.push(`AuthRestrictions=${shown(raw)} is not a number; only MS-CHAPv2 was allowed.`);
    return ['mschapv2'];
  }
  const auth: AuthMethod[] = [];
  if (bits & AR_MSCHAPV2) auth.push('mschapv2');
  if (bits & (AR_MSCHAP | AR_W95MSCHAP)) auth.push('mschap');
  if (bits & AR_MD5CHAP) auth.push('chap');
  if (bits & AR_PAP) auth.push('pap');
  if (bits & AR_SPAP) warnings.push('Shiva PAP (SPAP) is not supported and was left out.');
  if (bits & AR_EAP) {
    const key = first(section, 'CustomAuthKey') ?? '';
    const eapName = EAP_SUPPORTED[key];
    if (eapName) {
      auth.push('eap');
    } else {
      warnings.push(
        `The entry uses EAP type ${shown(key)} (certificates, smart card or PEAP); only EAP-MD5 and EAP-MSCHAPv2 are supported, so EAP was left out.`,
      );
    }
  }
  return auth.length ? auth : undefined;
}

function entryFrom(section: Section): ImportEntry {
  const sourceName = section.name;
  const warnings = [...section.warnings];
  const type = first(section, 'Type');
  if (type !== undefined && type !== TYPE_VPN) return skippedEntry(sourceName, `not a VPN entry (Type=${shown(type)}, a dial-up or direct connection).`);

  const strategyRaw = first(section, 'VpnStrategy') ?? '0';
  const strategy = VPN_STRATEGY[strategyRaw];
  if (!strategy) return skippedEntry(sourceName, `not PPTP (unknown VpnStrategy=${shown(strategyRaw)}).`);
  if (strategy.pptp === 'none') return skippedEntry(sourceName, `not PPTP (VpnStrategy=${strategyRaw}: ${strategy.words}).`);
  if (strategy.pptp === 'first') warnings.push('Windows would fall back to L2TP; this profile uses PPTP only.');
  if (strategy.pptp === 'fallback') warnings.push(`Windows was set to "${strategy.words}"; this profile uses PPTP only.`);

  const phones = [...new Set(all(section, 'PhoneNumber').filter((p) => p !== ''))];
  const server = phones[0];
  if (!server) return failedEntry(sourceName, 'no-server', 'The entry has no PhoneNumber (server address).', warnings);
  if (phones.length > 1) warnings.push(`${phones.length - 1} alternate server address(es) were left out; the profile uses ${shown(server)}.`);

  const auth = authFrom(section, warnings);
  if (!auth) {
    return failedEntry(sourceName, 'no-usable-auth', 'None of the authentication methods this entry allows is supported for PPTP.', warnings);
  }

  const encRaw = first(section, 'DataEncryption');
  let mppe = encRaw === undefined ? 'require-any' : DATA_ENCRYPTION[encRaw];
  if (encRaw === undefined) warnings.push('The entry does not say which encryption it needs; MPPE was required (any strength), as Windows does for VPN entries.');
  if (mppe === undefined) {
    warnings.push(`DataEncryption=${shown(encRaw ?? '')} is not a known value; 128-bit MPPE was required.`);
    mppe = 'require-128';
  }

  // IpPrioritizeRemote=1: "Use default gateway on remote network" (RASEO_RemoteDefaultGateway).
  const routes: EntryDraft['routes'] = first(section, 'IpPrioritizeRemote') === '0' ? { mode: 'split', cidrs: [] } : { mode: 'full' };
  const numRoutes = parseUint(first(section, 'NumRoutes')) ?? 0;
  if (numRoutes > 0) {
    warnings.push(`The entry lists ${numRoutes} route(s) of its own; they are not imported. Add them in the editor under split tunnelling.`);
  }

  // IpNameAssign decides where DNS servers come from; IpDnsFlags only concerns registering this
  // computer's name in DNS, which has no equivalent here.
  let usePeerDns = true;
  if (first(section, 'IpNameAssign') === NAME_ASSIGN_STATIC) {
    usePeerDns = false;
    const fixed = [first(section, 'IpDnsAddress'), first(section, 'IpDns2Address')].filter((a) => a && a !== '0.0.0.0');
    warnings.push(
      `The entry uses fixed DNS servers${fixed.length ? ` (${fixed.join(', ')})` : ''}; the server's DNS will not be used, and fixed servers are not imported.`,
    );
  }

  const reconnect: EntryDraft['reconnect'] = {};
  const redial = first(section, 'RedialOnLinkFailure');
  if (redial === '0' || redial === '1') reconnect.enabled = redial === '1';
  // Windows' RedialAttempts=0 means "do not redial" (ours: 0 = no limit), so only 1.. carries over.
  const attempts = parseUint(first(section, 'RedialAttempts'));
  if (attempts === 0) reconnect.enabled = false;
  else if (attempts !== undefined) reconnect.maxAttempts = Math.min(attempts, 1000);

  warnings.push('Windows keeps the user name and password outside the phonebook: enter them before connecting.');
  return finishEntry(sourceName, { name: section.name, server, auth, mppe, routes, usePeerDns, reconnect }, warnings);
}

export function importRasphonePbk(bytes: Uint8Array): ImportReport {
  const format = 'rasphone-pbk' as const;
  const decoded = decodeImportBytes(bytes);
  if (!decoded.ok) return { format, entries: [], fileError: decoded.error, fileWarnings: [] };
  const { sections, fileWarnings } = parseSections(decoded.text);
  if (sections.length === 0) {
    return { format, entries: [], fileError: { code: 'wrong-format', message: 'No [entry] sections: this is not a Windows phonebook.' }, fileWarnings };
  }
  if (sections.length > MAX_IMPORT_ENTRIES) {
    fileWarnings.push(`The phonebook has ${sections.length} entries; only the first ${MAX_IMPORT_ENTRIES} were read.`);
  }
  return { format, entries: sections.slice(0, MAX_IMPORT_ENTRIES).map(entryFrom), fileWarnings };
}
