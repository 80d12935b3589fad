/**
 * The app store: the slices combined into one zustand store (vanilla, so tests can create one
 * per test with a fake bridge), the wiring of main's push events into it, and the first load.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { api as defaultApi, subscribe as defaultSubscribe, type Api, type Subscribe } from '../services/bridge';
import { createLogsSlice } from './logs-slice';
import { createProfilesSlice } from './profiles-slice';
import { createSettingsSlice } from './settings-slice';
import { createTunnelSlice } from './tunnel-slice';
import type { AppState } from './types';
import { createUiSlice } from './ui-slice';

export type AppStore = StoreApi<AppState>;

export function createAppStore(api: Api = defaultApi): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createProfilesSlice(api)(...a),
    ...createTunnelSlice(api)(...a),
    ...createSettingsSlice(api)(...a),
    ...createLogsSlice(api)(...a),
    ...createUiSlice(api)(...a),
  }));
}

/** Feeds main's events into the store; returns the function that stops it. */
export function connectStoreEvents(store: AppStore, subscribe: Subscribe = defaultSubscribe): () => void {
  const offs = [
    subscribe('tunnel.state', (p) => store.getState().applyTunnelView(p)),
    subscribe('profiles.changed', (p) => store.getState().applyProfileList(p)),
    subscribe('settings.changed', (p) => store.getState().applySettings(p)),
    subscribe('log.line', (p) => store.getState().appendLogLine(p)),
    subscribe('tunnel.testStep', (p) => store.getState().applyTestStep(p)),
  ];
  return () => offs.forEach((off) => off());
}

/** Everything the first screen needs. Each part fails on its own (empty data is fine). */
export async function loadInitialData(store: AppStore): Promise<void> {
  const s = store.getState();
  await Promise.all([s.loadProfiles(), s.loadSettings(), s.loadAppInfo(), s.loadTunnelStatus(), s.loadLogs()]);
}
