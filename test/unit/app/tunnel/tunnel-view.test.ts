/**
 * The one fold of what the app shows about the tunnel (main/app/tunnel/tunnel-view.ts), with no
 * process and no clock: every input kind and service event, reconnecting, error stickiness,
 * advice for every failure reason, attempt resets, the event record's bound, and that every view
 * it produces is what the contract lets main push.
 */
import { describe, expect, it } from 'vitest';
import { MAX_STATUS_EVENTS, validateEvent, validateResponse, type TunnelState } from '../../../../preload/contract';
import type { TunnelEvent } from '../../../../preload/schema/tunnel';
import { FAILURE_REASONS, TUNNEL_PHASES } from '../../../../preload/vocabulary';
import { ADVICE } from '../../../../main/service/doctor/advice';
import {
  DOCTOR_ADVICE,
  foldTunnel,
  IDLE,
  INITIAL_TUNNEL_STATUS,
  viewOf,
  type TunnelInput,
  type TunnelStatus,
} from '../../../../main/app/tunnel/tunnel-view';

const A = '6f1c1a52-2d0b-4a5e-9d0c-3a2b1c0d9e8f';
const B = '0b9e9a51-6d7c-4c1e-8a39-8d1f0e2c3b4a';

const connected: TunnelEvent = {
  event: 'connected',
  server: '192.0.2.1',
  localIp: '10.0.0.2',
  remoteIp: '10.0.0.1',
  dns: ['10.0.0.53'],
  mtu: 1400,
  auth: 'mschapv2',
  mppe: { bits: 128, stateful: false },
  elapsedMs: 420,
};
const stats = (uptimeMs: number): TunnelEvent => ({ event: 'stats', uptimeMs, rxBytes: uptimeMs, txBytes: 1, rxPackets: 1, txPackets: 1, rxRate: 10, txRate: 5 });

/** Folds inputs (service events given bare) and checks every intermediate view against the contract. */
function run(inputs: readonly (TunnelInput | TunnelEvent)[], from: TunnelStatus = INITIAL_TUNNEL_STATUS): TunnelStatus {
  let s = from;
  for (const i of inputs) {
    s = foldTunnel(s, 'kind' in i ? i : { kind: 'service-event', event: i });
    const pushed = validateEvent('tunnel.state', viewOf(s));
    if (!pushed.ok) throw new Error(`the fold made a view main could not push: ${pushed.error.message}`);
  }
  return s;
}

const connect = (profileId = A): TunnelInput => ({ kind: 'connect-requested', profileId });
const phase = (p: (typeof TUNNEL_PHASES)[number], status: 'started' | 'done' | 'failed', at: number, durationMs?: number): TunnelEvent => ({
  event: 'phase',
  phase: p,
  status,
  at,
  ...(durationMs !== undefined ? { durationMs } : {}),
});
const statusOf = (s: TunnelStatus, p: string) => s.attempt?.phases.find((r) => r.phase === p)?.status;

describe('foldTunnel: inputs', () => {
  it('idle_connectRequested_connectingWithAFreshAttempt', () => {
    const s = run([connect()]);
    expect(s.state).toEqual({ state: 'connecting', profileId: A, phase: null, attempt: 0 });
    expect(s.attempt).toEqual({
      profileId: A,
      phases: TUNNEL_PHASES.map((p) => ({ phase: p, status: 'pending' })),
      stats: null,
      failure: null,
      advice: null,
      reconnecting: null,
      ended: null,
    });
    expect(s.events).toEqual([]);
  });

  it('connected_disconnectRequested_disconnecting; idleOrError_unchanged', () => {
    const up = run([connect(), connected]);
    expect(run([{ kind: 'disconnect-requested' }], up).state).toEqual({ state: 'disconnecting', profileId: A });
    expect(foldTunnel(INITIAL_TUNNEL_STATUS, { kind: 'disconnect-requested' })).toBe(INITIAL_TUNNEL_STATUS);
    const failed = run([connect(), { event: 'error', reason: 'auth-failed', message: 'E=691' }]);
    expect(foldTunnel(failed, { kind: 'disconnect-requested' })).toBe(failed);
  });

  it('failed_errorWithAdvice_andTheAttemptSaysSo', () => {
    const s = run([connect(), { kind: 'failed', profileId: A, reason: 'internal-error', message: 'The tunnel service stopped unexpectedly (exit code 3).' }]);
    expect(s.state).toEqual({
      state: 'error',
      profileId: A,
      failure: { reason: 'internal-error', message: 'The tunnel service stopped unexpectedly (exit code 3).' },
      advice: ADVICE['internal-error'],
    });
    expect(s.attempt).toMatchObject({ profileId: A, failure: { reason: 'internal-error' }, advice: ADVICE['internal-error'] });
  });

  it('failed_forAnotherProfile_startsThatProfilesAttempt', () => {
    const s = run([connect(A), phase('tcp', 'started', 0), { kind: 'failed', profileId: B, reason: 'internal-error', message: 'x' }]);
    expect(s.attempt?.profileId).toBe(B);
    expect(statusOf(s, 'tcp')).toBe('pending');
  });

  it('ended_idle_keepsTheFailureReadable', () => {
    const s = run([connect(), { event: 'error', reason: 'gre-blocked', message: 'no GRE' }, { kind: 'ended' }]);
    expect(s.state).toBe(IDLE);
    expect(s.attempt).toMatchObject({ failure: { reason: 'gre-blocked' }, advice: ADVICE['gre-blocked'] });
    expect(foldTunnel(s, { kind: 'ended' })).toBe(s);
  });

  it('idle_serviceEvents_changeNothing', () => {
    const after = run([connect(), connected, { event: 'disconnected', reason: 'local-disconnect', restored: true }]);
    for (const e of [phase('tcp', 'started', 0), connected, stats(1), { event: 'log', level: 'info', message: 'late' } as TunnelEvent]) {
      expect(foldTunnel(after, { kind: 'service-event', event: e })).toBe(after);
    }
  });
});

describe('foldTunnel: service events', () => {
  it('phase_buildsTheTimelineWithTimingsAndDetail_andNamesThePhaseInProgress', () => {
    const s = run([
      connect(),
      phase('tcp', 'started', 0),
      phase('tcp', 'done', 12, 12),
      phase('control', 'started', 12),
      { event: 'phase', phase: 'lcp', status: 'done', at: 80, durationMs: 30, detail: { mru: 1400 } },
      { event: 'phase', phase: 'lcp', status: 'done', at: 81, durationMs: 31, detail: { magic: true } },
    ]);
    const byPhase = Object.fromEntries(s.attempt?.phases.map((p) => [p.phase, p]) ?? []);
    expect(byPhase.tcp).toEqual({ phase: 'tcp', status: 'done', at: 0, durationMs: 12 });
    expect(byPhase.control).toEqual({ phase: 'control', status: 'started', at: 12 });
    expect(byPhase.lcp).toEqual({ phase: 'lcp', status: 'done', at: 50, durationMs: 31, detail: { mru: 1400, magic: true } });
    expect(byPhase.routes).toEqual({ phase: 'routes', status: 'pending' });
    expect(s.state).toEqual({ state: 'connecting', profileId: A, phase: 'control', attempt: 0 });
  });

  it('phaseStarted_whileConnected_doesNotChangeTheState', () => {
    const up = run([connect(), connected]);
    expect(run([phase('routes', 'started', 500)], up).state).toBe(up.state);
  });

  it('connected_connectedWithDetails_clearsFailureAndReconnect', () => {
    const s = run([connect(), { event: 'error', reason: 'peer-disconnected', message: 'hung up' }, { event: 'reconnecting', attempt: 1, delayMs: 10, reason: 'peer-disconnected' }, connected]);
    const { event: _e, ...details } = connected as Extract<TunnelEvent, { event: 'connected' }>;
    expect(s.state).toEqual({ state: 'connected', profileId: A, details });
    expect(s.attempt).toMatchObject({ failure: null, advice: null, reconnecting: null });
  });

  it('stats_latestInTheView_andOnlyTheLatestInTheRecord', () => {
    const s = run([connect(), connected, stats(1000), { event: 'log', level: 'info', message: 'x' }, stats(2000)]);
    expect(s.attempt?.stats).toEqual(stats(2000));
    expect(s.events.filter((e) => e.event.event === 'stats')).toEqual([{ profileId: A, event: stats(2000) }]);
    expect(s.events.map((e) => e.event.event)).toEqual(['connected', 'log', 'stats']);
  });

  it('error_errorStateWithAdvice_andMarksItsPhaseFailedUnlessDone', () => {
    const s = run([connect(), phase('lcp', 'done', 10, 5), phase('auth', 'started', 10), { event: 'error', reason: 'auth-failed', message: 'E=691', phase: 'auth', hint: 'ignored' }]);
    expect(s.state).toEqual({ state: 'error', profileId: A, failure: { reason: 'auth-failed', message: 'E=691', phase: 'auth' }, advice: ADVICE['auth-failed'] });
    expect(s.attempt?.failure).toEqual({ reason: 'auth-failed', message: 'E=691', phase: 'auth' });
    expect(statusOf(s, 'auth')).toBe('failed');
    const late = run([{ event: 'error', reason: 'negotiation-failed', message: 'x', phase: 'lcp' }], s);
    expect(statusOf(late, 'lcp')).toBe('done');
  });

  it('error_whileDisconnecting_isRecordedButNotTheState', () => {
    const s = run([connect(), connected, { kind: 'disconnect-requested' }, { event: 'error', reason: 'network-config-failed', message: 'routes' }]);
    expect(s.state).toEqual({ state: 'disconnecting', profileId: A });
    expect(s.attempt).toMatchObject({ failure: { reason: 'network-config-failed' }, advice: ADVICE['network-config-failed'] });
  });

  it('error_isSticky_aLaterDisconnectedKeepsIt_butRecordsTheEnd', () => {
    const failed = run([connect(), { event: 'error', reason: 'auth-failed', message: 'E=691' }]);
    const s = run([{ event: 'disconnected', reason: 'auth-failed', restored: true }], failed);
    expect(s.state).toBe(failed.state);
    expect(s.attempt?.ended).toEqual({ event: 'disconnected', reason: 'auth-failed', restored: true });
  });

  it('disconnected_local_orWhileDisconnecting_goesIdle', () => {
    const up = run([connect(), connected]);
    expect(run([{ event: 'disconnected', reason: 'local-disconnect', restored: true }], up).state).toBe(IDLE);
    expect(run([{ kind: 'disconnect-requested' }, { event: 'disconnected', reason: 'peer-disconnected', restored: true }], up).state).toBe(IDLE);
  });

  it('disconnected_unasked_withoutAnErrorEvent_failsWithThatReason', () => {
    const s = run([connect(), connected, { event: 'disconnected', reason: 'keepalive-timeout', restored: false }]);
    expect(s.state).toEqual({
      state: 'error',
      profileId: A,
      failure: { reason: 'keepalive-timeout', message: ADVICE['keepalive-timeout'].title },
      advice: ADVICE['keepalive-timeout'],
    });
    expect(s.attempt?.ended).toMatchObject({ restored: false });
  });

  it('reconnecting_connectingWithAttemptN_evenFromError_butNotWhileDisconnecting', () => {
    const dropped = run([connect(), connected, { event: 'error', reason: 'peer-disconnected', message: 'hung up' }]);
    const notice = { event: 'reconnecting', attempt: 2, delayMs: 1000, reason: 'peer-disconnected' } as const;
    const s = run([notice], dropped);
    expect(s.state).toEqual({ state: 'connecting', profileId: A, phase: null, attempt: 2 });
    expect(s.attempt?.reconnecting).toEqual(notice);
    const tearing = run([connect(), connected, { kind: 'disconnect-requested' }, notice]);
    expect(tearing.state).toEqual({ state: 'disconnecting', profileId: A });
  });

  it('log_changesNoPartOfTheView_butIsRecorded', () => {
    const s = run([connect(), phase('tcp', 'started', 0)]);
    const next = run([{ event: 'log', level: 'info', message: 'hello' }], s);
    expect(next.state).toBe(s.state);
    expect(next.attempt).toBe(s.attempt);
    expect(next.events.at(-1)).toEqual({ profileId: A, event: { event: 'log', level: 'info', message: 'hello' } });
  });
});

describe('foldTunnel: attempts', () => {
  it('newConnect_resetsTheAttemptAndTheRecord', () => {
    const failed = run([connect(), phase('tcp', 'failed', 5, 5), { event: 'error', reason: 'tcp-unreachable', message: 'refused', phase: 'tcp' }]);
    const again = run([connect(B)], failed);
    expect(again.attempt).toMatchObject({ profileId: B, failure: null, advice: null });
    expect(statusOf(again, 'tcp')).toBe('pending');
    expect(again.events).toEqual([]);
  });

  it('newTcpStarted_resetsTheTimeline_keepingTheReconnectNotice_untilItSucceedsOrFails', () => {
    const notice = { event: 'reconnecting', attempt: 1, delayMs: 10, reason: 'gre-blocked' } as const;
    const s = run([connect(), phase('tcp', 'done', 5, 5), phase('auth', 'failed', 100), { event: 'error', reason: 'gre-blocked', message: 'no GRE' }, notice, phase('tcp', 'started', 0)]);
    expect(statusOf(s, 'auth')).toBe('pending');
    expect(statusOf(s, 'tcp')).toBe('started');
    expect(s.attempt?.reconnecting).toEqual(notice);
    expect(s.attempt?.failure).toBeNull();
    expect(s.state).toEqual({ state: 'connecting', profileId: A, phase: 'tcp', attempt: 1 });
    expect(run([{ event: 'error', reason: 'gre-blocked', message: 'again' }], s).attempt?.reconnecting).toBeNull();
    // The record spans the whole session, reconnects included.
    expect(s.events.map((e) => e.event.event)).toContain('reconnecting');
  });

  it('everyFailureReason_comesWithTheDoctorsAdvice', () => {
    for (const reason of FAILURE_REASONS) {
      const s = run([connect(), { event: 'error', reason, message: 'm' }]);
      const state = s.state as Extract<TunnelState, { state: 'error' }>;
      expect(state.advice, reason).toEqual(ADVICE[reason]);
      expect(s.attempt?.advice, reason).toEqual(ADVICE[reason]);
      expect(DOCTOR_ADVICE.adviceFor(reason)).toEqual(ADVICE[reason]);
    }
  });

  it('theContext_decidesTheWords', () => {
    const s = foldTunnel(run([connect()]), { kind: 'service-event', event: { event: 'error', reason: 'auth-failed', message: 'x' } }, { adviceFor: (r) => ({ title: `T ${r}`, fix: 'F' }) });
    expect(s.attempt?.advice).toEqual({ title: 'T auth-failed', fix: 'F' });
  });

  it('theEventRecord_isBoundedByMaxStatusEvents_oldestDropped', () => {
    let s = run([connect()]);
    for (let i = 0; i < MAX_STATUS_EVENTS + 20; i++) s = foldTunnel(s, { kind: 'service-event', event: { event: 'log', level: 'debug', message: `line ${i}` } });
    expect(s.events).toHaveLength(MAX_STATUS_EVENTS);
    expect(s.events[0]?.event).toMatchObject({ message: 'line 20' });
    expect(validateResponse('tunnel.status', s).ok).toBe(true);
  });

  it('viewOf_isTheStatusWithoutItsRecord', () => {
    const s = run([connect(), connected]);
    expect(viewOf(s)).toEqual({ state: s.state, attempt: s.attempt });
  });
});

describe('closing the timeline', () => {
  const id = '00000000-0000-4000-8000-0000000000aa';
  const phase = (p: string, status: 'started' | 'done') => ({ kind: 'service-event' as const, event: { event: 'phase' as const, phase: p as 'tcp', status, at: 1, ...(status === 'done' ? { durationMs: 1 } : {}) } });
  const run = (...inputs: TunnelInput[]) => inputs.reduce((s, i) => foldTunnel(s, i), INITIAL_TUNNEL_STATUS);
  const statuses = (s: TunnelStatus) => Object.fromEntries(s.attempt!.phases.map((p) => [p.phase, p.status]));

  it('a failure marks the phase in progress failed and every later phase not reached', () => {
    const s = run({ kind: 'connect-requested', profileId: id }, phase('tcp', 'done'), phase('control', 'started'), { kind: 'service-event', event: { event: 'error', reason: 'control-refused', message: 'no' } });
    expect(statuses(s)).toEqual({ tcp: 'done', control: 'failed', call: 'not-reached', lcp: 'not-reached', auth: 'not-reached', ccp: 'not-reached', ipcp: 'not-reached', routes: 'not-reached' });
  });

  it('a cancelled attempt fails nothing: the rest is not reached', () => {
    const s = run(
      { kind: 'connect-requested', profileId: id },
      phase('tcp', 'started'),
      { kind: 'disconnect-requested' },
      { kind: 'service-event', event: { event: 'disconnected', reason: 'local-disconnect', restored: true } },
    );
    expect(statuses(s).tcp).toBe('not-reached');
    expect(Object.values(statuses(s)).includes('failed')).toBe(false);
  });

  it('a failure before any phase leaves the timeline untouched', () => {
    const s = run({ kind: 'connect-requested', profileId: id }, { kind: 'failed', profileId: id, reason: 'internal-error', message: 'no service' });
    expect(Object.values(statuses(s)).every((v) => v === 'pending')).toBe(true);
  });
});
