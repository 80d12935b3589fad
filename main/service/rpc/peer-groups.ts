/**
 * Group lookups for the peer policy, through the system's own tools with fixed argv (execFile,
 * never a shell), validated input and parsed output:
 *  - a peer uid's groups: `id -G <uid>` (POSIX id(1); on Linux and macOS both list the primary
 *    and supplementary gids, space separated), cached briefly so a reconnecting app does not
 *    fork per connection, and never cached when the lookup failed;
 *  - an allowed group name to its gid, once at start: `getent group NAME` on Linux (glibc NSS,
 *    "name:x:gid:members"), `dscl . -read /Groups/NAME PrimaryGroupID` on macOS (Directory
 *    Services; "PrimaryGroupID: 80").
 * The runner is injected so tests need no real users.
 */
import { execFile } from 'node:child_process';
import { MAX_UID } from './listen-args';

export type RunTool = (file: string, args: readonly string[]) => Promise<{ code: number; stdout: string }>;

export const runTool: RunTool = (file, args) =>
  new Promise((resolve) => {
    execFile(file, [...args], { encoding: 'utf8', timeout: 5_000, env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LC_ALL: 'C' } }, (error, stdout) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout });
    });
  });

/** How long a uid's groups are reused; group changes reach the daemon within this. */
export const GROUP_CACHE_MS = 10_000;

function isId(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_UID;
}

/** `id -G` output: gids separated by spaces, one line. null when anything else. */
export function parseIdGroups(stdout: string): number[] | null {
  const text = stdout.trim();
  if (!/^[0-9]+( [0-9]+)*$/.test(text)) return null;
  const gids = text.split(' ').map(Number);
  return gids.every(isId) ? gids : null;
}

/** `getent group NAME` output for exactly that group: its gid, else null. */
export function parseGetentGroup(stdout: string, name: string): number | null {
  const line = stdout.split('\n').find((l) => l.startsWith(`${name}:`));
  const gid = line?.split(':')[2];
  return gid !== undefined && /^[0-9]+$/.test(gid) && isId(Number(gid)) ? Number(gid) : null;
}

/** `dscl . -read /Groups/NAME PrimaryGroupID` output: its gid, else null. */
export function parseDsclPrimaryGroupId(stdout: string): number | null {
  const m = /^PrimaryGroupID:\s+([0-9]+)\s*$/m.exec(stdout);
  return m?.[1] !== undefined && isId(Number(m[1])) ? Number(m[1]) : null;
}

export class PeerGroups {
  private readonly cache = new Map<number, { at: number; gids: readonly number[] }>();

  constructor(
    private readonly run: RunTool = runTool,
    private readonly now: () => number = Date.now,
  ) {}

  /** The gids `id -G` lists for `uid`, or null when the lookup failed (unknown user, odd output). */
  async groupsOf(uid: number): Promise<readonly number[] | null> {
    if (!isId(uid)) return null;
    const hit = this.cache.get(uid);
    if (hit && this.now() - hit.at < GROUP_CACHE_MS) return hit.gids;
    const { code, stdout } = await this.run('id', ['-G', String(uid)]);
    const gids = code === 0 ? parseIdGroups(stdout) : null;
    if (gids === null) {
      this.cache.delete(uid);
      return null;
    }
    if (this.cache.size > 256) this.cache.clear(); // bounded: a daemon sees few users
    this.cache.set(uid, { at: this.now(), gids });
    return gids;
  }

  /** The gid of a group name (validated by listen-args.ts), or null when there is no such group. */
  async gidOf(name: string, platform: NodeJS.Platform = process.platform): Promise<number | null> {
    if (platform === 'darwin') {
      const { code, stdout } = await this.run('dscl', ['.', '-read', `/Groups/${name}`, 'PrimaryGroupID']);
      return code === 0 ? parseDsclPrimaryGroupId(stdout) : null;
    }
    const { code, stdout } = await this.run('getent', ['group', name]);
    return code === 0 ? parseGetentGroup(stdout, name) : null;
  }
}
