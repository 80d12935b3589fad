/** The doctor's verdict on a failed connection: what happened (title, the engine's message) and what to do (main includes the advice). */
import type { Advice, TunnelFailure } from '../../../preload/contract';
import { PHASE_LABELS } from '../lib/labels';

export function FailureAdvice({ failure, advice }: { failure: TunnelFailure; advice: Advice | null }) {
  return (
    <section className="failure" role="alert" aria-label="Connection failed">
      <h2 className="failure__title">{advice?.title ?? 'The connection failed'}</h2>
      <p className="failure__message">
        {failure.phase ? `${PHASE_LABELS[failure.phase]}: ` : ''}
        {failure.message}
      </p>
      {advice && <p className="failure__fix">{advice.fix}</p>}
      <p className="failure__code muted">Reason code: {failure.reason}</p>
    </section>
  );
}
