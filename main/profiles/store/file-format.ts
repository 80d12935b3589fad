/**
 * The profiles file format and its decoder: `{ format, version, profiles }`. Decoding is pure:
 * it classifies a file as usable (with the entries that failed validation listed, never
 * silently dropped), written by a newer version (read-only), or corrupt. Older versions are
 * brought forward by the migration table, one step per version.
 *
 * Owns: the envelope, the migrations, per-entry validation. Not: reading or writing files.
 */
import {
  PROFILE_SCHEMA_VERSION,
  ProfileSchema,
  toFieldIssues,
  type Profile,
} from '../../../preload/schema/profile';
import type { InvalidEntry } from '../../../preload/schema/profile-store';
import { nameKey } from '../names';

export const STORE_FORMAT = 'pptp-manager-store';
export const STORE_VERSION = PROFILE_SCHEMA_VERSION;
/** Files above this are not parsed (a profiles file is a few KiB; 16 MiB is surely damage). */
export const STORE_MAX_BYTES = 16 * 1024 * 1024;

export type StoreDocument = { format: string; version: number; profiles: unknown[] } & Record<string, unknown>;

/** `MIGRATIONS[n]` turns a version-n document into a version-(n+1) document. */
export type Migration = (doc: StoreDocument) => StoreDocument;
export type MigrationTable = Readonly<Record<number, Migration>>;

/**
 * Version 1 is the first released shape, so there is nothing to migrate yet. When the shape
 * changes: bump PROFILE_SCHEMA_VERSION and add `1: (doc) => ({ ...doc, version: 2, profiles: ... })`.
 */
export const STORE_MIGRATIONS: MigrationTable = {};

export type DecodedStore =
  | { kind: 'ok'; profiles: Profile[]; invalid: InvalidEntry[]; fromVersion: number }
  | { kind: 'newer'; version: number; profiles: Profile[] }
  | { kind: 'corrupt'; reason: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates entries one by one; duplicates of an earlier id or name count as invalid. */
function validateEntries(entries: unknown[]): { profiles: Profile[]; invalid: InvalidEntry[] } {
  const profiles: Profile[] = [];
  const invalid: InvalidEntry[] = [];
  const ids = new Set<string>();
  const names = new Set<string>();
  entries.forEach((entry, index) => {
    const name = isRecord(entry) && typeof entry.name === 'string' ? entry.name : undefined;
    const parsed = ProfileSchema.safeParse(entry);
    if (!parsed.success) {
      invalid.push({ index, name, issues: toFieldIssues(parsed.error) });
      return;
    }
    const p = parsed.data;
    if (ids.has(p.id)) {
      invalid.push({ index, name, issues: [{ path: 'id', message: `Duplicate id ${p.id}` }] });
      return;
    }
    if (names.has(nameKey(p.name))) {
      invalid.push({ index, name, issues: [{ path: 'name', message: `Duplicate name "${p.name}"` }] });
      return;
    }
    ids.add(p.id);
    names.add(nameKey(p.name));
    profiles.push(p);
  });
  return { profiles, invalid };
}

export function decodeStoreText(text: string, migrations: MigrationTable = STORE_MIGRATIONS, currentVersion = STORE_VERSION): DecodedStore {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'corrupt', reason: `not valid JSON (${(error as Error).message})` };
  }
  if (!isRecord(raw)) return { kind: 'corrupt', reason: 'the top level is not an object' };
  if (raw.format !== STORE_FORMAT) return { kind: 'corrupt', reason: `"format" is not "${STORE_FORMAT}"` };
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { kind: 'corrupt', reason: '"version" is missing or not a positive integer' };
  }
  if (!Array.isArray(raw.profiles)) return { kind: 'corrupt', reason: '"profiles" is not an array' };
  if (version > currentVersion) {
    // Best effort for display only: entries this version can read. Nothing is ever written back.
    return { kind: 'newer', version, profiles: validateEntries(raw.profiles).profiles };
  }
  let doc = raw as StoreDocument;
  for (let v = version; v < currentVersion; v++) {
    const step = migrations[v];
    if (!step) return { kind: 'corrupt', reason: `no migration from version ${v}` };
    try {
      doc = step(doc);
    } catch (error) {
      return { kind: 'corrupt', reason: `migration from version ${v} failed (${(error as Error).message})` };
    }
    if (!isRecord(doc) || doc.version !== v + 1 || !Array.isArray(doc.profiles)) {
      return { kind: 'corrupt', reason: `migration from version ${v} produced a bad document` };
    }
  }
  const { profiles, invalid } = validateEntries(doc.profiles);
  return { kind: 'ok', profiles, invalid, fromVersion: version };
}

export function encodeStore(profiles: readonly Profile[]): string {
  // Only schema-parsed fields are written: unknown keys (a stray "password") never reach disk.
  const clean = profiles.map((p) => ProfileSchema.parse(p));
  return JSON.stringify({ format: STORE_FORMAT, version: STORE_VERSION, profiles: clean }, null, 2) + '\n';
}
