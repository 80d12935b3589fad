/**
 * The phase timeline of one connect attempt: one record per TUNNEL_PHASES step, in order, each
 * 'pending' until its first `phase` event, and 'not-reached' when the attempt ended before it
 * (closeTimeline). Pure functions over immutable arrays; the reducer in
 * tunnel-view.ts is their only caller.
 *
 * Must not: know about tunnel states, advice or I/O.
 */
import type { PhaseRecord } from '../../../preload/contract';
import type { PhaseEvent } from '../../../preload/schema/tunnel';
import { TUNNEL_PHASES, type TunnelPhase } from '../../../preload/vocabulary';

/** The timeline of an attempt that has not started any phase yet. */
export function pendingPhases(): PhaseRecord[] {
  return TUNNEL_PHASES.map((phase) => ({ phase, status: 'pending' as const }));
}

function replace(phases: PhaseRecord[], record: PhaseRecord): PhaseRecord[] {
  return phases.map((p) => (p.phase === record.phase ? record : p));
}

/**
 * A `phase` event applied to its step. `at` is when the phase began: the event's own time for
 * 'started', else the earlier start (or, when the start was missed, its end minus its duration).
 * Detail (negotiated values) accumulates over the phase's events.
 */
export function applyPhaseEvent(phases: PhaseRecord[], event: PhaseEvent): PhaseRecord[] {
  const prev = phases.find((p) => p.phase === event.phase);
  const record: PhaseRecord = {
    phase: event.phase,
    status: event.status,
    at: event.status === 'started' ? event.at : (prev?.at ?? event.at - (event.durationMs ?? 0)),
    ...(event.durationMs !== undefined ? { durationMs: event.durationMs } : {}),
    ...(event.detail || prev?.detail ? { detail: { ...prev?.detail, ...event.detail } } : {}),
  };
  return replace(phases, record);
}

/** An error named this phase: it failed, unless it had already completed. */
export function markPhaseFailed(phases: PhaseRecord[], phase: TunnelPhase): PhaseRecord[] {
  const prev = phases.find((p) => p.phase === phase);
  if (!prev || prev.status === 'done') return phases;
  return replace(phases, { ...prev, status: 'failed' });
}

/**
 * The attempt is over: the phase in progress (if none failed) is the one that failed, and every
 * phase that never began is 'not-reached'. Done phases stay done. `failedPhase`: the phase the
 * error named, when it did; `cancelled`: the user ended it, so nothing failed (the phase in
 * progress is not reached either).
 */
export function closeTimeline(phases: PhaseRecord[], failedPhase?: TunnelPhase, cancelled = false): PhaseRecord[] {
  let next = failedPhase ? markPhaseFailed(phases, failedPhase) : phases;
  if (!cancelled && !next.some((p) => p.status === 'failed')) {
    const running = next.find((p) => p.status === 'started');
    if (running) next = replace(next, { ...running, status: 'failed' });
  }
  const closed = next.map((p) => (p.status === 'pending' || p.status === 'started' ? { ...p, status: 'not-reached' as const } : p));
  return closed.every((p, i) => p === next[i]) ? next : closed;
}
