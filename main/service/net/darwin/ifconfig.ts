/**
 * ifconfig(8) on macOS for the utun link: argument lists for MTU, the point-to-point address
 * and up/down, and the parser for `ifconfig utunN` (flags, MTU, IPv4 addresses).
 * Pure: builds arrays, parses text.
 *
 * Output format (network_cmds ifconfig.tproj): a first line
 * "utun3: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> mtu 1380", then tab-indented lines such
 * as "\tinet 10.64.0.2 --> 10.64.0.1 netmask 0xff000000". A missing interface is
 * "ifconfig: interface utun9 does not exist" with exit status 1.
 */
import { isIpv4, isMtu, isUtunName } from '../validate';

export const ifconfigArgs = {
  show: (dev: string): string[] => [dev],
  setMtu: (dev: string, mtu: number): string[] => [dev, 'mtu', String(mtu)],
  /** ifconfig(8): "ifconfig interface inet address dest_address" sets a point-to-point address (SIOCAIFADDR). */
  addAddress: (dev: string, local: string, peer: string): string[] => [dev, 'inet', local, peer],
  /** ifconfig(8) "delete": remove the given address (SIOCDIFADDR). */
  deleteAddress: (dev: string, local: string, peer: string): string[] => [dev, 'inet', local, peer, 'delete'],
  up: (dev: string): string[] => [dev, 'up'],
  down: (dev: string): string[] => [dev, 'down'],
};

export interface UtunState {
  readonly name: string;
  readonly flags: readonly string[];
  readonly mtu: number;
  readonly inet: readonly { readonly local: string; readonly peer: string | null }[];
}

/** Reads `ifconfig utunN`; null when the output is not that interface's description. */
export function parseIfconfig(stdout: string, expectedName: string): UtunState | null {
  const lines = stdout.split('\n');
  const head = /^([a-z][a-z0-9]*): flags=[0-9a-f]+<([A-Z0-9_,]*)> mtu ([0-9]+)(?: index [0-9]+)?\s*$/.exec(lines[0] ?? '');
  if (head?.[1] === undefined || head[2] === undefined || head[3] === undefined) return null;
  if (head[1] !== expectedName || !isUtunName(head[1])) return null;
  const mtu = Number(head[3]);
  if (!isMtu(mtu)) return null;
  const inet: { local: string; peer: string | null }[] = [];
  for (const line of lines.slice(1)) {
    const match = /^\s+inet ([0-9.]+)(?: --> ([0-9.]+))?(?: netmask 0x[0-9a-f]{8})?/.exec(line);
    if (match === null) continue;
    if (!isIpv4(match[1]) || (match[2] !== undefined && !isIpv4(match[2]))) return null;
    inet.push({ local: match[1], peer: match[2] ?? null });
  }
  return { name: head[1], flags: head[2] === '' ? [] : head[2].split(','), mtu, inet };
}

/** Undo answers that mean the thing is already gone: the utun vanished with its process, or the address with it. */
export function isIfconfigAlreadyGone(output: string): boolean {
  return /does not exist/i.test(output) || /Can't assign requested address/i.test(output) || /Device not configured/i.test(output);
}
