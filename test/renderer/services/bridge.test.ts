import { afterEach, describe, expect, it } from 'vitest';
import type { PptpBridge } from '../../../preload/contract';
import { api, call, setBridge, subscribe } from '../../../renderer/src/services/bridge';

afterEach(() => {
  setBridge(null);
  delete (globalThis as Record<string, unknown>).pptp;
});

function bridgeWith(invoke: PptpBridge['invoke'], on: PptpBridge['on'] = () => () => undefined): PptpBridge {
  return { invoke, on };
}

describe('bridge service', () => {
  it('answers unavailable when there is no window.pptp', async () => {
    expect(await call('settings.get', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(subscribe('log.line', () => undefined)).toBeTypeOf('function');
  });

  it('uses window.pptp when no bridge was installed', async () => {
    (globalThis as Record<string, unknown>).pptp = bridgeWith(async () => ({ ok: true, value: { has: true } }) as never);
    expect(await api.hasPassword('x')).toEqual({ ok: true, value: { has: true } });
  });

  it('turns a rejected invoke into a transport error, never a throw', async () => {
    setBridge(bridgeWith(async () => Promise.reject(new Error('socket closed'))));
    expect(await api.disconnect()).toEqual({ ok: false, error: { code: 'transport', message: 'socket closed' } });
  });

  it('refuses malformed replies', async () => {
    setBridge(bridgeWith(async () => ({ nope: true }) as never));
    expect(await api.listProfiles()).toMatchObject({ ok: false, error: { code: 'transport' } });
    setBridge(bridgeWith(async () => ({ ok: false, error: 'boom' }) as never));
    expect(await api.listProfiles()).toMatchObject({ ok: false, error: { code: 'transport' } });
  });

  it('passes error envelopes through unchanged', async () => {
    const error = { code: 'name-taken', message: 'taken', issues: [{ path: 'profile.name', message: 'taken' }] };
    setBridge(bridgeWith(async () => ({ ok: false, error }) as never));
    expect(await api.createProfile({ name: 'a', server: 'b.example' })).toEqual({ ok: false, error });
  });

  it('maps a value-less ok (JSON dropped undefined) to null', async () => {
    setBridge(bridgeWith(async () => ({ ok: true }) as never));
    expect(await api.clearLogs()).toEqual({ ok: true, value: null });
  });

  it('sends exactly the request the contract names (no undefined keys)', async () => {
    const seen: unknown[] = [];
    setBridge(bridgeWith(async (channel, req) => (seen.push([channel, req]), { ok: true, value: null }) as never));
    await api.connect('id-1');
    await api.connect('id-1', 'pw');
    await api.updateProfile('id-1', { name: 'n' });
    expect(seen).toEqual([
      ['tunnel.connect', { profileId: 'id-1' }],
      ['tunnel.connect', { profileId: 'id-1', password: 'pw' }],
      ['profiles.update', { id: 'id-1', patch: { name: 'n' } }],
    ]);
  });
});
