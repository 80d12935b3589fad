import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileService } from '../../../main/profiles/profile-service';
import { ProfileStore } from '../../../main/profiles/store/profile-store';
import { MemorySecretStore } from '../../../main/profiles/keychain/memory-secret-store';
import { SecretStoreError, type SecretStore } from '../../../main/profiles/keychain/secret-store';

const server = 'vpn.example.com';
let dir: string;
let secrets: MemorySecretStore;
let service: ProfileService;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pptp-service-'));
  secrets = new MemorySecretStore();
  service = new ProfileService(await ProfileStore.open(dir), secrets);
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('ProfileService', () => {
  it('create_withPassword_storesItInKeychainOnly', async () => {
    const p = await service.create({ name: 'A', server }, 'pw-123');
    expect(await service.getPassword(p.id)).toBe('pw-123');
    expect(await fs.readFile(path.join(dir, 'profiles.json'), 'utf8')).not.toContain('pw-123');
  });

  it('create_askEveryTime_storesNoPassword', async () => {
    const p = await service.create({ name: 'A', server, askPasswordEveryTime: true }, 'ignored');
    expect(secrets.ids()).toEqual([]);
    expect(await service.getPassword(p.id)).toBeNull();
  });

  it('create_keychainFails_profileRolledBack', async () => {
    const broken: SecretStore = {
      get: async () => null,
      set: async () => {
        throw new SecretStoreError('keychain-unavailable', 'no keychain');
      },
      delete: async () => undefined,
    };
    const s = new ProfileService(service.store, broken);
    await expect(s.create({ name: 'A', server }, 'pw')).rejects.toMatchObject({ code: 'keychain-unavailable' });
    expect(await s.list()).toEqual([]);
  });

  it('remove_deletesSecret', async () => {
    const p = await service.create({ name: 'A', server }, 'pw');
    const keep = await service.create({ name: 'B', server }, 'pw-b');
    const r = await service.remove(p.id);
    expect(r).toEqual({ profile: p });
    expect(secrets.ids()).toEqual([keep.id]);
  });

  it('remove_secretDeleteFails_profileGone_errorReported', async () => {
    const p = await service.create({ name: 'A', server }, 'pw');
    secrets.delete = async () => {
      throw new SecretStoreError('keychain-unavailable', 'gone');
    };
    const r = await service.remove(p.id);
    expect(r.secretError).toEqual({ code: 'keychain-unavailable', message: 'gone' });
    expect(await service.list()).toEqual([]);
  });

  it('switchToAskEveryTime_deletesStoredPassword', async () => {
    const p = await service.create({ name: 'A', server }, 'pw');
    await service.update(p.id, { askPasswordEveryTime: true });
    expect(secrets.ids()).toEqual([]);
  });

  it('update_passwordForAskEveryTimeProfile_refused', async () => {
    const p = await service.create({ name: 'A', server, askPasswordEveryTime: true });
    await expect(service.update(p.id, {}, 'pw')).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(service.setPassword(p.id, 'pw')).rejects.toMatchObject({ code: 'invalid-argument' });
    expect(secrets.ids()).toEqual([]);
  });

  it('update_passwordSetOrCleared', async () => {
    const p = await service.create({ name: 'A', server });
    await service.setPassword(p.id, 'new');
    expect(await service.getPassword(p.id)).toBe('new');
    await service.update(p.id, { username: 'bob' }, null);
    expect(await service.getPassword(p.id)).toBeNull();
  });

  it('importReplace_withAskEveryTime_dropsOldPassword', async () => {
    const p = await service.create({ name: 'A', server }, 'pw');
    await service.importMany([{ name: 'A', server, askPasswordEveryTime: true }], { onConflict: 'replace' });
    expect(await secrets.get(p.id)).toBeNull();
  });

  it('missingProfile_notFound', async () => {
    await expect(service.getPassword('nope')).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.update('nope', {})).rejects.toMatchObject({ code: 'not-found' });
  });
});
