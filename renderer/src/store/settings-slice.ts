/**
 * Settings slice: the app settings (persisted by main through settings.set) and app.info.
 * Changes are sent at once and the store takes main's answer, so what is shown is what is saved.
 */
import { DEFAULT_SETTINGS, type AppInfo, type IpcError, type Settings, type SettingsPatch } from '../../../preload/contract';
import type { Result } from '../services/bridge';
import type { AppState, SliceCreator } from './types';

export interface SettingsState {
  settings: Settings;
  settingsLoaded: boolean;
  settingsError: IpcError | null;
  appInfo: AppInfo | null;
}

export interface SettingsActions {
  loadSettings(): Promise<void>;
  applySettings(settings: Settings): void;
  updateSettings(patch: SettingsPatch): Promise<Result<Settings>>;
  loadAppInfo(): Promise<void>;
}

export type SettingsSlice = SettingsState & SettingsActions;

export const settingsInitialState: SettingsState = {
  settings: DEFAULT_SETTINGS,
  settingsLoaded: false,
  settingsError: null,
  appInfo: null,
};

export const createSettingsSlice: SliceCreator<SettingsSlice> = (api) => (set) => ({
  ...settingsInitialState,
  async loadSettings() {
    const r = await api.getSettings();
    if (r.ok) set({ settings: r.value, settingsLoaded: true, settingsError: null });
    else set({ settingsError: r.error, settingsLoaded: true });
  },
  applySettings(settings) {
    set({ settings, settingsLoaded: true });
  },
  async updateSettings(patch) {
    const r = await api.setSettings(patch);
    if (r.ok) set({ settings: r.value, settingsError: null });
    else set({ settingsError: r.error });
    return r;
  },
  async loadAppInfo() {
    const r = await api.appInfo();
    if (r.ok) set({ appInfo: r.value });
  },
});

export const settingsSelectors = {
  theme: (s: AppState) => s.settings.theme,
  canSaveFiles: (s: AppState) => s.appInfo?.canSaveFiles ?? false,
};
