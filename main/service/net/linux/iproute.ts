/**
 * iproute2 argument lists for each change and its undo, and parsers for `ip -j` output.
 * Pure: builds arrays, parses JSON text; the configurator runs them.
 *
 * Kernel output is untrusted too: a gateway or device from `ip -j route get` is validated
 * before it becomes an argument.
 */
import type { LinuxUndoRecord } from '../types';
import { isInterfaceName, isIpv4 } from '../validate';

export const ipArgs = {
  linkShow: (dev: string): string[] => ['-j', 'link', 'show', 'dev', dev],
  setMtu: (dev: string, mtu: number): string[] => ['link', 'set', 'dev', dev, 'mtu', String(mtu)],
  addAddress: (dev: string, local: string, peer: string): string[] => ['address', 'add', local, 'peer', `${peer}/32`, 'dev', dev],
  delAddress: (dev: string, local: string, peer: string): string[] => ['address', 'del', local, 'peer', `${peer}/32`, 'dev', dev],
  linkUp: (dev: string): string[] => ['link', 'set', 'dev', dev, 'up'],
  linkDown: (dev: string): string[] => ['link', 'set', 'dev', dev, 'down'],
  routeGet: (address: string): string[] => ['-j', 'route', 'get', address],
  addRoute: (dest: string, via: string | null, dev: string): string[] =>
    via === null ? ['route', 'add', dest, 'dev', dev] : ['route', 'add', dest, 'via', via, 'dev', dev],
  delRoute: (dest: string, via: string | null, dev: string): string[] =>
    via === null ? ['route', 'del', dest, 'dev', dev] : ['route', 'del', dest, 'via', via, 'dev', dev],
};

export const resolvectlArgs = {
  dns: (dev: string, servers: readonly string[]): string[] => ['dns', dev, ...servers],
  routeAllDomains: (dev: string): string[] => ['domain', dev, '~.'],
  revert: (dev: string): string[] => ['revert', dev],
};

export type RouteToServer =
  | { readonly kind: 'via-gateway'; readonly via: string; readonly dev: string }
  | { readonly kind: 'on-link'; readonly dev: string }
  | { readonly kind: 'local' }
  | { readonly kind: 'unusable'; readonly reason: string };

/** Reads `ip -j route get <server>` output. */
export function parseRouteGet(stdout: string): RouteToServer {
  let rows: unknown;
  try {
    rows = JSON.parse(stdout);
  } catch {
    return { kind: 'unusable', reason: 'ip -j route get printed something that is not JSON' };
  }
  const row = Array.isArray(rows) ? (rows[0] as Record<string, unknown> | undefined) : undefined;
  if (typeof row !== 'object' || row === null) return { kind: 'unusable', reason: 'ip -j route get returned no route' };
  if (row.type === 'local' || row.dev === 'lo') return { kind: 'local' };
  if (row.type !== undefined && row.type !== 'unicast') return { kind: 'unusable', reason: `the route to the server is of type ${String(row.type)}` };
  if (!isInterfaceName(row.dev)) return { kind: 'unusable', reason: 'the route to the server names no usable device' };
  if (row.gateway === undefined) return { kind: 'on-link', dev: row.dev };
  if (!isIpv4(row.gateway)) return { kind: 'unusable', reason: 'the route to the server has a non-IPv4 gateway' };
  return { kind: 'via-gateway', via: row.gateway, dev: row.dev };
}

/** Reads the MTU from `ip -j link show dev X`. */
export function parseLinkMtu(stdout: string): number | null {
  try {
    const rows = JSON.parse(stdout) as unknown;
    const mtu = Array.isArray(rows) ? (rows[0] as { mtu?: unknown } | undefined)?.mtu : undefined;
    return typeof mtu === 'number' && Number.isInteger(mtu) ? mtu : null;
  } catch {
    return null;
  }
}

/** The command that undoes a record, or null for records undone without a command (resolv.conf). */
export function undoCommand(record: LinuxUndoRecord): { command: 'ip' | 'resolvectl'; args: string[] } | null {
  switch (record.kind) {
    case 'link-mtu':
      return { command: 'ip', args: ipArgs.setMtu(record.dev, record.previousMtu) };
    case 'link-address':
      return { command: 'ip', args: ipArgs.delAddress(record.dev, record.local, record.peer) };
    case 'link-up':
      return { command: 'ip', args: ipArgs.linkDown(record.dev) };
    case 'route':
      return { command: 'ip', args: ipArgs.delRoute(record.dest, record.via, record.dev) };
    case 'resolved-link':
      return { command: 'resolvectl', args: resolvectlArgs.revert(record.dev) };
    case 'resolv-conf':
      return null;
  }
}

/**
 * Undo is idempotent: these answers mean the thing is already gone (the route was deleted, the
 * TUN disappeared with its process), which is what undo wanted.
 */
const ALREADY_GONE = [
  /No such process/i, // route del: no such route
  /Cannot find device/i, // the interface is gone
  /No such device/i,
  /Cannot assign requested address/i, // address del: not there
  /Failed to resolve interface/i, // resolvectl: link gone
  /Unknown interface/i,
  /Link .* not known/i,
];

export function isAlreadyGone(stderr: string): boolean {
  return ALREADY_GONE.some((pattern) => pattern.test(stderr));
}

export function isAlreadyExists(stderr: string): boolean {
  return /File exists/i.test(stderr);
}
