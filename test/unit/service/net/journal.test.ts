import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  JOURNAL_FILE,
  NetworkJournal,
  currentOwner,
  defaultStateDir,
  ownerIsAlive,
  parseJournal,
} from '../../../../main/service/net/journal';
import { LinuxNetworkConfigurator } from '../../../../main/service/net/linux/linux-configurator';
import { FakeRunner } from './fake-runner';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pptp-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('NetworkJournal', () => {
  it('stateDir_envOverridesDefault', () => {
    expect(defaultStateDir({})).toBe('/var/lib/pptp-manager');
    expect(defaultStateDir({ PPTP_STATE_DIR: '/tmp/x' })).toBe('/tmp/x');
    expect(defaultStateDir({ PPTP_STATE_DIR: '' })).toBe('/var/lib/pptp-manager');
    expect(defaultStateDir({}, 'darwin')).toBe('/var/db/pptp-manager');
    expect(defaultStateDir({}, 'linux')).toBe('/var/lib/pptp-manager');
  });

  it('beginAppendDrop_roundTripThroughTheFile_noTempFilesLeft', async () => {
    const journal = new NetworkJournal(join(dir, 'state'));
    expect(await journal.read()).toEqual({ kind: 'none' });
    await journal.begin('pptp0');
    await journal.append({ kind: 'link-up', dev: 'pptp0' });
    await journal.append({ kind: 'route', dest: '0.0.0.0/1', via: null, dev: 'pptp0' });
    await journal.append({ kind: 'route', dest: '128.0.0.0/1', via: null, dev: 'pptp0' });
    await journal.dropLast();
    const fresh = new NetworkJournal(join(dir, 'state'));
    const read = await fresh.read();
    expect(read.kind).toBe('ok');
    if (read.kind !== 'ok') return;
    expect(read.journal.tunName).toBe('pptp0');
    expect(read.journal.owner.pid).toBe(process.pid);
    expect(read.journal.entries).toEqual([
      { kind: 'link-up', dev: 'pptp0' },
      { kind: 'route', dest: '0.0.0.0/1', via: null, dev: 'pptp0' },
    ]);
    expect(await readdir(join(dir, 'state'))).toEqual([JOURNAL_FILE]);
    await fresh.remove();
    expect(await fresh.read()).toEqual({ kind: 'none' });
    await fresh.remove(); // removing twice is fine
  });

  it('corruptText_notJsonOrWrongShape_isReportedNeverThrown', () => {
    expect(parseJournal('{"version":1,').kind).toBe('corrupt');
    expect(parseJournal('null').kind).toBe('corrupt');
    expect(parseJournal('[]').kind).toBe('corrupt');
    expect(parseJournal(JSON.stringify({ version: 2, owner: { pid: 1, startTime: null, bootId: null }, tunName: 'pptp0', createdAt: 0, entries: [] })).kind).toBe(
      'corrupt',
    );
  });

  it('hostileRecord_inAJournal_isCorruptNotExecuted', () => {
    const hostile = {
      version: 1,
      owner: { pid: 1, startTime: null, bootId: null },
      tunName: 'pptp0',
      createdAt: 0,
      entries: [{ kind: 'route', dest: '0.0.0.0/0; reboot', via: null, dev: 'eth0' }],
    };
    const read = parseJournal(JSON.stringify(hostile));
    expect(read.kind).toBe('corrupt');
    if (read.kind === 'corrupt') expect(read.reason).toContain('entries.0.dest');
  });

  it('recoverWithCorruptJournal_keepsItAsideAndReports_withoutRunningAnything', async () => {
    await writeFile(join(dir, JOURNAL_FILE), '{"version":1, "entries": [ garbage');
    const runner = new FakeRunner();
    const configurator = new LinuxNetworkConfigurator({ stateDir: dir, runner: runner.run });
    const result = await configurator.recoverFromJournal();
    expect(result.ok).toBe(true);
    if (!result.ok || result.value.status !== 'corrupt-journal') throw new Error('expected corrupt-journal');
    expect(result.value.keptAt.startsWith(join(dir, `${JOURNAL_FILE}.corrupt-`))).toBe(true);
    expect(await readFile(result.value.keptAt, 'utf8')).toBe('{"version":1, "entries": [ garbage');
    expect(runner.calls).toEqual([]);
    expect(await configurator.recoverFromJournal()).toEqual({ ok: true, value: { status: 'nothing-to-do' } });
  });

  it('applyWhileACorruptJournalExists_refusesAndTellsToRecover', async () => {
    await writeFile(join(dir, JOURNAL_FILE), 'not json');
    const runner = new FakeRunner();
    const configurator = new LinuxNetworkConfigurator({ stateDir: dir, runner: runner.run });
    const result = await configurator.apply({
      input: { serverIp: '198.51.100.10', tunName: 'pptp0', localIp: '10.0.0.2', remoteIp: '10.0.0.1', mtu: 1400, routes: 'none', dns: null },
      steps: [{ kind: 'link-up', dev: 'pptp0' }],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'network-config-failed', step: 'journal' } });
    expect(runner.calls).toEqual([]);
  });

  it('owner_selfOrDeadIsNotAlive_aRunningOtherProcessIs', () => {
    const me = currentOwner();
    expect(me.pid).toBe(process.pid);
    expect(me.startTime).not.toBeNull();
    expect(ownerIsAlive(me)).toBe(false); // our own journal: ours to undo
    // The parent process is running: same boot and its real start time mean alive.
    const parent = { pid: process.ppid, startTime: readStartTime(process.ppid), bootId: me.bootId };
    expect(ownerIsAlive(parent)).toBe(true);
    expect(ownerIsAlive({ ...parent, startTime: '1' })).toBe(false); // a reused pid
    expect(ownerIsAlive({ ...parent, bootId: 'another-boot' })).toBe(false); // before a reboot
  });
});

/** Field 22 of /proc/<pid>/stat, read independently of the code under test. */
function readStartTime(pid: number): string | null {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}
