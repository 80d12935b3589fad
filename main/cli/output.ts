/**
 * Where pptpctl writes: results one line at a time on stdout; notes, warnings and errors on
 * stderr (so `--json` stdout stays machine-readable). Every line passes `terminalText` on the
 * way out: profile and server names, import warnings and server messages are user-supplied, and
 * an ESC or CSI in them must not drive the user's terminal. Nothing is redacted here: callers
 * that print tunnel text pass it through redact.ts first.
 */
import { stripControlChars } from '../../preload/schema/text';

/** A line as it may reach a terminal: control characters become "?" (TAB and LF, our layout, stay). */
export function terminalText(line: string): string {
  return stripControlChars(line, { keepLayout: true });
}

export function out(line: string): void {
  process.stdout.write(terminalText(line) + '\n');
}

export function errOut(line: string): void {
  process.stderr.write(terminalText(line) + '\n');
}
