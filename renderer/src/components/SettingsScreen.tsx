/**
 * App settings, each saved as soon as it changes (settings.set answers with what main stored),
 * and About: the facts from app.info and the general "PPTP is weak" note (SecurityNote.tsx),
 * which is also shown once at first run.
 */
import { useMemo, useState } from 'react';
import { THEMES, type SettingsPatch, type Theme } from '../../../preload/contract';
import { useApp } from '../store/context';
import { sortProfiles } from '../store/profiles-slice';
import { PptpWeaknessNote } from './SecurityNote';

const THEME_LABELS: Readonly<Record<Theme, string>> = { system: 'Same as the system', light: 'Light', dark: 'Dark' };
const PRIVILEGE_LABELS = {
  'in-process': 'The tunnel service runs inside the app (already privileged).',
  pkexec: 'The tunnel service is started with administrator rights through polkit (pkexec).',
  daemon: 'The tunnel service is the PPTP Manager helper, a system service the package installed; the app talks to it over its socket.',
  unavailable: 'The tunnel service cannot be started here.',
} as const;

export function SettingsScreen() {
  const settings = useApp((s) => s.settings);
  const appInfo = useApp((s) => s.appInfo);
  const profiles = useApp((s) => s.profiles);
  const updateSettings = useApp((s) => s.updateSettings);
  const sorted = useMemo(() => sortProfiles(profiles), [profiles]);
  const [status, setStatus] = useState<string | null>(null);

  async function save(patch: SettingsPatch) {
    const r = await updateSettings(patch);
    setStatus(r.ok ? 'Settings saved' : `Could not save: ${r.error.message}`);
  }

  const toggles: { key: 'autoReconnect' | 'launchAtLogin' | 'startMinimised' | 'notifications'; label: string }[] = [
    { key: 'autoReconnect', label: 'Reconnect automatically after an unexpected drop' },
    { key: 'launchAtLogin', label: 'Start PPTP Manager when I log in' },
    { key: 'startMinimised', label: 'Start minimised to the tray' },
    { key: 'notifications', label: 'Show notifications on connect, disconnect and failure' },
  ];

  return (
    <section className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <div className="card stack">
        <label className="field">
          <span className="field__label">Connect automatically when the app starts</span>
          <select
            value={settings.autoConnectProfileId ?? ''}
            onChange={(e) => void save({ autoConnectProfileId: e.target.value === '' ? null : e.target.value })}
          >
            <option value="">Do not connect</option>
            {sorted.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {toggles.map((t) => (
          <label key={t.key} className="check">
            <input type="checkbox" checked={settings[t.key]} onChange={(e) => void save({ [t.key]: e.target.checked })} />
            {t.label}
          </label>
        ))}
        <fieldset className="field">
          <legend className="field__label">Theme</legend>
          {THEMES.map((t) => (
            <label key={t} className="check">
              <input type="radio" name="theme" value={t} checked={settings.theme === t} onChange={() => void save({ theme: t })} />
              {THEME_LABELS[t]}
            </label>
          ))}
        </fieldset>
        <p role="status" className="muted">
          {status ?? ''}
        </p>
      </div>
      <section className="card" aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        {appInfo ? (
          <dl className="values" aria-label="About this app">
            <div className="values__row">
              <dt>Version</dt>
              <dd>
                {appInfo.name} {appInfo.version}
              </dd>
            </div>
            <div className="values__row">
              <dt>Platform</dt>
              <dd>
                {appInfo.platform} ({appInfo.arch})
              </dd>
            </div>
            <div className="values__row">
              <dt>Privileges</dt>
              <dd>
                {PRIVILEGE_LABELS[appInfo.privilegeMode]}
                {appInfo.privilegeNote ? ` ${appInfo.privilegeNote}` : ''}
              </dd>
            </div>
          </dl>
        ) : (
          <p className="muted">No app information available.</p>
        )}
        <PptpWeaknessNote headingLevel={3} />
      </section>
    </section>
  );
}
