/**
 * The tunnel, folded once: a pure reducer `(status, input, context) -> status` that computes
 * everything the app shows about the tunnel — the TunnelState tagged union (tray, notifications,
 * badges), the current attempt (phase timeline, latest stats, failure with the doctor's advice,
 * pending reconnect, how it ended) and the attempt's event record for tunnel.status. The
 * supervisor feeds it; main pushes `viewOf(status)` on tunnel.state; the renderer mirrors that.
 *
 * Rules (one place for each):
 *  - a connect starts a fresh attempt and event record; a `tcp started` after a drop starts a
 *    fresh attempt too, keeping the reconnect notice until that attempt succeeds or fails;
 *  - `error` is sticky: a later `disconnected` does not clear it; only a new connect, a
 *    dismissal (`ended`) or a reconnect does;
 *  - an error while disconnecting is recorded in the attempt but does not become the state;
 *  - a drop without an error event (disconnected, not asked for) is a failure of that reason;
 *  - when an attempt fails, the phase in progress is the failed one and the phases after it read
 *    'not-reached' (closeTimeline); a cancelled attempt's unstarted phases too;
 *  - advice comes from `context.adviceFor`, which is the doctor's table (DOCTOR_ADVICE) in the
 *    app: the error event's `hint` is not used, so a failure reads the same on every route;
 *  - service events while idle change nothing (a late event after a dismissal).
 * The returned object keeps the identity of every part that did not change (the supervisor
 * announces a new TunnelState only when `status.state` is a new object).
 *
 * Must not: do I/O, read clocks, set timers, log, or redact (inputs arrive already redacted).
 */
import {
  MAX_STATUS_EVENTS,
  type Advice,
  type TunnelAttempt,
  type TunnelEventPayload,
  type TunnelState,
  type TunnelStatusWire,
  type TunnelView,
} from '../../../preload/contract';
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import type { FailureReason } from '../../../preload/vocabulary';
import { adviceFor } from '../../service/doctor/advice';
import type { FailureDetail } from '../../service/doctor/refusal-advice';
import { applyPhaseEvent, closeTimeline, markPhaseFailed, pendingPhases } from './attempt-timeline';

/** The whole fold: what tunnel.status returns. */
export type TunnelStatus = TunnelStatusWire;

/** What the supervisor knows happened. Service events arrive redacted; messages too. */
export type TunnelInput =
  /** The user asked to connect this profile (the supervisor accepted it). */
  | { readonly kind: 'connect-requested'; readonly profileId: string }
  /** An event from the tunnel service, for the tunnel of the current profile. */
  | { readonly kind: 'service-event'; readonly event: TunnelEvent }
  /** A disconnect (or quit) began: a connecting or connected tunnel is being torn down. */
  | { readonly kind: 'disconnect-requested' }
  /** A failure the app saw itself: the service would not start, refused the connect, or died. */
  | { readonly kind: 'failed'; readonly profileId: string; readonly reason: FailureReason; readonly message: string }
  /** Nothing runs any more: the error was dismissed, the teardown ended or timed out, the service stopped or was busy. */
  | { readonly kind: 'ended' };

export interface TunnelViewContext {
  /** `detail` is the error event's: when it names a refusal of ours, the advice is that refusal's. */
  readonly adviceFor: (reason: FailureReason, detail?: FailureDetail) => Advice;
}

/** The app's context: the doctor's one advice table (main/service/doctor/advice.ts). */
export const DOCTOR_ADVICE: TunnelViewContext = { adviceFor: (reason, detail) => ({ ...adviceFor({ reason, detail }) }) };

export const IDLE: TunnelState = { state: 'idle' };

export const INITIAL_TUNNEL_STATUS: TunnelStatus = { state: IDLE, attempt: null, events: [] };

/** What tunnel.state pushes: the status without its event record. */
export function viewOf(status: TunnelStatus): TunnelView {
  return { state: status.state, attempt: status.attempt };
}

export function freshAttempt(profileId: string): TunnelAttempt {
  return { profileId, phases: pendingPhases(), stats: null, failure: null, advice: null, reconnecting: null, ended: null };
}

export function foldTunnel(status: TunnelStatus, input: TunnelInput, context: TunnelViewContext = DOCTOR_ADVICE): TunnelStatus {
  const { state, attempt } = status;
  switch (input.kind) {
    case 'connect-requested':
      return { state: { state: 'connecting', profileId: input.profileId, phase: null, attempt: 0 }, attempt: freshAttempt(input.profileId), events: [] };
    case 'disconnect-requested':
      if (state.state !== 'connecting' && state.state !== 'connected') return status;
      return { ...status, state: { state: 'disconnecting', profileId: state.profileId } };
    case 'failed':
      return fail(status, input.profileId, { reason: input.reason, message: input.message }, context);
    case 'ended':
      if (state.state === 'idle' && !attempt?.reconnecting) return status;
      return { ...status, state: IDLE, attempt: attempt && { ...attempt, reconnecting: null } };
    case 'service-event':
      if (state.state === 'idle') return status;
      return foldServiceEvent(status, state.profileId, input.event, context);
  }
}

function foldServiceEvent(status: TunnelStatus, profileId: string, event: TunnelEvent, context: TunnelViewContext): TunnelStatus {
  const events = recordEvent(status.events, { profileId, event });
  const s = { ...status, events, attempt: attemptOf(status.attempt, profileId, event) };
  const attempt = s.attempt;
  const state = s.state;
  switch (event.event) {
    case 'phase': {
      const next = { ...s, attempt: { ...attempt, phases: applyPhaseEvent(attempt.phases, event) } };
      if (state.state === 'connecting' && event.status === 'started') return { ...next, state: { ...state, phase: event.phase } };
      return next;
    }
    case 'connected': {
      const { event: _event, ...details } = event;
      return { ...s, state: { state: 'connected', profileId, details }, attempt: { ...attempt, failure: null, advice: null, reconnecting: null } };
    }
    case 'stats':
      return { ...s, attempt: { ...attempt, stats: event } };
    case 'error': {
      const failure = { reason: event.reason, message: event.message, ...(event.phase !== undefined ? { phase: event.phase } : {}) };
      const phases = event.phase ? markPhaseFailed(attempt.phases, event.phase) : attempt.phases;
      const withPhases = { ...s, attempt: { ...attempt, phases } };
      // Tearing down on purpose: say what went wrong, but the state stays 'disconnecting'.
      const advice = context.adviceFor(event.reason, event.detail);
      if (state.state === 'disconnecting') return { ...withPhases, attempt: { ...withPhases.attempt, failure, advice, reconnecting: null } };
      return fail(withPhases, profileId, failure, context, advice);
    }
    case 'disconnected': {
      const ended = { ...s, attempt: { ...attempt, ended: event } };
      if (state.state === 'error') return ended; // sticky: the error says more than the end
      if (event.reason === 'local-disconnect' || state.state === 'disconnecting') {
        const phases = ended.attempt.phases.some((p) => p.status === 'started') ? closeTimeline(ended.attempt.phases, undefined, true) : ended.attempt.phases;
        return { ...ended, state: IDLE, attempt: { ...ended.attempt, phases, reconnecting: null } };
      }
      return fail(ended, profileId, { reason: event.reason, message: context.adviceFor(event.reason).title }, context);
    }
    case 'reconnecting': {
      const next = { ...s, attempt: { ...attempt, reconnecting: event } };
      if (state.state === 'disconnecting') return next;
      return { ...next, state: { state: 'connecting', profileId, phase: null, attempt: event.attempt } };
    }
    case 'log':
      return s;
  }
}

/** The attempt an event belongs to: the current one, or a fresh one for a new attempt. */
function attemptOf(current: TunnelAttempt | null, profileId: string, event: TunnelEvent): TunnelAttempt {
  if (!current || current.profileId !== profileId) return freshAttempt(profileId);
  const isNewAttempt = event.event === 'phase' && event.phase === 'tcp' && event.status === 'started';
  // A reconnect keeps its notice until the attempt succeeds or fails.
  if (isNewAttempt) return { ...freshAttempt(profileId), reconnecting: current.reconnecting };
  return current;
}

function fail(status: TunnelStatus, profileId: string, failure: TunnelAttempt['failure'] & object, context: TunnelViewContext, precise?: Advice): TunnelStatus {
  const advice = precise ?? context.adviceFor(failure.reason);
  const current = status.attempt && status.attempt.profileId === profileId ? status.attempt : freshAttempt(profileId);
  // Only a timeline that began is closed: a failure before any phase (the service would not start) has no steps to explain.
  const began = current.phases.some((p) => p.status !== 'pending');
  const base = began ? { ...current, phases: closeTimeline(current.phases, failure.phase) } : current;
  return {
    ...status,
    state: { state: 'error', profileId, failure, advice },
    attempt: { ...base, failure, advice: { ...advice }, reconnecting: null },
  };
}

/** The attempt's event record: oldest first, only the latest stats, at most MAX_STATUS_EVENTS. */
export function recordEvent(events: readonly TunnelEventPayload[], payload: TunnelEventPayload): TunnelEventPayload[] {
  const kept = payload.event.event === 'stats' ? events.filter((p) => p.event.event !== 'stats') : [...events];
  kept.push(payload);
  return kept.length > MAX_STATUS_EVENTS ? kept.slice(kept.length - MAX_STATUS_EVENTS) : kept;
}
