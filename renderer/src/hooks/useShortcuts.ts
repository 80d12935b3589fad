/**
 * The app-wide keyboard shortcuts, wired once (App): listens on the window, maps each key press
 * through lib/shortcuts.ts and runs the command against the store. `useIsMac` tells which
 * modifier to show. The table and the mapping live in lib/shortcuts.ts; nothing else listens
 * for these keys.
 */
import { useEffect } from 'react';
import { commandFor, isMacPlatform, type ShortcutCommand } from '../lib/shortcuts';
import type { AppStore } from '../store/app-store';
import { useApp } from '../store/context';
import { profileBadge } from '../store/tunnel-slice';

/** The id of the profile filter, which Ctrl/Cmd+F focuses. */
export const PROFILE_FILTER_ID = 'profile-filter';

export function useIsMac(): boolean {
  const platform = useApp((s) => s.appInfo?.platform);
  if (platform) return platform === 'darwin';
  return typeof navigator !== 'undefined' && isMacPlatform(navigator.platform);
}

function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(target.type);
  return false;
}

/** Runs one command against the store (exported for the help dialog's own buttons and tests). */
export function runShortcut(store: AppStore, command: ShortcutCommand): void {
  const s = store.getState();
  switch (command) {
    case 'new-profile':
      if (!s.profilesReadOnly) s.navigate({ view: 'new' });
      return;
    case 'find': {
      const filter = document.getElementById(PROFILE_FILTER_ID);
      if (filter instanceof HTMLInputElement) {
        filter.focus();
        filter.select();
      }
      return;
    }
    case 'toggle-connection': {
      // The selected profile is the one whose page is shown; elsewhere (editor, log, settings)
      // the shortcut does nothing, so unsaved edits are never connected by surprise.
      if (s.view.view !== 'profile') return;
      const id = s.view.id;
      const profile = s.profiles.find((p) => p.id === id);
      if (!profile) return;
      const badge = profileBadge(s.tunnel, id);
      if (badge === 'connected' || badge === 'connecting') void s.disconnect();
      else if (badge !== 'disconnecting') void s.requestConnect(profile);
      return;
    }
    case 'settings':
      s.navigate({ view: 'settings' });
      return;
    case 'help':
      s.openDialog('shortcuts');
      return;
  }
}

export function useShortcuts(store: AppStore, mac: boolean): void {
  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      if (e.defaultPrevented || e.repeat) return;
      const s = store.getState();
      const dialogOpen = s.dialog !== null || s.passwordPrompt !== null || s.pendingView !== null || document.querySelector('[aria-modal="true"]') !== null;
      const command = commandFor(
        { key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, shiftKey: e.shiftKey, inTextField: inTextField(e.target), dialogOpen },
        mac,
      );
      if (!command) return;
      e.preventDefault();
      runShortcut(store, command);
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, mac]);
}
