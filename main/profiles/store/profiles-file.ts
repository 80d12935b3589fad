/**
 * profiles.json on disk. Reads the file afresh and classifies it (file-format.ts); repairs what
 * can be repaired — a corrupt file is moved aside to profiles.corrupt-<timestamp>.json and the
 * .bak tried, invalid entries are set aside with a copy of the original — and reports each
 * repair, and a file from a newer version, as a StoreProblem. Also the cross-process lock
 * (file-lock.ts) and atomic writes (atomic-write.ts), with their failures as ProfileStoreErrors.
 *
 * Owns the file, not the profiles: list edits are list-changes.ts, ordering inside the process
 * is ProfileStore's mutex.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Profile } from '../../../preload/schema/profile';
import type { StoreProblem } from '../../../preload/schema/profile-store';
import { isTempFileOf, writeFileAtomic, type AtomicWriteHooks } from './atomic-write';
import { ProfileStoreError } from './errors';
import { acquireFileLock, LockTimeoutError, type FileLockOptions } from './file-lock';
import { decodeStoreText, encodeStore, STORE_MAX_BYTES, STORE_MIGRATIONS, type MigrationTable } from './file-format';

export const PROFILES_FILE_NAME = 'profiles.json';

export interface ProfilesFileOptions {
  readonly fileName?: string;
  /** Names the files set aside (profiles.corrupt-<now>.json). */
  readonly now: () => Date;
  readonly lock?: FileLockOptions;
  /** Test seam for the crash test (see atomic-write.ts). */
  readonly hooks?: AtomicWriteHooks;
  /** Test seam: the migration table (defaults to STORE_MIGRATIONS). */
  readonly migrations?: MigrationTable;
}

/** What the file holds now, as this version understands it. */
export interface FileState {
  profiles: Profile[];
  /** Written by a newer version: must not be written. */
  readOnly: boolean;
}

export class ProfilesFile {
  readonly filePath: string;
  private readonly lockPath: string;
  private readonly reportedNewer = new Set<number>();
  private readOnlyFlag = false;

  constructor(
    readonly dir: string,
    private readonly options: ProfilesFileOptions,
    private readonly report: (problem: StoreProblem) => void,
  ) {
    this.filePath = path.join(dir, options.fileName ?? PROFILES_FILE_NAME);
    this.lockPath = `${this.filePath}.lock`;
  }

  /** As of the last read: true when the file was written by a newer version. */
  get readOnly(): boolean {
    return this.readOnlyFlag;
  }

  async withLock<T>(task: () => Promise<T>): Promise<T> {
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

  /** Replaces the file atomically (the previous one becomes the .bak). Call with the lock held. */
  async write(profiles: readonly Profile[]): Promise<void> {
    try {
      await writeFileAtomic(this.filePath, encodeStore(profiles), this.options.hooks);
    } catch (error) {
      throw new ProfileStoreError('io-error', `Cannot write ${this.filePath}: ${(error as Error).message}`);
    }
  }

  /**
   * Reads and classifies the file. Repairs (moving a corrupt file aside, dropping invalid
   * entries) need the lock: when called without it and a repair is due, it takes the lock and
   * starts over, since another process may have repaired or rewritten the file meanwhile.
   */
  async read(locked: boolean): Promise<FileState> {
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
    if (!locked) return this.withLock(() => this.read(true));

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

  /** Removes the temp files a crash during an atomic write left behind. */
  async removeLeftoverTempFiles(): Promise<void> {
    const base = path.basename(this.filePath);
    const entries = await fs.readdir(this.dir);
    await Promise.all(
      entries
        .filter((e) => isTempFileOf(e, base) || isTempFileOf(e, `${base}.bak`))
        .map((e) => fs.rm(path.join(this.dir, e), { force: true })),
    );
  }

  private async readText(file: string): Promise<string | undefined | { tooLarge: true }> {
    let stat;
    try {
      stat = await fs.stat(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ProfileStoreError('io-error', `Cannot read ${file}: ${(error as Error).message}`);
    }
    // A directory, FIFO or device in the file's place is not ours to move or read (a FIFO would
    // block the read forever): say what is there and what to do.
    if (!stat.isFile()) {
      const what = stat.isDirectory() ? 'a directory' : 'not a regular file';
      throw new ProfileStoreError('io-error', `${file} is ${what}, not the profiles file; move it out of the way and try again.`);
    }
    if (stat.size > STORE_MAX_BYTES) return { tooLarge: true };
    try {
      return await fs.readFile(file, 'utf8');
    } catch (error) {
      throw new ProfileStoreError('io-error', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }

  /** profiles.corrupt-<timestamp>.json, unique in the directory. */
  private async asideName(): Promise<string> {
    const stamp = this.options.now().toISOString().replace(/[:.]/g, '-');
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
}
