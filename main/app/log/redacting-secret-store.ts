/**
 * A SecretStore wrapper that tells the log's SecretRegistry about every password the app
 * handles: values read from or written to the keychain become "current secret values" and are
 * redacted from every log line, tunnel event and IPC error from then on; deleting a profile's
 * password forgets it. The values are in this process's memory anyway; this only decides what
 * the redactor looks for.
 */
import type { SecretStore } from '../../profiles/keychain/secret-store';
import type { SecretRegistry } from '../../log/redact';

export class RedactingSecretStore implements SecretStore {
  private readonly held = new Map<string, () => void>();

  constructor(
    private readonly inner: SecretStore,
    private readonly registry: SecretRegistry,
  ) {}

  private remember(profileId: string, value: string | null): void {
    this.held.get(profileId)?.();
    this.held.delete(profileId);
    if (value) this.held.set(profileId, this.registry.hold(value));
  }

  async get(profileId: string): Promise<string | null> {
    const value = await this.inner.get(profileId);
    this.remember(profileId, value);
    return value;
  }

  async set(profileId: string, password: string): Promise<void> {
    // Known before the call, so a failing backend that quotes it is redacted too.
    const release = this.registry.hold(password);
    try {
      await this.inner.set(profileId, password);
      this.remember(profileId, password);
    } finally {
      release();
    }
  }

  async delete(profileId: string): Promise<void> {
    await this.inner.delete(profileId);
    this.remember(profileId, null);
  }
}
