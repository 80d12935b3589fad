/**
 * Where passwords live: the three-method store interface GitHub Desktop puts in front of keytar,
 * so the app and pptpctl use the OS keychain and tests use MemorySecretStore. One secret per
 * profile, keyed by the profile id (never by the name, which can change).
 *
 * Errors are SecretStoreError with a stable code; a password never appears in a message.
 */
export interface SecretStore {
  /** The stored password, or null when there is none. */
  get(profileId: string): Promise<string | null>;
  /** Stores or overwrites the password. */
  set(profileId: string, password: string): Promise<void>;
  /** Removes the password; no error when there was none. */
  delete(profileId: string): Promise<void>;
}

export type SecretStoreErrorCode =
  /** No keychain on this machine: keytar or libsecret missing, or no Secret Service running. */
  | 'keychain-unavailable'
  /** The keychain answered with an error (locked, refused, ...). */
  | 'keychain-failed'
  /** Empty profile id or password. */
  | 'invalid-argument';

export class SecretStoreError extends Error {
  constructor(
    readonly code: SecretStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SecretStoreError';
  }
}

/** Shared argument checks for every implementation. */
export function checkProfileId(profileId: string): void {
  if (typeof profileId !== 'string' || profileId.length === 0) {
    throw new SecretStoreError('invalid-argument', 'A profile id is required to address a stored password.');
  }
}

export function checkPassword(password: string): void {
  if (typeof password !== 'string' || password.length === 0) {
    throw new SecretStoreError('invalid-argument', 'An empty password cannot be stored; choose "ask every time" instead.');
  }
}
