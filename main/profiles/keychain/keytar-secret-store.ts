/**
 * SecretStore over the OS keychain through @github/keytar (the maintained keytar fork with
 * N-API prebuilds): service "PPTP Manager", account = profile id.
 *
 * keytar is loaded lazily, on the first call, through createRequire: importing this module
 * never loads a native addon, so a machine without libsecret (or a bundle without the addon)
 * starts fine and the first keychain call fails with SecretStoreError 'keychain-unavailable'
 * and a message saying what to install, instead of crashing at import time.
 */
import { createRequire } from 'node:module';
import { checkPassword, checkProfileId, SecretStoreError, type SecretStore } from './secret-store';

export const KEYCHAIN_SERVICE = 'PPTP Manager';

/** The part of keytar's API this store uses. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeytarSecretStoreOptions {
  /** Keychain service name; default "PPTP Manager" (tests use their own). */
  readonly service?: string;
  /** How to load keytar; default: require('@github/keytar') on first use. */
  readonly load?: () => KeytarApi;
}

const INSTALL_HINT =
  'On Linux install libsecret (Debian/Ubuntu: apt install libsecret-1-0) and run a Secret Service such as gnome-keyring or KeePassXC; or tick "Ask for the password every time" in the profile.';

function defaultLoad(): KeytarApi {
  const require = createRequire(import.meta.url);
  return require('@github/keytar') as KeytarApi;
}

/** Errors that mean "there is no usable keychain here" rather than "this call failed". */
function looksUnavailable(message: string): boolean {
  return /dbus|d-bus|org\.freedesktop\.secrets|secret service|no such interface|autolaunch|could not connect|libsecret|cannot open shared object/i.test(message);
}

export class KeytarSecretStore implements SecretStore {
  private readonly service: string;
  private readonly load: () => KeytarApi;
  private api: KeytarApi | undefined;
  private loadError: SecretStoreError | undefined;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.load = options.load ?? defaultLoad;
  }

  async get(profileId: string): Promise<string | null> {
    checkProfileId(profileId);
    const api = this.keytar();
    return this.call('read', () => api.getPassword(this.service, profileId));
  }

  async set(profileId: string, password: string): Promise<void> {
    checkProfileId(profileId);
    checkPassword(password);
    const api = this.keytar();
    await this.call('store', () => api.setPassword(this.service, profileId, password));
  }

  async delete(profileId: string): Promise<void> {
    checkProfileId(profileId);
    const api = this.keytar();
    await this.call('delete', () => api.deletePassword(this.service, profileId));
  }

  private keytar(): KeytarApi {
    if (this.api) return this.api;
    if (this.loadError) throw this.loadError;
    try {
      this.api = this.load();
      return this.api;
    } catch (error) {
      this.loadError = new SecretStoreError(
        'keychain-unavailable',
        `The system keychain cannot be used: the keytar module did not load (${(error as Error).message}). ${INSTALL_HINT}`,
        { cause: error },
      );
      throw this.loadError;
    }
  }

  private async call<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      // keytar's messages name the service and account at most, never the password.
      const message = error instanceof Error ? error.message : String(error);
      if (looksUnavailable(message)) {
        throw new SecretStoreError('keychain-unavailable', `The system keychain is not reachable (${message}). ${INSTALL_HINT}`, { cause: error });
      }
      throw new SecretStoreError('keychain-failed', `The keychain could not ${what} the password: ${message}`, { cause: error });
    }
  }
}
