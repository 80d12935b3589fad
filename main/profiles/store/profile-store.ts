/**
 * ProfileStore: the VPN profiles of one user, in `<dir>/profiles.json`. The app passes Electron's
 * userData directory; pptpctl passes $PPTP_CONFIG_DIR or ~/.config/pptp-manager.
 *
 * Guarantees:
 *  - Every operation is serialised inside the process (Mutex) and every write holds a lock file
 *    shared with other processes (file-lock.ts). Each operation reads the file afresh, so a
 *    change made by pptpctl is seen by the GUI and never overwritten blindly.
 *  - Writes are atomic (atomic-write.ts): a crash leaves the old or the new file, never a torn
 *    one, and the previous file is kept as profiles.json.bak.
 *  - A corrupt file is moved aside to profiles.corrupt-<timestamp>.json (then the .bak is tried);
 *    entries that fail validation are listed and the original is copied aside. Both become a
 *    StoreProblem (the `problems` field and `onProblem` listeners) for the app to show.
 *  - A file from a newer version is never written: the store turns read-only, reads give what
 *    this version can understand, and every change fails with code 'read-only'.
 *  - No secrets: only schema fields are written; passwords live in the keychain (../keychain/).
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  ProfileSettingsSchema,
  toFieldIssues,
  type FieldIssue,
  type Profile,
  type ProfileInput,
  type ProfilePatch,
  type ProfileSettings,
} from '../../../preload/schema/profile';
import { isTempFileOf, writeFileAtomic, type AtomicWriteHooks } from './atomic-write';
import { acquireFileLock, LockTimeoutError, type FileLockOptions } from './file-lock';
import { Mutex } from './mutex';
import { nameKey, uniqueName } from '../names';
import { decodeStoreText, encodeStore, STORE_MAX_BYTES, STORE_MIGRATIONS, type InvalidEntry, type MigrationTable } from './file-format';

export const PROFILES_FILE_NAME = 'profiles.json';
export const MAX_PROFILES = 1000;

export type ProfileStoreErrorCode =
  | 'invalid-profile'
  | 'not-found'
  | 'name-taken'
  | 'read-only'
  | 'too-many-profiles'
  | 'lock-timeout'
  | 'io-error';

export class ProfileStoreError extends Error {
  constructor(
    readonly code: ProfileStoreErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'ProfileStoreError';
  }
}

export type StoreProblem =
  | {
      readonly kind: 'corrupt-file';
      readonly message: string;
      readonly movedTo: string;
      readonly recoveredFromBackup: boolean;
      readonly recoveredCount: number;
    }
  | {
      readonly kind: 'invalid-profiles';
      readonly message: string;
      readonly copiedTo: string;
      readonly dropped: readonly InvalidEntry[];
    }
  | { readonly kind: 'newer-version'; readonly message: string; readonly version: number };

export type ConflictPolicy = 'rename' | 'skip' | 'replace';

export type ImportOutcome =
  | { readonly status: 'created'; readonly profile: Profile; readonly renamedFrom?: string }
  | { readonly status: 'replaced'; readonly profile: Profile }
  | { readonly status: 'skipped'; readonly name: string; readonly reason: string }
  | { readonly status: 'failed'; readonly name?: string; readonly error: { code: ProfileStoreErrorCode; message: string; issues?: FieldIssue[] } };

export interface ProfileStoreOptions {
  readonly fileName?: string;
  readonly now?: () => Date;
  readonly newId?: () => string;
  readonly lock?: FileLockOptions;
  /** Test seam for the crash test (see atomic-write.ts). */
  readonly hooks?: AtomicWriteHooks;
  /** Test seam: the migration table (defaults to STORE_MIGRATIONS). */
  readonly migrations?: MigrationTable;
}

interface State {
  profiles: Profile[];
  readOnly: boolean;
}

function settingsOf(p: Profile): ProfileSettings {
  const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...settings } = p;
  return settings;
}

function parseSettings(input: unknown): ProfileSettings {
  const parsed = ProfileSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error);
    throw new ProfileStoreError('invalid-profile', issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), issues);
  }
  return parsed.data;
}

export class ProfileStore {
  readonly filePath: string;
  private readonly lockPath: string;
  private readonly mutex = new Mutex();
  private readonly listeners = new Set<(problem: StoreProblem) => void>();
  private readonly problemList: StoreProblem[] = [];
  private readonly reportedNewer = new Set<number>();
  private readOnlyFlag = false;
  private readonly now: () => Date;
  private readonly newId: () => string;

  private constructor(
    readonly dir: string,
    private readonly options: ProfileStoreOptions,
  ) {
    this.filePath = path.join(dir, options.fileName ?? PROFILES_FILE_NAME);
    this.lockPath = `${this.filePath}.lock`;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  /** Creates the directory if needed, removes temp files a crash left, and loads once. */
  static async open(dir: string, options: ProfileStoreOptions = {}): Promise<ProfileStore> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const store = new ProfileStore(dir, options);
    await store.mutex.run(async () => {
      await store.withLock(async () => {
        await store.removeLeftoverTempFiles();
        await store.readState(true);
      });
    });
    return store;
  }

  /** True when the file was written by a newer version: nothing can be changed. */
  get readOnly(): boolean {
    return this.readOnlyFlag;
  }

  /** Problems found so far (corrupt file kept aside, invalid entries, newer version). */
  get problems(): readonly StoreProblem[] {
    return [...this.problemList];
  }

  /** Subscribe to problems as they are found; returns the unsubscribe function. */
  onProblem(listener: (problem: StoreProblem) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): Promise<Profile[]> {
    return this.mutex.run(async () => (await this.readState(false)).profiles);
  }

  get(id: string): Promise<Profile | undefined> {
    return this.mutex.run(async () => (await this.readState(false)).profiles.find((p) => p.id === id));
  }

  /** Names compare case-insensitively ("Office" finds "office"). */
  getByName(name: string): Promise<Profile | undefined> {
    const key = nameKey(name);
    return this.mutex.run(async () => (await this.readState(false)).profiles.find((p) => nameKey(p.name) === key));
  }

  create(input: ProfileInput): Promise<Profile> {
    return this.mutate((profiles) => {
      const settings = parseSettings(input);
      this.assertRoom(profiles.length + 1);
      this.assertNameFree(profiles, settings.name);
      const stamp = this.now().toISOString();
      const profile: Profile = { ...settings, id: this.newId(), createdAt: stamp, updatedAt: stamp };
      return { profiles: [...profiles, profile], result: profile };
    });
  }

  /**
   * Applies `patch` over the current settings: a key present with `undefined` clears an
   * optional field (domain, mtu); keepalive and reconnect merge field by field; routes and auth
   * are replaced whole.
   */
  update(id: string, patch: ProfilePatch): Promise<Profile> {
    return this.mutate((profiles) => {
      const index = profiles.findIndex((p) => p.id === id);
      const current = profiles[index];
      if (!current) throw new ProfileStoreError('not-found', `No profile with id ${id}`);
      const merged = { ...settingsOf(current), ...patch };
      if (patch.keepalive) merged.keepalive = { ...current.keepalive, ...patch.keepalive };
      if (patch.reconnect) merged.reconnect = { ...current.reconnect, ...patch.reconnect };
      const settings = parseSettings(merged);
      this.assertNameFree(profiles, settings.name, id);
      const profile: Profile = { ...settings, id, createdAt: current.createdAt, updatedAt: this.now().toISOString() };
      const next = [...profiles];
      next[index] = profile;
      return { profiles: next, result: profile };
    });
  }

  /** Removes and returns the profile. The keychain secret is the ProfileService's business. */
  remove(id: string): Promise<Profile> {
    return this.mutate((profiles) => {
      const current = profiles.find((p) => p.id === id);
      if (!current) throw new ProfileStoreError('not-found', `No profile with id ${id}`);
      return { profiles: profiles.filter((p) => p.id !== id), result: current };
    });
  }

  /**
   * Adds many profiles in one write. A name already taken (case-insensitively, also by an
   * earlier entry of the same batch) is handled by `onConflict`: 'rename' to "Name (2)",
   * 'skip', or 'replace' the existing profile's settings (its id, and so its keychain entry,
   * stay). An invalid entry fails alone; the others are still imported.
   */
  importMany(inputs: readonly ProfileInput[], options: { onConflict: ConflictPolicy }): Promise<ImportOutcome[]> {
    return this.mutate((start) => {
      const profiles = [...start];
      const outcomes: ImportOutcome[] = [];
      const stamp = this.now().toISOString();
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
        if (existing && options.onConflict === 'skip') {
          outcomes.push({ status: 'skipped', name: settings.name, reason: `A profile named "${existing.name}" already exists.` });
          continue;
        }
        if (existing && options.onConflict === 'replace') {
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
        const profile: Profile = { ...settings, id: this.newId(), createdAt: stamp, updatedAt: stamp };
        profiles.push(profile);
        outcomes.push(renamedFrom === undefined ? { status: 'created', profile } : { status: 'created', profile, renamedFrom });
      }
      return { profiles, result: outcomes };
    });
  }

  // ---- internals ----------------------------------------------------------------------------

  private assertRoom(count: number): void {
    if (count > MAX_PROFILES) throw new ProfileStoreError('too-many-profiles', `At most ${MAX_PROFILES} profiles can be kept.`);
  }

  private assertNameFree(profiles: readonly Profile[], name: string, exceptId?: string): void {
    const key = nameKey(name);
    const clash = profiles.find((p) => p.id !== exceptId && nameKey(p.name) === key);
    if (clash) throw new ProfileStoreError('name-taken', `A profile named "${clash.name}" already exists.`);
  }

  private async mutate<T>(change: (profiles: Profile[]) => { profiles: Profile[]; result: T }): Promise<T> {
    return this.mutex.run(() =>
      this.withLock(async () => {
        const state = await this.readState(true);
        if (state.readOnly) {
          throw new ProfileStoreError(
            'read-only',
            `${this.filePath} was written by a newer version of PPTP Manager; it is read-only here. Update the app to change profiles.`,
          );
        }
        const { profiles, result } = change(state.profiles);
        await this.write(profiles);
        return result;
      }),
    );
  }

  private async withLock<T>(task: () => Promise<T>): Promise<T> {
    let release: () => Promise<void>;
    try {
      release = await acquireFileLock(this.lockPath, this.options.lock);
    } catch (error) {
      if (error instanceof LockTimeoutError) throw new ProfileStoreError('lock-timeout', error.message);
      throw new ProfileStoreError('io-error', `Cannot lock ${this.lockPath}: ${(error as Error).message}`);
    }
    try {
      return await task();
    } finally {
      await release();
    }
  }

  private async write(profiles: readonly Profile[]): Promise<void> {
    try {
      await writeFileAtomic(this.filePath, encodeStore(profiles), this.options.hooks);
    } catch (error) {
      throw new ProfileStoreError('io-error', `Cannot write ${this.filePath}: ${(error as Error).message}`);
    }
  }

  private async readText(file: string): Promise<string | undefined | { tooLarge: true }> {
    try {
      const stat = await fs.stat(file);
      if (stat.size > STORE_MAX_BYTES) return { tooLarge: true };
      return await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ProfileStoreError('io-error', `Cannot read ${file}: ${(error as Error).message}`);
    }
  }

  /**
   * Reads and classifies the file. Repairs (moving a corrupt file aside, dropping invalid
   * entries) need the lock: when called without it and a repair is due, it takes the lock and
   * starts over, since another process may have repaired or rewritten the file meanwhile.
   */
  private async readState(locked: boolean): Promise<State> {
    const text = await this.readText(this.filePath);
    if (text === undefined) {
      this.readOnlyFlag = false;
      return { profiles: [], readOnly: false };
    }
    const decoded =
      typeof text === 'string'
        ? decodeStoreText(text, this.options.migrations ?? STORE_MIGRATIONS)
        : ({ kind: 'corrupt', reason: `larger than ${STORE_MAX_BYTES} bytes` } as const);
    if (decoded.kind === 'newer') {
      this.readOnlyFlag = true;
      if (!this.reportedNewer.has(decoded.version)) {
        this.reportedNewer.add(decoded.version);
        this.report({
          kind: 'newer-version',
          version: decoded.version,
          message: `The profiles file is from a newer version of PPTP Manager (format ${decoded.version}); it is shown read-only and left untouched.`,
        });
      }
      return { profiles: decoded.profiles, readOnly: true };
    }
    this.readOnlyFlag = false;
    if (decoded.kind === 'ok' && decoded.invalid.length === 0) return { profiles: decoded.profiles, readOnly: false };
    if (!locked) return this.withLock(() => this.readState(true));

    if (decoded.kind === 'ok') {
      const copiedTo = await this.asideName();
      await fs.copyFile(this.filePath, copiedTo);
      await this.write(decoded.profiles);
      const names = decoded.invalid.map((e) => (e.name ? `"${e.name}"` : `entry ${e.index + 1}`)).join(', ');
      this.report({
        kind: 'invalid-profiles',
        copiedTo,
        dropped: decoded.invalid,
        message: `${decoded.invalid.length} profile(s) could not be read (${names}) and were set aside; the original file was copied to ${copiedTo}.`,
      });
      return { profiles: decoded.profiles, readOnly: false };
    }

    // Corrupt: move it aside, then fall back to the backup if that one is sound.
    const movedTo = await this.asideName();
    await fs.rename(this.filePath, movedTo);
    let recovered: Profile[] = [];
    let fromBackup = false;
    const bakText = await this.readText(`${this.filePath}.bak`);
    if (typeof bakText === 'string') {
      const bak = decodeStoreText(bakText, this.options.migrations ?? STORE_MIGRATIONS);
      if (bak.kind === 'ok') {
        recovered = bak.profiles;
        fromBackup = true;
      }
    }
    if (fromBackup) await this.write(recovered);
    this.report({
      kind: 'corrupt-file',
      movedTo,
      recoveredFromBackup: fromBackup,
      recoveredCount: recovered.length,
      message: fromBackup
        ? `The profiles file was damaged (${decoded.reason}). It was moved to ${movedTo} and ${recovered.length} profile(s) were restored from the backup.`
        : `The profiles file was damaged (${decoded.reason}). It was moved to ${movedTo}; no usable backup was found, so the list starts empty.`,
    });
    return { profiles: recovered, readOnly: false };
  }

  /** profiles.corrupt-<timestamp>.json, unique in the directory. */
  private async asideName(): Promise<string> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const base = path.basename(this.filePath, '.json');
    for (let n = 0; ; n++) {
      const candidate = path.join(this.dir, `${base}.corrupt-${stamp}${n ? `-${n}` : ''}.json`);
      try {
        await fs.access(candidate);
      } catch {
        return candidate;
      }
    }
  }

  private async removeLeftoverTempFiles(): Promise<void> {
    const base = path.basename(this.filePath);
    const entries = await fs.readdir(this.dir);
    await Promise.all(
      entries
        .filter((e) => isTempFileOf(e, base) || isTempFileOf(e, `${base}.bak`))
        .map((e) => fs.rm(path.join(this.dir, e), { force: true })),
    );
  }

  private report(problem: StoreProblem): void {
    this.problemList.push(problem);
    for (const listener of this.listeners) {
      try {
        listener(problem);
      } catch {
        // A listener's failure must not break the store.
      }
    }
  }
}
