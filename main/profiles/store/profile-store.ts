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
 *
 * This module is the public face and the ordering; the file's reading, repair and writing are
 * profiles-file.ts, the list edits list-changes.ts, the errors and problems errors.ts.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Profile, ProfileInput, ProfilePatch } from '../../../preload/schema/profile';
import type { ConflictPolicy, ImportOutcome, StoreProblem } from '../../../preload/schema/profile-store';
import { nameKey } from '../names';
import type { AtomicWriteHooks } from './atomic-write';
import { ProfileStoreError } from './errors';
import type { FileLockOptions } from './file-lock';
import type { MigrationTable } from './file-format';
import {
  createProfile,
  importProfiles,
  removeProfile,
  updateProfile,
  type ListChange,
  type Stamps,
} from './list-changes';
import { Mutex } from './mutex';
import { ProfilesFile } from './profiles-file';

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

export class ProfileStore {
  readonly filePath: string;
  private readonly file: ProfilesFile;
  private readonly mutex = new Mutex();
  private readonly listeners = new Set<(problem: StoreProblem) => void>();
  private readonly problemList: StoreProblem[] = [];
  private readonly stamps: Stamps;

  private constructor(
    readonly dir: string,
    options: ProfileStoreOptions,
  ) {
    const now = options.now ?? (() => new Date());
    this.stamps = { now, newId: options.newId ?? randomUUID };
    this.file = new ProfilesFile(dir, { ...options, now }, (problem) => this.report(problem));
    this.filePath = this.file.filePath;
  }

  /** Creates the directory if needed, removes temp files a crash left, and loads once. */
  static async open(dir: string, options: ProfileStoreOptions = {}): Promise<ProfileStore> {
    try {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ProfileStoreError('io-error', `Cannot use ${dir} as the profiles directory (${code}).`);
    }
    const store = new ProfileStore(dir, options);
    await store.mutex.run(async () => {
      await store.file.withLock(async () => {
        await store.file.removeLeftoverTempFiles();
        await store.file.read(true);
      });
    });
    return store;
  }

  /** True when the file was written by a newer version: nothing can be changed. */
  get readOnly(): boolean {
    return this.file.readOnly;
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
    return this.mutex.run(async () => (await this.file.read(false)).profiles);
  }

  get(id: string): Promise<Profile | undefined> {
    return this.mutex.run(async () => (await this.file.read(false)).profiles.find((p) => p.id === id));
  }

  /** Names compare case-insensitively ("Office" finds "office"). */
  getByName(name: string): Promise<Profile | undefined> {
    const key = nameKey(name);
    return this.mutex.run(async () => (await this.file.read(false)).profiles.find((p) => nameKey(p.name) === key));
  }

  create(input: ProfileInput): Promise<Profile> {
    return this.mutate((profiles) => createProfile(profiles, input, this.stamps));
  }

  /** See updateProfile (list-changes.ts) for how `patch` merges. */
  update(id: string, patch: ProfilePatch): Promise<Profile> {
    return this.mutate((profiles) => updateProfile(profiles, id, patch, this.stamps.now));
  }

  /** Removes and returns the profile. The keychain secret is the ProfileService's business. */
  remove(id: string): Promise<Profile> {
    return this.mutate((profiles) => removeProfile(profiles, id));
  }

  /** Adds many profiles in one write; see importProfiles (list-changes.ts) for `onConflict`. */
  importMany(inputs: readonly ProfileInput[], options: { onConflict: ConflictPolicy }): Promise<ImportOutcome[]> {
    return this.mutate((profiles) => importProfiles(profiles, inputs, options.onConflict, this.stamps));
  }

  /** Read under both locks, refuse a newer file, apply `change`, write the result. */
  private async mutate<T>(change: (profiles: Profile[]) => ListChange<T>): Promise<T> {
    return this.mutex.run(() =>
      this.file.withLock(async () => {
        const state = await this.file.read(true);
        if (state.readOnly) {
          throw new ProfileStoreError(
            'read-only',
            `${this.filePath} was written by a newer version of PPTP Manager; it is read-only here. Update the app to change profiles.`,
          );
        }
        const { profiles, result } = change(state.profiles);
        await this.file.write(profiles);
        return result;
      }),
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
