/**
 * The daemon's socket on the filesystem: its directory and the socket file's owner and mode.
 *  - The directory is created root-owned 0755 when missing (its parent must exist), and refused
 *    when it is a symlink, not ours, or writable by group or others: only the daemon may create,
 *    replace or remove entries in it, so nobody can swap the socket between our checks.
 *  - A stale socket file is removed only when lstat says it IS a socket (never following a
 *    symlink) and nothing answers on it (a second daemon must not steal the first one's socket);
 *    any other file at the path is left alone and is an error.
 *  - After listen(2) the socket's mode/group say who the kernel lets connect(2) at all (write
 *    permission on the socket inode: unix(7); XNU unp_connect asks vnode_authorize for write).
 *    That is the outer gate only; the peer-credential check decides per connection.
 */
import { promises as fs } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import type { ResolvedPeerPolicy } from './peer-policy';

export type SocketPathErrorCode = 'socket-dir-unsafe' | 'socket-path-occupied' | 'already-running' | 'socket-setup-failed';

export class SocketPathError extends Error {
  constructor(
    readonly code: SocketPathErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SocketPathError';
  }
}

/** The socket directory's mode: root may write, everyone may traverse to connect. */
export const SOCKET_DIR_MODE = 0o755;

export interface SocketAccess {
  readonly mode: number;
  /** chown the socket to this group (root stays the owner); undefined keeps the daemon's group. */
  readonly gid?: number;
}

/**
 * One allowed group and no allowed uids: root:<group> 0660, as Mullvad does with its socket
 * group. Root only: 0600. Anything else cannot be said with one owner and group: 0666, and the
 * credential check alone decides (as Tunnelblick's 0666 socket with getpeereid).
 */
export function socketAccessFor(policy: ResolvedPeerPolicy): SocketAccess {
  if (policy.allowUids.size === 0 && policy.allowGids.size === 0) return { mode: 0o600 };
  if (policy.allowUids.size === 0 && policy.allowGids.size === 1) return { mode: 0o660, gid: [...policy.allowGids][0]! };
  return { mode: 0o666 };
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** Whether something accepts connections on `path` (a live daemon). */
function answers(path: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection({ path });
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (live: boolean) => {
      clearTimeout(timer);
      probe.destroy();
      resolve(live);
    };
    probe.once('connect', () => finish(true));
    probe.once('error', () => finish(false));
  });
}

/** Makes the directory safe and the path free. `euid`: the daemon's (0 in production). */
export async function prepareSocketPath(path: string, euid: number): Promise<void> {
  const dir = dirname(path);
  try {
    await fs.mkdir(dir, { mode: SOCKET_DIR_MODE });
    await fs.chmod(dir, SOCKET_DIR_MODE); // the umask may have narrowed it
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw new SocketPathError('socket-setup-failed', `cannot create ${dir}: ${(error as Error).message}`);
  }
  const st = await fs.lstat(dir);
  if (!st.isDirectory()) throw new SocketPathError('socket-dir-unsafe', `${dir} is not a directory (a symlink is refused)`);
  if (st.uid !== euid) throw new SocketPathError('socket-dir-unsafe', `${dir} is owned by uid ${st.uid}, not by the service (uid ${euid})`);
  if ((st.mode & 0o022) !== 0) throw new SocketPathError('socket-dir-unsafe', `${dir} is writable by group or others (mode ${(st.mode & 0o777).toString(8)})`);

  let existing;
  try {
    existing = await fs.lstat(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return;
    throw new SocketPathError('socket-setup-failed', `cannot inspect ${path}: ${(error as Error).message}`);
  }
  if (!existing.isSocket()) throw new SocketPathError('socket-path-occupied', `${path} exists and is not a socket; not removing it`);
  if (await answers(path)) throw new SocketPathError('already-running', `another service already answers on ${path}`);
  await fs.unlink(path);
}

/** Sets the socket's group and mode after listen(2). */
export async function applySocketAccess(path: string, access: SocketAccess): Promise<void> {
  if (access.gid !== undefined) await fs.lchown(path, -1, access.gid); // -1: owner unchanged (the daemon, root)
  await fs.chmod(path, access.mode);
}

/** Removes our socket on the way out, only if it is still a socket. */
export async function removeSocket(path: string): Promise<void> {
  try {
    if ((await fs.lstat(path)).isSocket()) await fs.unlink(path);
  } catch {
    // already gone
  }
}
