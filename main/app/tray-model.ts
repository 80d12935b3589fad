/**
 * The tray, as data: which icon shows, the tooltip, and the menu TEMPLATE (labels, enabled,
 * what a click does). Pure functions of the tunnel state and the profile list, so they are
 * tested under Node; main/app/electron/tray.ts turns the template into an Electron Menu.
 */
import type { TunnelState } from '../../preload/contract';
import type { Profile } from '../../preload/schema/profile';
import { AUTH_METHOD_LABELS, AUTH_METHODS, type FailureReason } from '../../preload/vocabulary';

export type TrayIconState = 'disconnected' | 'connecting' | 'connected' | 'error';

export type TrayAction =
  | { readonly kind: 'connect'; readonly profileId: string }
  | { readonly kind: 'disconnect' }
  | { readonly kind: 'open-window' }
  | { readonly kind: 'quit' };

export type TrayMenuItem =
  | { readonly type: 'separator' }
  | { readonly type: 'normal'; readonly label: string; readonly enabled: boolean; readonly action?: TrayAction; readonly checked?: boolean };

/** More profiles than this are reached through the window ("N more ..."). */
export const TRAY_MAX_PROFILES = 30;

export function trayIconState(state: TunnelState): TrayIconState {
  switch (state.state) {
    case 'idle':
      return 'disconnected';
    case 'connecting':
    case 'disconnecting':
      return 'connecting';
    case 'connected':
      return 'connected';
    case 'error':
      return 'error';
  }
}

/** Menu labels treat '&' as a mnemonic marker: show profile names literally. */
export function menuText(s: string): string {
  return s.replace(/&/g, '&&');
}

type NamedProfile = Pick<Profile, 'id' | 'name'>;

function nameOf(profiles: readonly NamedProfile[], id: string): string {
  return profiles.find((p) => p.id === id)?.name ?? 'a removed profile';
}

/**
 * A failure in a few words for the tray's state line ("Failed: wrong user name or password"):
 * the doctor's advice titles are sentences for the window; a menu line needs the gist.
 */
export const FAILURE_GIST: Readonly<Record<FailureReason, string>> = {
  'tcp-unreachable': 'server unreachable',
  'server-not-found': 'server not found',
  'control-refused': 'the server refused',
  'gre-blocked': 'GRE blocked',
  'auth-failed': 'wrong user name or password',
  'encryption-refused': 'encryption not agreed',
  'auth-method-refused': 'sign-in method not allowed',
  'data-path-dead': 'the server refuses the data',
  'negotiation-failed': 'negotiation failed',
  'peer-disconnected': 'the server hung up',
  'keepalive-timeout': 'the server stopped answering',
  'network-config-failed': 'could not set routes or DNS',
  'protocol-error': 'the server broke the protocol',
  'local-disconnect': 'disconnected',
  'internal-error': 'internal error',
};

/** How long the tunnel has been up, coarse enough for a menu that is not redrawn every second. */
export function uptimeWords(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return `${h} h ${String(min % 60).padStart(2, '0')} min`;
}

/** The method's name (the service sends the vocabulary's key or its label). */
function authName(auth: string): string {
  const key = AUTH_METHODS.find((m) => m === auth);
  return key ? AUTH_METHOD_LABELS[key] : auth;
}

/**
 * One line saying what the tunnel is doing, in words (no phase codes), for the tooltip and the
 * menu's first item: "Connected to Office — 12 min", "Connecting to Office…", "Disconnected",
 * "Failed: wrong user name or password (Office)". `uptimeMs`: how long the tunnel has been up
 * (the latest stats), when known.
 */
export function stateLine(state: TunnelState, profiles: readonly NamedProfile[], uptimeMs?: number): string {
  switch (state.state) {
    case 'idle':
      return 'Disconnected';
    case 'connecting':
      return state.attempt > 0
        ? `Reconnecting to ${nameOf(profiles, state.profileId)} (attempt ${state.attempt})…`
        : `Connecting to ${nameOf(profiles, state.profileId)}…`;
    case 'connected':
      return `Connected to ${nameOf(profiles, state.profileId)}${uptimeMs !== undefined ? ` — ${uptimeWords(uptimeMs)}` : ''}`;
    case 'disconnecting':
      return `Disconnecting from ${nameOf(profiles, state.profileId)}…`;
    case 'error':
      return `Failed: ${FAILURE_GIST[state.failure.reason]} (${nameOf(profiles, state.profileId)})`;
  }
}

export function trayTooltip(state: TunnelState, profiles: readonly NamedProfile[], uptimeMs?: number): string {
  return `PPTP Manager - ${stateLine(state, profiles, uptimeMs)}`;
}

export function buildTrayMenu(state: TunnelState, profiles: readonly NamedProfile[], uptimeMs?: number): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ type: 'normal', label: menuText(stateLine(state, profiles, uptimeMs)), enabled: false }];
  if (state.state === 'connected') {
    const d = state.details;
    items.push({
      type: 'normal',
      label: menuText(`Address ${d.localIp}, ${authName(d.auth)}, ${d.mppe ? `encrypted (MPPE ${d.mppe.bits}-bit)` : 'NOT encrypted'}`),
      enabled: false,
    });
  }
  items.push({ type: 'separator' });
  const active = state.state === 'connecting' || state.state === 'connected' || state.state === 'disconnecting' ? state.profileId : undefined;
  const busy = active !== undefined;
  if (profiles.length === 0) items.push({ type: 'normal', label: 'No profiles yet', enabled: false });
  for (const p of profiles.slice(0, TRAY_MAX_PROFILES)) {
    if (p.id === active) {
      items.push({
        type: 'normal',
        label: menuText(`Disconnect ${p.name}`),
        enabled: state.state !== 'disconnecting',
        checked: state.state === 'connected',
        action: { kind: 'disconnect' },
      });
    } else {
      items.push({ type: 'normal', label: menuText(`Connect ${p.name}`), enabled: !busy, action: { kind: 'connect', profileId: p.id } });
    }
  }
  if (profiles.length > TRAY_MAX_PROFILES) {
    items.push({ type: 'normal', label: `${profiles.length - TRAY_MAX_PROFILES} more in the window...`, enabled: true, action: { kind: 'open-window' } });
  }
  if (state.state === 'error') items.push({ type: 'normal', label: 'Dismiss error', enabled: true, action: { kind: 'disconnect' } });
  items.push({ type: 'separator' });
  items.push({ type: 'normal', label: 'Open PPTP Manager', enabled: true, action: { kind: 'open-window' } });
  items.push({ type: 'normal', label: 'Quit', enabled: true, action: { kind: 'quit' } });
  return items;
}
