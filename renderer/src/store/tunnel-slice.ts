/**
 * Tunnel slice: the tunnel state (the contract's tagged union, pushed on tunnel.state) and, for
 * the attempt being shown, what the tunnel events say: the phase timeline with timings, the
 * negotiated values, the live counters with a window of throughput samples, and the failure with
 * the doctor's advice. It also owns the connect flow, including asking for a password.
 *
 * Events are applied as they come; the state channel is authoritative for "what is happening",
 * the events for "how it went". A new attempt (connect, or a new `tcp started`) resets the timeline.
 */
import {
  type Advice,
  type ConnectedDetails,
  type IpcError,
  type TunnelEventPayload,
  type TunnelState,
  type TunnelStatusWire,
} from '../../../preload/contract';
import type { Profile } from '../../../preload/schema/profile';
import {
  TUNNEL_PHASES,
  type ReconnectingEvent,
  type StatsEvent,
  type TunnelFailureReason,
  type TunnelPhase,
} from '../../../preload/schema/tunnel';
import type { Result } from '../services/bridge';
import type { AppState, SliceCreator } from './types';

export type PhaseStatus = 'pending' | 'started' | 'done' | 'failed';

export interface PhaseRecord {
  readonly phase: TunnelPhase;
  readonly status: PhaseStatus;
  /** ms since the attempt began */
  readonly at?: number;
  readonly durationMs?: number;
  readonly detail?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

export interface ThroughputSample {
  /** seconds since connected */
  readonly t: number;
  readonly rxRate: number;
  readonly txRate: number;
}

export interface TunnelFailure {
  readonly reason: TunnelFailureReason;
  readonly message: string;
  readonly hint?: string;
  readonly phase?: TunnelPhase;
}

export interface PasswordPrompt {
  readonly profileId: string;
  /** 'ask': the profile asks every time; 'missing': nothing stored in the keychain. */
  readonly mode: 'ask' | 'missing';
}

/** Samples kept for the graph (one per stats event, about one a second). */
export const MAX_SAMPLES = 120;

export interface TunnelSliceState {
  tunnel: TunnelState;
  /** The profile whose attempt the timeline below describes. */
  attemptProfileId: string | null;
  phases: PhaseRecord[];
  connectedDetails: ConnectedDetails | null;
  stats: StatsEvent | null;
  samples: ThroughputSample[];
  failure: TunnelFailure | null;
  advice: Advice | null;
  reconnecting: ReconnectingEvent | null;
  /** A refused tunnel.connect / tunnel.disconnect call (e.g. busy, service unavailable). */
  commandError: IpcError | null;
  passwordPrompt: PasswordPrompt | null;
}

export interface TunnelActions {
  loadTunnelStatus(): Promise<void>;
  applyTunnelState(state: TunnelState): void;
  applyTunnelEvent(payload: TunnelEventPayload): void;
  /** Connect as the user asked: prompts first for profiles that ask every time. */
  requestConnect(profile: Pick<Profile, 'id' | 'askPasswordEveryTime'>): Promise<void>;
  connect(profileId: string, password?: string): Promise<Result<unknown>>;
  /** The prompt's answer: connect with it (and, when asked to, keep it in the keychain). */
  submitPassword(password: string, remember: boolean): Promise<Result<unknown>>;
  cancelPasswordPrompt(): void;
  disconnect(): Promise<Result<unknown>>;
}

export type TunnelSlice = TunnelSliceState & TunnelActions;

export function pendingPhases(): PhaseRecord[] {
  return TUNNEL_PHASES.map((phase) => ({ phase, status: 'pending' as const }));
}

export const tunnelInitialState: TunnelSliceState = {
  tunnel: { state: 'idle' },
  attemptProfileId: null,
  phases: pendingPhases(),
  connectedDetails: null,
  stats: null,
  samples: [],
  failure: null,
  advice: null,
  reconnecting: null,
  commandError: null,
  passwordPrompt: null,
};

function freshAttempt(profileId: string): Partial<TunnelSliceState> {
  return {
    attemptProfileId: profileId,
    phases: pendingPhases(),
    connectedDetails: null,
    stats: null,
    samples: [],
    failure: null,
    advice: null,
    reconnecting: null,
    commandError: null,
  };
}

function setPhase(phases: readonly PhaseRecord[], record: PhaseRecord): PhaseRecord[] {
  return phases.map((p) => (p.phase === record.phase ? record : p));
}

export const createTunnelSlice: SliceCreator<TunnelSlice> = (api) => (set, get) => {
  async function fetchAdvice(reason: TunnelFailureReason): Promise<void> {
    const r = await api.advice(reason);
    // Only if the failure is still the one shown and tunnel.state has not brought its own advice meanwhile.
    if (r.ok && get().failure?.reason === reason && get().advice === null) set({ advice: r.value });
  }

  function applyEventOnly(payload: TunnelEventPayload): void {
    const { profileId, event } = payload;
    const s = get();
    const isNewAttempt = event.event === 'phase' && event.phase === 'tcp' && event.status === 'started';
    let base: Partial<TunnelSliceState> = {};
    if (s.attemptProfileId !== profileId || isNewAttempt) {
      base = freshAttempt(profileId);
      // A reconnect keeps its notice until the attempt succeeds or fails.
      if (isNewAttempt && s.attemptProfileId === profileId) base.reconnecting = s.reconnecting;
    }
    const phases = base.phases ?? s.phases;
    switch (event.event) {
      case 'phase': {
        const prev = phases.find((p) => p.phase === event.phase);
        const record: PhaseRecord = {
          phase: event.phase,
          status: event.status,
          at: event.status === 'started' ? event.at : (prev?.at ?? event.at - (event.durationMs ?? 0)),
          ...(event.durationMs !== undefined ? { durationMs: event.durationMs } : {}),
          ...(event.detail || prev?.detail ? { detail: { ...prev?.detail, ...event.detail } } : {}),
        };
        set({ ...base, phases: setPhase(phases, record) });
        return;
      }
      case 'connected': {
        const { event: _e, ...details } = event;
        set({ ...base, connectedDetails: details, failure: null, advice: null, reconnecting: null });
        return;
      }
      case 'stats': {
        const samples = [...(base.samples ?? s.samples), { t: event.uptimeMs / 1000, rxRate: event.rxRate, txRate: event.txRate }];
        set({ ...base, stats: event, samples: samples.length > MAX_SAMPLES ? samples.slice(samples.length - MAX_SAMPLES) : samples });
        return;
      }
      case 'error': {
        const failure: TunnelFailure = {
          reason: event.reason,
          message: event.message,
          ...(event.hint !== undefined ? { hint: event.hint } : {}),
          ...(event.phase !== undefined ? { phase: event.phase } : {}),
        };
        let nextPhases = phases;
        if (event.phase) {
          const prev = phases.find((p) => p.phase === event.phase);
          if (prev && prev.status !== 'done') nextPhases = setPhase(phases, { ...prev, status: 'failed' });
        }
        // The state channel may have brought the advice for this very failure already.
        const keepAdvice = base.attemptProfileId === undefined && s.failure?.reason === event.reason;
        set({ ...base, phases: nextPhases, failure, advice: keepAdvice ? s.advice : null, reconnecting: null });
        return;
      }
      case 'disconnected':
        set({ ...base, connectedDetails: null });
        return;
      case 'reconnecting':
        set({ ...base, reconnecting: event });
        return;
      case 'log':
        // Log lines arrive on log.line (redacted by main); nothing to show here.
        if (Object.keys(base).length) set(base);
        return;
    }
  }

  return {
    ...tunnelInitialState,

    async loadTunnelStatus() {
      const r = await api.tunnelStatus();
      if (!r.ok) return;
      replayStatus(r.value);
    },

    applyTunnelState(state) {
      const s = get();
      const patch: Partial<TunnelSliceState> = { tunnel: state };
      if (state.state !== 'idle' && s.attemptProfileId !== state.profileId) Object.assign(patch, freshAttempt(state.profileId));
      switch (state.state) {
        case 'connecting':
          if (state.phase) {
            const phases = patch.phases ?? s.phases;
            const rec = phases.find((p) => p.phase === state.phase);
            if (rec && rec.status === 'pending') patch.phases = setPhase(phases, { ...rec, status: 'started' });
          }
          break;
        case 'connected':
          patch.connectedDetails = state.details;
          patch.failure = null;
          patch.reconnecting = null;
          break;
        case 'error':
          patch.failure = { reason: state.failure.reason, message: state.failure.message, ...(state.failure.phase ? { phase: state.failure.phase } : {}) };
          patch.advice = state.advice;
          patch.reconnecting = null;
          break;
        case 'idle':
          patch.connectedDetails = null;
          patch.reconnecting = null;
          break;
        case 'disconnecting':
          break;
      }
      set(patch);
    },

    applyTunnelEvent(payload) {
      applyEventOnly(payload);
      const s = get();
      if (payload.event.event === 'error' && s.advice === null) void fetchAdvice(payload.event.reason);
    },

    async requestConnect(profile) {
      if (profile.askPasswordEveryTime) {
        set({ passwordPrompt: { profileId: profile.id, mode: 'ask' } });
        return;
      }
      await get().connect(profile.id);
    },

    async connect(profileId, password) {
      set({ ...freshAttempt(profileId), passwordPrompt: null });
      const r = await api.connect(profileId, password);
      if (!r.ok) {
        if (r.error.code === 'password-required') set({ passwordPrompt: { profileId, mode: 'ask' } });
        else if (r.error.code === 'no-password') set({ passwordPrompt: { profileId, mode: 'missing' } });
        else set({ commandError: r.error });
      }
      return r;
    },

    async submitPassword(password, remember) {
      const prompt = get().passwordPrompt;
      if (!prompt) return { ok: false, error: { code: 'no-prompt', message: 'No password was asked for.' } };
      if (prompt.mode === 'missing' && remember) {
        const saved = await api.setPassword(prompt.profileId, password);
        if (!saved.ok) return saved;
        return get().connect(prompt.profileId);
      }
      return get().connect(prompt.profileId, password);
    },

    cancelPasswordPrompt() {
      set({ passwordPrompt: null });
    },

    async disconnect() {
      const r = await api.disconnect();
      set({ commandError: r.ok ? null : r.error });
      return r;
    },
  };

  function replayStatus(status: TunnelStatusWire): void {
    for (const e of status.events) applyEventOnly(e);
    get().applyTunnelState(status.state);
    const s = get();
    if (s.failure && !s.advice) void fetchAdvice(s.failure.reason);
  }
};

export type ProfileBadge = 'connected' | 'connecting' | 'disconnecting' | 'error' | null;

/** The badge a profile shows in the list, from the tunnel state. */
export function profileBadge(tunnel: TunnelState, profileId: string): ProfileBadge {
  if (tunnel.state === 'idle' || tunnel.profileId !== profileId) return null;
  return tunnel.state;
}

export const tunnelSelectors = {
  tunnel: (s: AppState) => s.tunnel,
  badge: (profileId: string) => (s: AppState) => profileBadge(s.tunnel, profileId),
  /** Whether the attempt shown is this profile's. */
  showsAttemptOf: (profileId: string) => (s: AppState) => s.attemptProfileId === profileId,
  isBusy: (s: AppState) => s.tunnel.state !== 'idle' && s.tunnel.state !== 'error',
};
