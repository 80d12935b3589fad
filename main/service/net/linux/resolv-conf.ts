/**
 * Pushed DNS without systemd-resolved: rewrite /etc/resolv.conf, keep the original byte for
 * byte, and put it back exactly.
 *
 * How the file is changed depends on what it is (decided by `inspectResolvConf`):
 *  - a regular file: the original bytes go to a backup in the state dir (fsync'd), ours replaces
 *    it by atomic rename with the same mode and owner; restore renames the original back
 *    (mode and owner read from the file system both times, never from the journal);
 *  - a symlink (resolvconf, NetworkManager, resolved's stub): the link itself is replaced by a
 *    file, so whatever the link points at (owned by another manager) is never written; restore
 *    recreates the same link. The link target is recorded in the journal;
 *  - a mount point (bind-mounted by a container runtime or `ip netns exec`): rename over it is
 *    impossible (EBUSY) and would escape the mount, so the mounted file is rewritten in place;
 *  - missing: ours is created; restore deletes it.
 * Restore only replaces content that is still ours (hash recorded): if someone else rewrote the
 * file meanwhile, it is left alone and reported.
 */
import { createHash } from 'node:crypto';
import { lstat, open, readFile, readlink, realpath, rename, symlink, unlink, chown } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ResolvConfRecord } from '../types';
import { writeFileDurable } from '../journal';

export const BACKUP_FILE = 'resolv.conf.backup';

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The resolv.conf we write: the servers, plus the original's `options` lines. */
export function renderResolvConf(servers: readonly string[], original: string | null, tunName: string): string {
  const options = (original ?? '')
    .split('\n')
    .filter((line) => /^\s*options\s/.test(line))
    .map((line) => line.trim());
  return [
    `# Written by PPTP Manager for ${tunName}; the previous file is restored on disconnect.`,
    ...servers.map((server) => `nameserver ${server}`),
    ...options,
    '',
  ].join('\n');
}

async function mountPoints(): Promise<Set<string>> {
  try {
    const text = await readFile('/proc/self/mountinfo', 'utf8');
    // Field 5 is the mount point, with spaces etc. escaped as \040 octal.
    return new Set(
      text
        .split('\n')
        .map((line) => line.split(' ')[4])
        .filter((p): p is string => p !== undefined)
        .map((p) => p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)))),
    );
  } catch {
    return new Set();
  }
}

export interface ResolvConfState {
  readonly mode: ResolvConfRecord['mode'];
  readonly target: string;
  readonly symlinkTarget: string | null;
  readonly original: Buffer | null;
  readonly fileMode: number;
  readonly uid: number;
  readonly gid: number;
}

export async function inspectResolvConf(path: string): Promise<ResolvConfState> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { mode: 'create', target: path, symlinkTarget: null, original: null, fileMode: 0o644, uid: 0, gid: 0 };
    }
    throw error;
  }
  const mounts = await mountPoints();
  if (stats.isSymbolicLink()) {
    const linkTarget = await readlink(path);
    const real = await realpath(path).catch(() => null);
    if (real !== null && mounts.has(real)) {
      const realStats = await lstat(real);
      return { mode: 'in-place', target: real, symlinkTarget: null, original: await readFile(real), fileMode: realStats.mode & 0o7777, uid: realStats.uid, gid: realStats.gid };
    }
    const original = real !== null ? await readFile(real).catch(() => null) : null;
    return { mode: 'replace-symlink', target: path, symlinkTarget: linkTarget, original, fileMode: 0o644, uid: 0, gid: 0 };
  }
  if (!stats.isFile()) throw new Error(`${path} is neither a file nor a symlink`);
  const original = await readFile(path);
  const mode = mounts.has(path) ? 'in-place' : 'replace-file';
  return { mode, target: path, symlinkTarget: null, original, fileMode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid };
}

/**
 * The mode and owner a replaced file gets. Read from the file system when it is replaced, never
 * from the journal: a root process must not chmod/chown by what a file it reads told it.
 */
export interface FileOwner {
  readonly fileMode: number;
  readonly uid: number;
  readonly gid: number;
}

/** What a restored file gets when ours is gone: root's usual resolv.conf. */
const DEFAULT_OWNER: FileOwner = { fileMode: 0o644, uid: 0, gid: 0 };

/**
 * Saves the original (fsync'd) and returns the journal record plus the bytes to write and the
 * original's mode and owner. The caller journals the record, then calls writeResolvConf.
 */
export async function prepareResolvConf(
  path: string,
  servers: readonly string[],
  tunName: string,
  stateDir: string,
): Promise<{ record: ResolvConfRecord; content: Buffer; owner: FileOwner }> {
  const state = await inspectResolvConf(path);
  const content = Buffer.from(renderResolvConf(servers, state.original?.toString('utf8') ?? null, tunName), 'utf8');
  const keepsBytes = state.mode === 'replace-file' || state.mode === 'in-place';
  if (keepsBytes && state.original !== null) await writeFileDurable(stateDir, BACKUP_FILE, state.original);
  const record: ResolvConfRecord = {
    kind: 'resolv-conf',
    path,
    mode: state.mode,
    target: state.target,
    backupFile: keepsBytes ? join(stateDir, BACKUP_FILE) : null,
    backupSha256: state.original !== null && keepsBytes ? sha256(state.original) : null,
    writtenSha256: sha256(content),
    symlinkTarget: state.symlinkTarget,
  };
  return { record, content, owner: { fileMode: state.fileMode, uid: state.uid, gid: state.gid } };
}

async function writeInPlace(target: string, content: Uint8Array): Promise<void> {
  const handle = await open(target, 'r+');
  try {
    await handle.truncate(0);
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Atomic replace of `path` (file or symlink) by a file with `content`, mode and owner. */
async function replaceWithFile(path: string, content: Uint8Array, mode: number, uid: number, gid: number): Promise<void> {
  const dir = dirname(path);
  const name = basename(path);
  await writeFileDurable(dir, name, content, mode);
  await chown(path, uid, gid).catch(() => undefined);
}

export async function writeResolvConf(record: ResolvConfRecord, content: Uint8Array, owner: FileOwner): Promise<void> {
  if (record.mode === 'in-place') {
    await writeInPlace(record.target, content);
    return;
  }
  await replaceWithFile(record.path, content, owner.fileMode & 0o777, owner.uid, owner.gid);
}

/** Ours carries the original's mode and owner (writeResolvConf gave it them): the restore keeps them. */
async function ownerOf(path: string): Promise<FileOwner> {
  const stats = await lstat(path).catch(() => null);
  if (stats === null || !stats.isFile()) return DEFAULT_OWNER;
  return { fileMode: stats.mode & 0o777, uid: stats.uid, gid: stats.gid };
}

export type ResolvConfRestore = 'restored' | 'already-original' | 'changed-by-someone-else';

async function currentHash(path: string): Promise<string | null> {
  try {
    return sha256(await readFile(path));
  } catch {
    return null;
  }
}

/** Puts the original back if our content is still there. Idempotent. Throws on I/O failure. */
export async function restoreResolvConf(record: ResolvConfRecord): Promise<ResolvConfRestore> {
  if (record.mode === 'replace-symlink') {
    const stats = await lstat(record.path).catch(() => null);
    if (stats?.isSymbolicLink() === true && (await readlink(record.path)) === record.symlinkTarget) return 'already-original';
    if (stats !== null && (await currentHash(record.path)) !== record.writtenSha256) return 'changed-by-someone-else';
    const tmp = join(dirname(record.path), `.${basename(record.path)}.link-${process.pid}`);
    await unlink(tmp).catch(() => undefined);
    await symlink(record.symlinkTarget ?? '', tmp);
    await rename(tmp, record.path);
    return 'restored';
  }
  if (record.mode === 'in-place' && (await realpath(record.path).catch(() => null)) !== record.target) {
    throw new Error(`${record.path} no longer resolves to ${record.target}; not writing there`);
  }
  const where = record.mode === 'in-place' ? record.target : record.path;
  const hash = await currentHash(where);
  if (record.mode === 'create') {
    if (hash === null) return 'already-original';
    if (hash !== record.writtenSha256) return 'changed-by-someone-else';
    await unlink(where);
    return 'restored';
  }
  if (hash !== null && hash === record.backupSha256) return 'already-original';
  if (hash !== null && hash !== record.writtenSha256) return 'changed-by-someone-else';
  if (record.backupFile === null) throw new Error('no backup recorded');
  const original = await readFile(record.backupFile);
  if (sha256(original) !== record.backupSha256) throw new Error(`the backup ${record.backupFile} does not match its recorded hash`);
  if (record.mode === 'in-place') await writeInPlace(record.target, original);
  else {
    const owner = await ownerOf(record.path);
    await replaceWithFile(record.path, original, owner.fileMode, owner.uid, owner.gid);
  }
  return 'restored';
}
