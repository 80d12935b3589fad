/** The shortcut table's pure mapping: modifiers per platform, typing, dialogs, labels, list moves. */
import { describe, expect, it } from 'vitest';
import { ariaKeyShortcut, commandFor, isMacPlatform, listMove, SHORTCUTS, shortcutLabel, type KeyPress } from '../../../renderer/src/lib/shortcuts';

function press(key: string, over: Partial<KeyPress> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, inTextField: false, dialogOpen: false, ...over };
}

describe('commandFor', () => {
  it('ctrlOnLinuxAndWindows_cmdOnMac', () => {
    expect(commandFor(press('n', { ctrlKey: true }), false)).toBe('new-profile');
    expect(commandFor(press('n', { metaKey: true }), false)).toBeNull();
    expect(commandFor(press('n', { metaKey: true }), true)).toBe('new-profile');
    expect(commandFor(press('n', { ctrlKey: true }), true)).toBeNull();
  });

  it('mapsEveryModifiedShortcut', () => {
    expect(commandFor(press('f', { ctrlKey: true }), false)).toBe('find');
    expect(commandFor(press('Enter', { ctrlKey: true }), false)).toBe('toggle-connection');
    expect(commandFor(press(',', { ctrlKey: true }), false)).toBe('settings');
    // Caps Lock gives an upper-case key; it is the same shortcut.
    expect(commandFor(press('N', { ctrlKey: true }), false)).toBe('new-profile');
  });

  it('plainKeys_andExtraModifiers_areNotShortcuts', () => {
    expect(commandFor(press('n'), false)).toBeNull();
    expect(commandFor(press('Enter'), false)).toBeNull();
    expect(commandFor(press('n', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(commandFor(press('n', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(commandFor(press('x', { ctrlKey: true }), false)).toBeNull();
  });

  it('questionMark_opensHelp_butNotWhileTyping', () => {
    expect(commandFor(press('?', { shiftKey: true }), false)).toBe('help');
    expect(commandFor(press('?', { shiftKey: true, inTextField: true }), false)).toBeNull();
    expect(commandFor(press('?', { ctrlKey: true }), false)).toBeNull();
  });

  it('modifiedShortcuts_workWhileTyping', () => {
    expect(commandFor(press('n', { ctrlKey: true, inTextField: true }), false)).toBe('new-profile');
  });

  it('nothingWhileADialogIsOpen', () => {
    for (const s of SHORTCUTS) {
      expect(commandFor(press(s.key, { ctrlKey: s.mod, dialogOpen: true }), false)).toBeNull();
    }
  });
});

describe('labels', () => {
  it('writesThePlatformsModifier', () => {
    expect(shortcutLabel('new-profile', false)).toBe('Ctrl+N');
    expect(shortcutLabel('new-profile', true)).toBe('⌘N');
    expect(shortcutLabel('toggle-connection', false)).toBe('Ctrl+Enter');
    expect(shortcutLabel('settings', false)).toBe('Ctrl+,');
    expect(shortcutLabel('help', false)).toBe('?');
  });

  it('ariaKeyShortcuts_useTheSpecsNames', () => {
    expect(ariaKeyShortcut('new-profile', false)).toBe('Control+N');
    expect(ariaKeyShortcut('find', true)).toBe('Meta+F');
    expect(ariaKeyShortcut('settings', false)).toBe('Control+Comma');
    expect(ariaKeyShortcut('toggle-connection', false)).toBe('Control+Enter');
  });

  it('detectsMacPlatforms', () => {
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
    expect(isMacPlatform('Win32')).toBe(false);
  });
});

describe('listMove', () => {
  it('movesAndStopsAtTheEnds', () => {
    expect(listMove('ArrowDown', 0, 3)).toBe(1);
    expect(listMove('ArrowDown', 2, 3)).toBe(2);
    expect(listMove('ArrowUp', 0, 3)).toBe(0);
    expect(listMove('ArrowUp', 2, 3)).toBe(1);
    expect(listMove('Home', 2, 3)).toBe(0);
    expect(listMove('End', 0, 3)).toBe(2);
  });

  it('otherKeysAndEmptyLists_areNotMoves', () => {
    expect(listMove('a', 0, 3)).toBeNull();
    expect(listMove('ArrowDown', 0, 0)).toBeNull();
  });
});
