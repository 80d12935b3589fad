/**
 * The log: lines arrive redacted from main; the view filters by level and text, copies what is
 * shown, exports everything main keeps (through a save dialog or a download) and clears it.
 */
import { useMemo, useState } from 'react';
import { LOG_LEVELS, type LogLevel } from '../../../preload/contract';
import { copyText } from '../services/files';
import { useApp } from '../store/context';
import { formatLogLine, visibleLogLines } from '../store/logs-slice';
import { describeSave } from '../store/ui-slice';

const LEVEL_OPTIONS: Readonly<Record<LogLevel, string>> = {
  debug: 'Everything (debug)',
  info: 'Info and above',
  warn: 'Warnings and errors',
  error: 'Errors only',
};

export function LogView() {
  const lines = useApp((s) => s.logLines);
  const minLevel = useApp((s) => s.logMinLevel);
  const text = useApp((s) => s.logText);
  const logsError = useApp((s) => s.logsError);
  const setLogMinLevel = useApp((s) => s.setLogMinLevel);
  const setLogText = useApp((s) => s.setLogText);
  const clearLogs = useApp((s) => s.clearLogs);
  const exportLogs = useApp((s) => s.exportLogs);
  const saveText = useApp((s) => s.saveText);
  const [notice, setNotice] = useState<string | null>(null);
  const visible = useMemo(() => visibleLogLines(lines, minLevel, text), [lines, minLevel, text]);

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
      <div className="toolbar" role="toolbar" aria-label="Log tools">
        <label>
          Level{' '}
          <select value={minLevel} onChange={(e) => setLogMinLevel(e.target.value as LogLevel)}>
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {LEVEL_OPTIONS[l]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Filter{' '}
          <input type="search" value={text} onChange={(e) => setLogText(e.target.value)} placeholder="Text to find" />
        </label>
        <button type="button" className="button" onClick={onCopy} disabled={visible.length === 0}>
          Copy
        </button>
        <button type="button" className="button" onClick={onExport}>
          Export…
        </button>
        <button type="button" className="button" onClick={onClear} disabled={lines.length === 0}>
          Clear
        </button>
      </div>
      <p className="muted" role="status">
        {notice ?? `${visible.length} of ${lines.length} lines shown. Passwords and keys are never logged.`}
      </p>
      {logsError && (
        <p className="form-error" role="alert">
          {logsError.message}
        </p>
      )}
      <ol className="log-lines" aria-label="Log lines" tabIndex={0}>
        {visible.map((l) => (
          <li key={l.seq} className={`log-line log-line--${l.level}`}>
            <time dateTime={new Date(l.time).toISOString()}>{new Date(l.time).toLocaleTimeString()}</time>
            <span className="log-line__level">{l.level}</span>
            <span className="log-line__source">{l.source}</span>
            <span className="log-line__message">{l.message}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
