/**
 * Logs slice: the redacted log lines main keeps and pushes (log.line), including the lines of
 * earlier runs main read back from disk, with the view's filters (level, text, profile,
 * connection attempt), and the diagnostic report (report.create) with its preview state.
 * Lines are de-duplicated by `seq` (a line can arrive both in logs.get and as an event) and
 * capped at MAX_LOG_LINES.
 *
 * `createReport(profileId?)` is the one way to ask for a report: the log view's button and the
 * failed connection's view both call it; the report dialog (ReportDialog.tsx) shows `report`
 * while it is set, and `closeReport()` hides it.
 */
import { MAX_LOG_LINES, type IpcError, type LogLevel, type LogLine, type TextFile } from '../../../preload/contract';
import type { Result } from '../services/bridge';
import type { AppState, SliceCreator } from './types';

export const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The report being previewed, and the profile it is about (absent: all profiles). */
export interface ReportPreview {
  readonly file: TextFile;
  readonly profileId?: string;
}

export interface LogsState {
  logLines: LogLine[];
  /** Lowest level shown. */
  logMinLevel: LogLevel;
  logText: string;
  /** Only lines about this profile (and its attempts); null for all. */
  logProfileId: string | null;
  /** Only the lines of this connection attempt; null for all. */
  logAttemptId: string | null;
  logsError: IpcError | null;
  report: ReportPreview | null;
  reportBusy: boolean;
  reportError: IpcError | null;
}

export interface LogsActions {
  loadLogs(): Promise<void>;
  appendLogLine(line: LogLine): void;
  clearLogs(): Promise<Result<unknown>>;
  exportLogs(): Promise<Result<TextFile>>;
  setLogMinLevel(level: LogLevel): void;
  setLogText(text: string): void;
  /** Choosing a profile forgets an attempt of another profile. */
  setLogProfile(profileId: string | null): void;
  setLogAttempt(attemptId: string | null): void;
  /** Asks main for the diagnostic report (of one profile, or all) and opens its preview. */
  createReport(profileId?: string): Promise<Result<TextFile>>;
  closeReport(): void;
}

export type LogsSlice = LogsState & LogsActions;

export const logsInitialState: LogsState = {
  logLines: [],
  logMinLevel: 'info',
  logText: '',
  logProfileId: null,
  logAttemptId: null,
  logsError: null,
  report: null,
  reportBusy: false,
  reportError: null,
};

function merge(existing: readonly LogLine[], incoming: readonly LogLine[]): LogLine[] {
  const seen = new Set(existing.map((l) => l.seq));
  const out = [...existing];
  for (const line of incoming) {
    if (seen.has(line.seq)) continue;
    seen.add(line.seq);
    out.push(line);
  }
  out.sort((a, b) => a.seq - b.seq);
  return out.length > MAX_LOG_LINES ? out.slice(out.length - MAX_LOG_LINES) : out;
}

export const createLogsSlice: SliceCreator<LogsSlice> = (api) => (set, get) => ({
  ...logsInitialState,
  async loadLogs() {
    const r = await api.getLogs();
    if (r.ok) set({ logLines: merge(get().logLines, r.value.lines), logsError: null });
    else set({ logsError: r.error });
  },
  appendLogLine(line) {
    const lines = get().logLines;
    const last = lines[lines.length - 1];
    if (last === undefined || line.seq > last.seq) {
      // The usual case: the next line in order. Append without re-sorting.
      const next = lines.length >= MAX_LOG_LINES ? lines.slice(lines.length - MAX_LOG_LINES + 1) : lines.slice();
      next.push(line);
      set({ logLines: next });
      return;
    }
    set({ logLines: merge(lines, [line]) });
  },
  async clearLogs() {
    const r = await api.clearLogs();
    if (r.ok) set({ logLines: [], logAttemptId: null });
    else set({ logsError: r.error });
    return r;
  },
  exportLogs: () => api.exportLogs(),
  setLogMinLevel: (logMinLevel) => set({ logMinLevel }),
  setLogText: (logText) => set({ logText }),
  setLogProfile(logProfileId) {
    const attempt = get().logAttemptId;
    const keep = attempt !== null && logProfileId !== null && logAttempts(get().logLines).some((a) => a.attemptId === attempt && a.profileId === logProfileId);
    set({ logProfileId, logAttemptId: keep ? attempt : null });
  },
  setLogAttempt: (logAttemptId) => set({ logAttemptId }),
  async createReport(profileId) {
    set({ reportBusy: true, reportError: null });
    const r = await api.createReport(profileId);
    if (r.ok) set({ report: profileId !== undefined ? { file: r.value, profileId } : { file: r.value }, reportBusy: false });
    else set({ reportError: r.error, reportBusy: false });
    return r;
  },
  closeReport: () => set({ report: null, reportError: null }),
});

export interface LogFilter {
  readonly minLevel: LogLevel;
  readonly text: string;
  readonly profileId?: string | null;
  readonly attemptId?: string | null;
}

/** One connection attempt as the log shows it. */
export interface LogAttempt {
  readonly attemptId: string;
  /** The profile it was for (from its lines), when known. */
  readonly profileId?: string;
  /** Time of its first line. */
  readonly firstTime: number;
  readonly lineCount: number;
  /** Whether any of its lines is an error. */
  readonly failed: boolean;
}

/** The attempts the lines mention, newest first. */
export function logAttempts(lines: readonly LogLine[]): LogAttempt[] {
  const byId = new Map<string, { profileId?: string; firstTime: number; lineCount: number; failed: boolean; order: number }>();
  for (const l of lines) {
    if (l.attemptId === undefined) continue;
    const a = byId.get(l.attemptId) ?? { firstTime: l.time, lineCount: 0, failed: false, order: l.seq };
    a.lineCount += 1;
    a.failed ||= l.level === 'error';
    if (a.profileId === undefined && l.profileId !== undefined) a.profileId = l.profileId;
    byId.set(l.attemptId, a);
  }
  return [...byId.entries()]
    .sort((x, y) => y[1].order - x[1].order)
    .map(([attemptId, a]) => ({ attemptId, firstTime: a.firstTime, lineCount: a.lineCount, failed: a.failed, ...(a.profileId !== undefined ? { profileId: a.profileId } : {}) }));
}

/**
 * The lines the log view shows: at or above the level, containing the text (case-insensitive,
 * in the message or the source), about the profile (its own lines and every line of its
 * attempts), of the attempt.
 */
export function visibleLogLines(lines: readonly LogLine[], minLevel: LogLevel, text: string, scope: Pick<LogFilter, 'profileId' | 'attemptId'> = {}): LogLine[] {
  const needle = text.trim().toLowerCase();
  const profileId = scope.profileId ?? null;
  const attemptId = scope.attemptId ?? null;
  const ofProfile = profileId === null ? null : new Set(logAttempts(lines).filter((a) => a.profileId === profileId).map((a) => a.attemptId));
  return lines.filter(
    (l) =>
      LEVEL_RANK[l.level] >= LEVEL_RANK[minLevel] &&
      (attemptId === null || l.attemptId === attemptId) &&
      (ofProfile === null || l.profileId === profileId || (l.attemptId !== undefined && ofProfile.has(l.attemptId))) &&
      (needle === '' || l.message.toLowerCase().includes(needle) || l.source.toLowerCase().includes(needle)),
  );
}

export const logsSelectors = {
  visible: (s: AppState): LogLine[] => visibleLogLines(s.logLines, s.logMinLevel, s.logText, { profileId: s.logProfileId, attemptId: s.logAttemptId }),
};

/** A line as text (for copy), the same shape as main's export. */
export function formatLogLine(line: LogLine): string {
  const tags = line.attemptId !== undefined ? `${line.source} · attempt ${line.attemptId}` : line.source;
  return `${new Date(line.time).toISOString()} ${line.level.toUpperCase().padEnd(5)} [${tags}] ${line.message}`;
}
