import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreProblem } from '../../../../preload/schema/profile-store';
import { ProfileStoreError } from '../../../../main/profiles/store/errors';
import { ProfileStore } from '../../../../main/profiles/store/profile-store';
import { decodeStoreText, STORE_FORMAT, type MigrationTable } from '../../../../main/profiles/store/file-format';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'helpers', 'store-child.ts');
const server = 'vpn.example.com';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pptp-store-'));
  file = path.join(dir, 'profiles.json');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function runChild(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function storeError(promise: Promise<unknown>): Promise<ProfileStoreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileStoreError);
    return error as ProfileStoreError;
  }
  throw new Error('expected a ProfileStoreError');
}

const validDoc = (profiles: unknown[], version = 1) => JSON.stringify({ format: STORE_FORMAT, version, profiles });
const stored = (name: string, id: string) => ({
  name,
  server,
  username: '',
  auth: ['mschapv2'],
  mppe: 'require-128',
  allowStateful: false,
  routes: { mode: 'full' },
  usePeerDns: true,
  keepalive: { lcpEchoIntervalS: 30, lcpEchoFailures: 4 },
  reconnect: { enabled: true, maxAttempts: 5 },
  askPasswordEveryTime: false,
  id,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
});
const ID1 = '11111111-1111-4111-8111-111111111111';
const ID2 = '22222222-2222-4222-8222-222222222222';

describe('ProfileStore basics', () => {
  it('emptyDir_listsNothing_andWritesNothing', async () => {
    const store = await ProfileStore.open(dir);
    expect(await store.list()).toEqual([]);
    await expect(fs.access(file)).rejects.toThrow();
    expect(store.problems).toEqual([]);
  });

  it('create_persistsAcrossReopen_withIdAndTimestamps', async () => {
    const now = new Date('2024-05-01T12:00:00.000Z');
    const store = await ProfileStore.open(dir, { now: () => now });
    const p = await store.create({ name: 'Office', server, username: 'alice' });
    expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.createdAt).toBe('2024-05-01T12:00:00.000Z');
    const again = await ProfileStore.open(dir);
    expect(await again.list()).toEqual([p]);
    expect(await again.get(p.id)).toEqual(p);
    expect(await again.getByName('OFFICE')).toEqual(p);
    const doc = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(doc.format).toBe('pptp-manager-store');
    expect(doc.version).toBe(1);
  });

  it('create_invalid_reportsFieldIssues', async () => {
    const store = await ProfileStore.open(dir);
    const e = await storeError(store.create({ name: 'X', server: '999.1.1.1' }));
    expect(e.code).toBe('invalid-profile');
    expect(e.issues?.map((i) => i.path)).toEqual(['server']);
  });

  it('create_sameNameOtherCase_refused', async () => {
    const store = await ProfileStore.open(dir);
    await store.create({ name: 'Office', server });
    expect((await storeError(store.create({ name: 'office', server }))).code).toBe('name-taken');
  });

  it('update_mergesPatch_keepsIdAndCreatedAt', async () => {
    let t = 0;
    const store = await ProfileStore.open(dir, { now: () => new Date(Date.UTC(2024, 0, 1, 0, 0, t++)) });
    const p = await store.create({ name: 'Office', server, domain: 'CORP', mtu: 1400 });
    const u = await store.update(p.id, { mppe: 'optional', domain: undefined });
    expect(u.id).toBe(p.id);
    expect(u.createdAt).toBe(p.createdAt);
    expect(u.updatedAt > p.updatedAt).toBe(true);
    expect(u.mppe).toBe('optional');
    expect(u.domain).toBeUndefined();
    expect(u.mtu).toBe(1400);
  });

  it('update_nestedSettings_mergeFieldByField', async () => {
    const store = await ProfileStore.open(dir);
    const p = await store.create({ name: 'A', server, keepalive: { lcpEchoIntervalS: 10, lcpEchoFailures: 9 }, reconnect: { enabled: false, maxAttempts: 7 } });
    const u = await store.update(p.id, { keepalive: { lcpEchoIntervalS: 20 }, reconnect: { enabled: true } });
    expect(u.keepalive).toEqual({ lcpEchoIntervalS: 20, lcpEchoFailures: 9 });
    expect(u.reconnect).toEqual({ enabled: true, maxAttempts: 7 });
  });

  it('update_toTakenName_orMissingId_refused', async () => {
    const store = await ProfileStore.open(dir);
    const a = await store.create({ name: 'A', server });
    await store.create({ name: 'B', server });
    expect((await storeError(store.update(a.id, { name: 'b' }))).code).toBe('name-taken');
    expect((await storeError(store.update(ID1, { name: 'C' }))).code).toBe('not-found');
    expect((await store.update(a.id, { name: 'a' })).name).toBe('a'); // its own name in another case
  });

  it('remove_deletes_andMissingIdFails', async () => {
    const store = await ProfileStore.open(dir);
    const a = await store.create({ name: 'A', server });
    expect((await store.remove(a.id)).id).toBe(a.id);
    expect(await store.list()).toEqual([]);
    expect((await storeError(store.remove(a.id))).code).toBe('not-found');
  });

  it('write_keepsPreviousFileAsBak', async () => {
    const store = await ProfileStore.open(dir);
    await store.create({ name: 'A', server });
    const first = await fs.readFile(file, 'utf8');
    await store.create({ name: 'B', server });
    expect(await fs.readFile(`${file}.bak`, 'utf8')).toBe(first);
  });

  it('fileNeverHoldsSecrets_evenIfInputCarriesOne', async () => {
    const store = await ProfileStore.open(dir);
    await store.create({ name: 'A', server, password: 'hunter2-secret' } as never);
    const p = (await store.list())[0]!;
    await store.update(p.id, { secret: 'other-secret' } as never);
    const text = await fs.readFile(file, 'utf8');
    expect(text).not.toMatch(/hunter2-secret|other-secret|"password"|"secret"/i);
  });

  it('anotherInstance_seesChanges', async () => {
    const a = await ProfileStore.open(dir);
    const b = await ProfileStore.open(dir);
    await a.create({ name: 'From A', server });
    expect((await b.list()).map((p) => p.name)).toEqual(['From A']);
    await b.create({ name: 'From B', server });
    expect((await a.list()).map((p) => p.name)).toEqual(['From A', 'From B']);
  });
});

describe('ProfileStore damaged files', () => {
  it('corruptFile_movedAside_reported_listEmpty', async () => {
    await fs.writeFile(file, '{"format": "pptp-manager-store", "version": 1, "profiles": [ {"na');
    const seen: StoreProblem[] = [];
    const store = await ProfileStore.open(dir, { now: () => new Date('2024-06-01T08:09:10.123Z') });
    store.onProblem((p) => seen.push(p));
    expect(await store.list()).toEqual([]);
    const [problem] = store.problems;
    expect(problem?.kind).toBe('corrupt-file');
    if (problem?.kind !== 'corrupt-file') throw new Error('unreachable');
    expect(path.basename(problem.movedTo)).toBe('profiles.corrupt-2024-06-01T08-09-10-123Z.json');
    expect(await fs.readFile(problem.movedTo, 'utf8')).toContain('"na');
    expect(problem.recoveredFromBackup).toBe(false);
    expect(problem.message).toMatch(/damaged/);
    expect(seen).toEqual([]); // reported before subscription: available through `problems`
  });

  it('corruptFile_withGoodBackup_restoresFromBackup', async () => {
    const store = await ProfileStore.open(dir);
    await store.create({ name: 'A', server });
    await store.create({ name: 'B', server }); // .bak now holds [A]
    await fs.writeFile(file, Buffer.from([0xff, 0x00, 0x13, 0x37]));
    const seen: StoreProblem[] = [];
    store.onProblem((p) => seen.push(p));
    expect((await store.list()).map((p) => p.name)).toEqual(['A']);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ kind: 'corrupt-file', recoveredFromBackup: true, recoveredCount: 1 });
    const again = await ProfileStore.open(dir);
    expect((await again.list()).map((p) => p.name)).toEqual(['A']);
    expect(again.problems).toEqual([]);
  });

  it('wrongEnvelope_isCorrupt', async () => {
    await fs.writeFile(file, JSON.stringify([{ name: 'x' }]));
    const store = await ProfileStore.open(dir);
    expect(store.problems[0]).toMatchObject({ kind: 'corrupt-file' });
  });

  it('oneInvalidEntry_setAside_othersKept_originalCopied', async () => {
    const original = validDoc([stored('Good', ID1), { ...stored('Bad', ID2), server: 'not a host' }]);
    await fs.writeFile(file, original);
    const store = await ProfileStore.open(dir);
    expect((await store.list()).map((p) => p.name)).toEqual(['Good']);
    const problem = store.problems[0];
    expect(problem?.kind).toBe('invalid-profiles');
    if (problem?.kind !== 'invalid-profiles') throw new Error('unreachable');
    expect(problem.dropped).toEqual([{ index: 1, name: 'Bad', issues: [expect.objectContaining({ path: 'server' })] }]);
    expect(await fs.readFile(problem.copiedTo, 'utf8')).toBe(original);
    expect(problem.message).toContain('"Bad"');
  });

  it('duplicateIdsOrNames_laterOnesSetAside', async () => {
    await fs.writeFile(file, validDoc([stored('A', ID1), stored('a', ID2), stored('C', ID1)]));
    const store = await ProfileStore.open(dir);
    expect((await store.list()).map((p) => p.name)).toEqual(['A']);
    expect(store.problems[0]).toMatchObject({ kind: 'invalid-profiles', dropped: [{ index: 1 }, { index: 2 }] });
  });

  it('newerVersion_readOnly_fileUntouched', async () => {
    const text = JSON.stringify({ format: STORE_FORMAT, version: 7, profiles: [stored('A', ID1)], futureField: { x: 1 } });
    await fs.writeFile(file, text);
    const store = await ProfileStore.open(dir);
    expect(store.readOnly).toBe(true);
    expect(store.problems).toEqual([expect.objectContaining({ kind: 'newer-version', version: 7 })]);
    expect((await store.list()).map((p) => p.name)).toEqual(['A']);
    const e = await storeError(store.create({ name: 'B', server }));
    expect(e.code).toBe('read-only');
    expect(e.message).toMatch(/newer version/);
    expect((await storeError(store.remove(ID1))).code).toBe('read-only');
    expect(await fs.readFile(file, 'utf8')).toBe(text);
    expect(store.problems).toHaveLength(1); // reported once
  });
});

describe('store file migrations', () => {
  it('olderVersion_migratedStepByStep', () => {
    const v1 = { format: STORE_FORMAT, version: 1, profiles: [{ ...stored('A', ID1), server: undefined, host: server }] };
    const migrations: MigrationTable = {
      1: (doc) => ({
        ...doc,
        version: 2,
        profiles: doc.profiles.map((p) => {
          const { host, ...rest } = p as { host: string };
          return { ...rest, server: host };
        }),
      }),
    };
    const decoded = decodeStoreText(JSON.stringify(v1), migrations, 2);
    expect(decoded).toMatchObject({ kind: 'ok', fromVersion: 1, invalid: [] });
    if (decoded.kind !== 'ok') throw new Error('unreachable');
    expect(decoded.profiles[0]?.server).toBe(server);
  });

  it('missingMigration_isCorrupt_notGuessed', () => {
    const decoded = decodeStoreText(validDoc([stored('A', ID1)]), {}, 2);
    expect(decoded).toEqual({ kind: 'corrupt', reason: 'no migration from version 1' });
  });

  it('throwingMigration_isCorrupt', () => {
    const decoded = decodeStoreText(validDoc([]), { 1: () => { throw new Error('boom'); } }, 2);
    expect(decoded).toMatchObject({ kind: 'corrupt', reason: expect.stringContaining('boom') });
  });
});

describe('ProfileStore concurrency and crashes', () => {
  it('parallelCreates_inProcess_allKept', async () => {
    const store = await ProfileStore.open(dir);
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.create({ name: `P${i}`, server })));
    expect((await store.list()).map((p) => p.name).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `P${i}`).sort());
  });

  it('parallelCreatesOfSameName_exactlyOneWins', async () => {
    const store = await ProfileStore.open(dir);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.create({ name: 'Same', server })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(7).fill('name-taken'));
  });

  it('twoInstances_interleaved_allKept', async () => {
    const a = await ProfileStore.open(dir);
    const b = await ProfileStore.open(dir);
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).create({ name: `P${i}`, server })));
    expect(await a.list()).toHaveLength(10);
  });

  it('twoProcesses_writingAtOnce_loseNothing', async () => {
    const [x, y] = await Promise.all([runChild([dir, 'create-many', 'X', '15']), runChild([dir, 'create-many', 'Y', '15'])]);
    expect([x.code, y.code, x.stderr, y.stderr]).toEqual([0, 0, '', '']);
    const store = await ProfileStore.open(dir);
    expect(await store.list()).toHaveLength(30);
  }, 60_000);

  it('killedBetweenTempWriteAndRename_oldDataIntact_nextWriterProceeds', async () => {
    const store = await ProfileStore.open(dir);
    await store.create({ name: 'Before', server });
    const before = await fs.readFile(file, 'utf8');
    const run = await runChild([dir, 'crash-create', 'Lost']);
    expect(run.signal).toBe('SIGKILL');
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    const leftovers = await fs.readdir(dir);
    expect(leftovers.some((f) => f.startsWith('profiles.json.tmp-'))).toBe(true); // the torn write
    expect(leftovers).toContain('profiles.json.lock'); // held by the dead process
    const reopened = await ProfileStore.open(dir, { lock: { timeoutMs: 2000 } });
    expect((await reopened.list()).map((p) => p.name)).toEqual(['Before']);
    expect((await fs.readdir(dir)).some((f) => f.includes('.tmp-'))).toBe(false);
    await reopened.create({ name: 'After', server });
    expect((await reopened.list()).map((p) => p.name)).toEqual(['Before', 'After']);
  }, 60_000);

  it('liveForeignLock_timesOut_withCode', async () => {
    await ProfileStore.open(dir); // creates dir
    const lock = path.join(dir, 'profiles.json.lock');
    await fs.writeFile(lock, JSON.stringify({ pid: process.ppid, hostname: os.hostname(), acquiredAt: new Date().toISOString() }));
    const store = await storeError(ProfileStore.open(dir, { lock: { timeoutMs: 150 } }));
    expect(store.code).toBe('lock-timeout');
    expect(await fs.readFile(lock, 'utf8')).toContain(String(process.ppid));
  });

  it('oldLock_isStale_andBroken', async () => {
    const lock = path.join(dir, 'profiles.json.lock');
    await fs.writeFile(lock, JSON.stringify({ pid: process.ppid, hostname: 'elsewhere', acquiredAt: '2020-01-01T00:00:00Z' }));
    const old = new Date(Date.now() - 120_000);
    await fs.utimes(lock, old, old);
    const store = await ProfileStore.open(dir, { lock: { timeoutMs: 500, staleMs: 60_000 } });
    await store.create({ name: 'A', server });
    await expect(fs.access(lock)).rejects.toThrow();
  });
});

describe('ProfileStore.importMany', () => {
  it('rename_givesNumberedNames_alsoWithinBatch', async () => {
    const store = await ProfileStore.open(dir);
    await store.create({ name: 'Office', server });
    const out = await store.importMany(
      [{ name: 'Office', server }, { name: 'office', server }, { name: 'Home', server }],
      { onConflict: 'rename' },
    );
    expect(out.map((o) => o.status)).toEqual(['created', 'created', 'created']);
    expect(out.map((o) => (o.status === 'created' ? [o.profile.name, o.renamedFrom] : []))).toEqual([
      ['Office (2)', 'Office'],
      ['office (3)', 'office'],
      ['Home', undefined],
    ]);
    expect(await store.list()).toHaveLength(4);
  });

  it('rename_longName_staysWithinLimit', async () => {
    const store = await ProfileStore.open(dir);
    const long = 'L'.repeat(64);
    await store.create({ name: long, server });
    const [o] = await store.importMany([{ name: long, server }], { onConflict: 'rename' });
    expect(o?.status === 'created' && o.profile.name).toBe('L'.repeat(60) + ' (2)');
  });

  it('skip_leavesExisting', async () => {
    const store = await ProfileStore.open(dir);
    const existing = await store.create({ name: 'Office', server, username: 'old' });
    const out = await store.importMany([{ name: 'Office', server, username: 'new' }], { onConflict: 'skip' });
    expect(out).toEqual([{ status: 'skipped', name: 'Office', reason: 'A profile named "Office" already exists.' }]);
    expect(await store.list()).toEqual([existing]);
  });

  it('replace_keepsIdAndCreatedAt_takesSettings', async () => {
    const store = await ProfileStore.open(dir);
    const existing = await store.create({ name: 'Office', server, username: 'old' });
    const [o] = await store.importMany([{ name: 'Office', server: '192.0.2.1', username: 'new' }], { onConflict: 'replace' });
    expect(o?.status).toBe('replaced');
    const [p] = await store.list();
    expect(p).toMatchObject({ id: existing.id, createdAt: existing.createdAt, server: '192.0.2.1', username: 'new' });
  });

  it('invalidEntry_failsAlone', async () => {
    const store = await ProfileStore.open(dir);
    const out = await store.importMany([{ name: 'Bad', server: '' }, { name: 'Good', server }], { onConflict: 'rename' });
    expect(out[0]).toMatchObject({ status: 'failed', name: 'Bad', error: { code: 'invalid-profile' } });
    expect(out[1]).toMatchObject({ status: 'created' });
    expect((await store.list()).map((p) => p.name)).toEqual(['Good']);
  });
});

describe('ProfileStore file permissions', () => {
  it.skipIf(process.platform === 'win32')('profilesFile_ownerOnly', async () => {
    const store = await ProfileStore.open(path.join(dir, 'fresh'));
    await store.create({ name: 'A', server });
    expect((await fs.stat(path.join(dir, 'fresh', 'profiles.json'))).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.join(dir, 'fresh'))).mode & 0o777).toBe(0o700);
  });
});
