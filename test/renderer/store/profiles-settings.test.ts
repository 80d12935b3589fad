import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../renderer/src/services/bridge';
import { connectStoreEvents, createAppStore, loadInitialData, type AppStore } from '../../../renderer/src/store/app-store';
import { sortProfiles } from '../../../renderer/src/store/profiles-slice';
import { FakeMain } from '../support/fake-bridge';

let fake: FakeMain;
let store: AppStore;
let off: () => void;

beforeEach(() => {
  fake = new FakeMain();
  setBridge(fake.bridge);
  store = createAppStore();
  off = connectStoreEvents(store);
});
afterEach(() => {
  off();
  setBridge(null);
});

describe('profiles slice', () => {
  it('startsEmpty_loadsAnEmptyList', async () => {
    await loadInitialData(store);
    const s = store.getState();
    expect(s.profiles).toEqual([]);
    expect(s.profilesLoaded).toBe(true);
    expect(s.settingsLoaded).toBe(true);
    expect(s.appInfo?.version).toBe('0.1.0-test');
  });

  it('create_sendsPassword_andReloads', async () => {
    const r = await store.getState().createProfile({ name: 'Office', server: 'vpn.example.com' }, 's3cret');
    expect(r.ok).toBe(true);
    expect(store.getState().profiles.map((p) => p.name)).toEqual(['Office']);
    expect(fake.callsTo('profiles.create')).toEqual([{ profile: { name: 'Office', server: 'vpn.example.com' }, password: 's3cret' }]);
    expect(await store.getState().hasPassword(store.getState().profiles[0]!.id)).toBe(true);
  });

  it('create_nameTaken_returnsTheErrorEnvelope', async () => {
    fake.addProfile({ name: 'Office', server: 'a.example.com' });
    const r = await store.getState().createProfile({ name: 'office', server: 'b.example.com' });
    expect(r).toMatchObject({ ok: false, error: { code: 'name-taken' } });
  });

  it('profilesChanged_event_replacesTheList', () => {
    const p = fake.addProfile({ name: 'Pushed', server: 'p.example.com' });
    fake.emit('profiles.changed', { profiles: [p], readOnly: true, problems: [{ kind: 'newer-version', message: 'newer' }] });
    expect(store.getState().profiles.map((q) => q.id)).toEqual([p.id]);
    expect(store.getState().profilesReadOnly).toBe(true);
  });

  it('removingTheShownProfile_navigatesHome', async () => {
    const p = fake.addProfile({ name: 'Gone', server: 'g.example.com' });
    store.getState().navigate({ view: 'profile', id: p.id });
    await store.getState().removeProfile(p.id);
    expect(store.getState().view).toEqual({ view: 'home' });
  });

  it('sortProfiles_ordersByNameIgnoringCase', () => {
    const names = sortProfiles([fake.addProfile({ name: 'beta', server: 'b.example.com' }), fake.addProfile({ name: 'Alpha', server: 'a.example.com' })]).map((p) => p.name);
    expect(names).toEqual(['Alpha', 'beta']);
  });
});

describe('settings slice', () => {
  it('update_sendsThePatch_andTakesMainsAnswer', async () => {
    const r = await store.getState().updateSettings({ launchAtLogin: true });
    expect(r.ok).toBe(true);
    expect(fake.callsTo('settings.set')).toEqual([{ patch: { launchAtLogin: true } }]);
    expect(store.getState().settings.launchAtLogin).toBe(true);
    expect(fake.settings.launchAtLogin).toBe(true);
  });

  it('update_refused_keepsTheOldValue', async () => {
    fake.failures.set('settings.set', { code: 'io-error', message: 'disk full' });
    await store.getState().updateSettings({ theme: 'dark' });
    expect(store.getState().settings.theme).toBe('system');
    expect(store.getState().settingsError?.message).toBe('disk full');
  });

  it('settingsChanged_event_applies', () => {
    fake.emit('settings.changed', { ...fake.settings, notifications: false });
    expect(store.getState().settings.notifications).toBe(false);
  });
});
