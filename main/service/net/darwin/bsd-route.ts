/**
 * route(8) on macOS: argument lists for adding and deleting our routes, and the parser for
 * `route -n get <address>` (the path the server was reached by before the tunnel).
 * Pure: builds arrays, parses text; the configurator runs them.
 *
 * Output format (network_cmds route.tproj/route.c, print_getmsg): labelled lines
 * "   route to: ...", "destination: ...", "       mask: ...", "    gateway: ..." (printed only
 * when the route has RTF_GATEWAY), "  interface: ...", "      flags: <UP,GATEWAY,...>", then a
 * metrics table. Kernel output is untrusted: every value is validated before it becomes an
 * argument. route(8) reports a failed change on stderr as "route: writing to routing socket:
 * <strerror>" and some versions still exit 0, so failures are classified from the text too.
 */
import type { DarwinUndoRecord } from '../types';
import { isBsdInterfaceName, isIpv4, parseCidr } from '../validate';

/** `-host` for a /32, `-net` otherwise (route(8): "-net" / "-host" force the destination kind). */
function destinationArgs(dest: string): string[] {
  const cidr = parseCidr(dest);
  if (cidr === null) throw new Error(`not a CIDR: ${dest}`);
  return cidr.prefix === 32 ? ['-host', cidr.network] : ['-net', cidr.text];
}

export const routeArgs = {
  get: (address: string): string[] => ['-n', 'get', address],
  /** Through a gateway address, or straight out of an interface (`-interface`: the gateway is the interface). */
  add: (dest: string, gateway: string | null, iface: string | null): string[] => {
    if (gateway !== null) return ['-n', 'add', ...destinationArgs(dest), gateway];
    if (iface !== null) return ['-n', 'add', ...destinationArgs(dest), '-interface', iface];
    throw new Error('a route needs a gateway or an interface');
  },
  delete: (dest: string): string[] => ['-n', 'delete', ...destinationArgs(dest)],
};

export type DarwinRouteToServer =
  | { readonly kind: 'via-gateway'; readonly gateway: string; readonly interface: string }
  | { readonly kind: 'on-link'; readonly interface: string }
  | { readonly kind: 'local' }
  | { readonly kind: 'unusable'; readonly reason: string };

/** The "label: value" lines of `route -n get` (labels lower-cased, right-aligned padding dropped). */
function labelledLines(stdout: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^\s*([a-z ]+):\s*(.*?)\s*$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) fields.set(match[1].trim(), match[2]);
  }
  return fields;
}

/** The flag names between < and > on the "flags:" line, or null when the line is malformed. */
export function parseRouteFlags(text: string | undefined): string[] | null {
  const match = /^<([A-Z0-9_,]*)>$/.exec(text ?? '');
  if (match?.[1] === undefined) return null;
  return match[1] === '' ? [] : match[1].split(',');
}

/** Reads `route -n get <server>` output. */
export function parseRouteGet(stdout: string): DarwinRouteToServer {
  const fields = labelledLines(stdout);
  if (!fields.has('route to') || !fields.has('destination')) {
    return { kind: 'unusable', reason: 'route -n get printed something unexpected (no "route to:" / "destination:" lines)' };
  }
  const flags = parseRouteFlags(fields.get('flags'));
  if (flags === null) return { kind: 'unusable', reason: 'route -n get printed no readable flags line' };
  if (!flags.includes('UP')) return { kind: 'unusable', reason: 'the route to the server is not up' };
  if (flags.includes('REJECT') || flags.includes('BLACKHOLE')) return { kind: 'unusable', reason: 'the route to the server rejects or discards traffic' };
  const iface = fields.get('interface');
  if (!isBsdInterfaceName(iface)) return { kind: 'unusable', reason: 'the route to the server names no usable interface' };
  if (iface.startsWith('lo') || flags.includes('LOCAL')) return { kind: 'local' };
  if (!flags.includes('GATEWAY')) return { kind: 'on-link', interface: iface };
  const gateway = fields.get('gateway');
  if (!isIpv4(gateway)) return { kind: 'unusable', reason: 'the route to the server has no IPv4 gateway' };
  return { kind: 'via-gateway', gateway, interface: iface };
}

const ROUTE_SOCKET_ERROR = /writing to routing socket|route: bad address|not in table|File exists/i;

/** True when route(8) reported a failure in its output, whatever its exit status. */
export function routeReportedFailure(output: string): boolean {
  return ROUTE_SOCKET_ERROR.test(output);
}

/** XNU route.c RTM_ADD on an existing key: EEXIST. */
export function isRouteAlreadyExists(output: string): boolean {
  return /File exists/i.test(output);
}

/** RTM_DELETE of a route that is gone (ESRCH, "not in table"), e.g. removed with its utun. */
export function isRouteAlreadyGone(output: string): boolean {
  return /not in table/i.test(output);
}

export function undoRouteArgs(record: Extract<DarwinUndoRecord, { kind: 'bsd-route' }>): string[] {
  return routeArgs.delete(record.dest);
}
