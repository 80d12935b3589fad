/**
 * File text made safe to show in an import report or warning: control characters (terminal
 * escapes) become "?", long values are cut, and text that looks like it holds a secret is never
 * shown at all (`mayHoldSecret`). Every importer quotes file text only through here, so no report
 * can carry a password, whatever the syntax. Its own module so the report (report.ts) and the
 * importers share it without report.ts importing decode.ts, which imports the report's
 * ImportError type (that was an import cycle). Pure string work.
 */
import { stripControlChars } from '../../../preload/schema/text';

/** What a report says instead of text that may hold a secret. */
export const SECRET_PLACEHOLDER = '(not shown: it may hold a password)';

// A secret-looking key followed by an assignment, in any importer's syntax: `password=x`,
// `Password = x`, `"password": "x"`, `vpn.secrets: x`, `password-flags=1`.
const SECRET_ASSIGNMENT = /(pass(word|wd|phrase)?|secret|pwd|psk|pre-?shared|credential|token)[\w.-]*["']?\s*[=:]/i;
// pppd's form: the option word, then the secret as its argument (`password hunter2`).
const SECRET_OPTION = /(^|\s)["']?(password|passwd)["']?\s+\S/i;

/** True when `value` could carry a secret: it is then never quoted in a report. */
export function mayHoldSecret(value: string): boolean {
  // Judged with control characters removed too, so "pass\u0000word=" cannot slip past.
  const bare = stripControlChars(value, { replacement: '' });
  return [value, bare].some((v) => SECRET_ASSIGNMENT.test(v) || SECRET_OPTION.test(v));
}

/** File text made safe for a report line: control characters become "?", cut at `max`; a secret is never shown. */
export function printable(value: string, max = 60): string {
  if (mayHoldSecret(value)) return SECRET_PLACEHOLDER;
  const clean = stripControlChars(value);
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

/** A value quoted for a warning (printable, cut); a secret-looking value is described, not quoted. */
export function shown(value: string, max = 60): string {
  const text = printable(value, max);
  return text === SECRET_PLACEHOLDER ? text : JSON.stringify(text);
}
