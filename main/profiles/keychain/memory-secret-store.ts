/**
 * An in-memory SecretStore for tests and for headless runs that must not touch a keychain.
 * Same argument checks as the keychain store. Holds nothing beyond the process lifetime.
 */
import { checkPassword, checkProfileId, type SecretStore } from './secret-store';

export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();

  async get(profileId: string): Promise<string | null> {
    checkProfileId(profileId);
    return this.secrets.get(profileId) ?? null;
  }

  async set(profileId: string, password: string): Promise<void> {
    checkProfileId(profileId);
    checkPassword(password);
    this.secrets.set(profileId, password);
  }

  async delete(profileId: string): Promise<void> {
    checkProfileId(profileId);
    this.secrets.delete(profileId);
  }

  /** Profile ids that currently have a password (for assertions). */
  ids(): string[] {
    return [...this.secrets.keys()];
  }
}
