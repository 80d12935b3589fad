/**
 * Profile name rules the store and the importers share: names compare case-insensitively
 * (after Unicode NFC), and a taken name becomes "Name (2)", "Name (3)", ... within the length
 * limit. Also cleans names that come from files (control characters, stray whitespace).
 * Pure functions; no I/O.
 */
import { hasControlChars, NAME_MAX_LENGTH } from '../../preload/schema/profile';
import { stripControlChars } from '../../preload/schema/text';

export function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** The first of "base", "base (2)", "base (3)", ... whose key is not in `taken`. */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(nameKey(base))) return base;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = truncateName(base, NAME_MAX_LENGTH - suffix.length).trimEnd() + suffix;
    if (!taken.has(nameKey(candidate))) return candidate;
  }
}

/**
 * Makes a name from a file usable: control characters become spaces, runs of whitespace
 * collapse, the result is trimmed and cut to the length limit (UTF-16 units, as the schema
 * counts, never splitting a surrogate pair). Returns the cleaned name and what was changed, for the import report.
 */
export function cleanImportedName(raw: string): { name: string; warnings: string[] } {
  const warnings: string[] = [];
  let name = raw;
  if (hasControlChars(name)) {
    name = stripControlChars(name, { replacement: ' ' });
    warnings.push('The name contained control characters; they were replaced with spaces.');
  }
  name = name.replace(/\s+/g, ' ').trim();
  if (name.length > NAME_MAX_LENGTH) {
    name = truncateName(name, NAME_MAX_LENGTH).trimEnd();
    warnings.push(`The name was longer than ${NAME_MAX_LENGTH} characters and was shortened.`);
  }
  return { name, warnings };
}

/** Cuts to at most `max` UTF-16 code units without splitting a surrogate pair. */
export function truncateName(name: string, max: number): string {
  let out = '';
  for (const point of name) {
    if (out.length + point.length > max) break;
    out += point;
  }
  return out;
}
