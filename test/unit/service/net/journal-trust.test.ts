/**
 * The journal is a root process's to-do list: it is believed only from a directory and file
 * nobody else could have written, and only for what this configurator ever changes. Paths,
 * modes and owners are never taken from it.
 */
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, JOURNAL_VERSION, NetworkJournal, untrustedReason } from '../../../../main/service/net/journal';
import { LinuxNetworkConfigurator } from '../../../../main/service/net/linux/linux-configurator';
import { planNetwork } from '../../../../main/service/net/plan';
import { FakeRunner, line } from './fake-runner';

let dir: string;
let stateDir: string;
let resolvConfPath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pptp-trust-'));
  stateDir = join(dir, 'state');
  resolvConfPath = join(dir, 'resolv.conf');
  await writeFile(resolvConfPath, 'nameserver 192.0.2.53\n');
  await chmod(resolvConfPath, 0o640);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const isRoot = process.geteuid?.() === 0;

async function writeJournal(entries: unknown[], tunName = 'pptp0'): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const journal = { version: JOURNAL_VERSION, owner: { pid: 999_999, startTime: null, bootId: null }, tunName, createdAt: 0, entries };
  await writeFile(join(stateDir, JOURNAL_FILE), JSON.stringify(journal), { mode: 0o600 });
}

function configurator(runner: FakeRunner): LinuxNetworkConfigurator {
  return new LinuxNetworkConfigurator({ stateDir, runner: runner.run, resolvConfPath, dnsBackend: 'resolv-conf' });
}

describe('untrustedReason: the state directory and the journal', () => {
  it('trustsAPrivateDirectoryOfOurOwn', async () => {
    await mkdir(stateDir, { mode: 0o700 });
    expect(await untrustedReason(stateDir, join(stateDir, JOURNAL_FILE))).toBeNull();
  });

  it('refusesADirectoryOthersMayWrite', async () => {
    await mkdir(stateDir, { mode: 0o700 });
    await chmod(stateDir, 0o777);
    expect(await untrustedReason(stateDir, null)).toMatch(/writable by group or others \(mode 777\)/);
  });

  it('refusesASymlinkedDirectoryAndASymlinkedJournal', async () => {
    const real = join(dir, 'real');
    await mkdir(real, { mode: 0o700 });
    await symlink(real, stateDir);
    expect(await untrustedReason(stateDir, null)).toMatch(/is a symbolic link/);
    await rm(stateDir);
    await mkdir(stateDir, { mode: 0o700 });
    await writeFile(join(dir, 'elsewhere.json'), '{}');
    await symlink(join(dir, 'elsewhere.json'), join(stateDir, JOURNAL_FILE));
    expect(await untrustedReason(stateDir, join(stateDir, JOURNAL_FILE))).toMatch(/is a symbolic link/);
  });

  it('refusesADirectoryOwnedByAnotherUser', async () => {
    await mkdir(stateDir, { mode: 0o700 });
    expect(await untrustedReason(stateDir, null, 4242)).toMatch(/owned by uid \d+, not by this process \(uid 4242\)/);
  });

  it('refusesAJournalFileOwnedByAnotherUser_asRoot', async (ctx) => {
    if (!isRoot) ctx.skip();
    await writeJournal([]);
    await chown(join(stateDir, JOURNAL_FILE), 65534, 65534);
    expect(await untrustedReason(stateDir, join(stateDir, JOURNAL_FILE))).toMatch(/owned by uid 65534/);
  });

  it('read_reportsAnUntrustedJournalAsCorrupt_andBeginRefusesToWriteThere', async () => {
    await writeJournal([{ kind: 'link-up', dev: 'pptp0' }]);
    await chmod(stateDir, 0o757);
    const journal = new NetworkJournal(stateDir);
    expect(await journal.read()).toEqual({ kind: 'corrupt', reason: expect.stringMatching(/^not trusted: .*writable by group or others/) });
    await expect(journal.begin('pptp0')).rejects.toThrow(/refusing to keep the network journal there/);
  });

  it('recovery_neverActsOnAnUntrustedJournal', async () => {
    await writeJournal([{ kind: 'route', dest: '0.0.0.0/1', via: null, dev: 'pptp0' }]);
    await chmod(join(stateDir, JOURNAL_FILE), 0o666);
    const runner = new FakeRunner();
    const result = await configurator(runner).recoverFromJournal();
    expect(result.ok && result.value.status).toBe('corrupt-journal');
    expect(runner.calls).toEqual([]);
  });
});

describe('recovery only undoes what this configurator could have written', () => {
  it('ignoresRecordsForOtherInterfacesAndRoutes_withANote', async () => {
    await writeJournal([
      { kind: 'link-address', dev: 'eth0', local: '192.0.2.2', peer: '192.0.2.1' },
      { kind: 'route', dest: '192.0.2.0/24', via: null, dev: 'eth0' },
      { kind: 'route', dest: '198.51.100.10/32', via: '192.0.2.1', dev: 'eth0' },
      { kind: 'route', dest: '0.0.0.0/1', via: null, dev: 'pptp0' },
    ]);
    const runner = new FakeRunner();
    const result = await configurator(runner).recoverFromJournal();
    expect(result.ok).toBe(true);
    if (!result.ok || result.value.status !== 'recovered') throw new Error('expected a recovery');
    expect(runner.calls.map(line)).toEqual(['ip route del 0.0.0.0/1 dev pptp0', 'ip route del 198.51.100.10/32 via 192.0.2.1 dev eth0']);
    expect(result.value.notes).toEqual([
      expect.stringMatching(/never writes \(route 192\.0\.2\.0\/24 via eth0\)/),
      expect.stringMatching(/never writes \(link-address on eth0, not the tunnel's pptp0\)/),
    ]);
  });

  it('neverRestoresAFileOtherThanItsResolvConf', async () => {
    const victim = join(dir, 'shadow');
    await writeFile(victim, 'root:secret\n');
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'evil-backup'), 'evil\n');
    await writeJournal([
      {
        kind: 'resolv-conf',
        path: victim,
        mode: 'create',
        target: victim,
        backupFile: null,
        backupSha256: null,
        writtenSha256: '0'.repeat(64),
        symlinkTarget: null,
      },
      {
        kind: 'resolv-conf',
        path: resolvConfPath,
        mode: 'replace-file',
        target: resolvConfPath,
        backupFile: join(dir, 'evil-backup'),
        backupSha256: '1'.repeat(64),
        writtenSha256: '2'.repeat(64),
        symlinkTarget: null,
      },
    ]);
    const result = await configurator(new FakeRunner()).recoverFromJournal();
    expect(result.ok && result.value.status).toBe('recovered');
    expect(await readFile(victim, 'utf8')).toBe('root:secret\n');
    expect(await readFile(resolvConfPath, 'utf8')).toBe('nameserver 192.0.2.53\n');
    if (result.ok && result.value.status === 'recovered') {
      expect(result.value.notes.join('\n')).toMatch(/only changes .*resolv\.conf/);
      expect(result.value.notes.join('\n')).toMatch(/backup file .*evil-backup outside/);
    }
  });

  it('restoresResolvConfWithTheModeOnDisk_notAModeOrOwnerWrittenIntoTheJournal', async () => {
    const runner = new FakeRunner();
    const first = configurator(runner);
    const planned = planNetwork({ serverIp: '198.51.100.10', tunName: 'pptp0', localIp: '10.64.0.2', remoteIp: '10.64.0.1', mtu: 1400, routes: 'none', dns: ['10.64.0.53'] });
    if (!planned.ok) throw new Error(planned.error.message);
    expect((await first.apply(planned.value)).ok).toBe(true);
    expect((await lstat(resolvConfPath)).mode & 0o777).toBe(0o640);
    // An old-format or tampered journal that asks for a setuid mode and another owner.
    const path = join(stateDir, JOURNAL_FILE);
    const journal = JSON.parse(await readFile(path, 'utf8')) as { entries: Record<string, unknown>[] };
    for (const entry of journal.entries) if (entry.kind === 'resolv-conf') Object.assign(entry, { fileMode: 0o6777, uid: 4242, gid: 4242 });
    await writeFile(path, JSON.stringify(journal), { mode: 0o600 });
    const result = await configurator(runner).recoverFromJournal();
    expect(result.ok && result.value.status).toBe('recovered');
    const restored = await lstat(resolvConfPath);
    expect(restored.mode & 0o7777).toBe(0o640);
    expect(restored.uid).toBe(process.geteuid?.());
    expect(await readFile(resolvConfPath, 'utf8')).toBe('nameserver 192.0.2.53\n');
  });
});
