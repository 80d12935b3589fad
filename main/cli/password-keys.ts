/**
 * The password prompt's key handling as a pure function: `(state, chunk) -> state`, fed with
 * what a terminal in raw mode sends. Normal line editing, as readline and sudo do it:
 *  - Enter (CR or LF) submits;
 *  - Backspace (DEL or ^H) deletes the last character, ^U the whole line, ^W the last word;
 *  - ^C interrupts (the caller exits 130), ^D on an empty line cancels (ignored otherwise);
 *  - escape sequences are swallowed whole, never typed into the password: CSI (arrow keys, Home,
 *    Delete, F-keys, the bracketed-paste markers ESC[200~ / ESC[201~), SS3 (ESC O x: arrows in
 *    application mode), OSC/DCS strings up to BEL or ST, and Alt+key (ESC then a character).
 *    The 8-bit CSI (U+009B) counts too. A sequence split across chunks is carried in `esc`;
 *  - text between the paste markers is kept (pasting a password is normal), but a line break in
 *    it does not submit: the user still presses Enter;
 *  - any other control character is ignored.
 * Characters are code points, so Backspace removes a whole emoji or accented letter.
 */

/** Where an escape sequence stands between chunks. */
export type EscState =
  | { readonly kind: 'none' }
  | { readonly kind: 'esc' } // ESC seen
  | { readonly kind: 'csi'; readonly params: string } // ESC [ (or U+009B) seen, collecting
  | { readonly kind: 'ss3' } // ESC O seen: one more character
  | { readonly kind: 'string'; readonly sawEsc: boolean }; // OSC / DCS / APC / PM: until BEL or ESC \

export interface PromptState {
  readonly chars: readonly string[];
  readonly esc: EscState;
  /** Inside a bracketed paste. */
  readonly pasting: boolean;
  /** Set once: what ended the prompt. Later input is ignored. */
  readonly done?: 'submit' | 'interrupt' | 'cancel';
}

export const INITIAL_PROMPT_STATE: PromptState = { chars: [], esc: { kind: 'none' }, pasting: false };

const NONE: EscState = { kind: 'none' };

function deleteWord(chars: readonly string[]): string[] {
  const next = [...chars];
  while (next.length && /\s/.test(next[next.length - 1]!)) next.pop();
  while (next.length && !/\s/.test(next[next.length - 1]!)) next.pop();
  return next;
}

/** Feeds one chunk of terminal input. */
export function promptKeys(state: PromptState, chunk: string): PromptState {
  let s: PromptState = state;
  for (const ch of chunk) {
    if (s.done) return s;
    s = step(s, ch);
  }
  return s;
}

function step(s: PromptState, ch: string): PromptState {
  const code = ch.codePointAt(0)!;
  switch (s.esc.kind) {
    case 'esc':
      if (ch === '[') return { ...s, esc: { kind: 'csi', params: '' } };
      if (ch === 'O') return { ...s, esc: { kind: 'ss3' } };
      if (ch === ']' || ch === 'P' || ch === '_' || ch === '^') return { ...s, esc: { kind: 'string', sawEsc: false } };
      if (ch === '\x1b') return s; // ESC ESC: still one escape pending
      return { ...s, esc: NONE }; // Alt+key: dropped
    case 'csi':
      // ECMA-48 §5.4: parameter and intermediate bytes 0x20-0x3F, then one final byte 0x40-0x7E.
      if (code >= 0x20 && code <= 0x3f) return { ...s, esc: { kind: 'csi', params: s.esc.params + ch } };
      if (code >= 0x40 && code <= 0x7e) {
        if (s.esc.params === '200' && ch === '~') return { ...s, esc: NONE, pasting: true };
        if (s.esc.params === '201' && ch === '~') return { ...s, esc: NONE, pasting: false };
        return { ...s, esc: NONE };
      }
      return step({ ...s, esc: NONE }, ch); // a malformed sequence ends; the character counts on its own
    case 'ss3':
      return { ...s, esc: NONE };
    case 'string':
      if (ch === '\x07' || (s.esc.sawEsc && ch === '\\')) return { ...s, esc: NONE };
      return { ...s, esc: { kind: 'string', sawEsc: ch === '\x1b' } };
    case 'none':
      break;
  }
  if (ch === '\x1b') return { ...s, esc: { kind: 'esc' } };
  if (ch === '\u009b') return { ...s, esc: { kind: 'csi', params: '' } };
  if (s.pasting) {
    // Pasted text is typed as is, minus control characters (a pasted newline does not submit).
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) ? s : { ...s, chars: [...s.chars, ch] };
  }
  switch (ch) {
    case '\r':
    case '\n':
      return { ...s, done: 'submit' };
    case '\x03': // ^C
      return { ...s, done: 'interrupt' };
    case '\x04': // ^D: end of input on an empty line, nothing otherwise
      return s.chars.length === 0 ? { ...s, done: 'cancel' } : s;
    case '\x7f':
    case '\b':
      return { ...s, chars: s.chars.slice(0, -1) };
    case '\x15': // ^U
      return { ...s, chars: [] };
    case '\x17': // ^W
      return { ...s, chars: deleteWord(s.chars) };
  }
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return s;
  return { ...s, chars: [...s.chars, ch] };
}

/** The password typed so far. */
export function typed(state: PromptState): string {
  return state.chars.join('');
}
