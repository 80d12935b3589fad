/**
 * The app shell: the skip link, header navigation, the profile sidebar, the current screen,
 * dialogs, the theme, the keyboard shortcuts, the window as a drop target for imports, and the
 * wiring of main's events into the store (once, on mount).
 */
import { useEffect } from 'react';
import { ConnectionView } from './components/ConnectionView';
import { DropZone } from './components/DropZone';
import { ExportDialog } from './components/ExportDialog';
import { Home } from './components/Home';
import { ImportDialog } from './components/ImportDialog';
import { LogView } from './components/LogView';
import { PasswordPrompt } from './components/PasswordPrompt';
import { ReportDialog } from './components/ReportDialog';
import { FirstRunSecurityNote } from './components/SecurityNote';
import { ProfileEditor } from './components/ProfileEditor';
import { ProfileList } from './components/ProfileList';
import { SettingsScreen } from './components/SettingsScreen';
import { ShortcutsDialog } from './components/ShortcutsDialog';
import { MAIN_CONTENT_ID, SkipLink } from './components/SkipLink';
import { useIsMac, useShortcuts } from './hooks/useShortcuts';
import { ariaKeyShortcut, shortcutLabel } from './lib/shortcuts';
import { connectStoreEvents, loadInitialData } from './store/app-store';
import { useApp, useAppStore } from './store/context';
import { profilesSelectors } from './store/profiles-slice';
import type { View } from './store/ui-slice';

function useTheme() {
  const theme = useApp((s) => s.settings.theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}

function Screen({ view }: { view: View }) {
  const profile = useApp(profilesSelectors.byId(view.view === 'profile' || view.view === 'edit' ? view.id : null));
  switch (view.view) {
    case 'new':
      return <ProfileEditor />;
    case 'edit':
      return profile ? <ProfileEditor key={profile.id} profile={profile} /> : <Home />;
    case 'profile':
      return profile ? <ConnectionView profile={profile} /> : <Home />;
    case 'logs':
      return <LogView />;
    case 'settings':
      return <SettingsScreen />;
    case 'home':
      return <Home />;
  }
}

export function App() {
  const store = useAppStore();
  const view = useApp((s) => s.view);
  const dialog = useApp((s) => s.dialog);
  const prompt = useApp((s) => s.passwordPrompt);
  const importDropCount = useApp((s) => s.importDropCount);
  const navigate = useApp((s) => s.navigate);
  const mac = useIsMac();
  useTheme();
  useShortcuts(store, mac);

  useEffect(() => {
    const off = connectStoreEvents(store);
    void loadInitialData(store);
    return off;
  }, [store]);

  return (
    <div className="app">
      <SkipLink />
      <header className="app__header">
        <span className="app__title">PPTP Manager</span>
        <nav aria-label="Main" className="app__nav">
          <button type="button" className="nav-button" aria-current={view.view === 'home' || view.view === 'profile' ? 'page' : undefined} onClick={() => navigate({ view: 'home' })}>
            Profiles
          </button>
          <button type="button" className="nav-button" aria-current={view.view === 'logs' ? 'page' : undefined} onClick={() => navigate({ view: 'logs' })}>
            Log
          </button>
          <button
            type="button"
            className="nav-button"
            aria-current={view.view === 'settings' ? 'page' : undefined}
            onClick={() => navigate({ view: 'settings' })}
            title={`Settings (${shortcutLabel('settings', mac)})`}
            aria-keyshortcuts={ariaKeyShortcut('settings', mac)}
          >
            Settings
          </button>
        </nav>
      </header>
      <div className="app__body">
        <ProfileList />
        <main id={MAIN_CONTENT_ID} className="app__main" aria-label="Content" tabIndex={-1}>
          <FirstRunSecurityNote />
          <Screen view={view} />
        </main>
      </div>
      {dialog === 'import' && <ImportDialog key={importDropCount} />}
      {dialog === 'export' && <ExportDialog />}
      {dialog === 'shortcuts' && <ShortcutsDialog />}
      {prompt && <PasswordPrompt key={`${prompt.profileId}-${prompt.mode}`} />}
      <DropZone />
      <ReportDialog />
    </div>
  );
}
