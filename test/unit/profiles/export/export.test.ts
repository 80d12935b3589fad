import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildExportDocument, exportFileName, exportProfiles } from '../../../../main/profiles/export/export';
import { importProfilesJson } from '../../../../main/profiles/import/json';
import { ProfileService } from '../../../../main/profiles/profile-service';
import { ProfileStore } from '../../../../main/profiles/store/profile-store';
import { MemorySecretStore } from '../../../../main/profiles/keychain/memory-secret-store';
import { utf8 } from '../import/fixtures';

const PASSWORD = 'Tr0ub4dor&3-export-test';
let dir: string;
let service: ProfileService;
let secrets: MemorySecretStore;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pptp-export-'));
  secrets = new MemorySecretStore();
  service = new ProfileService(await ProfileStore.open(dir), secrets);
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('export', () => {
  it('noPasswordInExport_evenWithStoreAndKeychainHoldingOne', async () => {
    const p = await service.create({ name: 'Office', server: 'vpn.example.com', username: 'alice' }, PASSWORD);
    expect(await secrets.get(p.id)).toBe(PASSWORD);
    // Even an object carrying the password (a careless caller) must not leak it.
    const careless = { ...p, password: PASSWORD, secret: PASSWORD } as typeof p;
    const text = exportProfiles([...(await service.list()), careless]);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toMatch(/"password"|"secret"/);
    expect(text).not.toContain(p.id);
  });

  it('document_versionedFormat_settingsOnly', async () => {
    await service.create({ name: 'A', server: 'a.example.com', mtu: 1400 });
    const doc = buildExportDocument(await service.list(), new Date('2024-07-01T00:00:00.000Z'));
    expect(doc.format).toBe('pptp-manager-profiles');
    expect(doc.version).toBe(1);
    expect(doc.exportedAt).toBe('2024-07-01T00:00:00.000Z');
    expect(Object.keys(doc.profiles[0]!).sort()).toEqual(
      ['allowStateful', 'askPasswordEveryTime', 'auth', 'keepalive', 'mppe', 'mtu', 'name', 'reconnect', 'routes', 'server', 'usePeerDns', 'username'].sort(),
    );
  });

  it('roundTrip_exportThenImport_sameSettings', async () => {
    await service.create({
      name: 'Full',
      server: '192.0.2.9',
      username: 'u',
      domain: 'D',
      auth: ['mschapv2', 'eap'],
      mppe: 'require-any',
      allowStateful: true,
      routes: { mode: 'split', cidrs: ['10.0.0.0/8'] },
      usePeerDns: false,
      mtu: 1300,
      keepalive: { lcpEchoIntervalS: 0, lcpEchoFailures: 9 },
      reconnect: { enabled: false, maxAttempts: 2 },
      askPasswordEveryTime: true,
    });
    await service.create({ name: 'Plain', server: 'vpn.example.com' });
    const exported = await service.list();
    const report = importProfilesJson(utf8(exportProfiles(exported)));
    expect(report.entries.map((e) => e.profile)).toEqual(buildExportDocument(exported).profiles);

    // And into a second store: renamed on conflict, everything else identical.
    const outcomes = await service.importMany(report.entries.flatMap((e) => (e.profile ? [e.profile] : [])), { onConflict: 'rename' });
    expect(outcomes.map((o) => (o.status === 'created' ? o.profile.name : o.status))).toEqual(['Full (2)', 'Plain (2)']);
    expect(await service.list()).toHaveLength(4);
  });

  it('fileName_oneOrMany', () => {
    const now = new Date('2024-07-01T00:00:00.000Z');
    expect(exportFileName([{ name: 'Office / HQ' }], now)).toBe('Office _ HQ.pptp.json');
    expect(exportFileName([{ name: 'a' }, { name: 'b' }], now)).toBe('pptp-profiles-2024-07-01.pptp.json');
  });
});

describe('import into the store never corrupts it', () => {
  it('hostileReportEntries_importMany_storeStillValid', async () => {
    const report = importProfilesJson(
      utf8(
        JSON.stringify({
          format: 'pptp-manager-profiles',
          version: 1,
          profiles: [
            { name: 'Dup', server: 'a.example.com' },
            { name: 'dup', server: 'b.example.com' },
            { name: 'x'.repeat(300), server: 'c.example.com' },
          ],
        }),
      ),
    );
    const importable = report.entries.flatMap((e) => (e.profile ? [e.profile] : []));
    await service.importMany(importable, { onConflict: 'rename' });
    const names = (await service.list()).map((p) => p.name);
    expect(names).toEqual(['Dup', 'dup (2)', 'x'.repeat(64)]);
    const reopened = await ProfileStore.open(dir);
    expect(reopened.problems).toEqual([]);
    expect(await reopened.list()).toHaveLength(3);
  });
});
