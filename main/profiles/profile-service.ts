/**
 * ProfileService: profiles and their passwords together, so the two never drift apart.
 *  - removing a profile deletes its keychain entry;
 *  - "ask for the password every time" means no password is stored: turning it on deletes the
 *    stored one, and storing a password for such a profile is refused;
 *  - passwords go only to the SecretStore (never to the profile file, never into errors).
 * IPC handlers and pptpctl call this, not ProfileStore and SecretStore separately.
 */
import type { Profile, ProfileInput, ProfilePatch } from '../../preload/schema/profile';
import type { ConflictPolicy, ImportOutcome, ProfileRemoval } from '../../preload/schema/profile-store';
import { SecretStoreError, type SecretStore } from './keychain/secret-store';
import { ProfileStoreError } from './store/errors';
import type { ProfileStore } from './store/profile-store';

export class ProfileService {
  constructor(
    readonly store: ProfileStore,
    readonly secrets: SecretStore,
  ) {}

  list(): Promise<Profile[]> {
    return this.store.list();
  }

  get(id: string): Promise<Profile | undefined> {
    return this.store.get(id);
  }

  getByName(name: string): Promise<Profile | undefined> {
    return this.store.getByName(name);
  }

  /** Creates the profile, then stores `password` unless the profile asks every time. */
  async create(input: ProfileInput, password?: string): Promise<Profile> {
    const profile = await this.store.create(input);
    if (password !== undefined && !profile.askPasswordEveryTime) {
      try {
        await this.secrets.set(profile.id, password);
      } catch (error) {
        // Do not leave a profile whose password silently went nowhere.
        await this.store.remove(profile.id).catch(() => undefined);
        throw error;
      }
    }
    return profile;
  }

  /**
   * Updates the settings. `password`: a string stores it, null deletes it, undefined leaves it.
   * A profile that asks every time never keeps a password.
   */
  async update(id: string, patch: ProfilePatch, password?: string | null): Promise<Profile> {
    const before = await this.store.get(id);
    if (!before) throw new ProfileStoreError('not-found', `No profile with id ${id}`);
    const willAsk = patch.askPasswordEveryTime ?? before.askPasswordEveryTime;
    if (typeof password === 'string' && willAsk) {
      throw new SecretStoreError('invalid-argument', 'This profile asks for the password every time, so no password is stored for it.');
    }
    const profile = await this.store.update(id, patch);
    if (profile.askPasswordEveryTime || password === null) {
      await this.secrets.delete(id);
    } else if (typeof password === 'string') {
      await this.secrets.set(id, password);
    }
    return profile;
  }

  /** Removes the profile and then its keychain entry (reported, not thrown, if that fails). */
  async remove(id: string): Promise<ProfileRemoval> {
    const profile = await this.store.remove(id);
    try {
      await this.secrets.delete(id);
      return { profile };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { profile, secretError: { code: e.code ?? 'keychain-failed', message: e.message ?? String(error) } };
    }
  }

  /** The stored password; null when none is stored or the profile asks every time. */
  async getPassword(id: string): Promise<string | null> {
    const profile = await this.store.get(id);
    if (!profile) throw new ProfileStoreError('not-found', `No profile with id ${id}`);
    if (profile.askPasswordEveryTime) return null;
    return this.secrets.get(id);
  }

  async setPassword(id: string, password: string): Promise<void> {
    await this.update(id, {}, password);
  }

  /**
   * Imported profiles carry no passwords. A profile replaced by one that asks every time loses
   * its stored password, as with update().
   */
  async importMany(inputs: readonly ProfileInput[], options: { onConflict: ConflictPolicy }): Promise<ImportOutcome[]> {
    const outcomes = await this.store.importMany(inputs, options);
    for (const o of outcomes) {
      if (o.status === 'replaced' && o.profile.askPasswordEveryTime) {
        await this.secrets.delete(o.profile.id).catch(() => undefined);
      }
    }
    return outcomes;
  }
}
