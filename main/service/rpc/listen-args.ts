/**
 * The service's command line (argv only): no arguments runs the RPC on stdin/stdout, as the app's
 * child (pkexec or direct); `--listen <socket path> [--allow-uid N]... [--allow-group NAME]...
 * [--state-dir DIR]` runs it as a daemon on a Unix socket (launchd on macOS, a systemd unit later).
 *
 * A root process must not take its socket path, its access policy or its state directory from
 * the environment (anything that can set a variable for it could widen who may drive it), so
 * daemon mode reads them only from argv, which the root-owned launchd plist fixes. Every value is
 * validated here; a bad one is a ListenArgsError with a stable code and the process exits 2.
 * Pure: no I/O.
 */

export type ListenArgsErrorCode =
  | 'unknown-option' // an argument this service does not know
  | 'missing-value' // an option at the end of argv without its value
  | 'bad-socket-path' // not absolute, too long for sun_path, or with odd characters
  | 'bad-uid' // not a decimal uid in range
  | 'bad-group' // not a portable group name
  | 'bad-state-dir' // not an absolute, plain path
  | 'duplicate-option' // --listen or --state-dir given twice
  | 'policy-without-listen'; // --allow-* or --state-dir without --listen

export class ListenArgsError extends Error {
  constructor(
    readonly code: ListenArgsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ListenArgsError';
  }
}

/** Who may connect besides root (root is always allowed). */
export interface PeerPolicyConfig {
  readonly allowUids: readonly number[];
  readonly allowGroups: readonly string[];
}

export type ServiceArgs =
  | { readonly mode: 'stdio' }
  | { readonly mode: 'socket'; readonly socketPath: string; readonly policy: PeerPolicyConfig; readonly stateDir?: string };

/**
 * sun_path is 104 bytes on macOS (sys/un.h, XNU bsd/sys/un.h) and 108 on Linux (unix(7)); the
 * path and its terminating NUL must fit the smaller one.
 */
export const MAX_SOCKET_PATH_BYTES = 103;
/** uid_t is 32 bits; (uid_t)-1 means "no change" to chown(2) and is never a real user. */
export const MAX_UID = 0xfffffffe;
/** POSIX portable name characters (group names, 3.437); 32 is the Linux and macOS practical limit. */
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
/** Plain absolute paths only: no `..` segments, no control characters, no shell-looking oddities. */
const PLAIN_ABSOLUTE_PATH = /^(\/[A-Za-z0-9_.@+-]+)+\/?$/;

function checkPath(path: string, code: 'bad-socket-path' | 'bad-state-dir', what: string): string {
  if (!PLAIN_ABSOLUTE_PATH.test(path) || path.split('/').some((part) => part === '..' || part === '.')) {
    throw new ListenArgsError(code, `${what} must be an absolute path of letters, digits and _ . @ + - (got ${JSON.stringify(path.slice(0, 120))})`);
  }
  return path;
}

export function parseSocketPath(path: string): string {
  checkPath(path, 'bad-socket-path', '--listen');
  if (path.endsWith('/')) throw new ListenArgsError('bad-socket-path', '--listen must name a socket file, not a directory');
  if (Buffer.byteLength(path, 'utf8') > MAX_SOCKET_PATH_BYTES) {
    throw new ListenArgsError('bad-socket-path', `--listen path is longer than ${MAX_SOCKET_PATH_BYTES} bytes (sun_path)`);
  }
  return path;
}

export function parseUid(text: string): number {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(text) || Number(text) > MAX_UID) {
    throw new ListenArgsError('bad-uid', `--allow-uid takes a decimal user id 0..${MAX_UID} (got ${JSON.stringify(text.slice(0, 40))})`);
  }
  return Number(text);
}

export function parseGroupName(text: string): string {
  if (!GROUP_NAME.test(text)) {
    throw new ListenArgsError('bad-group', `--allow-group takes a group name of letters, digits and _ . - (got ${JSON.stringify(text.slice(0, 40))})`);
  }
  return text;
}

/** Parses the service's argv (process.argv.slice(2)). Throws ListenArgsError. */
export function parseServiceArgs(argv: readonly string[]): ServiceArgs {
  let socketPath: string | undefined;
  let stateDir: string | undefined;
  const allowUids: number[] = [];
  const allowGroups: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const option = argv[i]!;
    const takeValue = (): string => {
      const value = argv[i + 1];
      if (value === undefined) throw new ListenArgsError('missing-value', `${option} needs a value`);
      i++;
      return value;
    };
    switch (option) {
      case '--listen':
        if (socketPath !== undefined) throw new ListenArgsError('duplicate-option', '--listen given twice');
        socketPath = parseSocketPath(takeValue());
        break;
      case '--state-dir':
        if (stateDir !== undefined) throw new ListenArgsError('duplicate-option', '--state-dir given twice');
        stateDir = checkPath(takeValue(), 'bad-state-dir', '--state-dir');
        break;
      case '--allow-uid': {
        const uid = parseUid(takeValue());
        if (!allowUids.includes(uid)) allowUids.push(uid);
        break;
      }
      case '--allow-group': {
        const group = parseGroupName(takeValue());
        if (!allowGroups.includes(group)) allowGroups.push(group);
        break;
      }
      default:
        throw new ListenArgsError('unknown-option', `unknown argument ${JSON.stringify(option.slice(0, 60))}`);
    }
  }
  if (socketPath === undefined) {
    if (allowUids.length > 0 || allowGroups.length > 0 || stateDir !== undefined) {
      throw new ListenArgsError('policy-without-listen', '--allow-uid, --allow-group and --state-dir need --listen <socket path>');
    }
    return { mode: 'stdio' };
  }
  return { mode: 'socket', socketPath, policy: { allowUids, allowGroups }, ...(stateDir !== undefined ? { stateDir } : {}) };
}

export const SERVICE_USAGE =
  'usage: pptp-service                       (RPC on stdin/stdout, started by the app)\n' +
  '       pptp-service --listen <socket path> [--allow-uid N]... [--allow-group NAME]... [--state-dir DIR]\n';
