import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_SETTINGS,
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  dispatchInvoke,
  invokeChannels,
  isEventChannel,
  isInvokeChannel,
  toIpcError,
  validateEvent,
  validateRequest,
  validateResponse,
  type Handlers,
} from '../../../preload/contract';

const ID = '6f1c1a52-2d0b-4a5e-9d0c-3a2b1c0d9e8f';

describe('contract channel table', () => {
  it('names no channel both as invoke and as event', () => {
    expect(INVOKE_CHANNELS.filter((c) => (EVENT_CHANNELS as string[]).includes(c))).toEqual([]);
  });

  it('declares the channels both sides rely on', () => {
    for (const c of ['profiles.list', 'profiles.importPreview', 'profiles.importApply', 'secrets.has', 'tunnel.connect', 'tunnel.status', 'settings.set', 'logs.export', 'app.info']) {
      expect(isInvokeChannel(c)).toBe(true);
    }
    expect(EVENT_CHANNELS).toEqual(expect.arrayContaining(['tunnel.state', 'profiles.changed', 'log.line']));
    // The tunnel is folded once, in main: no raw event stream, no separate advice lookup.
    expect(isEventChannel('tunnel.event')).toBe(false);
    expect(isInvokeChannel('doctor.advice')).toBe(false);
  });

  it('does not treat inherited object keys as channels', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(isInvokeChannel(name)).toBe(false);
      expect(isEventChannel(name)).toBe(false);
    }
  });

  it('never returns a password: no response schema has a password field', () => {
    const shapes = INVOKE_CHANNELS.map((c) => [c, JSON.stringify(z.toJSONSchema(invokeChannels[c].response, { unrepresentable: 'any', io: 'output' }))] as const);
    // The walk sees the fields (a profile response lists "server"), so the absence below means something.
    expect(shapes.find(([c]) => c === 'profiles.get')?.[1]).toMatch(/"server"/);
    for (const [c, shape] of shapes) expect(shape, c).not.toMatch(/"password"/);
  });
});

describe('validateRequest', () => {
  it('refuses unknown channels with unknown-channel', () => {
    const r = validateRequest('profiles.steal', {});
    expect(r).toEqual({ ok: false, error: { code: 'unknown-channel', message: 'Unknown IPC channel' } });
  });

  it('refuses unknown keys (strict requests)', () => {
    const r = validateRequest('tunnel.disconnect', { extra: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid-request');
  });

  it('gives field issues with paths for an invalid profile', () => {
    const r = validateRequest('profiles.create', { profile: { name: '', server: 'not a host' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.issues?.map((i) => i.path)).toEqual(['profile.name', 'profile.server']);
    expect(r.error.issues?.[0]?.message).toBe('Name is required');
  });

  it('fills the profile defaults on create', () => {
    const r = validateRequest('profiles.create', { profile: { name: 'Office', server: 'vpn.example.com' } });
    expect(r.ok && r.value.profile).toMatchObject({ auth: ['mschapv2'], mppe: 'require-128', allowStateful: false });
  });

  it('does not fill defaults into an update patch (they would reset stored values)', () => {
    const r = validateRequest('profiles.update', { id: ID, patch: { name: 'Renamed' } });
    expect(r.ok && r.value.patch).toEqual({ name: 'Renamed' });
  });

  it('turns null into a present-but-undefined key so the merge clears domain and mtu', () => {
    const r = validateRequest('profiles.update', { id: ID, patch: { domain: null, mtu: null } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.keys(r.value.patch).sort()).toEqual(['domain', 'mtu']);
    const merged: { domain?: string; mtu?: number } = Object.assign({ domain: 'CORP', mtu: 1400 }, r.value.patch);
    expect(merged.domain).toBeUndefined();
    expect(merged.mtu).toBeUndefined();
  });

  it('wants exactly one of text and contentBase64 for an import preview', () => {
    expect(validateRequest('profiles.importPreview', { fileName: 'a.pbk' }).ok).toBe(false);
    expect(validateRequest('profiles.importPreview', { fileName: 'a.pbk', text: 'x', contentBase64: 'eA==' }).ok).toBe(false);
    expect(validateRequest('profiles.importPreview', { fileName: 'a.pbk', contentBase64: 'eA==' }).ok).toBe(true);
  });

  it('bounds passwords and rejects an empty one', () => {
    expect(validateRequest('secrets.set', { profileId: ID, password: '' }).ok).toBe(false);
    expect(validateRequest('secrets.set', { profileId: ID, password: 'x'.repeat(1025) }).ok).toBe(false);
    expect(validateRequest('secrets.set', { profileId: ID, password: 'hunter2' }).ok).toBe(true);
  });

  it('treats a missing payload as {} for argument-less channels', () => {
    expect(validateRequest('tunnel.status', undefined).ok).toBe(true);
  });
});

describe('validateResponse / validateEvent', () => {
  it('accepts the default settings and rejects a wrong theme', () => {
    expect(validateResponse('settings.get', DEFAULT_SETTINGS).ok).toBe(true);
    expect(validateResponse('settings.get', { ...DEFAULT_SETTINGS, theme: 'blue' }).ok).toBe(false);
  });

  it('checks tunnel.state as a tagged union', () => {
    expect(validateEvent('tunnel.state', { state: { state: 'connecting', profileId: ID, phase: 'lcp', attempt: 0 }, attempt: null }).ok).toBe(true);
    expect(validateEvent('tunnel.state', { state: { state: 'connecting', profileId: ID }, attempt: null }).ok).toBe(false);
    expect(
      validateEvent('tunnel.state', {
        state: {
          state: 'error',
          profileId: ID,
          failure: { reason: 'gre-blocked', message: 'no GRE' },
          advice: { title: 't', fix: 'f' },
        },
        attempt: null,
      }).ok,
    ).toBe(true);
  });

  it('checks the attempt tunnel.state carries', () => {
    const attempt = {
      profileId: ID,
      phases: [{ phase: 'tcp', status: 'done', at: 0, durationMs: 12 }, { phase: 'control', status: 'failed', at: 12, detail: { result: 2 } }],
      stats: null,
      failure: { reason: 'control-refused', message: 'busy', phase: 'control' },
      advice: { title: 't', fix: 'f' },
      reconnecting: null,
      ended: { event: 'disconnected', reason: 'control-refused', restored: true },
    };
    expect(validateEvent('tunnel.state', { state: { state: 'idle' }, attempt }).ok).toBe(true);
    expect(validateEvent('tunnel.state', { state: { state: 'idle' }, attempt: { ...attempt, phases: [{ phase: 'tcp', status: 'waiting' }] } }).ok).toBe(false);
    expect(validateEvent('tunnel.state', { state: { state: 'idle' }, attempt: { ...attempt, failure: { reason: 'bogus', message: 'x' } } }).ok).toBe(false);
  });
});

describe('dispatchInvoke', () => {
  const handlers = {
    'secrets.has': async ({ profileId }: { profileId: string }) => ({ has: profileId === ID }),
    'logs.clear': async () => {
      throw Object.assign(new Error('store is read-only'), { code: 'read-only' });
    },
    'tunnel.disconnect': async () => {
      throw new TypeError('secret stack detail');
    },
  } as unknown as Handlers<undefined>;

  it('validates, calls and wraps the value', async () => {
    expect(await dispatchInvoke(handlers, 'secrets.has', { profileId: ID }, undefined)).toEqual({
      ok: true,
      value: { has: true },
    });
  });

  it('does not call the handler for an invalid request', async () => {
    const r = await dispatchInvoke(handlers, 'secrets.has', { profileId: 'bogus' }, undefined);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid-request');
  });

  it('keeps a coded error and hides an uncoded one', async () => {
    expect(await dispatchInvoke(handlers, 'logs.clear', {}, undefined)).toEqual({ ok: false, error: { code: 'read-only', message: 'store is read-only' } });
    expect(await dispatchInvoke(handlers, 'tunnel.disconnect', {}, undefined)).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error' } });
  });

  it('toIpcError keeps well-formed issues only', () => {
    const e = toIpcError({ code: 'invalid-profile', message: 'bad', issues: [{ path: 'name', message: 'x' }, { nope: 1 }] });
    expect(e).toEqual({ code: 'invalid-profile', message: 'bad', issues: [{ path: 'name', message: 'x' }] });
  });
});
