/**
 * How the privileged tunnel service is started (DESIGN.md §3): the GUI never runs as root.
 *  - 'direct': the app already has the privileges (uid 0, or CAP_NET_ADMIN + CAP_NET_RAW in its
 *    effective set): run `process.execPath dist/service.mjs` as a child (with
 *    ELECTRON_RUN_AS_NODE=1 when execPath is the Electron binary).
 *  - 'pkexec': otherwise `pkexec <launcher>`; the launcher is the small root-owned script the
 *    package installs (packaging/linux/pptp-manager-service) and the polkit action
 *    org.pptpmanager.service (packaging/linux/org.pptpmanager.policy) names it. pkexec clears
 *    the environment, and the launcher takes no arguments that could change what runs as root.
 *  - 'custom': an explicit command (tests: `node --import tsx main/service/main.ts` or a fake).
 * The password never goes on the command line or into the environment: only the RPC pipe.
 * Pure decisions plus one /proc read; spawning is the supervisor's job.
 */
import { readFileSync } from 'node:fs';

export interface ServiceCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Extra environment for the child (merged over process.env by the supervisor). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** What the log and errors call this mode. */
  readonly mode: 'direct' | 'pkexec' | 'custom';
}

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
  return { platform: process.platform, uid: typeof process.getuid === 'function' ? process.getuid() : undefined, capEff };
}

export function isPrivileged(facts: PrivilegeFacts): boolean {
  return facts.uid === 0 || hasNetworkCaps(facts.capEff);
}

export interface LaunchPaths {
  /** The runtime: Node, or the Electron binary (then isElectron). */
  readonly execPath: string;
  readonly isElectron: boolean;
  /** The bundled service, e.g. <app>/dist/service.mjs. */
  readonly serviceScript: string;
  /** The root-owned launcher pkexec runs (installed by the package). */
  readonly launcherPath: string;
  readonly pkexecPath?: string;
}

/** The default launcher location the deb/rpm after-install script creates. */
export const DEFAULT_LAUNCHER_PATH = '/usr/lib/pptp-manager/pptp-manager-service';

export function chooseServiceCommand(facts: PrivilegeFacts, paths: LaunchPaths): ServiceCommand {
  if (isPrivileged(facts)) {
    return {
      mode: 'direct',
      command: paths.execPath,
      args: [paths.serviceScript],
      ...(paths.isElectron ? { env: { ELECTRON_RUN_AS_NODE: '1' } } : {}),
    };
  }
  return { mode: 'pkexec', command: paths.pkexecPath ?? 'pkexec', args: [paths.launcherPath] };
}

/** How a command is shown in the log: never with its environment. */
export function describeCommand(c: ServiceCommand): string {
  return [c.command, ...c.args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
}
