/** The password prompt's key handling: line editing, and escape sequences never typed as password characters. */
import { describe, expect, it } from 'vitest';
import { INITIAL_PROMPT_STATE, promptKeys, typed, type PromptState } from '../../../main/cli/password-keys';

const feed = (...chunks: string[]): PromptState => chunks.reduce(promptKeys, INITIAL_PROMPT_STATE);

describe('promptKeys', () => {
  it('enter_submitsWhatWasTyped', () => {
    const s = feed('hunter2\r');
    expect(s.done).toBe('submit');
    expect(typed(s)).toBe('hunter2');
    expect(feed('abc\n').done).toBe('submit');
  });

  it('backspace_deletesOneCharacter_evenAWholeEmoji', () => {
    expect(typed(feed('abcd\x7f\x7f'))).toBe('ab');
    expect(typed(feed('ab\b'))).toBe('a');
    expect(typed(feed('pw🔑\x7f'))).toBe('pw');
    expect(typed(feed('\x7f\x7fx'))).toBe('x');
  });

  it('ctrlU_clearsTheLine_ctrlW_deletesTheLastWord', () => {
    expect(typed(feed('secret\x15new'))).toBe('new');
    expect(typed(feed('two words  \x17'))).toBe('two ');
  });

  it('ctrlC_interrupts_ctrlD_cancelsOnlyOnAnEmptyLine', () => {
    expect(feed('abc\x03').done).toBe('interrupt');
    expect(feed('\x04').done).toBe('cancel');
    const s = feed('abc\x04');
    expect(s.done).toBeUndefined();
    expect(typed(s)).toBe('abc');
  });

  it('arrowKeys_homeEnd_delete_fKeys_areNeverPasswordCharacters', () => {
    // Up, Down, Right, Left (CSI and SS3 forms), Home, End, Delete, F5, Ctrl+Right, Alt+b.
    const keys = '\x1b[A\x1b[B\x1b[C\x1b[D\x1bOA\x1bOD\x1b[H\x1b[F\x1b[3~\x1b[15~\x1b[1;5C\x1bb';
    expect(typed(feed(`pa${keys}ss\r`))).toBe('pass');
  });

  it('sequencesSplitAcrossChunks_areStillSwallowed', () => {
    expect(typed(feed('a\x1b', '[', '1;5', 'D', 'b\r'))).toBe('ab');
    expect(typed(feed('a\x1b', 'O', 'C', 'b'))).toBe('ab');
  });

  it('bracketedPaste_keepsTheText_dropsTheMarkers_andANewlineInItDoesNotSubmit', () => {
    const s = feed('\x1b[200~pasted\nword\x1b[201~');
    expect(s.done).toBeUndefined();
    expect(typed(s)).toBe('pastedword');
    expect(feed('\x1b[200~pw\x1b[201~\r').done).toBe('submit');
  });

  it('oscStrings_and8bitCsi_andOtherControls_areIgnored', () => {
    expect(typed(feed('a\x1b]0;title\x07b\x1b]52;c;Zm9v\x1b\\c'))).toBe('abc');
    expect(typed(feed('a\u009b2Jb'))).toBe('ab');
    expect(typed(feed('a\tb\x00c\x1a'))).toBe('abc');
  });

  it('afterDone_laterInputIsIgnored', () => {
    const s = feed('pw\rmore');
    expect(typed(s)).toBe('pw');
  });

  it('isPure_theInputStateIsNotChanged', () => {
    const before = feed('ab');
    promptKeys(before, 'cd\x15');
    expect(typed(before)).toBe('ab');
  });
});
