/**
 * A connect attempt's timeline (TCP → control → call → LCP → auth → CCP → IPCP → routes) as rows
 * of the shared step view (StepList; ConnectionView renders them), so a failed connect reads like a failed connection test: plain
 * words per step, the error once on the failed step, steps after it "not reached" once the
 * attempt ended, and the negotiated protocol values behind "Details".
 */
import type { PhaseRecord, TunnelFailure } from '../../../preload/contract';
import type { TunnelPhase } from '../../../preload/vocabulary';
import { formatMs } from '../lib/format';
import { PHASE_LABELS } from '../lib/labels';
import type { StepRow, StepRowStatus } from './StepList';

type Detail = NonNullable<PhaseRecord['detail']>;

function text(d: Detail, key: string): string | undefined {
  const v = d[key];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(', ') : String(v);
}

/** What a finished phase means, in words; the values themselves are the technical line. */
export function phaseSummary(phase: TunnelPhase, d: Detail): string {
  switch (phase) {
    case 'tcp':
      return 'Reached the server on TCP port 1723.';
    case 'control':
      return 'The PPTP server answered.';
    case 'call':
      return 'The server accepted the call.';
    case 'lcp':
      return 'Link set up; tunnel packets (GRE) pass both ways.';
    case 'auth': {
      const method = text(d, 'method') ?? text(d, 'auth');
      return `Signed in${method ? ` with ${method}` : ''}.`;
    }
    case 'ccp': {
      const mppe = text(d, 'mppe');
      if (mppe === 'none') return 'Not encrypted.';
      return `Encrypted${mppe ? ` with ${mppe} MPPE` : ''}${text(d, 'mode') ? ` (${text(d, 'mode')})` : ''}.`;
    }
    case 'ipcp': {
      const local = text(d, 'local');
      return local ? `This computer got the address ${local}.` : 'Addresses agreed.';
    }
    case 'routes':
      return 'Routes and DNS set.';
  }
}

function technicalOf(detail: PhaseRecord['detail']): string | undefined {
  if (!detail || Object.keys(detail).length === 0) return undefined;
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join(' · ');
}

/**
 * The rows for an attempt. `failure`: the attempt's failure (its message goes on the failed
 * step, or on the first step that did not finish when no phase was named); `ended`: the
 * attempt is over, so steps that never started read "not reached".
 */
export function phaseRows(phases: readonly PhaseRecord[], failure: TunnelFailure | null, ended: boolean): StepRow[] {
  const failedPhase = failure ? (phases.find((p) => p.status === 'failed')?.phase ?? failure.phase) : undefined;
  return phases.map((p) => {
    const byStatus: Readonly<Record<PhaseRecord['status'], StepRowStatus>> = { done: 'ok', failed: 'failed', started: 'running', pending: 'waiting', 'not-reached': 'not-reached' };
    let status = byStatus[p.status];
    if (p.phase === failedPhase && status !== 'ok') status = 'failed';
    if (ended && (status === 'waiting' || status === 'running')) status = 'not-reached';
    const message =
      status === 'failed' ? (p.phase === failure?.phase || p.phase === failedPhase ? failure?.message : undefined) : status === 'ok' ? phaseSummary(p.phase, p.detail ?? {}) : undefined;
    const technical = technicalOf(p.detail);
    const time = p.durationMs !== undefined ? formatMs(p.durationMs) : p.at !== undefined && status === 'running' ? `at ${formatMs(p.at)}` : undefined;
    return { key: p.phase, label: PHASE_LABELS[p.phase], status, ...(message ? { message } : {}), ...(technical ? { technical } : {}), ...(time ? { time } : {}) };
  });
}
