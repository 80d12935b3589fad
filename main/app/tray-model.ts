/**
 * The tray, as data: which icon shows, the tooltip, and the menu TEMPLATE (labels, enabled,
 * what a click does). Pure functions of the tunnel state and the profile list, so they are
 * tested under Node; main/app/electron/tray.ts turns the template into an Electron Menu.
 */
import type { TunnelState } from '../../preload/contract';
import type { Profile } from '../../preload/schema/profile';

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

/** One line saying what the tunnel is doing, for the tooltip and the menu's first item. */
export function stateLine(state: TunnelState, profiles: readonly NamedProfile[]): string {
  switch (state.state) {
    case 'idle':
      return 'Disconnected';
    case 'connecting': {
      const step = state.phase ? ` (${state.phase})` : '';
      const retry = state.attempt > 0 ? `, retry ${state.attempt}` : '';
      return `Connecting to ${nameOf(profiles, state.profileId)}${step}${retry}...`;
    }
    case 'connected':
      return `Connected to ${nameOf(profiles, state.profileId)}: ${state.details.localIp}`;
    case 'disconnecting':
      return `Disconnecting from ${nameOf(profiles, state.profileId)}...`;
    case 'error':
      return `${nameOf(profiles, state.profileId)}: ${state.advice.title}`;
  }
}

export function trayTooltip(state: TunnelState, profiles: readonly NamedProfile[]): string {
  return `PPTP Manager - ${stateLine(state, profiles)}`;
}

export function buildTrayMenu(state: TunnelState, profiles: readonly NamedProfile[]): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ type: 'normal', label: menuText(stateLine(state, profiles)), enabled: false }];
  if (state.state === 'connected') {
    const d = state.details;
    items.push({
      type: 'normal',
      label: menuText(`${d.localIp} -> ${d.remoteIp}, ${d.auth.toUpperCase()}, ${d.mppe ? `MPPE ${d.mppe.bits}` : 'NOT encrypted'}`),
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
