/**
 * How the app reaches the privileged tunnel service (DESIGN.md §3): the GUI never runs as root.
 *  - 'socket': connect to a root daemon's Unix socket (docs/privileged-helper.md). Always on
 *    macOS (launchd's org.pptpmanager.service at DARWIN_SERVICE_SOCKET; there is no pkexec); on
 *    Linux only when a daemon's socket exists at LINUX_SERVICE_SOCKET (a future systemd unit),
 *    which then wins over starting a second service that would fight it for the network.
 *  - 'direct': the app already has the privileges (uid 0, or CAP_NET_ADMIN + CAP_NET_RAW in its
 *    effective set): run `process.execPath <SERVICE_NODE_FLAGS> dist/service.mjs` as a child
 *    (with ELECTRON_RUN_AS_NODE=1 when execPath is the Electron binary).
 *  - 'pkexec': otherwise `pkexec <launcher>`; the launcher is the small root-owned script the
 *    package installs (packaging/linux/pptp-manager-service) and the polkit action
 *    org.pptpmanager.service (packaging/linux/org.pptpmanager.policy) names it. pkexec clears
 *    the environment, and the launcher takes no arguments that could change what runs as root.
 *  - 'custom': an explicit command (tests: `node --import tsx main/service/main.ts` or a fake).
 * The password never goes on the command line or into the environment: only the RPC pipe.
 * Pure decisions; spawning and connecting are the supervisor's job.
 */

/** A service the app starts as its child, with the RPC on the child's stdio. */
export interface SpawnServiceCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Extra environment for the child (merged over process.env by the supervisor). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** What the log and errors call this mode. */
  readonly mode: 'direct' | 'pkexec' | 'custom';
}

/** A daemon already running as root, reached on its Unix socket. */
export interface SocketServiceCommand {
  readonly mode: 'socket';
  readonly socketPath: string;
}

export type ServiceCommand = SpawnServiceCommand | SocketServiceCommand;

/**
 * The daemon's socket on macOS: /var/run is root-owned and cleared at boot (hier(7)); the
 * directory is the daemon's own (root 0755), the socket root:admin 0660 (packaging/mac plist).
 */
export const DARWIN_SERVICE_SOCKET = '/var/run/pptp-manager/service.sock';
/** Where a Linux daemon (a systemd unit, not shipped yet) would listen: /run per the FHS. */
export const LINUX_SERVICE_SOCKET = '/run/pptp-manager/service.sock';

// The privilege facts and checks are the service's (main/service/privileges.ts): pptpctl and
// the service ask the same question the app does before it chooses how to launch.
export {
  CAP_NET_ADMIN,
  CAP_NET_RAW,
  currentPrivilegeFacts,
  hasNetworkCaps,
  isPrivileged,
  parseEffectiveCaps,
  type PrivilegeFacts,
} from '../../service/privileges';
import { isPrivileged, type PrivilegeFacts } from '../../service/privileges';
import { SERVICE_NODE_FLAGS } from '../../service/node-flags';
import type { PrivilegeMode } from '../../../preload/contract';

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

/**
 * `daemonSocketExists`: whether a socket file is at LINUX_SERVICE_SOCKET (the caller stats it).
 * macOS always uses the daemon: if it is not installed, connecting says so.
 */
export function chooseServiceCommand(facts: PrivilegeFacts, paths: LaunchPaths, daemonSocketExists = false): ServiceCommand {
  if (facts.platform === 'darwin') return { mode: 'socket', socketPath: DARWIN_SERVICE_SOCKET };
  if (facts.platform === 'linux' && daemonSocketExists) return { mode: 'socket', socketPath: LINUX_SERVICE_SOCKET };
  if (isPrivileged(facts)) {
    return {
      mode: 'direct',
      command: paths.execPath,
      args: [...SERVICE_NODE_FLAGS, paths.serviceScript],
      ...(paths.isElectron ? { env: { ELECTRON_RUN_AS_NODE: '1' } } : {}),
    };
  }
  return { mode: 'pkexec', command: paths.pkexecPath ?? 'pkexec', args: [paths.launcherPath] };
}

/**
 * What the settings screen says about elevation, from the command the app will use: the
 * daemon's socket (macOS always; Linux when a service socket exists), a privileged child, or
 * pkexec. Platforms without either (Windows today) are 'unavailable' unless already privileged.
 */
export function privilegeModeOf(command: ServiceCommand, platform: NodeJS.Platform): PrivilegeMode {
  if (command.mode === 'socket') return 'daemon';
  if (command.mode === 'pkexec') return platform === 'linux' ? 'pkexec' : 'unavailable';
  return 'in-process';
}

/** How a command is shown in the log: never with its environment. */
export function describeCommand(c: ServiceCommand): string {
  if (c.mode === 'socket') return `the helper's socket ${c.socketPath}`;
  return [c.command, ...c.args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
}
