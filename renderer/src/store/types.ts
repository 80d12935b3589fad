/**
 * The store's combined state type and the slice-creator signature (lobe-chat style: each slice
 * has initialState, actions that call the service, and plain-function selectors). The slices
 * are flattened into one zustand store, so their field names are distinct.
 */
import type { StateCreator } from 'zustand';
import type { Api } from '../services/bridge';
import type { LogsSlice } from './logs-slice';
import type { ProfilesSlice } from './profiles-slice';
import type { SettingsSlice } from './settings-slice';
import type { TunnelSlice } from './tunnel-slice';
import type { UiSlice } from './ui-slice';

export type AppState = ProfilesSlice & TunnelSlice & SettingsSlice & LogsSlice & UiSlice;

export type SliceCreator<T> = (api: Api) => StateCreator<AppState, [], [], T>;
