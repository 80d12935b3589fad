/**
 * The log on disk: the LogBuffer's lines, already redacted, appended as JSON lines to
 * `<userData>/logs/pptp-manager.jsonl`, rotated and bounded, and read back at the next start.
 *
 * Decisions (after what Mullvad and Viscosity keep):
 *  - one JSON object per line (the wire LogLine without `seq`, which is per run), so the view can
 *    filter the lines of an earlier run by profile and attempt exactly as it does live ones; the
 *    human text form is what Export and the diagnostic report produce;
 *  - rotate when the file passes LOG_FILE_MAX_BYTES (1 MiB), keeping LOG_FILE_KEEP older files
 *    (`pptp-manager.1.jsonl` newest ... `.3.jsonl` oldest): at most 4 MiB on disk;
 *  - the directory is 0700 and every file 0600 (a file found wider is narrowed): a log names
 *    servers and user names, never passwords;
 *  - writes are synchronous appends: a line reaches the disk in the order it was logged and is
 *    not lost when the app crashes right after it; a write that fails (disk full, read-only
 *    home) turns the sink off and says so once, instead of failing every log call.
 *
 * Guarantee kept from LogBuffer: this module writes only lines that LogBuffer already passed
 * through the SecretRegistry (it is a listener of `onLine`), and lines read back are scrubbed
 * again (patterns and the secrets known now) before they are shown.
 *
 * Must not: log through LogBuffer (it is its sink), or write anything that did not come from it.
 */
import { closeSync, chmodSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS } from '../../../preload/vocabulary';
import type { LogLine } from './log-buffer';

export const LOG_DIR_NAME = 'logs';
export const LOG_FILE_BASE = 'pptp-manager';
export const LOG_FILE_EXT = '.jsonl';
/** Rotate when the current file passes this size. */
export const LOG_FILE_MAX_BYTES = 1024 * 1024;
/** Older files kept besides the current one. */
export const LOG_FILE_KEEP = 3;

/** A line as stored: everything but `seq`. */
export type StoredLogLine = Omit<LogLine, 'seq'>;

const storedLineSchema = z.object({
  time: z.number().finite(),
  level: z.enum(LOG_LEVELS),
  source: z.string().max(64),
  message: z.string(),
  profileId: z.string().max(64).optional(),
  attemptId: z.string().max(64).optional(),
});

export interface LogFileOptions {
  readonly maxBytes?: number;
  readonly keep?: number;
}

/** `pptp-manager.jsonl` for 0, `pptp-manager.<n>.jsonl` for the n-th older file. */
export function logFileName(index: number): string {
  return index === 0 ? `${LOG_FILE_BASE}${LOG_FILE_EXT}` : `${LOG_FILE_BASE}.${index}${LOG_FILE_EXT}`;
}

export class LogFile {
  readonly dir: string;
  private fd: number | undefined;
  private size = 0;
  private readonly maxBytes: number;
  private readonly keep: number;
  /** Set once writing failed; the sink is then off for this run. */
  failure: string | undefined;

  constructor(userDataDir: string, options: LogFileOptions = {}) {
    this.dir = path.join(userDataDir, LOG_DIR_NAME);
    this.maxBytes = options.maxBytes ?? LOG_FILE_MAX_BYTES;
    this.keep = options.keep ?? LOG_FILE_KEEP;
  }

  get currentPath(): string {
    return path.join(this.dir, logFileName(0));
  }

  /** Every file of the log, newest first (the ones that exist). */
  files(): string[] {
    const out: string[] = [];
    for (let i = 0; i <= this.keep; i++) {
      const file = path.join(this.dir, logFileName(i));
      if (existsSync(file)) out.push(file);
    }
    return out;
  }

  /**
   * The newest `limit` lines kept on disk, oldest first. Lines that are not valid JSON log lines
   * (a torn last line after a crash, a hand edit) are skipped; a missing log is empty.
   */
  readLast(limit: number): StoredLogLine[] {
    const chunks: StoredLogLine[][] = [];
    let count = 0;
    for (const file of this.files()) {
      if (count >= limit) break;
      const lines = parseLogText(safeRead(file));
      chunks.push(lines);
      count += lines.length;
    }
    const all = chunks.reverse().flat();
    return all.length > limit ? all.slice(all.length - limit) : all;
  }

  /** Appends one line (rotating first when the file is full). Never throws. */
  append(line: StoredLogLine): void {
    if (this.failure !== undefined) return;
    try {
      const text = `${JSON.stringify(toStored(line))}\n`;
      const bytes = Buffer.byteLength(text);
      this.open();
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      this.open();
      writeSync(this.fd as number, text);
      this.size += bytes;
    } catch (error) {
      this.failure = `The log could not be written to ${this.dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); logging to disk is off until the next start.`;
      this.close();
    }
  }

  /** Removes every file of the log (the view's Clear). */
  clear(): void {
    this.close();
    for (const file of this.files()) rmSync(file, { force: true });
  }

  close(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
  }

  private open(): void {
    if (this.fd !== undefined) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    narrow(this.dir, 0o700);
    this.fd = openSync(this.currentPath, 'a', 0o600);
    narrow(this.currentPath, 0o600);
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    this.close();
    rmSync(path.join(this.dir, logFileName(this.keep)), { force: true });
    for (let i = this.keep - 1; i >= 0; i--) {
      const from = path.join(this.dir, logFileName(i));
      if (existsSync(from)) renameSync(from, path.join(this.dir, logFileName(i + 1)));
    }
  }
}

/** The stored form: exactly the fields of a line, in a fixed order, without seq. */
function toStored(line: StoredLogLine): StoredLogLine {
  return {
    time: line.time,
    level: line.level,
    source: line.source,
    message: line.message,
    ...(line.profileId !== undefined ? { profileId: line.profileId } : {}),
    ...(line.attemptId !== undefined ? { attemptId: line.attemptId } : {}),
  };
}

/** The valid log lines of a file's text, in order. */
export function parseLogText(text: string): StoredLogLine[] {
  const out: StoredLogLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      continue;
    }
    const parsed = storedLineSchema.safeParse(json);
    if (parsed.success) out.push(toStored(parsed.data));
  }
  return out;
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Takes away group/other bits a file or directory should not have (an older or copied log). */
function narrow(file: string, mode: number): void {
  try {
    if ((statSync(file).mode & 0o777 & ~mode) !== 0) chmodSync(file, mode);
  } catch {
    // not ours to fix (another owner): the write itself will tell
  }
}
