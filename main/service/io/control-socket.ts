/**
 * Opens the PPTP control connection (TCP 1723, RFC 2637 §1.3) and classifies failure to reach
 * it: refused (something answered with RST: nothing listens, or a firewall rejects), timed out
 * (packets dropped on the way), unreachable (no route) or name resolution failed. A name that does
 * not resolve is its own reason ('server-not-found'); the others are 'tcp-unreachable' with the
 * detail that tells them apart.
 */
import net from 'node:net';
import dns from 'node:dns/promises';

/** RFC 2637 §1.3: the control connection's well-known port. */
export const PPTP_CONTROL_PORT = 1723;
export const DEFAULT_TCP_CONNECT_TIMEOUT_MS = 10_000;

export type TcpFailureKind = 'refused' | 'timeout' | 'unreachable' | 'dns' | 'other';

export class TcpConnectError extends Error {
  constructor(
    readonly kind: TcpFailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** getaddrinfo's answer for one IPv4 address (node:dns lookup's shape). */
export type LookupIPv4 = (host: string) => Promise<{ address: string }>;

const systemLookup: LookupIPv4 = (host) => dns.lookup(host, { family: 4 });

/**
 * Why a name did not resolve, in words (node:dns error codes, which are getaddrinfo's EAI_*
 * results): a name that does not exist is a typo or a name known only elsewhere; no answer at
 * all is this network's DNS.
 */
export function describeLookupFailure(host: string, code: string | undefined): string {
  switch (code) {
    case 'ENOTFOUND': // EAI_NONAME: the resolver answered that the name does not exist
      return `the server name "${host}" does not exist (check its spelling)`;
    case 'ENODATA': // EAI_NODATA / EAI_ADDRFAMILY: the name exists but has no IPv4 address
      return `the server name "${host}" has no IPv4 address (PPTP needs IPv4)`;
    case 'EAI_AGAIN': // a temporary failure: no DNS server answered
      return `no DNS server answered for "${host}" (is this network connected?)`;
    default:
      return `the server name "${host}" could not be resolved${code ? ` (${code})` : ''}`;
  }
}

/** Resolves a host name to one IPv4 address (PPTP is IPv4-only: GRE over IPv4). */
export async function resolveServer(host: string, lookup: LookupIPv4 = systemLookup): Promise<string> {
  if (net.isIPv4(host)) return host;
  try {
    const { address } = await lookup(host);
    return address;
  } catch (e) {
    throw new TcpConnectError('dns', describeLookupFailure(host, (e as NodeJS.ErrnoException).code));
  }
}

export function connectControl(serverIp: string, timeoutMs = DEFAULT_TCP_CONNECT_TIMEOUT_MS, port = PPTP_CONTROL_PORT): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: serverIp, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TcpConnectError('timeout', `no answer from ${serverIp}:${port} within ${Math.round(timeoutMs / 1000)} s (packets dropped on the way?)`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      resolve(socket);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const code = e.code ?? '';
      if (code === 'ECONNREFUSED') reject(new TcpConnectError('refused', `${serverIp}:${port} refused the connection (nothing listens there, or a firewall rejects it)`));
      else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') reject(new TcpConnectError('unreachable', `no route to ${serverIp} (${code})`));
      else if (code === 'ETIMEDOUT') reject(new TcpConnectError('timeout', `connection to ${serverIp}:${port} timed out`));
      else reject(new TcpConnectError('other', `cannot connect to ${serverIp}:${port}: ${code || e.message}`));
    });
  });
}
