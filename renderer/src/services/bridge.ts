/**
 * The renderer's only door to main: a thin typed service over `window.pptp` (PptpBridge from
 * preload/contract.ts). Every call resolves to a Result (the contract's envelope) and never
 * rejects: a missing bridge, a broken transport or a malformed reply become typed errors.
 * Store actions call `api`; components never touch the bridge.
 *
 * Must not: import electron, node:* or main/ (lint forbids it); hold state (the store does).
 */
import {
  BRIDGE_GLOBAL,
  type Envelope,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type IpcError,
  type PptpBridge,
  type ReqInput,
  type Res,
} from '../../../preload/contract';

export type Result<T> = Envelope<T>;

let override: PptpBridge | null = null;

/** Tests (and the browser shim, if it prefers) install a bridge here instead of window.pptp. */
export function setBridge(bridge: PptpBridge | null): void {
  override = bridge;
}

function currentBridge(): PptpBridge | null {
  if (override) return override;
  const candidate = (globalThis as Record<string, unknown>)[BRIDGE_GLOBAL];
  return candidate && typeof candidate === 'object' ? (candidate as PptpBridge) : null;
}

function failure(code: string, message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message } };
}

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return true;
  return v.ok === false && typeof v.error?.code === 'string' && typeof v.error.message === 'string';
}

/** One request to main. Resolves to the envelope; never rejects. */
export async function call<C extends InvokeChannel>(channel: C, request: ReqInput<C>): Promise<Result<Res<C>>> {
  const bridge = currentBridge();
  if (!bridge) return failure('unavailable', 'The app is not connected to its main process.');
  try {
    const reply: unknown = await bridge.invoke(channel, request);
    if (!isEnvelope(reply)) return failure('transport', `Malformed reply on ${channel}`);
    if (reply.ok) return { ok: true, value: ((reply as { value?: unknown }).value ?? null) as Res<C> };
    return reply;
  } catch (error) {
    return failure('transport', error instanceof Error ? error.message : String(error));
  }
}

/** Listens to a push channel; returns the function that stops listening. */
export function subscribe<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void {
  const bridge = currentBridge();
  if (!bridge) return () => undefined;
  try {
    return bridge.on(channel, listener);
  } catch {
    return () => undefined;
  }
}

/** Named calls, one per invoke channel, for the store's actions. */
export const api = {
  appInfo: () => call('app.info', {}),

  listProfiles: () => call('profiles.list', {}),
  getProfile: (id: string) => call('profiles.get', { id }),
  createProfile: (profile: ReqInput<'profiles.create'>['profile'], password?: string) =>
    call('profiles.create', password === undefined ? { profile } : { profile, password }),
  updateProfile: (id: string, patch: ReqInput<'profiles.update'>['patch'], password?: string | null) =>
    call('profiles.update', password === undefined ? { id, patch } : { id, patch, password }),
  removeProfile: (id: string) => call('profiles.remove', { id }),
  duplicateProfile: (id: string) => call('profiles.duplicate', { id }),
  previewImport: (fileName: string, contentBase64: string) => call('profiles.importPreview', { fileName, contentBase64 }),
  applyImport: (profiles: ReqInput<'profiles.importApply'>['profiles'], onConflict: ReqInput<'profiles.importApply'>['onConflict']) =>
    call('profiles.importApply', { profiles, onConflict }),
  exportProfiles: (ids: string[]) => call('profiles.export', { ids }),
  saveFile: (fileName: string, text: string) => call('dialog.saveExport', { fileName, text }),

  setPassword: (profileId: string, password: string) => call('secrets.set', { profileId, password }),
  clearPassword: (profileId: string) => call('secrets.clear', { profileId }),
  hasPassword: (profileId: string) => call('secrets.has', { profileId }),

  connect: (profileId: string, password?: string) =>
    call('tunnel.connect', password === undefined ? { profileId } : { profileId, password }),
  disconnect: () => call('tunnel.disconnect', {}),
  tunnelStatus: () => call('tunnel.status', {}),
  testConnection: (profileId: string, options: { password?: string; credentials?: boolean } = {}) => call('tunnel.test', { profileId, ...options }),

  getSettings: () => call('settings.get', {}),
  setSettings: (patch: ReqInput<'settings.set'>['patch']) => call('settings.set', { patch }),

  getLogs: (limit?: number) => call('logs.get', limit === undefined ? {} : { limit }),
  exportLogs: () => call('logs.export', {}),
  clearLogs: () => call('logs.clear', {}),
  createReport: (profileId?: string) => call('report.create', profileId === undefined ? {} : { profileId }),
};

export type Api = typeof api;

/** The push side, so the store can be wired to a fake in tests. */
export type Subscribe = typeof subscribe;
