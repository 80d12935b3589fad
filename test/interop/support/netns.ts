/**
 * Running things inside a test network namespace (`ip netns exec`), for the interop tests.
 *
 * Owns: process spawning under `ip netns exec`, one-shot TCP exchanges from inside a namespace
 * (through tcp-oneshot.mjs, since Node cannot enter a namespace itself), and creating/deleting
 * the namespace through test/interop/vm/netns.sh.
 * Must not: touch the host's own namespace (routes, DNS, interfaces) or address anything outside
 * 10.77.0.0/24 and 192.168.77.0/24.
 */
import { spawn, execFileSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** test/interop/vm, where the shell scripts live. */
export const VM_SCRIPTS_DIR = path.resolve(here, '../vm');
const TCP_ONESHOT = path.join(here, 'tcp-oneshot.mjs');
const NETNS_SH = path.join(VM_SCRIPTS_DIR, 'netns.sh');

export interface NetnsRunOptions {
  /** Bytes or text written to the child's stdin (then stdin is closed). */
  input?: string | Uint8Array;
  /** Kill the child (SIGKILL) after this long; default 60 s. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface NetnsRunResult {
  /** Exit code, or null when killed by a signal (see `signal`). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  timedOut: boolean;
}

/** Runs `cmd args...` inside namespace `ns` and collects its output. Never rejects on a non-zero exit. */
export function runInNetns(ns: string, cmd: string, args: readonly string[], opts: NetnsRunOptions = {}): Promise<NetnsRunResult> {
  return runCommand('ip', ['netns', 'exec', ns, cmd, ...args], opts);
}

/** Starts `cmd args...` inside namespace `ns` and hands back the child (for long-running clients). */
export function spawnInNetns(ns: string, cmd: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, cmd, ...args], opts);
}

/** Runs a host command (not in a namespace) and collects its output. */
export function runCommand(cmd: string, args: readonly string[], opts: NetnsRunOptions = {}): Promise<NetnsRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
    child.stdin.on('error', () => undefined); // the child may exit without reading its input
    child.stdin.end(opts.input ?? '');
  });
}

export interface TcpExchangeOptions {
  /** Overall deadline for connect + exchange; default 10 s. */
  timeoutMs?: number;
  /** Stop (and close) once this many bytes arrived, instead of waiting for the peer to close. */
  expectBytes?: number;
  /** Keep the sending side open (no half-close) after writing `data`. */
  keepOpen?: boolean;
  /** With expectBytes: keep the connection open this long after the bytes arrived. */
  lingerMs?: number;
}

/**
 * From inside `ns`: connect to host:port, send `data`, half-close, return what came back.
 * Rejects with the helper's stderr when the connection fails or times out.
 */
export async function tcpExchange(
  ns: string,
  host: string,
  port: number,
  data: string | Uint8Array,
  opts: TcpExchangeOptions = {},
): Promise<Buffer> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const args = [TCP_ONESHOT, host, String(port), '--timeout', String(timeoutMs)];
  if (opts.expectBytes !== undefined) args.push('--expect', String(opts.expectBytes));
  if (opts.keepOpen) args.push('--keep-open');
  if (opts.lingerMs !== undefined) args.push('--linger', String(opts.lingerMs));
  const r = await runInNetns(ns, process.execPath, args, { input: data, timeoutMs: timeoutMs + (opts.lingerMs ?? 0) + 5_000 });
  if (r.code !== 0) {
    throw new Error(`tcp ${host}:${port} from netns ${ns} failed (exit ${r.code ?? r.signal}): ${r.stderr.trim()}`);
  }
  return r.stdoutBytes;
}

/** True when a TCP connection to host:port can be opened from inside `ns` within `timeoutMs`. */
export async function tcpConnects(ns: string, host: string, port: number, timeoutMs = 3_000): Promise<boolean> {
  const r = await runInNetns(ns, process.execPath, [TCP_ONESHOT, host, String(port), '--connect-only', '--timeout', String(timeoutMs)], {
    timeoutMs: timeoutMs + 5_000,
  });
  return r.code === 0;
}

/** Names of the network namespaces that exist now. */
export function listNetns(): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.length > 0);
}

/** Creates the test namespace (bridge br0 = 10.77.0.2/24, tap0 for the VM); see vm/netns.sh. */
export async function createTestNetns(name: string): Promise<void> {
  const r = await runCommand(NETNS_SH, ['up', name], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`netns.sh up ${name} failed (exit ${r.code}): ${r.stderr.trim()}`);
}

/** Deletes the test namespace and /etc/netns/<name>; a missing namespace is not an error. */
export async function deleteTestNetns(name: string): Promise<void> {
  const r = await runCommand(NETNS_SH, ['down', name], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`netns.sh down ${name} failed (exit ${r.code}): ${r.stderr.trim()}`);
}

/** Synchronous variant for process-exit cleanup. Best effort, never throws. */
export function deleteTestNetnsSync(name: string): void {
  try {
    execFileSync(NETNS_SH, ['down', name], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    // best effort at exit
  }
}
