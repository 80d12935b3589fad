/**
 * Whether a process may run a tunnel: effective uid 0, or on Linux both CAP_NET_ADMIN (TUN,
 * routes) and CAP_NET_RAW (the raw GRE socket) in its effective set (capabilities(7); CapEff in
 * /proc/self/status). macOS has no capabilities: there it is euid 0 only.
 * pptpctl and the service check it up front so the user gets "needs root" instead of a failure
 * halfway through a connect; the app checks it to choose between a direct child and pkexec.
 * Pure functions over the facts, plus one /proc read in currentPrivilegeFacts().
 */
import { readFileSync } from 'node:fs';

// linux/capability.h
export const CAP_NET_ADMIN = 12;
export const CAP_NET_RAW = 13;

/** The CapEff mask from /proc/<pid>/status text, or undefined when absent. */
export function parseEffectiveCaps(statusText: string): bigint | undefined {
  const m = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(statusText);
  return m?.[1] ? BigInt(`0x${m[1]}`) : undefined;
}

export function hasNetworkCaps(capEff: bigint | undefined): boolean {
  if (capEff === undefined) return false;
  const need = (1n << BigInt(CAP_NET_ADMIN)) | (1n << BigInt(CAP_NET_RAW));
  return (capEff & need) === need;
}

export interface PrivilegeFacts {
  readonly platform: NodeJS.Platform;
  /** The effective uid (what the kernel checks), undefined on Windows. */
  readonly uid: number | undefined;
  readonly capEff: bigint | undefined;
}

/** Reads this process's uid and effective capabilities. */
export function currentPrivilegeFacts(): PrivilegeFacts {
  let capEff: bigint | undefined;
  if (process.platform === 'linux') {
    try {
      capEff = parseEffectiveCaps(readFileSync('/proc/self/status', 'utf8'));
    } catch {
      capEff = undefined;
    }
  }
  return { platform: process.platform, uid: typeof process.geteuid === 'function' ? process.geteuid() : undefined, capEff };
}

export function isPrivileged(facts: PrivilegeFacts = currentPrivilegeFacts()): boolean {
  return facts.uid === 0 || hasNetworkCaps(facts.capEff);
}

/** Words for what a tunnel (or a test's GRE and PPP steps) needs here, to follow "needs ". */
export function privilegeRequirement(platform: NodeJS.Platform = process.platform): string {
  return platform === 'linux' ? 'root, or CAP_NET_ADMIN and CAP_NET_RAW' : 'root';
}
