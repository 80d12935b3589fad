/**
 * File text made safe to show in an import report or warning: control characters (terminal
 * escapes) become "?", and long values are cut. Its own module so the report (report.ts) and
 * the importers share it without report.ts importing decode.ts, which imports the report's
 * ImportError type (that was an import cycle). Pure string work; imports nothing.
 */

/** File text made safe for a report line: control characters (terminal escapes) become "?", cut at `max`. */
export function printable(value: string, max = 60): string {
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?'); // eslint-disable-line no-control-regex
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

/** A value quoted for a warning (printable, cut). */
export function shown(value: string, max = 60): string {
  return JSON.stringify(printable(value, max));
}
