/**
 * Text that came from a user or a file, made safe to show: the one definition of "control
 * character" (C0, DEL, C1 — terminal escapes among them), the check the profile schema uses, and
 * the one function that strips them before text reaches a terminal, a report or a menu.
 * Pure string work (the renderer bundles this file): no node:*, no main/.
 */

// C0 and C1 control characters plus DEL. ESC (U+001B) and CSI (U+009B) start terminal escapes.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_ALL = /[\u0000-\u001f\u007f-\u009f]/g;
// The same set without TAB and LF, which a line printer may keep as layout.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function hasControlChars(value: string): boolean {
  return CONTROL_CHARS.test(value);
}

/**
 * Replaces every control character with `replacement` ("?" by default). `keepLayout` keeps TAB
 * and LF (for whole lines our own code laid out); everything else, ESC and CSI included, goes.
 */
export function stripControlChars(value: string, options: { replacement?: string; keepLayout?: boolean } = {}): string {
  return value.replace(options.keepLayout ? CONTROL_CHARS_BUT_LAYOUT : CONTROL_CHARS_ALL, options.replacement ?? '?');
}
