/** The profile list edits on their own: no file, no lock, a fixed clock and id source. */
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../../preload/schema/profile';
import { ProfileStoreError } from '../../../../main/profiles/store/errors';
import {
  createProfile,
  importProfiles,
  MAX_PROFILES,
  removeProfile,
  settingsOf,
  updateProfile,
  type Stamps,
} from '../../../../main/profiles/store/list-changes';

const server = 'vpn.example.com';

function stamps(): Stamps & { ids: number } {
  const s = {
    ids: 0,
    now: () => new Date('2024-05-01T12:00:00.000Z'),
    newId: () => `id-${++s.ids}`,
  };
  return s;
}

function thrown(fn: () => unknown): ProfileStoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileStoreError);
    return e as ProfileStoreError;
  }
  throw new Error('expected a ProfileStoreError');
}

describe('createProfile', () => {
  it('validates_fillsDefaults_stampsAndAppends', () => {
    const { profiles, result } = createProfile([], { name: 'Office', server }, stamps());
    expect(profiles).toEqual([result]);
    expect(result).toMatchObject({ id: 'id-1', name: 'Office', mppe: 'require-128', createdAt: '2024-05-01T12:00:00.000Z' });
    expect(result.updatedAt).toBe(result.createdAt);
  });

  it('takenName_caseInsensitive_isNameTaken; badInput_isInvalidProfile', () => {
    const s = stamps();
    const { profiles } = createProfile([], { name: 'Office', server }, s);
    expect(thrown(() => createProfile(profiles, { name: 'OFFICE', server }, s)).code).toBe('name-taken');
    const bad = thrown(() => createProfile(profiles, { name: '', server }, s));
    expect(bad.code).toBe('invalid-profile');
    expect(bad.issues?.length).toBeGreaterThan(0);
    expect(s.ids).toBe(1); // nothing stamped for refused input
  });

  it('full_isTooManyProfiles', () => {
    const s = stamps();
    const full = Array.from({ length: MAX_PROFILES }, (_, i) => ({ id: `p${i}`, name: `P${i}` }) as Profile);
    expect(thrown(() => createProfile(full, { name: 'One more', server }, s)).code).toBe('too-many-profiles');
  });
});

describe('updateProfile / removeProfile', () => {
  it('update_mergesKeepalive_clearsOptional_keepsIdAndCreatedAt', () => {
    const s = stamps();
    const { profiles, result: made } = createProfile([], { name: 'Office', server, mtu: 1400, keepalive: { lcpEchoIntervalS: 10 } }, s);
    const later = () => new Date('2024-06-01T00:00:00.000Z');
    const { result } = updateProfile(profiles, made.id, { mtu: undefined, keepalive: { lcpEchoFailures: 9 } }, later);
    expect(result.mtu).toBeUndefined();
    expect(result.keepalive).toEqual({ lcpEchoIntervalS: 10, lcpEchoFailures: 9 });
    expect(result).toMatchObject({ id: made.id, createdAt: made.createdAt, updatedAt: '2024-06-01T00:00:00.000Z' });
    expect(profiles).toEqual([made]); // the input list is not changed
  });

  it('unknownId_isNotFound; remove_returnsTheRemovedProfile', () => {
    const { profiles, result } = createProfile([], { name: 'Office', server }, stamps());
    expect(thrown(() => updateProfile(profiles, 'nope', {}, () => new Date())).code).toBe('not-found');
    expect(thrown(() => removeProfile(profiles, 'nope')).code).toBe('not-found');
    expect(removeProfile(profiles, result.id)).toEqual({ profiles: [], result });
    expect(settingsOf(result)).not.toHaveProperty('id');
  });
});

describe('importProfiles', () => {
  it('conflictPolicies_renameSkipReplace_andInvalidEntriesFailAlone', () => {
    const s = stamps();
    const { profiles } = createProfile([], { name: 'Office', server }, s);
    const inputs = [{ name: 'office', server: 'other.example.com' }, { name: '', server }, { name: 'Home', server }];

    const renamed = importProfiles(profiles, inputs, 'rename', s);
    expect(renamed.result.map((o) => o.status)).toEqual(['created', 'failed', 'created']);
    expect(renamed.result[0]).toMatchObject({ renamedFrom: 'office', profile: { name: 'office (2)' } });
    expect(renamed.profiles).toHaveLength(3);

    const skipped = importProfiles(profiles, inputs, 'skip', s);
    expect(skipped.result.map((o) => o.status)).toEqual(['skipped', 'failed', 'created']);

    const replaced = importProfiles(profiles, inputs, 'replace', s);
    expect(replaced.result[0]).toMatchObject({ status: 'replaced', profile: { id: profiles[0]!.id, server: 'other.example.com' } });
    expect(replaced.profiles).toHaveLength(2);
  });

  it('anEarlierEntryOfTheSameBatch_countsAsTaken', () => {
    const { result } = importProfiles([], [{ name: 'A', server }, { name: 'a', server }], 'rename', stamps());
    expect(result.map((o) => (o.status === 'created' ? o.profile.name : o.status))).toEqual(['A', 'a (2)']);
  });
});
