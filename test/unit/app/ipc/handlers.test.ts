/**
 * The IPC handlers through the same path Electron uses (handleInvoke: sender check, contract
 * validation, handler, envelope), with a temp profile dir, an in-memory keychain and the fake
 * tunnel service. Checks envelopes on bad input and that no response, event or log line ever
 * holds a password.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INVOKE_CHANNELS, type AppInfo, type Envelope } from '../../../../preload/contract';
import { createAppCore, type AppCore } from '../../../../main/app/core';
import { handleInvoke, type InvokeEventLike } from '../../../../main/app/ipc/register';
import type { SenderPolicy } from '../../../../main/app/ipc/sender';
import { MemorySecretStore } from '../../../../main/profiles/keychain/memory-secret-store';
import { foldTunnel, INITIAL_TUNNEL_STATUS } from '../../../../main/app/tunnel/tunnel-view';
import { fakeServiceCommand } from '../supervisor/fake';

const APP_URL = 'file:///opt/app/dist/renderer/index.html';
const PASSWORD = 'pw-Very$ecret-123';
const policy: SenderPolicy = { isOurWindow: (id) => id === 1, appUrl: APP_URL };
const ourEvent: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: `${APP_URL}#/profiles`, parent: null } };
const info: AppInfo = { name: 'PPTP Manager', version: '0.0.0', platform: 'linux', arch: 'x64', privilegeMode: 'in-process', canSaveFiles: false };

let dir: string;
let core: AppCore;
let secrets: MemorySecretStore;
const published: Array<{ channel: string; payload: unknown }> = [];

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pptp-handlers-'));
  secrets = new MemorySecretStore();
  core = await createAppCore({ userDataDir: dir, secrets, serviceCommand: fakeServiceCommand('ok').command, info: () => info });
  published.length = 0;
  core.wire((channel, payload) => published.push({ channel, payload }));
});

afterEach(async () => {
  await core.shutdown(3000);
  rmSync(dir, { recursive: true, force: true });
});

const call = (channel: string, payload: unknown, event: InvokeEventLike = ourEvent) => handleInvoke(core.handlers, policy, channel, event, payload);

async function okValue<T = unknown>(p: Promise<Envelope<unknown>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

const profileInput = { name: 'Office', server: '10.77.0.1', username: 'alice' };

describe('IPC handlers', () => {
  it('everyContractChannel_hasAHandler', () => {
    for (const c of INVOKE_CHANNELS) expect(typeof (core.handlers as Record<string, unknown>)[c]).toBe('function');
  });

  it('invalidPayloads_returnInvalidRequestEnvelopes_neverThrow', async () => {
    const cases: Array<[string, unknown]> = [
      ['profiles.get', { id: 'not-a-uuid' }],
      ['profiles.get', 'string payload'],
      ['profiles.create', { profile: { name: '', server: 'bad host!' } }],
      ['profiles.create', { profile: profileInput, password: PASSWORD, extra: 1 }],
      ['settings.set', { patch: { theme: 'neon' } }],
      ['tunnel.connect', {}],
      ['logs.get', { limit: -1 }],
      ['app.info', { unexpected: true }],
    ];
    for (const [channel, payload] of cases) {
      const r = await call(channel, payload);
      expect(r.ok, channel).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid-request');
      expect(JSON.stringify(r)).not.toContain(PASSWORD);
    }
    const unknown = await call('shell.exec', { cmd: 'rm -rf /' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('createWithPassword_storesItInTheKeychainOnly', async () => {
    const p = await okValue<{ id: string }>(call('profiles.create', { profile: profileInput, password: PASSWORD }));
    expect(await secrets.get(p.id)).toBe(PASSWORD);
    expect(await okValue(call('secrets.has', { profileId: p.id }))).toEqual({ has: true });
    expect(readFileSync(path.join(dir, 'profiles.json'), 'utf8')).not.toContain(PASSWORD);
    const list = await okValue<{ profiles: unknown[] }>(call('profiles.list', {}));
    expect(list.profiles).toHaveLength(1);
    expect(published.some((e) => e.channel === 'profiles.changed')).toBe(true);
  });

  it('storeErrors_keepTheirCode', async () => {
    await okValue(call('profiles.create', { profile: profileInput }));
    const dup = await call('profiles.create', { profile: profileInput });
    expect(dup).toMatchObject({ ok: false, error: { code: 'name-taken' } });
    const missing = await call('profiles.get', { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('connect_withoutPassword_saysNoPassword; askEveryTime_saysPasswordRequired', async () => {
    const p = await okValue<{ id: string }>(call('profiles.create', { profile: profileInput }));
    expect(await call('tunnel.connect', { profileId: p.id })).toMatchObject({ ok: false, error: { code: 'no-password' } });
    const q = await okValue<{ id: string }>(call('profiles.create', { profile: { ...profileInput, name: 'Ask', askPasswordEveryTime: true } }));
    expect(await call('tunnel.connect', { profileId: q.id })).toMatchObject({ ok: false, error: { code: 'password-required' } });
  });

  it('connectDisconnect_throughTheFakeService_passwordNeverInResponsesEventsOrLog', async () => {
    const p = await okValue<{ id: string }>(call('profiles.create', { profile: profileInput, password: PASSWORD }));
    await okValue(call('tunnel.connect', { profileId: p.id }));
    const deadline = Date.now() + 8000;
    let status: { state: { state: string } } = { state: { state: 'idle' } };
    while (Date.now() < deadline) {
      status = await okValue(call('tunnel.status', {}));
      if (status.state.state === 'connected') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(status.state).toMatchObject({ state: 'connected', profileId: p.id, details: { auth: 'mschapv2', mppe: { bits: 128 } } });
    const busy = await call('tunnel.connect', { profileId: p.id });
    expect(busy).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(await call('profiles.remove', { id: p.id })).toMatchObject({ ok: false, error: { code: 'busy' } });
    await okValue(call('tunnel.disconnect', {}));
    expect((await okValue<{ state: unknown }>(call('tunnel.status', {}))).state).toEqual({ state: 'idle' });
    const logs = await okValue(call('logs.get', {}));
    const exported = await okValue(call('logs.export', {}));
    const everything = JSON.stringify([logs, exported, published, status]);
    expect(everything).not.toContain(PASSWORD);
    expect(published.some((e) => e.channel === 'tunnel.state')).toBe(true);
    expect(published.some((e) => e.channel === 'log.line')).toBe(true);
  });

  it('errorsHoldingThePassword_areRedacted', async () => {
    // A keychain failure whose message quotes the password (a hostile or buggy backend).
    const p = await okValue<{ id: string }>(call('profiles.create', { profile: profileInput }));
    secrets.set = async (_id, pw) => {
      throw Object.assign(new Error(`backend refused password=${pw} and ${pw}`), { code: 'keychain-failed' });
    };
    const r = await call('secrets.set', { profileId: p.id, password: PASSWORD });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('keychain-failed');
      expect(r.error.message).not.toContain(PASSWORD);
      expect(r.error.message).toContain('[redacted]');
    }
  });

  it('unexpectedErrors_becomeInternal_withoutDetails_andKnownPasswordsAreRedactedFromTheLog', async () => {
    const p = await okValue<{ id: string }>(call('profiles.create', { profile: profileInput, password: PASSWORD }));
    secrets.get = async () => {
      throw new TypeError(`boom ${PASSWORD}`);
    };
    const r = await call('secrets.has', { profileId: p.id });
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error' } });
    expect(JSON.stringify(core.log.snapshot())).not.toContain(PASSWORD);
  });

  it('foreignSender_isForbidden_andNothingRuns', async () => {
    const subFrame: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: APP_URL, parent: {} } };
    const foreign: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/', parent: null } };
    const otherWindow: InvokeEventLike = { sender: { id: 7 }, senderFrame: { url: APP_URL, parent: null } };
    for (const ev of [subFrame, foreign, otherWindow]) {
      const r = await call('profiles.create', { profile: profileInput, password: PASSWORD }, ev);
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(secrets.ids()).toHaveLength(0);
    expect((await okValue<{ profiles: unknown[] }>(call('profiles.list', {}))).profiles).toHaveLength(0);
  });

  it('importPreviewAndApply_thenExport_withoutSecrets', async () => {
    const fixture = readFileSync(new URL('../../../fixtures/import/office.nmconnection', import.meta.url), 'utf8');
    const report = await okValue<{ format: string; entries: Array<{ profile?: unknown }> }>(
      call('profiles.importPreview', { fileName: 'office.nmconnection', text: fixture }),
    );
    expect(report.format).toBe('nmconnection');
    const importable = report.entries.flatMap((e) => (e.profile ? [e.profile] : []));
    expect(importable.length).toBeGreaterThan(0);
    const applied = await okValue<{ outcomes: Array<{ status: string; profile?: { id: string } }> }>(
      call('profiles.importApply', { profiles: importable, onConflict: 'rename' }),
    );
    expect(applied.outcomes[0]?.status).toBe('created');
    const id = applied.outcomes[0]?.profile?.id as string;
    await okValue(call('secrets.set', { profileId: id, password: PASSWORD }));
    const file = await okValue<{ fileName: string; text: string }>(call('profiles.export', { ids: [id] }));
    expect(file.fileName).toMatch(/\.pptp\.json$/);
    expect(JSON.parse(file.text).profiles).toHaveLength(1);
    expect(file.text).not.toContain(PASSWORD);
    const b64 = await okValue<{ format: string }>(call('profiles.importPreview', { fileName: 'x.pbk', contentBase64: Buffer.from('[VPN]\r\nMEDIA=rastapi\r\nPhoneNumber=vpn.example.com\r\nVpnStrategy=2\r\n').toString('base64') }));
    expect(b64.format).toBe('rasphone-pbk');
  });

  it('settings_roundTrip_andAutoConnectMustNameAProfile', async () => {
    const s = await okValue<{ theme: string }>(call('settings.set', { patch: { theme: 'dark', notifications: false } }));
    expect(s).toMatchObject({ theme: 'dark', notifications: false, autoReconnect: true });
    expect(await okValue(call('settings.get', {}))).toMatchObject({ theme: 'dark' });
    const bad = await call('settings.set', { patch: { autoConnectProfileId: '00000000-0000-4000-8000-000000000000' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(published.some((e) => e.channel === 'settings.changed')).toBe(true);
  });

  it('duplicate_copiesSettingsWithoutPassword', async () => {
    const p = await okValue<{ id: string }>(call('profiles.create', { profile: profileInput, password: PASSWORD }));
    const copy = await okValue<{ id: string; name: string }>(call('profiles.duplicate', { id: p.id }));
    expect(copy.name).toBe('Office (copy)');
    expect(await secrets.get(copy.id)).toBeNull();
  });

  it('saveExport_outsideElectron_isUnsupported; doctorAdvice_comesWithTheTunnelState', async () => {
    expect(await call('dialog.saveExport', { fileName: 'a.json', text: '{}' })).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    // One route for advice: folded into tunnel.state / tunnel.status by main, not looked up.
    expect(await call('doctor.advice', { reason: 'gre-blocked' })).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    const id = '00000000-0000-4000-8000-000000000001';
    const failed = foldTunnel(foldTunnel(INITIAL_TUNNEL_STATUS, { kind: 'connect-requested', profileId: id }), { kind: 'service-event', event: { event: 'error', reason: 'gre-blocked', message: 'no GRE' } });
    expect(failed.state).toMatchObject({ state: 'error', advice: { title: expect.stringContaining('GRE') } });
    expect(failed.attempt?.advice).toMatchObject({ title: expect.stringContaining('GRE') });
  });
});

describe('profile changes from other processes', () => {
  it('anEditOfProfilesJsonByAnotherProcess_isAnnounced', async () => {
    const dir2 = mkdtempSync(path.join(os.tmpdir(), 'pptp-watch-'));
    const other = await createAppCore({ userDataDir: dir2, secrets: new MemorySecretStore(), serviceCommand: fakeServiceCommand('ok').command, info: () => info });
    const seen: number[] = [];
    other.onProfilesChanged((list) => seen.push(list.profiles.length));
    // "pptpctl": a second store on the same directory writes a profile.
    const { ProfileStore } = await import('../../../../main/profiles/store/profile-store');
    const cli = await ProfileStore.open(dir2);
    await cli.create({ name: 'From the CLI', server: 'vpn.example.com' });
    const deadline = Date.now() + 5000;
    while (!seen.includes(1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(seen).toContain(1);
    await other.shutdown(1000);
    rmSync(dir2, { recursive: true, force: true });
  });
});

describe('tunnel.test', () => {
  async function created(): Promise<string> {
    const p = await okValue<{ id: string }>(call('profiles.create', { profile: profileInput, password: PASSWORD }));
    return p.id;
  }

  it('runs the service test, pushes each step on tunnel.testStep and answers the verdict; changes no tunnel state', async () => {
    const id = await created();
    const result = await okValue<{ steps: Array<{ step: string; status: string }>; verdict: { kind: string } }>(call('tunnel.test', { profileId: id }));
    expect(result.verdict.kind).toBe('works');
    expect(result.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    const pushed = published.filter((p) => p.channel === 'tunnel.testStep').map((p) => (p.payload as { profileId: string; step: { step: string } }));
    expect(pushed.map((p) => p.step.step)).toEqual(['resolve', 'tcp', 'control', 'call', 'gre', 'auth', 'encryption', 'ipcp']);
    expect(pushed.every((p) => p.profileId === id)).toBe(true);
    expect(published.some((p) => p.channel === 'tunnel.state')).toBe(false);
    expect(core.supervisor.state).toEqual({ state: 'idle' });
  });

  it('without credentials sends no password and reports auth, encryption and addresses as not tested', async () => {
    const id = await created();
    const result = await okValue<{ steps: Array<{ step: string; status: string }> }>(call('tunnel.test', { profileId: id, credentials: false }));
    expect(result.steps.slice(5).map((s) => s.status)).toEqual(['not-tested', 'not-tested', 'not-tested']);
  });

  it('needs a password like connect: no-password when none is stored', async () => {
    const p = await okValue<{ id: string }>(call('profiles.create', { profile: { ...profileInput, name: 'NoPw' } }));
    const r = await call('tunnel.test', { profileId: p.id });
    expect(r.ok ? null : r.error.code).toBe('no-password');
  });
});

describe('tunnel.test with a failing server', () => {
  it('fails the auth step with advice, and the password the service echoed is redacted everywhere', async () => {
    await core.shutdown(3000);
    core = await createAppCore({ userDataDir: dir, secrets, serviceCommand: fakeServiceCommand('auth-fail').command, info: () => info });
    published.length = 0;
    core.wire((channel, payload) => published.push({ channel, payload }));
    const p = await okValue<{ id: string }>(call('profiles.create', { profile: profileInput, password: PASSWORD }));
    const result = await okValue<{ steps: Array<{ step: string; status: string; message: string; advice?: { fix: string } }>; verdict: { kind: string; reason: string } }>(
      call('tunnel.test', { profileId: p.id }),
    );
    expect(result.verdict).toMatchObject({ kind: 'failed', reason: 'auth-failed' });
    const auth = result.steps.find((s) => s.step === 'auth')!;
    expect(auth.status).toBe('failed');
    expect(auth.advice?.fix).toMatch(/password/);
    expect(result.steps.filter((s) => s.status === 'not-reached').map((s) => s.step)).toEqual(['encryption', 'ipcp']);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    expect(JSON.stringify(published)).not.toContain(PASSWORD);
    expect(JSON.stringify(core.log.snapshot())).not.toContain(PASSWORD);
  });
});
