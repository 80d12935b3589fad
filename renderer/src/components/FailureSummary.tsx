/**
 * What went wrong and what to do, at the top of a failed connect or a failed connection test:
 * the doctor's advice (title and fix) and the stable reason code. The error message itself is
 * shown once: on the failed step of the step view below, or here when no step carries it
 * (`message`, e.g. the service could not start).
 */
import type { Advice } from '../../../preload/contract';
import type { FailureReason } from '../../../preload/vocabulary';

export function FailureSummary({
  reason,
  advice,
  message,
  label = 'Connection failed',
}: {
  reason: FailureReason;
  advice: Advice | null;
  message?: string | undefined;
  label?: string;
}) {
  return (
    <section className="failure" role="alert" aria-label={label}>
      <h2 className="failure__title">{advice?.title ?? 'The connection failed'}</h2>
      {message && <p className="failure__message">{message}</p>}
      {advice && <p className="failure__fix">{advice.fix}</p>}
      <p className="failure__code muted">Reason code: {reason}</p>
    </section>
  );
}
