/**
 * Logs slice: the redacted log lines main keeps and pushes (log.line), with the view's level and
 * text filters. Lines are de-duplicated by `seq` (a line can arrive both in logs.get and as an
 * event) and capped at MAX_LOG_LINES.
 */
import { MAX_LOG_LINES, type IpcError, type LogLevel, type LogLine, type TextFile } from '../../../preload/contract';
import type { Result } from '../services/bridge';
import type { AppState, SliceCreator } from './types';

export const LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LogsState {
  logLines: LogLine[];
  /** Lowest level shown. */
  logMinLevel: LogLevel;
  logText: string;
  logsError: IpcError | null;
}

export interface LogsActions {
  loadLogs(): Promise<void>;
  appendLogLine(line: LogLine): void;
  clearLogs(): Promise<Result<unknown>>;
  exportLogs(): Promise<Result<TextFile>>;
  setLogMinLevel(level: LogLevel): void;
  setLogText(text: string): void;
}

export type LogsSlice = LogsState & LogsActions;

export const logsInitialState: LogsState = { logLines: [], logMinLevel: 'info', logText: '', logsError: null };

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
    if (r.ok) set({ logLines: [] });
    else set({ logsError: r.error });
    return r;
  },
  exportLogs: () => api.exportLogs(),
  setLogMinLevel: (logMinLevel) => set({ logMinLevel }),
  setLogText: (logText) => set({ logText }),
});

/** The lines the log view shows: at or above the level, containing the text (case-insensitive). */
export function visibleLogLines(lines: readonly LogLine[], minLevel: LogLevel, text: string): LogLine[] {
  const needle = text.trim().toLowerCase();
  return lines.filter(
    (l) => LEVEL_RANK[l.level] >= LEVEL_RANK[minLevel] && (needle === '' || l.message.toLowerCase().includes(needle) || l.source.toLowerCase().includes(needle)),
  );
}

export const logsSelectors = {
  visible: (s: AppState): LogLine[] => visibleLogLines(s.logLines, s.logMinLevel, s.logText),
};

/** A line as text (for copy). */
export function formatLogLine(line: LogLine): string {
  return `${new Date(line.time).toISOString()} ${line.level.toUpperCase().padEnd(5)} [${line.source}] ${line.message}`;
}
