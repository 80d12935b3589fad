/**
 * The log: lines arrive redacted from main, including earlier runs' lines main kept on disk.
 * The view filters by profile, by connection attempt, by level and by text; copies what is
 * shown; exports everything main keeps (save dialog or download); clears it (memory and disk);
 * and opens the diagnostic report (ReportDialog) for the chosen profile or for all.
 */
import { useId, useMemo, useState } from 'react';
import { LOG_LEVELS, type LogLevel, type LogLine } from '../../../preload/contract';
import { copyText } from '../services/files';
import { useApp } from '../store/context';
import { formatLogLine, logAttempts, visibleLogLines, type LogAttempt } from '../store/logs-slice';
import { sortProfiles } from '../store/profiles-slice';
import { describeSave } from '../store/ui-slice';
import '../styles/logs.css';

const LEVEL_OPTIONS: Readonly<Record<LogLevel, string>> = {
  debug: 'Everything (debug)',
  info: 'Info and above',
  warn: 'Warnings and errors',
  error: 'Errors only',
};

/** Time of day for today's lines; date and time for earlier ones (lines survive restarts). */
export function logTime(time: number, now: Date = new Date()): string {
  const d = new Date(time);
  return d.toDateString() === now.toDateString() ? d.toLocaleTimeString() : d.toLocaleString();
}

function attemptLabel(a: LogAttempt, nameOf: (id: string | undefined) => string): string {
  return `${logTime(a.firstTime)} · ${nameOf(a.profileId)}${a.failed ? ' · failed' : ''} (${a.lineCount} lines)`;
}

export function LogView() {
  const lines = useApp((s) => s.logLines);
  const minLevel = useApp((s) => s.logMinLevel);
  const text = useApp((s) => s.logText);
  const profileId = useApp((s) => s.logProfileId);
  const attemptId = useApp((s) => s.logAttemptId);
  const logsError = useApp((s) => s.logsError);
  const profiles = useApp((s) => s.profiles);
  const reportBusy = useApp((s) => s.reportBusy);
  const reportError = useApp((s) => s.reportError);
  const setLogMinLevel = useApp((s) => s.setLogMinLevel);
  const setLogText = useApp((s) => s.setLogText);
  const setLogProfile = useApp((s) => s.setLogProfile);
  const setLogAttempt = useApp((s) => s.setLogAttempt);
  const clearLogs = useApp((s) => s.clearLogs);
  const exportLogs = useApp((s) => s.exportLogs);
  const createReport = useApp((s) => s.createReport);
  const saveText = useApp((s) => s.saveText);
  const [notice, setNotice] = useState<string | null>(null);
  const id = useId();
  const sorted = useMemo(() => sortProfiles(profiles), [profiles]);
  const nameOf = useMemo(() => {
    const names = new Map(profiles.map((p) => [p.id, p.name]));
    return (id: string | undefined) => (id === undefined ? 'no profile' : (names.get(id) ?? 'removed profile'));
  }, [profiles]);
  const attempts = useMemo(() => logAttempts(lines).filter((a) => profileId === null || a.profileId === profileId), [lines, profileId]);
  const visible = useMemo(() => visibleLogLines(lines, minLevel, text, { profileId, attemptId }), [lines, minLevel, text, profileId, attemptId]);

  async function onCopy() {
    const ok = await copyText(visible.map(formatLogLine).join('\n'));
    setNotice(ok ? `Copied ${visible.length} lines` : 'Copying is not available here');
  }
  async function onExport() {
    const r = await exportLogs();
    setNotice(r.ok ? describeSave(await saveText(r.value)) : `Could not export: ${r.error.message}`);
  }
  async function onClear() {
    const r = await clearLogs();
    setNotice(r.ok ? 'Log cleared' : `Could not clear: ${r.error.message}`);
  }

  return (
    <section className="logs" aria-labelledby="logs-title">
      <h1 id="logs-title">Log</h1>
      <div className="toolbar logs__filters" role="group" aria-label="Log filters">
        <span className="logs__filter">
          <label htmlFor={`${id}-profile`}>Profile</label>
          <select id={`${id}-profile`} value={profileId ?? ''} onChange={(e) => setLogProfile(e.target.value === '' ? null : e.target.value)}>
            <option value="">All profiles</option>
            {sorted.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </span>
        <span className="logs__filter">
          <label htmlFor={`${id}-attempt`}>Attempt</label>
          <select id={`${id}-attempt`} value={attemptId ?? ''} onChange={(e) => setLogAttempt(e.target.value === '' ? null : e.target.value)} disabled={attempts.length === 0}>
            <option value="">All attempts</option>
            {attempts.map((a) => (
              <option key={a.attemptId} value={a.attemptId}>
                {attemptLabel(a, nameOf)}
              </option>
            ))}
          </select>
        </span>
        <span className="logs__filter">
          <label htmlFor={`${id}-level`}>Level</label>
          <select id={`${id}-level`} value={minLevel} onChange={(e) => setLogMinLevel(e.target.value as LogLevel)}>
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {LEVEL_OPTIONS[l]}
              </option>
            ))}
          </select>
        </span>
        <span className="logs__filter">
          <label htmlFor={`${id}-filter`}>Filter</label>
          <input id={`${id}-filter`} type="search" value={text} onChange={(e) => setLogText(e.target.value)} placeholder="Text to find" />
        </span>
      </div>
      <div className="toolbar" role="toolbar" aria-label="Log tools">
        <button type="button" className="button" onClick={onCopy} disabled={visible.length === 0}>
          Copy
        </button>
        <button type="button" className="button" onClick={onExport}>
          Export…
        </button>
        <button type="button" className="button" onClick={onClear} disabled={lines.length === 0}>
          Clear
        </button>
        <button type="button" className="button" onClick={() => void createReport(profileId ?? undefined)} disabled={reportBusy}>
          Diagnostic report…
        </button>
      </div>
      <p className="muted" role="status">
        {notice ?? `${visible.length} of ${lines.length} lines shown. Kept on disk across restarts; passwords and keys are never logged.`}
      </p>
      {logsError && (
        <p className="form-error" role="alert">
          {logsError.message}
        </p>
      )}
      {reportError && (
        <p className="form-error" role="alert">
          Could not create the report: {reportError.message}
        </p>
      )}
      <ol className="log-lines" aria-label="Log lines" tabIndex={0}>
        {visible.map((l) => (
          <LogLineItem key={l.seq} line={l} profileName={l.profileId !== undefined ? nameOf(l.profileId) : undefined} />
        ))}
      </ol>
    </section>
  );
}

function LogLineItem({ line: l, profileName }: { line: LogLine; profileName: string | undefined }) {
  return (
    <li className={`log-line log-line--${l.level}`} data-attempt={l.attemptId}>
      <time dateTime={new Date(l.time).toISOString()}>{logTime(l.time)}</time>
      <span className="log-line__level">{l.level}</span>
      <span className="log-line__source" title={l.attemptId !== undefined ? `Attempt ${l.attemptId}` : undefined}>
        {l.source}
        {profileName !== undefined && <span className="log-line__profile"> · {profileName}</span>}
      </span>
      <span className="log-line__message">{l.message}</span>
    </li>
  );
}
