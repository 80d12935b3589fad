/**
 * The diagnostic report's preview (logs-slice `report`): the text main built, read-only, to
 * check before sharing, with Copy and Save… (the same save path as Export). Shown by the app
 * shell whenever a report is open, so any screen can open one with `createReport()`.
 */
import { useState } from 'react';
import { copyText } from '../services/files';
import { useApp } from '../store/context';
import { describeSave } from '../store/ui-slice';
import { Dialog } from './Dialog';
import '../styles/logs.css';

export function ReportDialog() {
  const report = useApp((s) => s.report);
  const profiles = useApp((s) => s.profiles);
  const closeReport = useApp((s) => s.closeReport);
  const saveText = useApp((s) => s.saveText);
  const [notice, setNotice] = useState<string | null>(null);
  if (!report) return null;
  const about = report.profileId !== undefined ? (profiles.find((p) => p.id === report.profileId)?.name ?? 'one profile') : 'all profiles';

  async function onCopy() {
    if (!report) return;
    setNotice((await copyText(report.file.text)) ? 'Report copied' : 'Copying is not available here');
  }
  async function onSave() {
    if (!report) return;
    setNotice(describeSave(await saveText(report.file)));
  }

  return (
    <Dialog title="Diagnostic report" onClose={closeReport} className="dialog--wide report-dialog">
      <p className="muted">
        For support, about {about}: versions, system, settings, profiles, the last connection attempts and log lines. It
        contains server and user names but never passwords or keys. Read it before you share it.
      </p>
      <textarea className="report-dialog__text" aria-label="Report text" readOnly value={report.file.text} rows={16} spellCheck={false} />
      <div className="dialog__actions">
        <button type="button" className="button button--primary" onClick={onCopy} data-autofocus>
          Copy
        </button>
        <button type="button" className="button" onClick={onSave}>
          Save…
        </button>
        <button type="button" className="button" onClick={closeReport}>
          Done
        </button>
      </div>
      <p className="muted" role="status">
        {notice ?? ''}
      </p>
    </Dialog>
  );
}
