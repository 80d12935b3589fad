/**
 * System-test plumbing: prerequisites (root, /dev/net/tun, ip netns, the built addon), one
 * fresh network namespace per test, and scenario scripts run INSIDE it as a child process
 * (`ip netns exec <ns> node --import tsx <script> <json>`), whose last stdout line is JSON.
 * The Vitest process itself stays in the host namespace and never changes host routes or DNS.
 *
 * Each namespace gets /etc/netns/<ns>/resolv.conf first, so `ip netns exec` bind-mounts it over
 * /etc/resolv.conf and resolv.conf changes stay inside; and "eth0" 192.0.2.2/24 (one end of a veth
 * pair whose other end, gw0, stays in the namespace; dummy links are not in this kernel) with a
 * default route via 192.0.2.1 (the "old gateway" the server route must go through).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCENARIOS = join(REPO_ROOT, 'test/system/scenarios');
export const REQUIRED = process.env.PPTP_REQUIRE_SYSTEM_TESTS === '1';
export const NS_RESOLV_CONF = '# netns resolv.conf for a PPTP Manager system test\nnameserver 192.0.2.53\noptions edns0\n';

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(file, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** null when system tests can run here, else why not. */
export async function systemTestBlocker(): Promise<string | null> {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not running as root';
  if (!existsSync('/dev/net/tun')) return 'no /dev/net/tun';
  const ip = await run('ip', ['netns', 'list']);
  if (ip.code !== 0) return `ip netns does not work: ${ip.stderr.trim()}`;
  try {
    const helper = createRequire(import.meta.url)('pptp-native-helper') as { platformSupported: boolean; loadError: unknown };
    if (!helper.platformSupported) return `the native helper is not built: ${String(helper.loadError)}`;
  } catch (error) {
    return `the native helper cannot be loaded: ${(error as Error).message}`;
  }
  return null;
}

/** Logs the skip reason, or throws when PPTP_REQUIRE_SYSTEM_TESTS=1 demands these tests run. */
export function reportBlocker(suite: string, blocker: string | null): void {
  if (blocker === null) return;
  if (REQUIRED) throw new Error(`${suite}: system tests are required (PPTP_REQUIRE_SYSTEM_TESTS=1) but cannot run: ${blocker}`);
  console.warn(`[system] ${suite} skipped: ${blocker}`);
}

export interface HostState {
  readonly routes: string;
  readonly resolvConf: string;
}

/** The host's routes and resolv.conf, to prove a test left them alone. */
export async function hostState(): Promise<HostState> {
  const routes = await run('ip', ['-j', 'route', 'show', 'table', 'all']);
  const resolvConf = await readFile('/etc/resolv.conf', 'utf8').catch(() => '<missing>');
  return { routes: routes.stdout, resolvConf };
}

export interface ScenarioResult<T> {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: T;
  readonly stderr: string;
}

export class TestNamespace {
  readonly name: string;
  readonly stateDir: string;

  private constructor(name: string, stateDir: string) {
    this.name = name;
    this.stateDir = stateDir;
  }

  static async create(): Promise<TestNamespace> {
    const name = `pptpt-${randomBytes(4).toString('hex')}`;
    await mkdir(`/etc/netns/${name}`, { recursive: true });
    await writeFile(`/etc/netns/${name}/resolv.conf`, NS_RESOLV_CONF);
    const ns = new TestNamespace(name, join('/tmp', `${name}-state`));
    const steps: string[][] = [
      ['netns', 'add', name],
      // No IPv6 in the namespace: its link-local addresses and routes appear asynchronously
      // (after DAD) and would make "exactly as before" snapshots racy.
      ['netns', 'exec', name, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'],
      ['-n', name, 'link', 'set', 'lo', 'up'],
      ['-n', name, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'gw0'],
      ['-n', name, 'address', 'add', '192.0.2.2/24', 'dev', 'eth0'],
      ['-n', name, 'link', 'set', 'eth0', 'up'],
      ['-n', name, 'link', 'set', 'gw0', 'up'],
      ['-n', name, 'route', 'add', 'default', 'via', '192.0.2.1', 'dev', 'eth0'],
    ];
    for (const args of steps) {
      const result = await run('ip', args);
      if (result.code !== 0) {
        await ns.delete();
        throw new Error(`ip ${args.join(' ')}: ${result.stderr}`);
      }
    }
    return ns;
  }

  /** `ip -n <ns> ...` from the host side (setup only). */
  async ip(...args: string[]): Promise<string> {
    const result = await run('ip', ['-n', this.name, ...args]);
    if (result.code !== 0) throw new Error(`ip -n ${this.name} ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  /** Starts a scenario script inside the namespace. */
  spawnScenario(script: string, args: unknown): ChildProcess {
    return spawn(
      'ip',
      ['netns', 'exec', this.name, process.execPath, '--import', 'tsx', join(SCENARIOS, script), JSON.stringify(args)],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }

  /** Runs a scenario to its end; its last stdout line is the JSON result. */
  runScenario<T>(script: string, args: unknown): Promise<ScenarioResult<T>> {
    const child = this.spawnScenario(script, args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    return new Promise((done, fail) => {
      child.on('error', fail);
      child.on('close', (code, signal) => {
        const last = stdout.trim().split('\n').pop() ?? '';
        try {
          done({ code, signal, output: JSON.parse(last) as T, stderr });
        } catch {
          fail(new Error(`${script} printed no JSON (exit ${code}): ${stdout}\n${stderr}`));
        }
      });
    });
  }

  async delete(): Promise<void> {
    await run('ip', ['netns', 'delete', this.name]);
    await rm(`/etc/netns/${this.name}`, { recursive: true, force: true });
    await rm(this.stateDir, { recursive: true, force: true });
  }
}

/** Waits for a JSON line from a running child that matches `predicate`. */
export function waitForLine<T>(child: ChildProcess, predicate: (line: T) => boolean, timeoutMs = 30_000): Promise<T> {
  return new Promise((done, fail) => {
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => fail(new Error(`timed out waiting for a line; stderr: ${stderr}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          const parsed = JSON.parse(line) as T;
          if (predicate(parsed)) {
            clearTimeout(timer);
            done(parsed);
            return;
          }
        } catch {
          // not JSON: ignore
        }
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      fail(new Error(`the child exited (${code}) before the expected line; stderr: ${stderr}`));
    });
  });
}
