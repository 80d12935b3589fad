/**
 * Runs `ip` and `resolvectl` with child_process.execFile: no shell, a fixed binary path, a
 * timeout, LC_ALL=C (stable stderr to classify), and every argument checked by `guardArgs`
 * first. A runner never throws: a missing binary or a timeout is a non-zero exit with stderr.
 *
 * The runner is injected into the configurator, so tests replace it with a scripted one.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isSafeArgument } from './validate';

export type CommandName = 'ip' | 'resolvectl';

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type CommandRunner = (command: CommandName, args: readonly string[]) => Promise<CommandResult>;

/** The only option flags we ever pass; everything else must pass isSafeArgument. */
const ALLOWED_FLAGS = new Set(['-j', '-4', '--no-pager']);

/** null when every argument is acceptable, else the first offending one. */
export function guardArgs(args: readonly unknown[]): string | null {
  for (const arg of args) {
    if (typeof arg !== 'string') return String(arg);
    if (!ALLOWED_FLAGS.has(arg) && !isSafeArgument(arg)) return arg;
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
  return (command, args) => {
    const bad = guardArgs(args);
    if (bad !== null) {
      return Promise.resolve({ exitCode: 2, stdout: '', stderr: `refused unsafe argument ${JSON.stringify(bad)}` });
    }
    let file = options.paths?.[command] ?? resolved.get(command);
    if (file === undefined) {
      file = locate(command);
      resolved.set(command, file);
    }
    return new Promise((resolve) => {
      execFile(
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
    });
  };
}
