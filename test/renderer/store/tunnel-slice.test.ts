/**
 * The tunnel slice, driven as main drives it: service events folded by main's own reducer in a
 * FakeMain and pushed on tunnel.state, connect calls through the real bridge service.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInvokeChannel, type TunnelEventPayload } from '../../../preload/contract';
import { setBridge } from '../../../renderer/src/services/bridge';
import { connectStoreEvents, createAppStore, type AppStore } from '../../../renderer/src/store/app-store';
import { MAX_SAMPLES, mirrorView, nextSamples, profileBadge } from '../../../renderer/src/store/tunnel-slice';
import { FakeMain } from '../support/fake-bridge';

let fake: FakeMain;
let store: AppStore;
let off: () => void;
let profileId: string;

const flush = () => new Promise((r) => setTimeout(r, 0));

/** A service event for the tunnel of `profileId` (an attempt is started for it first if needed). */
function ev(event: TunnelEventPayload['event'], id = profileId): TunnelEventPayload['event'] {
  const s = fake.tunnel;
  if (s.state === 'idle' || s.profileId !== id) fake.startAttempt(id);
  return event;
}

beforeEach(() => {
  fake = new FakeMain();
  profileId = fake.addProfile({ name: 'Office', server: 'vpn.example.com' }, 'pw').id;
  setBridge(fake.bridge);
  store = createAppStore();
  off = connectStoreEvents(store);
});

afterEach(() => {
  off();
  setBridge(null);
});

describe('tunnel slice', () => {
  it('idle_connect_callsMainAndFollowsPushedState', async () => {
    await store.getState().connect(profileId);
    expect(fake.callsTo('tunnel.connect')).toEqual([{ profileId }]);
    expect(store.getState().tunnel).toEqual({ state: 'connecting', profileId, phase: null, attempt: 0 });
    expect(profileBadge(store.getState().tunnel, profileId)).toBe('connecting');
    expect(profileBadge(store.getState().tunnel, 'another')).toBeNull();
  });

  it('connecting_phaseEvents_buildTheTimelineWithTimings', () => {
    fake.serviceEvent(ev({ event: 'phase', phase: 'tcp', status: 'started', at: 0 }));
    fake.serviceEvent(ev({ event: 'phase', phase: 'tcp', status: 'done', at: 12, durationMs: 12 }));
    fake.serviceEvent(ev({ event: 'phase', phase: 'control', status: 'started', at: 12 }));
    fake.serviceEvent(ev({ event: 'phase', phase: 'lcp', status: 'done', at: 80, durationMs: 30, detail: { mru: 1400 } }));
    const phases = Object.fromEntries(store.getState().phases.map((p) => [p.phase, p]));
    expect(phases.tcp).toMatchObject({ status: 'done', at: 0, durationMs: 12 });
    expect(phases.control).toMatchObject({ status: 'started', at: 12 });
    expect(phases.lcp).toMatchObject({ status: 'done', at: 50, durationMs: 30, detail: { mru: 1400 } });
    expect(phases.routes).toEqual({ phase: 'routes', status: 'pending' });
    expect(store.getState().attemptProfileId).toBe(profileId);
  });

  it('newAttempt_tcpStarted_resetsTheTimeline', () => {
    fake.serviceEvent(ev({ event: 'phase', phase: 'auth', status: 'failed', at: 100 }));
    fake.serviceEvent(ev({ event: 'phase', phase: 'tcp', status: 'started', at: 0 }));
    expect(store.getState().phases.find((p) => p.phase === 'auth')?.status).toBe('pending');
  });

  it('connected_event_setsNegotiatedValues_andStatsFeedSamples', () => {
    fake.serviceEvent(
      ev({ event: 'connected', server: '192.0.2.1', localIp: '10.0.0.2', remoteIp: '10.0.0.1', dns: ['10.0.0.53'], mtu: 1400, auth: 'mschapv2', mppe: { bits: 128, stateful: false }, elapsedMs: 420 }),
    );
    expect(store.getState().connectedDetails).toMatchObject({ localIp: '10.0.0.2', mppe: { bits: 128, stateful: false } });
    for (let i = 0; i < MAX_SAMPLES + 5; i++) {
      fake.serviceEvent(ev({ event: 'stats', uptimeMs: i * 1000, rxBytes: i * 100, txBytes: i * 50, rxPackets: i, txPackets: i, rxRate: 100, txRate: 50 }));
    }
    const s = store.getState();
    expect(s.stats?.rxBytes).toBe((MAX_SAMPLES + 4) * 100);
    expect(s.samples).toHaveLength(MAX_SAMPLES);
    expect(s.samples.at(-1)).toEqual({ t: MAX_SAMPLES + 4, rxRate: 100, txRate: 50 });
  });

  it('errorEvent_marksThePhaseFailed_andCarriesTheDoctorsAdvice', async () => {
    fake.serviceEvent(ev({ event: 'phase', phase: 'auth', status: 'started', at: 90 }));
    fake.serviceEvent(ev({ event: 'error', reason: 'auth-failed', message: 'E=691 bad credentials', phase: 'auth', hint: 'Check the password.' }));
    expect(store.getState().phases.find((p) => p.phase === 'auth')?.status).toBe('failed');
    // The service's hint is not a second route for advice: the failure is what happened.
    expect(store.getState().failure).toEqual({ reason: 'auth-failed', message: 'E=691 bad credentials', phase: 'auth' });
    await flush();
    // No lookup: the advice arrives with the view main folded (there is no doctor.advice channel).
    expect(isInvokeChannel('doctor.advice')).toBe(false);
    expect(store.getState().advice).toEqual({ title: 'Advice title for auth-failed', fix: 'Advice fix for auth-failed' });
  });

  it('errorState_carriesItsAdvice_withoutALookup', async () => {
    fake.advice['gre-blocked'] = { title: 'GRE blocked', fix: 'Allow protocol 47' };
    fake.serviceEvent(ev({ event: 'error', reason: 'gre-blocked', message: 'no GRE for 10 s' }));
    await flush();
    expect(store.getState().advice).toEqual({ title: 'GRE blocked', fix: 'Allow protocol 47' });
    expect(profileBadge(store.getState().tunnel, profileId)).toBe('error');
    expect(fake.calls.map((c) => c.channel)).toEqual([]);
  });

  it('connect_askEveryTimeProfile_promptsInsteadOfConnecting', async () => {
    const ask = fake.addProfile({ name: 'Ask', server: 'ask.example.com', askPasswordEveryTime: true });
    await store.getState().requestConnect(ask);
    expect(store.getState().passwordPrompt).toEqual({ profileId: ask.id, mode: 'ask' });
    expect(fake.callsTo('tunnel.connect')).toEqual([]);
    await store.getState().submitPassword('once', true);
    expect(fake.callsTo('tunnel.connect')).toEqual([{ profileId: ask.id, password: 'once' }]);
    expect(fake.passwords.has(ask.id)).toBe(false);
    expect(store.getState().passwordPrompt).toBeNull();
  });

  it('connect_noStoredPassword_promptsAndRemembers', async () => {
    const bare = fake.addProfile({ name: 'Bare', server: 'bare.example.com' });
    await store.getState().connect(bare.id);
    expect(store.getState().passwordPrompt).toEqual({ profileId: bare.id, mode: 'missing' });
    await store.getState().submitPassword('kept', true);
    expect(fake.passwords.get(bare.id)).toBe('kept');
    expect(fake.callsTo('tunnel.connect').at(-1)).toEqual({ profileId: bare.id });
    expect(store.getState().tunnel.state).toBe('connecting');
  });

  it('connect_refused_keepsTheCommandError', async () => {
    fake.failures.set('tunnel.connect', { code: 'service-unavailable', message: 'The tunnel service could not start.' });
    await store.getState().connect(profileId);
    expect(store.getState().commandError).toEqual({ code: 'service-unavailable', message: 'The tunnel service could not start.' });
  });

  it('loadTunnelStatus_showsTheCurrentAttempt', async () => {
    off(); // a view opened late: none of the pushes below reached it
    off = () => undefined;
    fake.startAttempt(profileId);
    fake.serviceEvent({ event: 'reconnecting', attempt: 1, delayMs: 10, reason: 'peer-disconnected' });
    fake.serviceEvent({ event: 'phase', phase: 'tcp', status: 'started', at: 0 });
    fake.serviceEvent({ event: 'phase', phase: 'tcp', status: 'done', at: 5, durationMs: 5 });
    fake.serviceEvent({ event: 'phase', phase: 'control', status: 'done', at: 20, durationMs: 15 });
    fake.serviceEvent({ event: 'phase', phase: 'call', status: 'started', at: 20 });
    expect(store.getState().tunnel).toEqual({ state: 'idle' });
    await store.getState().loadTunnelStatus();
    const byPhase = Object.fromEntries(store.getState().phases.map((p) => [p.phase, p.status]));
    expect(byPhase).toMatchObject({ tcp: 'done', control: 'done', call: 'started', lcp: 'pending' });
    expect(store.getState().tunnel).toMatchObject({ state: 'connecting', attempt: 1 });
  });

  it('disconnect_goesIdle', async () => {
    await store.getState().connect(profileId);
    await store.getState().disconnect();
    expect(store.getState().tunnel).toEqual({ state: 'idle' });
    expect(fake.callsTo('tunnel.disconnect')).toHaveLength(1);
  });

  it('samples_onePerNewStats_noneForAnUnrelatedPush_restartedWithTheAttempt', () => {
    fake.serviceEvent(ev({ event: 'stats', uptimeMs: 1000, rxBytes: 1, txBytes: 1, rxPackets: 1, txPackets: 1, rxRate: 10, txRate: 5 }));
    fake.serviceEvent(ev({ event: 'phase', phase: 'routes', status: 'done', at: 900, durationMs: 3 }));
    expect(store.getState().samples).toEqual([{ t: 1, rxRate: 10, txRate: 5 }]);
    fake.serviceEvent(ev({ event: 'phase', phase: 'tcp', status: 'started', at: 0 }));
    expect(store.getState().samples).toEqual([]);
    const kept = [{ t: 1, rxRate: 1, txRate: 1 }];
    expect(nextSamples(kept, { event: 'stats', uptimeMs: 1000, rxBytes: 1, txBytes: 1, rxPackets: 1, txPackets: 1, rxRate: 1, txRate: 1 })).toBe(kept);
  });

  it('mirror_anotherProfilesAttempt_dropsTheCommandErrorOfThisOne', () => {
    const commandError = { code: 'busy', message: 'busy' };
    const view = { state: { state: 'idle' as const }, attempt: null };
    expect(mirrorView(view, { attemptProfileId: null, samples: [], commandError }).commandError).toBe(commandError);
    expect(mirrorView(view, { attemptProfileId: profileId, samples: [], commandError }).commandError).toBeNull();
  });
});
