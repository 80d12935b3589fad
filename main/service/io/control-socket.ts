/**
 * Opens the PPTP control connection (TCP 1723, RFC 2637 §1.3) and classifies failure to reach
 * it: refused (something answered with RST: nothing listens, or a firewall rejects), timed out
 * (packets dropped on the way), unreachable (no route) or name resolution failed. The doctor and
 * the CLI turn these into the 'tcp-unreachable' reason with the detail that tells them apart.
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

/** Resolves a host name to one IPv4 address (PPTP is IPv4-only: GRE over IPv4). */
export async function resolveServer(host: string): Promise<string> {
  if (net.isIPv4(host)) return host;
  try {
    const { address } = await dns.lookup(host, { family: 4 });
    return address;
  } catch (e) {
    throw new TcpConnectError('dns', `cannot resolve ${host}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
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
