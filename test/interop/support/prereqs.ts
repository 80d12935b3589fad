/**
 * Can this machine run the interop tests? Checks what the pptpd VM needs: root, /dev/net/tun,
 * network namespaces, iproute2, and the tools build-image.sh uses (apt-get, dpkg-deb, cpio,
 * readelf, openssl). The UML kernel itself comes from the downloaded `user-mode-linux` package,
 * so the host does not need it installed.
 *
 * Tests SKIP with the reason when something is missing, but FAIL when
 * PPTP_REQUIRE_SYSTEM_TESTS=1 (CI sets it): requireInteropPrereqs() then throws.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export type InteropPrereqs = { ok: true } | { ok: false; why: string };

const TOOLS = ['ip', 'apt-get', 'dpkg-deb', 'cpio', 'readelf', 'openssl', 'setsid', 'sysctl'];

function onPath(tool: string): boolean {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    try {
      accessSync(path.join(dir, tool), constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

/** Why the interop tests cannot run here, or undefined when they can. Does not throw. */
export function checkInteropPrereqs(): InteropPrereqs {
  if (process.platform !== 'linux') return { ok: false, why: `needs Linux (this is ${process.platform})` };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { ok: false, why: 'needs root (network namespaces, tap devices)' };
  if (!existsSync('/dev/net/tun')) return { ok: false, why: '/dev/net/tun is missing (the VM needs a tap device)' };
  const missing = TOOLS.filter((t) => !onPath(t));
  if (missing.length > 0) return { ok: false, why: `missing tools: ${missing.join(', ')} (apt-get install iproute2 cpio binutils openssl)` };
  const probe = `pptp-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'delete', probe], { stdio: 'pipe' });
  } catch (e) {
    return { ok: false, why: `cannot create network namespaces: ${(e as Error).message.split('\n')[0]}` };
  }
  return { ok: true };
}

/**
 * checkInteropPrereqs(), but throws when PPTP_REQUIRE_SYSTEM_TESTS=1 and something is missing,
 * so CI fails instead of silently skipping. Use the result to skip:
 *   const pre = await requireInteropPrereqs();
 *   describe.skipIf(!pre.ok)('...', ...)
 */
export async function requireInteropPrereqs(): Promise<InteropPrereqs> {
  const r = checkInteropPrereqs();
  if (!r.ok) {
    if (process.env.PPTP_REQUIRE_SYSTEM_TESTS === '1') {
      throw new Error(`interop prerequisites missing and PPTP_REQUIRE_SYSTEM_TESTS=1: ${r.why}`);
    }
    console.warn(`interop tests skipped: ${r.why}`);
  }
  return r;
}
