/**
 * What the `profiles` commands need from the outside world, as one object: the profile service
 * (store + keychain), whether a person is at a terminal, and how to ask them things. The real
 * one opens $PPTP_CONFIG_DIR (or ~/.config/pptp-manager) with the OS keychain; unit tests pass
 * a temporary directory and an in-memory keychain. Loaded lazily, so `pptpctl connect --server`
 * never loads the keychain library.
 */
import os from 'node:os';
import type { StoreProblem } from '../../preload/schema/profile-store';
import type { ProfileService } from '../profiles/profile-service';
import { warn } from './output';
import { confirm, passwordFor } from './password';

export interface OpenedProfiles {
  readonly service: ProfileService;
  readonly dir: string;
  readonly problems: readonly StoreProblem[];
}

export interface ProfilesContext {
  open(): Promise<OpenedProfiles>;
  /** A person can be asked (stdin and stderr are terminals). */
  interactive(): boolean;
  confirm(question: string): Promise<boolean>;
  password(flags: { passwordStdin?: boolean }, prompt: string): Promise<string>;
}

/** The user's profiles with the OS keychain ($PPTP_CONFIG_DIR or ~/.config/pptp-manager). */
export async function openProfiles(): Promise<OpenedProfiles> {
  const [{ ProfileStore }, { ProfileService }, { KeytarSecretStore }, { defaultConfigDir }] = await Promise.all([
    import('../profiles/store/profile-store'),
    import('../profiles/profile-service'),
    import('../profiles/keychain/keytar-secret-store'),
    import('../profiles/config-dir'),
  ]);
  const dir = defaultConfigDir(process.env, os.homedir());
  const store = await ProfileStore.open(dir);
  // What the store repaired on opening (a damaged file kept aside, invalid entries set aside)
  // is said on stderr whatever the command; `profiles list` also exits non-zero for it.
  for (const problem of store.problems) warn(problem.message);
  return { service: new ProfileService(store, new KeytarSecretStore()), dir, problems: store.problems };
}

export const realProfilesContext: ProfilesContext = {
  open: openProfiles,
  interactive: () => process.stdin.isTTY === true && process.stderr.isTTY === true,
  confirm: (q) => confirm(q),
  password: (flags, prompt) => passwordFor(flags, prompt),
};
