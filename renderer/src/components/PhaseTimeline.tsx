/** The phase timeline of the shown attempt: TCP → control → call → LCP → auth → CCP → IPCP → routes, with timings. */
import type { PhaseRecord } from '../../../preload/contract';
import { formatMs } from '../lib/format';
import { PHASE_LABELS } from '../lib/labels';

const STATUS_WORDS = { pending: 'Waiting', started: 'In progress', done: 'Done', failed: 'Failed' } as const;

function detailText(detail: PhaseRecord['detail']): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join(' · ');
}

export function PhaseTimeline({ phases }: { phases: readonly PhaseRecord[] }) {
  return (
    <ol className="timeline" aria-label="Connection phases">
      {phases.map((p) => (
        <li key={p.phase} className={`timeline__step timeline__step--${p.status}`} data-phase={p.phase} data-status={p.status}>
          <span className="timeline__marker" aria-hidden="true" />
          <span className="timeline__name">{PHASE_LABELS[p.phase]}</span>
          <span className="timeline__status">{STATUS_WORDS[p.status]}</span>
          <span className="timeline__time">
            {p.durationMs !== undefined ? formatMs(p.durationMs) : p.at !== undefined && p.status === 'started' ? `at ${formatMs(p.at)}` : ''}
          </span>
          {p.detail && <span className="timeline__detail">{detailText(p.detail)}</span>}
        </li>
      ))}
    </ol>
  );
}
