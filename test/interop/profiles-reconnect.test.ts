/**
 * pptpctl's profile commands and auto-reconnect against the real pptpd:
 *  - `profiles import` of a pppd peers file, `list`, `set-password` into a REAL Secret Service
 *    (gnome-keyring in a private D-Bus session), `connect --profile` reading the password from
 *    that keychain, `export` without the password, `remove` deleting the keychain entry;
 *  - `connect --reconnect`: the server's pppd is killed mid-session, pptpctl reports
 *    `reconnecting` with a backoff delay, comes back up, and still disconnects cleanly.
 *
 * The D-Bus session listens on a path socket (abstract unix sockets do not cross network
 * namespaces), so pptpctl inside the VM's namespace reaches the same keyring as the commands run
 * outside it. One VM (default preset) for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { KeytarSecretStore } from '../../main/profiles/keychain/keytar-secret-store';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_PASSWORD, TEST_USER, requireInteropPrereqs, startPptpdVm, type PptpdVm } from './support/pptpd-vm';
import {
  isEvent,
  makeCliDirs,
  netnsNetState,
  requirePptpctl,
  runPptpctl,
  startConnect,
  stopConnect,
  type CliDirs,
  type ConnectRun,
  type NetnsNetState,
} from './support/cli-runner';

const pre = await requireInteropPrereqs();
const cliReady = pre.ok && requirePptpctl('interop profile/reconnect tests');
const keyringTools = ['/usr/bin/dbus-daemon', '/usr/bin/gnome-keyring-daemon'].every((p) => existsSync(p));
if (pre.ok && !keyringTools) {
  const why = 'dbus-daemon or gnome-keyring-daemon missing (apt-get install dbus gnome-keyring libsecret-1-0)';
  if (process.env.PPTP_REQUIRE_SYSTEM_TESTS === '1') throw new Error(why);
  console.warn(`SKIPPED profiles-reconnect.test.ts: ${why}`);
}

interface Keyring {
  readonly env: NodeJS.ProcessEnv;
  stop(): void;
}

/** A private session bus on a path socket with an unlocked gnome-keyring, owned by this test. */
async function startKeyring(): Promise<Keyring> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pptp-keyring-'));
  const address = `unix:path=${dir}/bus`;
  const home = path.join(dir, 'home');
  const runtime = path.join(dir, 'runtime');
  mkdirSync(home, { recursive: true });
  mkdirSync(runtime, { mode: 0o700 });
  const bus: ChildProcess = spawn('dbus-daemon', ['--session', `--address=${address}`, '--nofork', '--nopidfile'], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !existsSync(`${dir}/bus`); i++) await new Promise((r) => setTimeout(r, 100));
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_RUNTIME_DIR: runtime };
  const unlock = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { input: 'test-keyring-pw', env, encoding: 'utf8', timeout: 20_000 });
  if (unlock.status !== 0) throw new Error(`gnome-keyring-daemon --unlock failed: ${unlock.stderr}`);
  return {
    env,
    stop: () => {
      // gnome-keyring-daemon exits when its session bus goes away.
      if (bus.pid !== undefined) bus.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PEERS_FILE = (server: string) => `# /etc/ppp/peers/office (pppd + pptp-linux)
pty "pptp ${server} --nolaunchpppd"
name ${TEST_USER}
remotename PPTP
require-mppe-128
refuse-eap
refuse-pap
refuse-chap
refuse-mschap
noauth
usepeerdns
defaultroute
persist
lcp-echo-interval 30
lcp-echo-failure 4
`;

describe.skipIf(!pre.ok || !cliReady || !keyringTools)('pptpctl profiles and reconnect against pptpd', () => {
  let vm: PptpdVm;
  let dirs: CliDirs;
  let keyring: Keyring;
  let env: NodeJS.ProcessEnv;
  let before: NetnsNetState;
  let run: ConnectRun | undefined;
  let configDir: string;

  beforeAll(async () => {
    vm = await startPptpdVm();
    dirs = makeCliDirs('pptpctl-profiles');
    keyring = await startKeyring();
    configDir = mkdtempSync(path.join(os.tmpdir(), 'pptp-config-'));
    env = { ...dirs.env, ...keyring.env, PPTP_CONFIG_DIR: configDir };
    before = await netnsNetState(vm.netns);
  });

  afterAll(async () => {
    await stopConnect(run);
    keyring?.stop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
    dirs?.cleanup();
    await vm?.stop();
  });

  it('profilesImportListSetPassword_connectByProfileFromKeychain_exportHasNoPassword_removeDeletesSecret', async () => {
    const peers = path.join(configDir, 'office');
    writeFileSync(peers, PEERS_FILE(vm.serverIp));

    const imported = await runPptpctl(vm.netns, ['profiles', 'import', peers, '--json'], { env });
    expect(imported.code, imported.stderr + imported.stdout).toBe(0);
    expect(imported.json[0]).toMatchObject({ ok: true, format: 'pppd-peers', outcomes: [{ status: 'created', name: 'office' }] });

    const listed = await runPptpctl(vm.netns, ['profiles', 'list', '--json'], { env });
    expect(listed.code).toBe(0);
    const profiles = JSON.parse(listed.stdout) as { id: string; name: string; server: string; username: string; mppe: string; auth: string[] }[];
    expect(profiles).toEqual([expect.objectContaining({ name: 'office', server: vm.serverIp, username: TEST_USER, mppe: 'require-128', auth: ['mschapv2'] })]);

    const stored = await runPptpctl(vm.netns, ['profiles', 'set-password', 'office', '--password-stdin'], { env, input: `${TEST_PASSWORD}\n` });
    expect(stored.code, stored.stderr).toBe(0);
    // Read back through the app's own store on the same session bus: it really is in gnome-keyring.
    process.env.DBUS_SESSION_BUS_ADDRESS = keyring.env.DBUS_SESSION_BUS_ADDRESS;
    const keychain = new KeytarSecretStore();
    const id = profiles[0]!.id;
    expect(await keychain.get(id)).toBe(TEST_PASSWORD);
    expect(readFileSync(path.join(configDir, 'profiles.json'), 'utf8')).not.toContain(TEST_PASSWORD);

    // No --password-stdin: the password comes from gnome-keyring.
    run = startConnect(vm.netns, ['--profile', 'office', '--json'], { env });
    const connected = await run.waitForJson(isEvent('connected'), 30_000, 'connected by profile');
    expect(connected).toMatchObject({ auth: 'mschapv2', mppe: { bits: 128, stateful: false }, remoteIp: vm.pppServerIp });
    const down = await runPptpctl(vm.netns, ['disconnect'], { env });
    expect(down.code).toBe(0);
    expect((await run.waitExit(20_000)).code).toBe(0);
    run = undefined;
    expect(await netnsNetState(vm.netns)).toEqual(before);

    const exported = await runPptpctl(vm.netns, ['profiles', 'export', 'office'], { env });
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'pptp-manager-profiles', profiles: [{ name: 'office' }] });
    expect(exported.stdout).not.toContain(TEST_PASSWORD);

    const removed = await runPptpctl(vm.netns, ['profiles', 'remove', 'office', '--yes'], { env }); // no terminal: --yes instead of the question
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).not.toMatch(/could not be deleted/);
    expect(await keychain.get(id)).toBeNull();
    const gone = await runPptpctl(vm.netns, ['connect', '--profile', 'office', '--json'], { env });
    expect(gone.code).toBe(14);
  });

  it('reconnect_serverPppdKilled_reconnectsWithBackoff_thenDisconnectsCleanly', async () => {
    run = startConnect(vm.netns, ['--server', vm.serverIp, '--user', TEST_USER, '--password-stdin', '--json', '--reconnect', '3', '--lcp-echo', '2,3'], {
      env,
      password: TEST_PASSWORD,
    });
    const first = await run.waitForJson(isEvent('connected'), 30_000, 'first connected');
    await vm.waitForLog(/Script \/etc\/ppp\/ip-up finished/, 15_000);

    const k = await vm.exec('kill -9 $(pidof pppd)');
    expect(k.code, k.output).toBe(0);
    const again = await run.waitForJson(isEvent('reconnecting'), 30_000, 'reconnecting');
    expect(again).toMatchObject({ attempt: 1, reason: expect.stringMatching(/^(peer-disconnected|keepalive-timeout)$/) });
    expect(again.delayMs as number).toBeGreaterThanOrEqual(800);
    expect(again.delayMs as number).toBeLessThanOrEqual(1200);
    // The network of the dead tunnel is restored before the next attempt applies its own.
    await run.waitForJson((e) => e.event === 'connected' && e !== first, 40_000, 'connected again');
    expect(run.json.filter(isEvent('connected'))).toHaveLength(2);
    expect(run.json.some((e) => e.event === 'disconnected')).toBe(false);

    const down = await runPptpctl(vm.netns, ['disconnect'], { env });
    expect(down.code).toBe(0);
    expect((await run.waitExit(20_000)).code).toBe(0);
    expect(run.json.at(-1)).toMatchObject({ event: 'disconnected', reason: 'local-disconnect', restored: true });
    expect(run.invalid).toEqual([]);
    run = undefined;
    expect(await netnsNetState(vm.netns)).toEqual(before);
  });
});
