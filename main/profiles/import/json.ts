/**
 * Importer for our own exchange format (export/format.ts): `{format:'pptp-manager-profiles',
 * version:1, profiles:[...]}`. The format never carries secrets; a file that does (hand-made, or
 * from another tool) gets those fields dropped, unread, with a warning on the entry. Ids and
 * timestamps in the file are ignored: imported profiles are new profiles.
 */
import type { ImportEntry, ImportReport } from '../../../preload/schema/profile-store';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION } from '../export/format';
import { decodeImportBytes, MAX_IMPORT_ENTRIES } from './decode';
import { printable } from './printable';
import { failedEntry, fileFailure, finishEntry, type EntryDraft } from './report';

/** Keys that look like credentials, at any depth. Matched on the key, never on the value. */
const SECRET_KEY = /pass(word|wd|phrase)?|secret|credential|token|pwd|psk|pre-?shared/i;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** No profile field nests deeper than this; anything below is dropped, not walked (no stack blow-up). */
const MAX_DEPTH = 8;

/** Returns a copy without secret-looking keys, and the dotted paths removed. */
function withoutSecrets(value: unknown, at = '', depth = 0): { value: unknown; removed: string[] } {
  if (depth > MAX_DEPTH && typeof value === 'object' && value !== null) return { value: undefined, removed: [] };
  if (Array.isArray(value)) {
    const removed: string[] = [];
    const out = value.map((v, i) => {
      const r = withoutSecrets(v, `${at}${i}.`, depth + 1);
      removed.push(...r.removed);
      return r.value;
    });
    return { value: out, removed };
  }
  if (!isRecord(value)) return { value, removed: [] };
  const out: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEY.test(key) && key !== 'askPasswordEveryTime') {
      removed.push(printable(`${at}${key}`));
      continue;
    }
    const r = withoutSecrets(v, `${at}${key}.`, depth + 1);
    removed.push(...r.removed);
    // defineProperty: a "__proto__" key from the file stays data, never becomes a prototype.
    Object.defineProperty(out, key, { value: r.value, enumerable: true, writable: true, configurable: true });
  }
  return { value: out, removed };
}

/** " (line L, column C)" from a JSON.parse error's position, or '' when it names none. */
function jsonErrorPlace(text: string, error: unknown): string {
  const m = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}

function entryName(raw: unknown, index: number): string {
  return isRecord(raw) && typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : `profile ${index + 1}`;
}

export function importProfilesJson(bytes: Uint8Array): ImportReport {
  const format = 'pptp-manager-json' as const;
  const decoded = decodeImportBytes(bytes);
  if (!decoded.ok) return { format, entries: [], fileError: decoded.error, fileWarnings: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(decoded.text);
  } catch (error) {
    // The parser's message quotes the text around the error, which may be a password: only
    // the place is reported.
    return fileFailure(format, 'not-json', `The file is not valid JSON${jsonErrorPlace(decoded.text, error)}.`);
  }
  if (!isRecord(doc) || doc.format !== EXPORT_FORMAT) {
    return fileFailure(format, 'wrong-format', `This JSON file is not a PPTP Manager profile export (no "format": "${EXPORT_FORMAT}").`);
  }
  if (typeof doc.version !== 'number' || !Number.isInteger(doc.version) || doc.version < 1) {
    return fileFailure(format, 'wrong-format', 'The export has no valid "version".');
  }
  if (doc.version > EXPORT_FORMAT_VERSION) {
    return fileFailure(
      format,
      'unsupported-version',
      `The export is format version ${doc.version}; this version of PPTP Manager reads up to ${EXPORT_FORMAT_VERSION}. Update the app to import it.`,
    );
  }
  if (!Array.isArray(doc.profiles)) return fileFailure(format, 'wrong-format', 'The export has no "profiles" list.');

  const fileWarnings: string[] = [];
  const topSecrets = withoutSecrets({ ...doc, profiles: [] }).removed;
  if (topSecrets.length) fileWarnings.push(`Password fields were found and ignored: ${topSecrets.join(', ')}.`);
  if (doc.profiles.length > MAX_IMPORT_ENTRIES) {
    fileWarnings.push(`The file lists ${doc.profiles.length} profiles; only the first ${MAX_IMPORT_ENTRIES} were read.`);
  }
  const entries: ImportEntry[] = doc.profiles.slice(0, MAX_IMPORT_ENTRIES).map((raw, index) => {
    const sourceName = entryName(raw, index);
    if (!isRecord(raw)) return failedEntry(sourceName, 'malformed-entry', 'This entry is not an object.');
    const warnings: string[] = [];
    const { value, removed } = withoutSecrets(raw);
    if (removed.length) {
      warnings.push(`Password fields are never imported; ${removed.join(', ')} ${removed.length === 1 ? 'was' : 'were'} dropped unread.`);
    }
    const clean = value as Record<string, unknown>;
    if (typeof clean.name !== 'string') return failedEntry(sourceName, 'malformed-entry', 'This entry has no name.', warnings);
    if (typeof clean.server !== 'string' || clean.server.trim() === '') {
      return failedEntry(sourceName, 'no-server', 'This entry names no server.', warnings);
    }
    // The schema decides the rest; ids and timestamps are not settings and are left behind.
    return finishEntry(sourceName, clean as unknown as EntryDraft, warnings);
  });
  return { format, entries, fileWarnings };
}
