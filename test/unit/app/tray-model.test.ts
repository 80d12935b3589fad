/** Tray model and notifications: icon per state, menu template per state, notification rules. */
import { describe, expect, it } from 'vitest';
import type { TunnelState } from '../../../preload/contract';
import { buildTrayMenu, menuText, stateLine, trayIconState, trayTooltip, TRAY_MAX_PROFILES, type TrayMenuItem } from '../../../main/app/tray-model';
import { FAILURE_REASONS } from '../../../preload/vocabulary';
import { notificationFor } from '../../../main/app/notifications-model';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const profiles = [
  { id: A, name: 'Office & Lab' },
  { id: B, name: 'Home' },
];
const details = {
  server: '10.77.0.1',
  localIp: '192.168.77.10',
  remoteIp: '192.168.77.1',
  dns: [],
  mtu: 1400,
  auth: 'mschapv2',
  mppe: { bits: 128 as const, stateful: false },
  elapsedMs: 1,
};
const idle: TunnelState = { state: 'idle' };
const connecting: TunnelState = { state: 'connecting', profileId: A, phase: 'auth', attempt: 0 };
const connected: TunnelState = { state: 'connected', profileId: A, details };
const error: TunnelState = {
  state: 'error',
  profileId: A,
  failure: { reason: 'auth-failed', message: 'E=691' },
  advice: { title: 'Authentication failed', fix: 'Check the password.' },
};

const labels = (m: TrayMenuItem[]) => m.map((i) => (i.type === 'separator' ? '---' : `${i.label}${i.enabled ? '' : ' (off)'}`));

describe('tray model', () => {
  it('iconPerState', () => {
    expect(trayIconState(idle)).toBe('disconnected');
    expect(trayIconState(connecting)).toBe('connecting');
    expect(trayIconState({ state: 'disconnecting', profileId: A })).toBe('connecting');
    expect(trayIconState(connected)).toBe('connected');
    expect(trayIconState(error)).toBe('error');
  });

  it('idle_everyProfileConnectable', () => {
    expect(labels(buildTrayMenu(idle, profiles))).toEqual([
      'Disconnected (off)',
      '---',
      'Connect Office && Lab',
      'Connect Home',
      '---',
      'Open PPTP Manager',
      'Quit',
    ]);
    const connectHome = buildTrayMenu(idle, profiles).find((i) => i.type === 'normal' && i.label === 'Connect Home');
    expect(connectHome).toMatchObject({ action: { kind: 'connect', profileId: B } });
  });

  it('connected_showsAddressAndCrypto_activeDisconnects_othersDisabled', () => {
    const m = buildTrayMenu(connected, profiles);
    expect(labels(m)).toEqual([
      'Connected to Office && Lab (off)',
      'Address 192.168.77.10, MS-CHAPv2, encrypted (MPPE 128-bit) (off)',
      '---',
      'Disconnect Office && Lab',
      'Connect Home (off)',
      '---',
      'Open PPTP Manager',
      'Quit',
    ]);
    expect(m[3]).toMatchObject({ action: { kind: 'disconnect' }, checked: true });
  });

  it('connecting_showsPhase; error_offersDismissAndReconnect', () => {
    // Words, not phase codes.
    expect(labels(buildTrayMenu(connecting, profiles))[0]).toBe('Connecting to Office && Lab… (off)');
    expect(labels(buildTrayMenu({ ...connecting, attempt: 2, phase: null } as TunnelState, profiles))[0]).toBe('Reconnecting to Office && Lab (attempt 2)… (off)');
    const m = labels(buildTrayMenu(error, profiles));
    expect(m[0]).toBe('Failed: wrong user name or password (Office && Lab) (off)');
    expect(m).toContain('Connect Office && Lab');
    expect(m).toContain('Dismiss error');
  });

  it('connected_saysForHowLong_inMinutes', () => {
    expect(stateLine(connected, profiles, 30_000)).toBe('Connected to Office & Lab — just now');
    expect(stateLine(connected, profiles, 12 * 60_000 + 59_000)).toBe('Connected to Office & Lab — 12 min');
    expect(stateLine(connected, profiles, 125 * 60_000)).toBe('Connected to Office & Lab — 2 h 05 min');
    expect(trayTooltip(connected, profiles, 60_000)).toBe('PPTP Manager - Connected to Office & Lab — 1 min');
  });

  it('everyFailureReason_hasAGist', () => {
    for (const reason of FAILURE_REASONS) {
      const line = stateLine({ ...error, failure: { reason, message: 'x' } } as TunnelState, profiles);
      expect(line).toMatch(/^Failed: [a-zA-Z]/);
      expect(line).not.toContain(reason);
    }
  });

  it('manyProfiles_areCapped', () => {
    const many = Array.from({ length: TRAY_MAX_PROFILES + 5 }, (_, i) => ({ id: `${i}`, name: `P${i}` }));
    const m = buildTrayMenu(idle, many);
    expect(m.filter((i) => i.type === 'normal' && i.label.startsWith('Connect '))).toHaveLength(TRAY_MAX_PROFILES);
    expect(labels(m)).toContain('5 more in the window...');
  });

  it('tooltipAndEscaping', () => {
    expect(trayTooltip(idle, profiles)).toBe('PPTP Manager - Disconnected');
    expect(menuText('a&b&&c')).toBe('a&&b&&&&c');
    expect(labels(buildTrayMenu(idle, []))).toContain('No profiles yet (off)');
  });
});

describe('notificationFor', () => {
  it('connected_disconnected_failure', () => {
    expect(notificationFor(connecting, connected, profiles)).toEqual({
      kind: 'connected',
      title: 'Connected to Office & Lab',
      body: 'Address 192.168.77.10, MSCHAPV2, MPPE 128-bit',
    });
    expect(notificationFor(connected, { state: 'disconnecting', profileId: A }, profiles)).toBeUndefined();
    expect(notificationFor({ state: 'disconnecting', profileId: A }, idle, profiles)).toMatchObject({ kind: 'disconnected', title: 'Disconnected from Office & Lab' });
    expect(notificationFor(connecting, error, profiles)).toEqual({ kind: 'failure', title: 'Office & Lab: Authentication failed', body: 'E=691\nCheck the password.' });
  });

  it('noRepeats', () => {
    expect(notificationFor(error, error, profiles)).toBeUndefined();
    expect(notificationFor(connected, connected, profiles)).toBeUndefined();
    expect(notificationFor(idle, connecting, profiles)).toBeUndefined();
  });
});
