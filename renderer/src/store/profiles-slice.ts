/**
 * Profiles slice: the stored profiles as main reports them, plus the calls that change them.
 * Main owns the truth: after a change the list is reloaded (and main's profiles.changed event
 * replaces it too), so this slice never guesses at ids, names or timestamps.
 */
import type {
  ConflictPolicy,
  ImportOutcome,
  ImportReport,
  IpcError,
  ProfileList,
  ProfilePatchInput,
  ReqInput,
  TextFile,
} from '../../../preload/contract';
import type { Profile, ProfileInput } from '../../../preload/schema/profile';
import type { Result } from '../services/bridge';
import type { AppState, SliceCreator } from './types';

export interface ProfilesState {
  profiles: Profile[];
  profilesLoaded: boolean;
  profilesReadOnly: boolean;
  storeProblems: ProfileList['problems'];
  profilesError: IpcError | null;
}

export interface ProfilesActions {
  loadProfiles(): Promise<void>;
  applyProfileList(list: ProfileList): void;
  createProfile(input: ProfileInput, password?: string): Promise<Result<Profile>>;
  updateProfile(id: string, patch: ProfilePatchInput, password?: string | null): Promise<Result<Profile>>;
  removeProfile(id: string): Promise<Result<unknown>>;
  duplicateProfile(id: string): Promise<Result<Profile>>;
  /** Whether the keychain holds a password for the profile (null when main cannot tell). */
  hasPassword(id: string): Promise<boolean | null>;
  previewImport(fileName: string, contentBase64: string): Promise<Result<ImportReport>>;
  applyImport(profiles: ImportProfiles, onConflict: ConflictPolicy): Promise<Result<{ outcomes: ImportOutcome[] }>>;
  exportProfiles(ids: string[]): Promise<Result<TextFile>>;
}

export type ProfilesSlice = ProfilesState & ProfilesActions;

export const profilesInitialState: ProfilesState = {
  profiles: [],
  profilesLoaded: false,
  profilesReadOnly: false,
  storeProblems: [],
  profilesError: null,
};

export type ImportProfiles = ReqInput<'profiles.importApply'>['profiles'];

export const createProfilesSlice: SliceCreator<ProfilesSlice> = (api) => (set, get) => {
  /** Reloads after a successful change; passes the change's result through. */
  async function thenReload<T>(result: Result<T>): Promise<Result<T>> {
    if (result.ok) await get().loadProfiles();
    return result;
  }
  return {
    ...profilesInitialState,
    async loadProfiles() {
      const r = await api.listProfiles();
      if (r.ok) get().applyProfileList(r.value);
      else set({ profilesError: r.error, profilesLoaded: true });
    },
    applyProfileList(list) {
      set({
        profiles: list.profiles,
        profilesReadOnly: list.readOnly,
        storeProblems: list.problems,
        profilesLoaded: true,
        profilesError: null,
      });
    },
    async createProfile(input, password) {
      return thenReload(await api.createProfile(input, password));
    },
    async updateProfile(id, patch, password) {
      return thenReload(await api.updateProfile(id, patch, password));
    },
    async removeProfile(id) {
      const r = await thenReload(await api.removeProfile(id));
      if (r.ok) {
        const v = get().view;
        if ((v.view === 'profile' || v.view === 'edit') && v.id === id) get().navigate({ view: 'home' });
      }
      return r;
    },
    async duplicateProfile(id) {
      return thenReload(await api.duplicateProfile(id));
    },
    async hasPassword(id) {
      const r = await api.hasPassword(id);
      return r.ok ? r.value.has : null;
    },
    previewImport: (fileName, contentBase64) => api.previewImport(fileName, contentBase64),
    async applyImport(profiles, onConflict) {
      return thenReload(await api.applyImport(profiles, onConflict));
    },
    exportProfiles: (ids) => api.exportProfiles(ids),
  };
};

export const profilesSelectors = {
  profiles: (s: AppState): Profile[] => s.profiles,
  byId:
    (id: string | null | undefined) =>
    (s: AppState): Profile | undefined =>
      id ? s.profiles.find((p) => p.id === id) : undefined,
};

/** The list order: by name, case-insensitively (main keeps its own order). Use with useShallow/useMemo. */
export function sortProfiles(profiles: readonly Profile[]): Profile[] {
  return [...profiles].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

/**
 * The profiles whose name, server or user name contains every word of `query`
 * (case-insensitive, accents ignored); an empty query keeps them all. Order is kept.
 */
export function filterProfiles(profiles: readonly Profile[], query: string): Profile[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...profiles];
  return profiles.filter((p) => {
    const hay = fold(`${p.name}\n${p.server}\n${p.username}`);
    return words.every((w) => hay.includes(w));
  });
}
