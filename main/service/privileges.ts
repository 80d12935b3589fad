/**
 * Whether this process may run a tunnel: root, or both CAP_NET_ADMIN (TUN, routes) and
 * CAP_NET_RAW (the raw GRE socket) in its effective set (capabilities(7); bits 12 and 13 of
 * CapEff in /proc/self/status). Checked up front so the user gets "needs root" instead of a
 * failure halfway through a connect.
 */
import { readFileSync } from 'node:fs';

const CAP_NET_ADMIN = 12n;
const CAP_NET_RAW = 13n;

export function isPrivileged(): boolean {
  if (process.platform !== 'linux') return typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.getuid?.() === 0) return true;
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (!m) return false;
    const eff = BigInt('0x' + m[1]);
    return ((eff >> CAP_NET_ADMIN) & 1n) === 1n && ((eff >> CAP_NET_RAW) & 1n) === 1n;
  } catch {
    return false;
  }
}
