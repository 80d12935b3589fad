/**
 * A cross-process lock file (the GUI and pptpctl may edit the same profiles). The lock is a file
 * created with O_EXCL holding {pid, hostname, acquiredAt}. A lock is stale, and is broken, when
 * its owner is a process on this host that no longer exists, or when it is older than `staleMs`
 * (an owner on another host sharing the directory, or a hung process). Writers hold the lock
 * for milliseconds, so the default stale age of 30 s is far beyond any real hold.
 *
 * Known limit (shared with every lock-file scheme without kernel locks): two processes breaking
 * the same stale lock at the same instant may both proceed. The window is a few microseconds
 * after a crash; atomic writes keep the file whole even then.
 *
 * Owns only the lock file; it does not know what it protects.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';

export interface FileLockOptions {
  /** Give up after this long waiting for a live owner (ms). Default 5000. */
  readonly timeoutMs?: number;
  /** A lock older than this is stale whoever owns it (ms). Default 30000. */
  readonly staleMs?: number;
  /** First retry delay (ms); doubles up to 200 ms. Default 10. */
  readonly retryMs?: number;
}

interface LockOwner {
  pid: number;
  hostname: string;
  acquiredAt: string;
}

export class LockTimeoutError extends Error {
  readonly code = 'lock-timeout';
  constructor(
    readonly lockPath: string,
    readonly owner: string,
  ) {
    super(`Another process (${owner}) holds ${lockPath}; gave up waiting for it.`);
    this.name = 'LockTimeoutError';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(lockPath: string): Promise<{ owner?: LockOwner; mtimeMs?: number }> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    let owner: LockOwner | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<LockOwner>;
      if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string') owner = parsed as LockOwner;
    } catch {
      owner = undefined; // half-written or garbage: judged by age alone
    }
    return { owner, mtimeMs: stat.mtimeMs };
  } catch {
    return {}; // vanished between our open and our read: just retry
  }
}

function isStale(owner: LockOwner | undefined, mtimeMs: number, staleMs: number): boolean {
  if (Date.now() - mtimeMs > staleMs) return true;
  if (owner && owner.hostname === os.hostname() && owner.pid !== process.pid && !processAlive(owner.pid)) return true;
  return false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Acquires the lock; resolves to a release function. Throws LockTimeoutError. */
export async function acquireFileLock(lockPath: string, options: FileLockOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const staleMs = options.staleMs ?? 30_000;
  let delay = options.retryMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), acquiredAt: new Date().toISOString() };
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(me));
      } finally {
        await handle.close();
      }
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await fs.rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const { owner, mtimeMs } = await readOwner(lockPath);
    if (mtimeMs !== undefined && isStale(owner, mtimeMs, staleMs)) {
      await fs.rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockTimeoutError(lockPath, owner ? `pid ${owner.pid} on ${owner.hostname}` : 'unknown owner');
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 200);
  }
}
