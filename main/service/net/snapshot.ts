/**
 * snapshotNetworkState: the parts of the OS network state this module may change -- IPv4
 * routes of every table, links with their addresses and MTU, and /etc/resolv.conf (link or
 * bytes) -- normalised so two snapshots compare equal exactly when nothing we touch differs.
 * For tests ("exactly as before") and for diagnostics. Reads only.
 */
import { lstat, readFile, readlink } from 'node:fs/promises';
import { createExecFileRunner, type CommandRunner } from './command-runner';

export interface NetworkSnapshot {
  /** `ip -j route show table all`, volatile fields dropped, sorted. */
  readonly routes: readonly string[];
  /** `ip -j address show`: name, mtu, flags, addresses (no ifindex: a recreated link gets a new one). */
  readonly links: readonly string[];
  readonly resolvConf:
    | { readonly kind: 'missing' }
    | { readonly kind: 'symlink'; readonly target: string }
    | { readonly kind: 'file'; readonly mode: number; readonly base64: string };
}

const VOLATILE_ROUTE_KEYS = new Set(['expires', 'cacheinfo', 'cache']);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function parseRows(stdout: string): Record<string, unknown>[] {
  const rows = JSON.parse(stdout) as unknown;
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
}

export async function snapshotNetworkState(
  options: { readonly runner?: CommandRunner; readonly resolvConfPath?: string } = {},
): Promise<NetworkSnapshot> {
  const run = options.runner ?? createExecFileRunner();
  const routesOut = await run('ip', ['-j', 'route', 'show', 'table', 'all']);
  const linksOut = await run('ip', ['-j', 'address', 'show']);
  if (routesOut.exitCode !== 0 || linksOut.exitCode !== 0) throw new Error(`ip failed: ${routesOut.stderr}${linksOut.stderr}`);
  const routes = parseRows(routesOut.stdout)
    .map((row) => canonical(Object.fromEntries(Object.entries(row).filter(([k]) => !VOLATILE_ROUTE_KEYS.has(k)))))
    .sort();
  const links = parseRows(linksOut.stdout)
    .map((row) =>
      canonical({
        ifname: row.ifname,
        mtu: row.mtu,
        flags: Array.isArray(row.flags) ? [...(row.flags as string[])].sort() : row.flags,
        operstate: row.operstate,
        addresses: Array.isArray(row.addr_info)
          ? (row.addr_info as Record<string, unknown>[]).map((a) => ({ family: a.family, local: a.local, address: a.address, prefixlen: a.prefixlen }))
          : [],
      }),
    )
    .sort();
  const path = options.resolvConfPath ?? '/etc/resolv.conf';
  let resolvConf: NetworkSnapshot['resolvConf'];
  const stats = await lstat(path).catch(() => null);
  if (stats === null) resolvConf = { kind: 'missing' };
  else if (stats.isSymbolicLink()) resolvConf = { kind: 'symlink', target: await readlink(path) };
  else resolvConf = { kind: 'file', mode: stats.mode & 0o7777, base64: (await readFile(path)).toString('base64') };
  return { routes, links, resolvConf };
}
