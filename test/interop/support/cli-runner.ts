/**
 * Running the real `pptpctl` inside a test namespace, for the interop tests and `npm run demo`.
 *
 * Owns: finding pptpctl (the built bundle dist/pptpctl.mjs when it is newer than every source
 * file under main/ and preload/, else `node --import tsx main/cli.ts`), a private state and
 * runtime directory per run (PPTP_STATE_DIR / PPTP_RUNTIME_DIR, so tests never see the machine's
 * own journal or socket), a long-running `connect` whose JSON lines are parsed and validated as
 * they arrive, one-shot commands (disconnect, status, recover, doctor), and snapshots of the
 * namespace's network state (routes, links, resolv.conf as seen from inside).
 * Must not: run anything outside the namespace it is given, or touch the host's routes or DNS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, type Dirent } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tunnelEventSchema, type TunnelEvent } from '../../../preload/schema/tunnel';
import { runCommand, runInNetns, type NetnsRunResult } from './netns';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root (cwd for `--import tsx`). */
export const REPO_ROOT = path.resolve(here, '../../..');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'pptpctl.mjs');
const CLI_SOURCE = path.join(REPO_ROOT, 'main', 'cli.ts');

/** Newest mtime (ms) of any file under `dir` (0 when missing). */
function newestMtime(dir: string): number {
  let newest = 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export interface PptpctlCommand {
  /** Arguments after `node`: the bundle, or `--import tsx <repo>/main/cli.ts`. */
  readonly nodeArgs: readonly string[];
  readonly kind: 'bundle' | 'tsx';
}

/**
 * How to start pptpctl: the built bundle when it exists and is at least as new as the sources
 * (a stale bundle would test old code), else the TypeScript entry through tsx.
 * PPTPCTL_RUNNER=bundle|tsx forces one.
 */
export function pptpctlCommand(): PptpctlCommand {
  const forced = process.env.PPTPCTL_RUNNER;
  let bundleFresh = false;
  try {
    const built = statSync(BUNDLE).mtimeMs;
    bundleFresh = built >= Math.max(newestMtime(path.join(REPO_ROOT, 'main')), newestMtime(path.join(REPO_ROOT, 'preload')));
  } catch {
    bundleFresh = false;
  }
  if (forced === 'bundle' || (forced !== 'tsx' && bundleFresh)) return { nodeArgs: [BUNDLE], kind: 'bundle' };
  return { nodeArgs: ['--import', 'tsx', CLI_SOURCE], kind: 'tsx' };
}

/** True once main/cli.ts (or a bundle) exists. */
export function pptpctlAvailable(): boolean {
  try {
    statSync(CLI_SOURCE);
    return true;
  } catch {
    try {
      statSync(BUNDLE);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * pptpctlAvailable(), for a test file's skip condition: warns and returns false when pptpctl is
 * missing, but throws when PPTP_REQUIRE_SYSTEM_TESTS=1 (CI must not pass by skipping).
 */
export function requirePptpctl(what: string): boolean {
  if (pptpctlAvailable()) return true;
  const why = `${what}: main/cli.ts (pptpctl) does not exist`;
  if (process.env.PPTP_REQUIRE_SYSTEM_TESTS === '1') throw new Error(`${why} and PPTP_REQUIRE_SYSTEM_TESTS=1`);
  console.warn(`${why}; skipped`);
  return false;
}

/** A private PPTP_STATE_DIR + PPTP_RUNTIME_DIR for one test (or one demo run). */
export interface CliDirs {
  readonly stateDir: string;
  readonly runtimeDir: string;
  /** process.env plus the two directories. */
  readonly env: NodeJS.ProcessEnv;
  /** Removes both directories. */
  cleanup(): void;
}

export function makeCliDirs(tag = 'pptpctl'): CliDirs {
  const root = mkdtempSync(path.join(os.tmpdir(), `${tag}-`));
  const stateDir = path.join(root, 'state');
  const runtimeDir = path.join(root, 'run');
  return {
    stateDir,
    runtimeDir,
    env: { ...process.env, PPTP_STATE_DIR: stateDir, PPTP_RUNTIME_DIR: runtimeDir },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Every line of `stdout` that parses as a JSON object (anything else is kept in `other`). */
export function parseJsonLines(stdout: string): { objects: Record<string, unknown>[]; other: string[] } {
  const objects: Record<string, unknown>[] = [];
  const other: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) objects.push(v as Record<string, unknown>);
      else other.push(line);
    } catch {
      other.push(line);
    }
  }
  return { objects, other };
}

export interface PptpctlResult extends NetnsRunResult {
  /** stdout lines that are JSON objects. */
  readonly json: Record<string, unknown>[];
  /** stdout lines that are not JSON (must be empty with --json). */
  readonly nonJson: string[];
}

/** Runs `pptpctl <args>` to completion inside `ns` (disconnect, status, recover, doctor, a failing connect). */
export async function runPptpctl(
  ns: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<PptpctlResult> {
  const r = await runInNetns(ns, process.execPath, [...pptpctlCommand().nodeArgs, ...args], {
    env: opts.env,
    cwd: REPO_ROOT,
    input: opts.input ?? '',
    timeoutMs: opts.timeoutMs ?? 60_000,
  });
  const { objects, other } = parseJsonLines(r.stdout);
  return { ...r, json: objects, nonJson: other };
}

/** A `pptpctl connect` running in the background. */
export interface ConnectRun {
  readonly child: ChildProcess;
  /** Raw stdout lines so far. */
  readonly lines: string[];
  /** Lines that parsed as JSON objects (in order). */
  readonly json: Record<string, unknown>[];
  /** JSON lines that did not match the tunnel event schema (must stay empty). */
  readonly invalid: { line: string; error: string }[];
  /** Lines that were not JSON at all (must stay empty with --json). */
  readonly nonJson: string[];
  /** stderr so far. */
  stderr(): string;
  /** Everything so far, for failure messages. */
  transcript(): string;
  /** Resolves with the first JSON object (already seen or future) matching `pred`. */
  waitForJson(pred: (e: Record<string, unknown>) => boolean, timeoutMs: number, what?: string): Promise<Record<string, unknown>>;
  /** Resolves with the first raw stdout line matching `re`. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<string>;
  /** Resolves with the exit code (null + signal when killed) once the process is gone. */
  waitExit(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: boolean;
  /** Signals the `ip netns exec` wrapper's child (pptpctl itself): see pptpctlPid. */
  signal(sig: NodeJS.Signals): void;
}

/**
 * Starts `pptpctl connect ...args` inside `ns`. `password` is written to stdin as the first
 * line (pass `--password-stdin` in args yourself). `ip netns exec` execs the command, so the
 * child's pid is pptpctl's pid.
 */
export function startConnect(ns: string, args: readonly string[], opts: { env: NodeJS.ProcessEnv; password?: string }): ConnectRun {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, ...pptpctlCommand().nodeArgs, 'connect', ...args], {
    cwd: REPO_ROOT,
    env: opts.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const json: Record<string, unknown>[] = [];
  const invalid: { line: string; error: string }[] = [];
  const nonJson: string[] = [];
  let err = '';
  let partial = '';
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };

  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    partial += chunk;
    let nl: number;
    while ((nl = partial.indexOf('\n')) !== -1) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      lines.push(line);
      if (line.trim() !== '') {
        try {
          const v = JSON.parse(line) as unknown;
          if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
            json.push(v as Record<string, unknown>);
            const checked = tunnelEventSchema.safeParse(v);
            if (!checked.success) invalid.push({ line, error: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
          } else nonJson.push(line);
        } catch {
          nonJson.push(line);
        }
      }
    }
    wake();
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    err += chunk;
  });
  child.on('close', (code, signal) => {
    if (partial !== '') {
      lines.push(partial);
      try {
        json.push(JSON.parse(partial) as Record<string, unknown>);
      } catch {
        nonJson.push(partial);
      }
      partial = '';
    }
    exitInfo = { code, signal };
    wake();
  });
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(opts.password !== undefined ? `${opts.password}\n` : '');

  const transcript = () => `--- pptpctl stdout ---\n${lines.join('\n')}${partial}\n--- pptpctl stderr ---\n${err}`;

  const waitFor = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        const v = check();
        if (v !== undefined) {
          cleanup();
          resolve(v);
          return true;
        }
        if (exitInfo) {
          cleanup();
          reject(new Error(`pptpctl exited (code ${exitInfo.code}, signal ${exitInfo.signal}) before ${what}\n${transcript()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${transcript()}`));
      }, timeoutMs);
      const onWake = () => void attempt();
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(onWake);
      };
      waiters.add(onWake);
      attempt();
    });

  return {
    child,
    lines,
    json,
    invalid,
    nonJson,
    stderr: () => err,
    transcript,
    waitForJson: (pred, timeoutMs, what = 'a matching JSON line') => waitFor(() => json.find(pred), timeoutMs, what),
    waitForLine: (re, timeoutMs) => waitFor(() => lines.find((l) => re.test(l)), timeoutMs, `a line matching ${re}`),
    waitExit: (timeoutMs) =>
      new Promise((resolve, reject) => {
        if (exitInfo) {
          resolve(exitInfo);
          return;
        }
        const timer = setTimeout(() => {
          waiters.delete(onWake);
          reject(new Error(`pptpctl still running after ${timeoutMs} ms\n${transcript()}`));
        }, timeoutMs);
        const onWake = () => {
          if (!exitInfo) return;
          clearTimeout(timer);
          waiters.delete(onWake);
          resolve(exitInfo);
        };
        waiters.add(onWake);
      }),
    get exited() {
      return exitInfo !== undefined;
    },
    signal: (sig) => {
      if (exitInfo || child.pid === undefined) return;
      try {
        process.kill(child.pid, sig);
      } catch {
        // already gone
      }
    },
  };
}

/** Stops a connect run that a failed test left behind (SIGTERM, then SIGKILL). Never throws. */
export async function stopConnect(run: ConnectRun | undefined, graceMs = 10_000): Promise<void> {
  if (!run || run.exited) return;
  run.signal('SIGTERM');
  try {
    await run.waitExit(graceMs);
  } catch {
    run.signal('SIGKILL');
    await run.waitExit(5_000).catch(() => undefined);
  }
}

/** Connected event (as the contract names it). */
export interface ConnectedInfo {
  event: 'connected';
  server: string;
  localIp: string;
  remoteIp: string;
  dns: string[];
  mtu: number;
  auth: string;
  mppe: { bits: number; stateful: boolean } | null;
  tunName?: string;
  elapsedMs: number;
}

export const isEvent =
  (name: TunnelEvent['event']) =>
  (e: Record<string, unknown>): boolean =>
    e.event === name;

// ---------------------------------------------------------------------------------------------
// Network state of a namespace, as seen from inside it.

export interface NetnsNetState {
  /** `ip -j route show table all`, volatile keys dropped, canonical JSON, sorted. */
  readonly routes: string[];
  /** `ip -j address show`: name, mtu, flags, addresses; sorted. */
  readonly links: string[];
  /** /etc/resolv.conf as a process inside the namespace reads it (`ip netns exec` bind-mounts /etc/netns/<ns>/resolv.conf). */
  readonly resolvConf: string;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const VOLATILE_ROUTE_KEYS = new Set(['expires', 'cacheinfo', 'cache']);
const SECTION = '@@pptp-interop-section@@';

/** Raw JSON route rows (`ip -j route show [table all]`) inside `ns`. */
export async function routeRows(ns: string, table: 'main' | 'all' = 'main'): Promise<Record<string, unknown>[]> {
  const r = await runInNetns(ns, 'ip', ['-j', 'route', 'show', ...(table === 'all' ? ['table', 'all'] : [])]);
  if (r.code !== 0) throw new Error(`ip route in ${ns} failed: ${r.stderr}`);
  return JSON.parse(r.stdout || '[]') as Record<string, unknown>[];
}

/** Snapshot of what pptpctl may change inside `ns`: compare two with toEqual ("exactly as before"). */
export async function netnsNetState(ns: string): Promise<NetnsNetState> {
  const r = await runInNetns(ns, 'sh', ['-c', `ip -j route show table all; echo ${SECTION}; ip -j address show; echo ${SECTION}; cat /etc/resolv.conf`]);
  if (r.code !== 0) throw new Error(`network snapshot of ${ns} failed: ${r.stderr}`);
  const [routesOut = '[]', linksOut = '[]', resolv = ''] = r.stdout.split(`${SECTION}\n`);
  return { ...normalise(routesOut, linksOut), resolvConf: resolv };
}

/** The host's own routes and resolv.conf (the demo and tests prove they never change). */
export async function hostNetState(): Promise<NetnsNetState> {
  const routes = await runCommand('ip', ['-j', 'route', 'show', 'table', 'all']);
  const links = await runCommand('ip', ['-j', 'address', 'show']);
  const resolv = await runCommand('cat', ['/etc/resolv.conf']);
  return { ...normalise(routes.stdout || '[]', links.stdout || '[]'), resolvConf: resolv.stdout };
}

function normalise(routesOut: string, linksOut: string): { routes: string[]; links: string[] } {
  const routes = (JSON.parse(routesOut) as Record<string, unknown>[])
    .map((row) => canonical(Object.fromEntries(Object.entries(row).filter(([k]) => !VOLATILE_ROUTE_KEYS.has(k)))))
    .sort();
  const links = (JSON.parse(linksOut) as Record<string, unknown>[])
    .map((row) =>
      canonical({
        ifname: row.ifname,
        mtu: row.mtu,
        flags: Array.isArray(row.flags) ? [...(row.flags as string[])].sort() : row.flags,
        addresses: Array.isArray(row.addr_info)
          ? (row.addr_info as Record<string, unknown>[]).map((a) => ({ family: a.family, local: a.local, address: a.address, prefixlen: a.prefixlen }))
          : [],
      }),
    )
    .sort();
  return { routes, links };
}

/** Nameserver lines of a resolv.conf text. */
export function nameservers(resolvConf: string): string[] {
  return resolvConf
    .split('\n')
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
}

/** Milliseconds since `t0` (performance.now()), rounded. */
export function since(t0: number): number {
  return Math.round(performance.now() - t0);
}
