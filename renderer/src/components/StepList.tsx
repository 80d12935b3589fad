/**
 * The one step view: a list of steps, each with a marker, its name, what became of it in words
 * (done, failed, in progress, not reached, not tested), how long it took, and one plain-words
 * line. The protocol-level lines (call ids, pfc/acfc, window, vendor) stay behind one "Details"
 * toggle. Both the connection test's verdict and a connect attempt's timeline (PhaseTimeline)
 * are shown with it, so a failed connect reads like a failed test.
 *
 * Must not: know the tunnel or the doctor; callers turn their records into StepRows.
 */
import { useId, useState } from 'react';
import '../styles/connection.css';

export const STEP_ROW_STATUSES = ['ok', 'failed', 'running', 'waiting', 'not-reached', 'not-tested'] as const;
export type StepRowStatus = (typeof STEP_ROW_STATUSES)[number];

export interface StepRow {
  /** Stable key, also exposed as data-step. */
  readonly key: string;
  readonly label: string;
  readonly status: StepRowStatus;
  /** Plain words: what happened at this step (a failed step: the error, said once here). */
  readonly message?: string;
  /** The protocol-level line, shown only with Details. */
  readonly technical?: string;
  /** "14 ms" and the like. */
  readonly time?: string;
}

export const STEP_STATUS_WORDS: Readonly<Record<StepRowStatus, string>> = {
  ok: 'Done',
  failed: 'Failed',
  running: 'In progress',
  waiting: 'Waiting',
  'not-reached': 'Not reached',
  'not-tested': 'Not tested',
};

const MARKS: Readonly<Record<StepRowStatus, string>> = { ok: '✓', failed: '✗', running: '…', waiting: '', 'not-reached': '', 'not-tested': '–' };

export function StepList({ rows, label }: { rows: readonly StepRow[]; label: string }) {
  const [details, setDetails] = useState(false);
  const detailsId = useId();
  const hasTechnical = rows.some((r) => r.technical);
  return (
    <div className="steps">
      <ol className="steps__list" aria-label={label} id={detailsId}>
        {rows.map((r) => (
          <li key={r.key} className={`step step--${r.status}`} data-step={r.key} data-status={r.status}>
            <span className="step__marker" aria-hidden="true">
              {MARKS[r.status]}
            </span>
            <span className="step__name">{r.label}</span>
            <span className="step__status">{STEP_STATUS_WORDS[r.status]}</span>
            <span className="step__time">{r.time ?? ''}</span>
            {r.message && <span className="step__message">{r.message}</span>}
            {details && r.technical && <code className="step__technical">{r.technical}</code>}
          </li>
        ))}
      </ol>
      {hasTechnical && (
        <button type="button" className="button button--link steps__details" aria-expanded={details} aria-controls={detailsId} onClick={() => setDetails(!details)}>
          {details ? 'Hide details' : 'Details'}
        </button>
      )}
    </div>
  );
}
