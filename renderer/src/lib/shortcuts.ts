/**
 * The app's keyboard shortcuts, in one table: which key does what, how the key is written for
 * people (Ctrl+N, or ⌘N on a Mac) and for assistive technology (aria-keyshortcuts), and the
 * pure mapping from a key press to a command. The hook (hooks/useShortcuts.ts) only listens and
 * runs the command; components read their labels from here. Pure: no DOM, no store.
 *
 * Decisions (following desktop mail and VPN clients): the primary modifier is Cmd on macOS and
 * Ctrl elsewhere; modified shortcuts work while typing in a field (Ctrl+N in the editor still
 * asks before discarding), the plain `?` does not; no shortcut acts while a dialog is open
 * (the dialog owns the keyboard); arrow keys move focus in the profile list, they do not open.
 */

export type ShortcutCommand = 'new-profile' | 'find' | 'toggle-connection' | 'settings' | 'help';

export interface Shortcut {
  readonly command: ShortcutCommand;
  /** The key as KeyboardEvent.key reports it (lower case for letters). */
  readonly key: string;
  /** Needs the primary modifier (Ctrl, or Cmd on a Mac). */
  readonly mod: boolean;
  readonly description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'new-profile', key: 'n', mod: true, description: 'New profile' },
  { command: 'find', key: 'f', mod: true, description: 'Find a profile (focus the filter)' },
  { command: 'toggle-connection', key: 'Enter', mod: true, description: 'Connect or disconnect the selected profile' },
  { command: 'settings', key: ',', mod: true, description: 'Settings' },
  { command: 'help', key: '?', mod: false, description: 'Show keyboard shortcuts' },
];

/** List keys, shown in the help beside the table above. */
export const LIST_KEYS: readonly { keys: string; description: string }[] = [
  { keys: '↑ / ↓', description: 'Move through the profile list' },
  { keys: 'Home / End', description: 'First / last profile in the list' },
  { keys: 'Enter', description: 'Open the focused profile' },
  { keys: 'Esc', description: 'Close a dialog, or clear the filter' },
];

/** The key press, reduced to what the mapping needs. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  /** Focus is in a text field (input, textarea, select, contenteditable). */
  readonly inTextField: boolean;
  /** A modal dialog is open. */
  readonly dialogOpen: boolean;
}

export function isMacPlatform(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

function shortcutOf(command: ShortcutCommand): Shortcut {
  const found = SHORTCUTS.find((s) => s.command === command);
  if (!found) throw new Error(`unknown shortcut ${command}`);
  return found;
}

/** The command a key press asks for, or null. */
export function commandFor(press: KeyPress, mac: boolean): ShortcutCommand | null {
  if (press.dialogOpen || press.altKey) return null;
  const mod = mac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  const noMod = !press.ctrlKey && !press.metaKey;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  for (const s of SHORTCUTS) {
    if (s.key !== key) continue;
    if (s.mod && mod && !press.shiftKey) return s.command;
    if (!s.mod && noMod && !press.inTextField) return s.command;
  }
  return null;
}

function keyName(key: string, mac: boolean): string {
  if (key === 'Enter') return mac ? '↩' : 'Enter';
  return key.length === 1 ? key.toUpperCase() : key;
}

/** How the shortcut is written for people: "Ctrl+N", or "⌘N" on a Mac. */
export function shortcutLabel(command: ShortcutCommand, mac: boolean): string {
  const s = shortcutOf(command);
  if (!s.mod) return s.key;
  return mac ? `⌘${keyName(s.key, mac)}` : `Ctrl+${keyName(s.key, mac)}`;
}

/** The aria-keyshortcuts value (WAI-ARIA 1.2: modifier names joined by "+"). */
export function ariaKeyShortcut(command: ShortcutCommand, mac: boolean): string {
  const s = shortcutOf(command);
  const key = s.key === ',' ? 'Comma' : s.key.length === 1 ? s.key.toUpperCase() : s.key;
  if (!s.mod) return s.key;
  return `${mac ? 'Meta' : 'Control'}+${key}`;
}

/**
 * Roving focus in a list of `count` items: the index the key moves to from `index`, or null when
 * the key is not a list key. Up/Down stop at the ends (no wrap, like a list box).
 */
export function listMove(key: string, index: number, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowDown':
      return Math.min(index + 1, count - 1);
    case 'ArrowUp':
      return Math.max(index - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
