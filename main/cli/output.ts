/**
 * Where and how pptpctl writes (clig.dev "Output"):
 *  - results one line at a time on stdout (`out`); errors, warnings and progress notes on stderr
 *    (`error`, `warn`, `info`), so `--json` stdout and pipes stay machine-readable;
 *  - ONE error prefix, `pptpctl: error: `, and one warning prefix, `pptpctl: warning: `;
 *  - colour only on a terminal and never when NO_COLOR is set to anything but "" (no-color.org)
 *    or TERM=dumb; each stream decides for itself (stdout piped, stderr on the terminal: only
 *    stderr is coloured);
 *  - one "live" line on a stdout terminal, rewritten in place (`live`): the phase spinner and
 *    `--stats`. It is finished (a transient one erased, a lasting one kept) before any other line
 *    is written. Not on a pipe, and not with TERM=dumb: there every update is a plain line.
 * Every line passes `terminalText`: profile and server names, import warnings and server
 * messages are user-supplied, and an ESC or CSI in them must not drive the user's terminal. Our
 * own styling is added after that. Nothing is redacted here: callers pass tunnel text through
 * redact.ts first.
 */
import { stripControlChars } from '../../preload/schema/text';

/** A line as it may reach a terminal: control characters become "?" (TAB and LF, our layout, stay). */
export function terminalText(line: string): string {
  return stripControlChars(line, { keepLayout: true });
}

export const ERROR_PREFIX = 'pptpctl: error: ';
export const WARNING_PREFIX = 'pptpctl: warning: ';

interface Stream {
  readonly isTTY?: boolean;
  write(s: string): unknown;
}

/** NO_COLOR (no-color.org: set and not empty) and TERM=dumb turn colour off; else a terminal gets it. */
export function colourEnabled(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Rewriting a line in place needs a terminal that understands "\r" and "erase line". */
export function liveUpdatesEnabled(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export type Colour = 'red' | 'green' | 'yellow' | 'bold' | 'dim';
const SGR: Record<Colour, [number, number]> = { red: [31, 39], green: [32, 39], yellow: [33, 39], bold: [1, 22], dim: [2, 22] };

/** `text` in `colour` when `enabled` (text is already terminal-safe). */
export function paint(enabled: boolean, colour: Colour, text: string): string {
  if (!enabled) return text;
  const [on, off] = SGR[colour];
  return `\x1b[${on}m${text}\x1b[${off}m`;
}

/** The process's streams; tests swap them for recorders. */
export const streams: { stdout: Stream; stderr: Stream; env: NodeJS.ProcessEnv } = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** The live line currently on stdout, if any: 'transient' lines are erased, 'lasting' ones kept. */
let liveLine: 'transient' | 'lasting' | undefined;

/** Ends the live line before another line is written. */
function finishLive(): void {
  if (liveLine === undefined) return;
  streams.stdout.write(liveLine === 'transient' ? '\r\x1b[2K' : '\n');
  liveLine = undefined;
}

/** Colour for stdout text (✓ and ✗ marks). */
export function stdoutColour(colour: Colour, text: string): string {
  return paint(colourEnabled(streams.stdout, streams.env), colour, text);
}

/** Writes one result line on stdout. `styled` parts may carry colour made by stdoutColour. */
export function out(line: string): void {
  finishLive();
  streams.stdout.write(terminalText(line) + '\n');
}

/** Writes a line whose colour codes were added by stdoutColour after terminalText. */
export function outStyled(safeStyledLine: string): void {
  finishLive();
  streams.stdout.write(safeStyledLine + '\n');
}

/**
 * Shows `line` as the live line: rewritten in place on a terminal; on a pipe a plain line, or
 * nothing at all when `transient` (a spinner means nothing in a log file).
 */
export function live(line: string, kind: 'transient' | 'lasting'): void {
  if (!liveUpdatesEnabled(streams.stdout, streams.env)) {
    if (kind === 'lasting') out(line);
    return;
  }
  streams.stdout.write(`\r\x1b[2K${terminalText(line)}`);
  liveLine = kind;
}

/** A plain diagnostic line on stderr (progress, notes, the export summary). */
export function errOut(line: string): void {
  finishLive();
  streams.stderr.write(terminalText(line) + '\n');
}

function prefixed(prefix: string, colour: Colour, message: string): void {
  finishLive();
  const on = colourEnabled(streams.stderr, streams.env);
  const [head, ...rest] = terminalText(message).split('\n');
  streams.stderr.write([paint(on, colour, prefix.trimEnd()) + ' ' + head, ...rest].join('\n') + '\n');
}

/** `pptpctl: error: <message>` on stderr. Extra lines of `message` follow unprefixed. */
export function error(message: string): void {
  prefixed(ERROR_PREFIX, 'red', message);
}

/** `pptpctl: warning: <message>` on stderr. */
export function warn(message: string): void {
  prefixed(WARNING_PREFIX, 'yellow', message);
}
