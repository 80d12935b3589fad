/**
 * Runs `ip` and `resolvectl` (Linux) or `ifconfig`, `route` and `scutil` (macOS) with
 * child_process.execFile: no shell, a fixed binary path, a timeout, LC_ALL=C (stable stderr to
 * classify), and every argument checked by `guardArgs` first. scutil reads its script on stdin;
 * the script is checked by `guardScript` (built only from validated values, see darwin/scutil.ts).
 * A runner never throws: a missing binary or a timeout is a non-zero exit with stderr.
 *
 * The runner is injected into the configurator, so tests replace it with a scripted one.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isSafeArgument } from './validate';

export type CommandName = 'ip' | 'resolvectl' | 'ifconfig' | 'route' | 'scutil';

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `stdin`: text written to the command's standard input (only scutil reads any). */
export type CommandRunner = (command: CommandName, args: readonly string[], stdin?: string) => Promise<CommandResult>;

/** The only option flags we ever pass, per command; everything else must pass isSafeArgument. */
const LINUX_FLAGS: ReadonlySet<string> = new Set(['-j', '-4', '--no-pager']);
const ALLOWED_FLAGS: Readonly<Record<CommandName, ReadonlySet<string>>> = {
  ip: LINUX_FLAGS,
  resolvectl: LINUX_FLAGS,
  ifconfig: new Set(),
  // route(8): -n numeric; -host / -net the destination kind; -interface a gateway that is an interface.
  route: new Set(['-n', '-host', '-net', '-interface']),
  scutil: new Set(),
};

/** null when every argument is acceptable for `command` (default: the Linux tools), else the first offending one. */
export function guardArgs(args: readonly unknown[], command: CommandName = 'ip'): string | null {
  const flags = ALLOWED_FLAGS[command];
  for (const arg of args) {
    if (typeof arg !== 'string') return String(arg);
    if (!flags.has(arg) && !isSafeArgument(arg)) return arg;
  }
  return null;
}

/**
 * The last guard on a scutil script: at most 64 lines of scutil words, keys, addresses and
 * domains separated by single spaces -- no quotes, no backslash, no control characters.
 * null when acceptable, else the first offending line.
 */
export function guardScript(script: unknown): string | null {
  if (typeof script !== 'string' || script.length > 8192) return String(script).slice(0, 40);
  const lines = script.split('\n');
  if (lines.length > 64) return 'too many lines';
  for (const line of lines) {
    if (!/^([A-Za-z0-9_.:/*#?-]+( [A-Za-z0-9_.:/*#?-]+)*)?$/.test(line)) return line;
  }
  return null;
}

const SEARCH_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

function locate(command: CommandName): string {
  for (const dir of SEARCH_DIRS) {
    const candidate = `${dir}/${command}`;
    if (existsSync(candidate)) return candidate;
  }
  return command; // let execFile report ENOENT
}

export interface ExecFileRunnerOptions {
  /** Per-command timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** Absolute paths overriding the search (tests, unusual systems). */
  readonly paths?: Partial<Record<CommandName, string>>;
}

export function createExecFileRunner(options: ExecFileRunnerOptions = {}): CommandRunner {
  const timeout = options.timeoutMs ?? 10_000;
  const resolved = new Map<CommandName, string>();
  return (command, args, stdin) => {
    const bad = guardArgs(args, command);
    if (bad !== null) {
      return Promise.resolve({ exitCode: 2, stdout: '', stderr: `refused unsafe argument ${JSON.stringify(bad)}` });
    }
    const badLine = stdin === undefined ? null : guardScript(stdin);
    if (badLine !== null) {
      return Promise.resolve({ exitCode: 2, stdout: '', stderr: `refused unsafe script line ${JSON.stringify(badLine)}` });
    }
    let file = options.paths?.[command] ?? resolved.get(command);
    if (file === undefined) {
      file = locate(command);
      resolved.set(command, file);
    }
    return new Promise((resolve) => {
      const child = execFile(
        file,
        [...args],
        { shell: false, timeout, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error === null) {
            resolve({ exitCode: 0, stdout, stderr });
            return;
          }
          const code = typeof error.code === 'number' ? error.code : 127;
          const why = error.killed ? `timed out after ${timeout} ms` : error.message;
          resolve({ exitCode: code === 0 ? 1 : code, stdout: stdout ?? '', stderr: (stderr ?? '') || why });
        },
      );
      // A child that exits without reading its input must not crash us with EPIPE.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(stdin ?? '');
    });
  };
}
