/**
 * The edits to the profile list, as pure functions: validate input against the profile schema,
 * keep the limits (MAX_PROFILES; names unique case-insensitively, see ../names.ts) and return
 * the next list with the operation's result. ProfileStore runs them under its locks and writes
 * the list; nothing here touches a file, a lock or the clock (the caller passes `now`/`newId`).
 */
import {
  ProfileSettingsSchema,
  toFieldIssues,
  type Profile,
  type ProfileInput,
  type ProfilePatch,
  type ProfileSettings,
} from '../../../preload/schema/profile';
import { nameKey, uniqueName } from '../names';
import type { ConflictPolicy, ImportOutcome } from '../../../preload/schema/profile-store';
import { ProfileStoreError } from './errors';

export const MAX_PROFILES = 1000;

/** The next list and what the operation returns. */
export interface ListChange<T> {
  readonly profiles: Profile[];
  readonly result: T;
}

/** Where timestamps and ids come from (the store's clock and UUIDs; fixed in tests). */
export interface Stamps {
  readonly now: () => Date;
  readonly newId: () => string;
}

export function settingsOf(p: Profile): ProfileSettings {
  const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...settings } = p;
  return settings;
}

/** Schema-validated settings with defaults filled in, or a ProfileStoreError 'invalid-profile'. */
export function parseSettings(input: unknown): ProfileSettings {
  const parsed = ProfileSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error);
    throw new ProfileStoreError('invalid-profile', issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), issues);
  }
  return parsed.data;
}

function assertRoom(count: number): void {
  if (count > MAX_PROFILES) throw new ProfileStoreError('too-many-profiles', `At most ${MAX_PROFILES} profiles can be kept.`);
}

function assertNameFree(profiles: readonly Profile[], name: string, exceptId?: string): void {
  const key = nameKey(name);
  const clash = profiles.find((p) => p.id !== exceptId && nameKey(p.name) === key);
  if (clash) throw new ProfileStoreError('name-taken', `A profile named "${clash.name}" already exists.`);
}

export function createProfile(profiles: Profile[], input: ProfileInput, stamps: Stamps): ListChange<Profile> {
  const settings = parseSettings(input);
  assertRoom(profiles.length + 1);
  assertNameFree(profiles, settings.name);
  const stamp = stamps.now().toISOString();
  const profile: Profile = { ...settings, id: stamps.newId(), createdAt: stamp, updatedAt: stamp };
  return { profiles: [...profiles, profile], result: profile };
}

/**
 * Applies `patch` over the current settings: a key present with `undefined` clears an optional
 * field (domain, mtu); keepalive and reconnect merge field by field; routes and auth are
 * replaced whole.
 */
export function updateProfile(profiles: Profile[], id: string, patch: ProfilePatch, now: () => Date): ListChange<Profile> {
  const index = profiles.findIndex((p) => p.id === id);
  const current = profiles[index];
  if (!current) throw new ProfileStoreError('not-found', `No profile with id ${id}`);
  const merged = { ...settingsOf(current), ...patch };
  if (patch.keepalive) merged.keepalive = { ...current.keepalive, ...patch.keepalive };
  if (patch.reconnect) merged.reconnect = { ...current.reconnect, ...patch.reconnect };
  const settings = parseSettings(merged);
  assertNameFree(profiles, settings.name, id);
  const profile: Profile = { ...settings, id, createdAt: current.createdAt, updatedAt: now().toISOString() };
  const next = [...profiles];
  next[index] = profile;
  return { profiles: next, result: profile };
}

export function removeProfile(profiles: Profile[], id: string): ListChange<Profile> {
  const current = profiles.find((p) => p.id === id);
  if (!current) throw new ProfileStoreError('not-found', `No profile with id ${id}`);
  return { profiles: profiles.filter((p) => p.id !== id), result: current };
}

/**
 * Adds many profiles at once. A name already taken (case-insensitively, also by an earlier
 * entry of the same batch) is handled by `onConflict`: 'rename' to "Name (2)", 'skip', or
 * 'replace' the existing profile's settings (its id, and so its keychain entry, stay). An
 * invalid entry fails alone; the others are still added.
 */
export function importProfiles(
  start: Profile[],
  inputs: readonly ProfileInput[],
  onConflict: ConflictPolicy,
  stamps: Stamps,
): ListChange<ImportOutcome[]> {
  const profiles = [...start];
  const outcomes: ImportOutcome[] = [];
  const stamp = stamps.now().toISOString();
  for (const input of inputs) {
    let settings: ProfileSettings;
    try {
      settings = parseSettings(input);
    } catch (error) {
      const e = error as ProfileStoreError;
      const name = typeof (input as { name?: unknown }).name === 'string' ? (input as { name: string }).name : undefined;
      outcomes.push({ status: 'failed', name, error: { code: e.code, message: e.message, issues: e.issues } });
      continue;
    }
    const existingIndex = profiles.findIndex((p) => nameKey(p.name) === nameKey(settings.name));
    const existing = profiles[existingIndex];
    if (existing && onConflict === 'skip') {
      outcomes.push({ status: 'skipped', name: settings.name, reason: `A profile named "${existing.name}" already exists.` });
      continue;
    }
    if (existing && onConflict === 'replace') {
      const profile: Profile = { ...settings, id: existing.id, createdAt: existing.createdAt, updatedAt: stamp };
      profiles[existingIndex] = profile;
      outcomes.push({ status: 'replaced', profile });
      continue;
    }
    if (profiles.length + 1 > MAX_PROFILES) {
      outcomes.push({
        status: 'failed',
        name: settings.name,
        error: { code: 'too-many-profiles', message: `At most ${MAX_PROFILES} profiles can be kept.` },
      });
      continue;
    }
    let renamedFrom: string | undefined;
    if (existing) {
      renamedFrom = settings.name;
      settings = { ...settings, name: uniqueName(settings.name, new Set(profiles.map((p) => nameKey(p.name)))) };
    }
    const profile: Profile = { ...settings, id: stamps.newId(), createdAt: stamp, updatedAt: stamp };
    profiles.push(profile);
    outcomes.push(renamedFrom === undefined ? { status: 'created', profile } : { status: 'created', profile, renamedFrom });
  }
  return { profiles, result: outcomes };
}
