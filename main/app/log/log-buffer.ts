/**
 * The app's log: a bounded ring buffer of redacted lines, shown in the log view and copied to
 * stderr in development. Every line passes through the SecretRegistry before it is stored, so
 * nothing that leaves this module (IPC, listeners, snapshots) can hold a password.
 * Owns only memory. The file on disk (log-file.ts) is a listener of `onLine`, so it too sees only
 * redacted lines; lines of earlier runs come back through `restore`, scrubbed again.
 * Each line may carry the profile it is about and the connection attempt it belongs to; the
 * attempt comes from a tagger (attempt-tagger.ts) the app core installs with `setTagger`.
 */
import type { LogLevel } from '../../../preload/vocabulary';
import { SecretRegistry } from '../../log/redact';

/** Where a line came from: 'app', 'tunnel' (the service's log events), 'service' (its stderr), ... */
export type LogSource = string;

export interface LogLine {
  /** Increases by one per line for the life of the process (the view uses it as a key). */
  readonly seq: number;
  /** Wall-clock time, ms since the epoch. */
  readonly time: number;
  readonly level: LogLevel;
  readonly source: LogSource;
  readonly message: string;
  /** The profile whose tunnel the line is about, when there is one. */
  readonly profileId?: string;
  /** The connection attempt the line belongs to (attempt-tagger.ts), when there is one. */
  readonly attemptId?: string;
}

/** Decides the attempt a new line belongs to, from its source and profile. */
export type LogTagger = (line: { readonly source: LogSource; readonly profileId?: string }) => string | undefined;

export const DEFAULT_LOG_CAPACITY = 2000;
/** A single line longer than this is cut (a hostile service cannot fill memory through one line). */
export const MAX_LOG_MESSAGE = 4000;

export class LogBuffer {
  private readonly lines: LogLine[] = [];
  private readonly listeners = new Set<(line: LogLine) => void>();
  private readonly clearListeners = new Set<() => void>();
  private nextSeq = 1;
  private tagger: LogTagger | undefined;

  constructor(
    readonly secrets: SecretRegistry = new SecretRegistry(),
    private readonly capacity = DEFAULT_LOG_CAPACITY,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Installs the attempt tagger (the core does, once the supervisor exists). */
  setTagger(tagger: LogTagger | undefined): void {
    this.tagger = tagger;
  }

  add(level: LogLevel, source: LogSource, message: string, profileId?: string): LogLine {
    // Cut first (a long line is cheap to scrub once cut), then redact, so a secret that straddles
    // the cut is not left half-visible: redact the whole, then cut the redacted text.
    let text = this.secrets.redact(message.length > MAX_LOG_MESSAGE * 2 ? message.slice(0, MAX_LOG_MESSAGE * 2) : message);
    if (text.length > MAX_LOG_MESSAGE) text = `${text.slice(0, MAX_LOG_MESSAGE)}... (cut)`;
    let attemptId: string | undefined;
    try {
      attemptId = this.tagger?.(profileId !== undefined ? { source, profileId } : { source });
    } catch {
      attemptId = undefined; // a tagger's failure must not stop logging
    }
    const line: LogLine = {
      seq: this.nextSeq++,
      time: this.clock(),
      level,
      source,
      message: text,
      ...(profileId !== undefined ? { profileId } : {}),
      ...(attemptId !== undefined ? { attemptId } : {}),
    };
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    for (const l of this.listeners) {
      try {
        l(line);
      } catch {
        // a listener's failure must not stop logging
      }
    }
    return line;
  }

  info(message: string, source: LogSource = 'app', profileId?: string): LogLine {
    return this.add('info', source, message, profileId);
  }

  warn(message: string, source: LogSource = 'app', profileId?: string): LogLine {
    return this.add('warn', source, message, profileId);
  }

  error(message: string, source: LogSource = 'app', profileId?: string): LogLine {
    return this.add('error', source, message, profileId);
  }

  debug(message: string, source: LogSource = 'app', profileId?: string): LogLine {
    return this.add('debug', source, message, profileId);
  }

  /** Lines after `afterSeq` (all when omitted), oldest first, at most `limit` of the newest. */
  snapshot(afterSeq = 0, limit = this.capacity): LogLine[] {
    const out = this.lines.filter((l) => l.seq > afterSeq);
    return out.length > limit ? out.slice(out.length - limit) : out;
  }

  /**
   * Puts lines of earlier runs (from the log file) before the lines of this run. They are
   * scrubbed again with the secrets known now, renumbered (seq is per run) and not announced to
   * listeners (the file already holds them). Only the newest `capacity` lines are kept.
   */
  restore(earlier: readonly Omit<LogLine, 'seq'>[]): void {
    const scrubbed = earlier.map((l) => ({ ...l, message: this.secrets.redact(l.message) }));
    const all = [...scrubbed, ...this.lines];
    const kept = all.length > this.capacity ? all.slice(all.length - this.capacity) : all;
    this.lines.length = 0;
    let seq = 1;
    for (const l of kept) this.lines.push({ ...l, seq: seq++ });
    this.nextSeq = seq;
  }

  /** Forgets every line; clear listeners (the log file) forget theirs too. */
  clear(): void {
    this.lines.length = 0;
    for (const l of this.clearListeners) {
      try {
        l();
      } catch {
        // a listener's failure must not stop clearing
      }
    }
  }

  onClear(listener: () => void): () => void {
    this.clearListeners.add(listener);
    return () => this.clearListeners.delete(listener);
  }

  onLine(listener: (line: LogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.lines.length;
  }
}
