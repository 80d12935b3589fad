/**
 * Tunnel slice: a mirror of the tunnel view main folds (main/app/tunnel/tunnel-view.ts) and
 * pushes on tunnel.state — the TunnelState and the attempt being shown (phase timeline, latest
 * stats, failure with the doctor's advice, pending reconnect) — plus what is the renderer's own:
 * the throughput graph's window of samples, the connect flow with its password prompt, and a
 * refused tunnel command.
 *
 * Must not: fold tunnel events or look advice up (main has done both); the only derived value
 * is the sample window, one sample per new stats in the view.
 */
import type {
  Advice,
  ConnectedDetails,
  DoctorResult,
  DoctorStepRecord,
  IpcError,
  TestStepPayload,
  PhaseRecord,
  TunnelFailure,
  TunnelState,
  TunnelView,
} from '../../../preload/contract';
import type { Profile } from '../../../preload/schema/profile';
import type { DisconnectedEvent, ReconnectingEvent, StatsEvent } from '../../../preload/schema/tunnel';
import type { Result } from '../services/bridge';
import type { AppState, SliceCreator } from './types';

export interface ThroughputSample {
  /** seconds since connected */
  readonly t: number;
  readonly rxRate: number;
  readonly txRate: number;
}

export interface PasswordPrompt {
  readonly profileId: string;
  /** 'ask': the profile asks every time; 'missing': nothing stored in the keychain. */
  readonly mode: 'ask' | 'missing';
  /** What the password is for: a connect (default) or a connection test. */
  readonly purpose?: 'connect' | 'test';
}

/** The connection test of one profile: steps as they settle, then the result (or a refusal). */
export interface ConnectionTest {
  readonly profileId: string;
  readonly credentials: boolean;
  readonly running: boolean;
  /** Settled steps, in the order they settled (the step view orders them). */
  readonly steps: readonly DoctorStepRecord[];
  readonly result: DoctorResult | null;
  readonly error: IpcError | null;
}

/** Samples kept for the graph (one per stats event, about one a second). */
export const MAX_SAMPLES = 120;

export interface TunnelSliceState {
  /** Mirrored from main. */
  tunnel: TunnelState;
  /** The profile whose attempt the fields below describe (mirrored, or the one just asked to connect). */
  attemptProfileId: string | null;
  phases: PhaseRecord[];
  /** The negotiated values while connected. */
  connectedDetails: ConnectedDetails | null;
  stats: StatsEvent | null;
  failure: TunnelFailure | null;
  advice: Advice | null;
  reconnecting: ReconnectingEvent | null;
  /** How the attempt ended (the service's disconnected event: reason, network restored). */
  ended: DisconnectedEvent | null;
  /** The renderer's own: the graph's window over the stats of the attempt. */
  samples: ThroughputSample[];
  /** A refused tunnel.connect / tunnel.disconnect call (e.g. busy, service unavailable). */
  commandError: IpcError | null;
  passwordPrompt: PasswordPrompt | null;
  /** The last (or running) connection test; null before any or after dismissing it. */
  connectionTest: ConnectionTest | null;
}

export interface TunnelActions {
  loadTunnelStatus(): Promise<void>;
  /** What main pushed on tunnel.state (or answered on tunnel.status). */
  applyTunnelView(view: TunnelView): void;
  /** Connect as the user asked: prompts first for profiles that ask every time. */
  requestConnect(profile: Pick<Profile, 'id' | 'askPasswordEveryTime'>): Promise<void>;
  connect(profileId: string, password?: string): Promise<Result<unknown>>;
  /** The prompt's answer: connect with it (and, when asked to, keep it in the keychain). */
  submitPassword(password: string, remember: boolean): Promise<Result<unknown>>;
  cancelPasswordPrompt(): void;
  disconnect(): Promise<Result<unknown>>;
  /** Test as the user asked: with credentials, prompts first when the profile asks every time. */
  requestTest(profile: Pick<Profile, 'id' | 'askPasswordEveryTime'>, credentials?: boolean): Promise<void>;
  testConnection(profileId: string, options?: { password?: string; credentials?: boolean }): Promise<Result<DoctorResult>>;
  /** What main pushed on tunnel.testStep. */
  applyTestStep(payload: TestStepPayload): void;
  dismissTest(): void;
}

export type TunnelSlice = TunnelSliceState & TunnelActions;

/** No attempt to show (nothing yet, or a new one asked for and not yet reported by main). */
function emptyAttempt(profileId: string | null): Pick<TunnelSliceState, 'attemptProfileId' | 'phases' | 'stats' | 'samples' | 'failure' | 'advice' | 'reconnecting' | 'ended'> {
  return { attemptProfileId: profileId, phases: [], stats: null, samples: [], failure: null, advice: null, reconnecting: null, ended: null };
}

export const tunnelInitialState: TunnelSliceState = {
  tunnel: { state: 'idle' },
  ...emptyAttempt(null),
  connectedDetails: null,
  commandError: null,
  passwordPrompt: null,
  connectionTest: null,
};

/** The graph's window after a view with `stats`: a sample per new stats, restarted with the attempt. */
export function nextSamples(samples: ThroughputSample[], stats: StatsEvent | null): ThroughputSample[] {
  if (!stats) return samples.length ? [] : samples;
  const t = stats.uptimeMs / 1000;
  const last = samples.at(-1);
  if (last && last.t === t) return samples; // the same stats: something else in the view changed
  const kept = last && t < last.t ? [] : samples;
  const next = [...kept, { t, rxRate: stats.rxRate, txRate: stats.txRate }];
  return next.length > MAX_SAMPLES ? next.slice(next.length - MAX_SAMPLES) : next;
}

/** The slice's fields for a view from main. */
export function mirrorView(view: TunnelView, current: Pick<TunnelSliceState, 'attemptProfileId' | 'samples' | 'commandError'>): Partial<TunnelSliceState> {
  const a = view.attempt;
  const sameAttempt = (a?.profileId ?? null) === current.attemptProfileId;
  return {
    tunnel: view.state,
    attemptProfileId: a?.profileId ?? null,
    phases: a?.phases ?? [],
    connectedDetails: view.state.state === 'connected' ? view.state.details : null,
    stats: a?.stats ?? null,
    samples: nextSamples(sameAttempt ? current.samples : [], a?.stats ?? null),
    failure: a?.failure ?? null,
    advice: a?.advice ?? null,
    reconnecting: a?.reconnecting ?? null,
    ended: a?.ended ?? null,
    // A refused command belongs to the attempt it was about.
    commandError: sameAttempt ? current.commandError : null,
  };
}

export const createTunnelSlice: SliceCreator<TunnelSlice> = (api) => (set, get) => ({
  ...tunnelInitialState,

  async loadTunnelStatus() {
    const r = await api.tunnelStatus();
    if (!r.ok) return;
    get().applyTunnelView({ state: r.value.state, attempt: r.value.attempt });
  },

  applyTunnelView(view) {
    set(mirrorView(view, get()));
  },

  async requestConnect(profile) {
    if (profile.askPasswordEveryTime) {
      set({ passwordPrompt: { profileId: profile.id, mode: 'ask' } });
      return;
    }
    await get().connect(profile.id);
  },

  async connect(profileId, password) {
    // The last attempt's timeline and failure go at once; main reports the new attempt.
    set({ ...emptyAttempt(profileId), commandError: null, passwordPrompt: null });
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
    const go = (pw?: string) =>
      prompt.purpose === 'test' ? get().testConnection(prompt.profileId, pw === undefined ? {} : { password: pw }) : get().connect(prompt.profileId, pw);
    if (prompt.mode === 'missing' && remember) {
      const saved = await api.setPassword(prompt.profileId, password);
      if (!saved.ok) return saved;
      return go();
    }
    return go(password);
  },

  cancelPasswordPrompt() {
    set({ passwordPrompt: null });
  },

  async disconnect() {
    const r = await api.disconnect();
    set({ commandError: r.ok ? null : r.error });
    return r;
  },

  async requestTest(profile, credentials = true) {
    if (credentials && profile.askPasswordEveryTime) {
      set({ passwordPrompt: { profileId: profile.id, mode: 'ask', purpose: 'test' } });
      return;
    }
    await get().testConnection(profile.id, { credentials });
  },

  async testConnection(profileId, options = {}) {
    const credentials = options.credentials ?? true;
    set({ connectionTest: { profileId, credentials, running: true, steps: [], result: null, error: null }, passwordPrompt: null });
    const r = await api.testConnection(profileId, options);
    const current = get().connectionTest;
    if (current?.profileId !== profileId) return r; // dismissed or replaced meanwhile
    if (r.ok) {
      set({ connectionTest: { ...current, running: false, steps: r.value.steps, result: r.value } });
    } else if (r.error.code === 'password-required' || r.error.code === 'no-password') {
      set({ connectionTest: null, passwordPrompt: { profileId, mode: r.error.code === 'no-password' ? 'missing' : 'ask', purpose: 'test' } });
    } else {
      set({ connectionTest: { ...current, running: false, error: r.error } });
    }
    return r;
  },

  applyTestStep({ profileId, step }) {
    const current = get().connectionTest;
    if (!current || !current.running || current.profileId !== profileId) return;
    set({ connectionTest: { ...current, steps: [...current.steps.filter((s) => s.step !== step.step), step] } });
  },

  dismissTest() {
    set({ connectionTest: null });
  },
});

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
  /** The connection test shown for this profile, if any. */
  testOf: (profileId: string) => (s: AppState) => (s.connectionTest?.profileId === profileId ? s.connectionTest : null),
};
