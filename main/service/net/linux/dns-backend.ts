/**
 * Which way pushed DNS is applied on this Linux machine.
 *
 * 'resolved' when systemd-resolved is running AND the system resolver goes through it
 * (/etc/resolv.conf resolves into /run/systemd/resolve/, i.e. the stub or its generated file):
 * then per-link DNS via `resolvectl dns/domain` is what glibc ends up using, and resolved drops
 * it by itself when the TUN disappears. Otherwise 'resolv-conf' (rewrite the file, restore it).
 * "Running" is the presence of resolved's varlink socket, which it creates at start.
 */
import { access, realpath } from 'node:fs/promises';

export type DnsBackend = 'resolved' | 'resolv-conf';

export const RESOLVED_RUN_DIR = '/run/systemd/resolve/';
const RESOLVED_SOCKET = '/run/systemd/resolve/io.systemd.Resolve';

export async function detectDnsBackend(resolvConfPath: string): Promise<DnsBackend> {
  const real = await realpath(resolvConfPath).catch(() => null);
  if (real === null || !real.startsWith(RESOLVED_RUN_DIR)) return 'resolv-conf';
  const running = await access(RESOLVED_SOCKET).then(
    () => true,
    () => false,
  );
  return running ? 'resolved' : 'resolv-conf';
}
