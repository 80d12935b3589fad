/**
 * Crash-safe file replacement: write a temp file in the same directory, fsync it, keep a copy of
 * the current file as `<file>.bak`, rename the temp over the file (atomic on POSIX and NTFS),
 * then fsync the directory so the rename itself is durable. A crash at any point leaves either
 * the old or the new content under the real name, never a torn file.
 *
 * Owns only the write; locking is the caller's job.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface AtomicWriteHooks {
  /** Test seam: runs after the temp file is durable and before the rename. */
  afterTempWrite?: (tempPath: string) => void | Promise<void>;
}

const TEMP_MARKER = '.tmp-';

export function isTempFileOf(fileName: string, baseName: string): boolean {
  return fileName.startsWith(baseName + TEMP_MARKER);
}

export async function writeFileAtomic(file: string, data: string, hooks: AtomicWriteHooks = {}): Promise<void> {
  const dir = path.dirname(file);
  const temp = `${file}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (hooks.afterTempWrite) await hooks.afterTempWrite(temp);
    await keepBackup(file);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDir(dir);
}

/** Copies the current file to `<file>.bak` (itself through a rename, so the .bak is never torn). */
async function keepBackup(file: string): Promise<void> {
  const bak = `${file}.bak`;
  const bakTemp = `${bak}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.copyFile(file, bakTemp);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // first write: nothing to keep
    throw error;
  }
  await fs.rename(bakTemp, bak);
}

async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; the rename is already durable enough there.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
