/**
 * KeytarSecretStore against a REAL Secret Service: each run starts a private D-Bus session
 * (dbus-run-session) with its own gnome-keyring, unlocked with a throwaway password, in a
 * temporary HOME, so the user's keyring is never touched and nothing keeps running afterwards.
 * The scenario (keychain-scenario.ts) prints one JSON line that is asserted here.
 *
 * Needs: dbus-run-session (dbus), gnome-keyring-daemon (gnome-keyring), libsecret-1-0.
 * Missing any: the tests skip and say which; with PPTP_REQUIRE_SYSTEM_TESTS=1 they fail instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const scenario = path.join(here, 'keychain-scenario.ts');
const required = process.env.PPTP_REQUIRE_SYSTEM_TESTS === '1';

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (!has('dbus-run-session')) missing.push('dbus-run-session (apt install dbus)');
  if (!has('gnome-keyring-daemon')) missing.push('gnome-keyring-daemon (apt install gnome-keyring)');
  try {
    createRequire(import.meta.url)('@github/keytar');
  } catch (error) {
    missing.push(`a loadable @github/keytar (apt install libsecret-1-0): ${(error as Error).message.split('\n')[0]}`);
  }
  return missing;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function lastJsonLine(r: Run): Record<string, unknown> {
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`scenario printed no JSON (exit ${r.code}).\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

/** Runs the scenario inside a fresh D-Bus session with an unlocked gnome-keyring in a temp HOME. */
async function inPrivateKeyring(mode: string): Promise<Record<string, unknown>> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'pptp-keyring-'));
  const runtime = path.join(home, 'run');
  await fs.mkdir(runtime, { mode: 0o700 });
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_RUNTIME_DIR: runtime,
      NODE_BIN: process.execPath,
      SCENARIO: scenario,
      SCENARIO_MODE: mode,
    };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const script = 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "$NODE_BIN" --import tsx "$SCENARIO" "$SCENARIO_MODE"';
    return lastJsonLine(await run('dbus-run-session', ['--', 'sh', '-c', script], env));
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
}

const missing = missingPrerequisites();

if (missing.length > 0 && required) {
  describe('keychain (PPTP_REQUIRE_SYSTEM_TESTS=1)', () => {
    it('has its prerequisites', () => {
      throw new Error(`The real-keychain test cannot run: missing ${missing.join('; ')}.`);
    });
  });
}

const skipReason = missing.length > 0 ? ` [skipped: missing ${missing.join('; ')}]` : '';
if (skipReason) console.warn(`keychain system tests skipped: missing ${missing.join('; ')}`);

describe.skipIf(missing.length > 0)(`KeytarSecretStore on a real gnome-keyring${skipReason}`, () => {
  it('setGetOverwriteDelete_unicode_twoProfilesIsolated', async () => {
    const r = await inPrivateKeyring('roundtrip');
    expect(r).toEqual({
      missing: null,
      afterSet: 'first-pw',
      afterOverwrite: 'second-pw',
      unicodeRoundTrip: true,
      aStillOwn: 'second-pw',
      accounts: ['a0000000-0000-4000-8000-00000000000a', 'b0000000-0000-4000-8000-00000000000b'],
      afterDelete: null,
      bAfterDeletingA: true,
      accountsAtEnd: [],
    });
  });
});

describe('KeytarSecretStore without a Secret Service', () => {
  it('noSessionBus_keychainUnavailable_notACrash', async () => {
    // A bus address that leads nowhere and no $DISPLAY to autolaunch one: the first call fails
    // with the typed error (or, where keytar itself cannot load, with the same code).
    const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/pptp-test-bus' };
    delete env.DISPLAY;
    const r = lastJsonLine(await run(process.execPath, ['--import', 'tsx', scenario, 'unavailable'], env));
    expect(r.code).toBe('keychain-unavailable');
    expect(String(r.message)).toMatch(/libsecret-1-0/);
  });
});
