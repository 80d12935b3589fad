/**
 * The log on disk through the real app core: a connect through the fake service that echoes the
 * password on its stderr, with NT-hash and MPPE-key-like values registered as secrets, leaves none
 * of them in any file under <userData>/logs (read as raw bytes); the files are 0600 in a 0700
 * directory; every line of the attempt carries its profile or attempt id; after a restart the
 * lines are back, tags included; Clear removes them from disk too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppInfo, Envelope } from '../../../../preload/contract';
import { createAppCore, type AppCore } from '../../../../main/app/core';
import { handleInvoke, type InvokeEventLike } from '../../../../main/app/ipc/register';
import type { SenderPolicy } from '../../../../main/app/ipc/sender';
import { MemorySecretStore } from '../../../../main/profiles/keychain/memory-secret-store';
import { fakeServiceCommand } from '../supervisor/fake';

const APP_URL = 'file:///opt/app/dist/renderer/index.html';
const PASSWORD = 'pw-Disk$ecret-987';
const NT_HASH = '8846f7eaee8fb117ad06bdd830b7586c';
const MPPE_KEY = 'd5f0e9521e3ea9580bd1b1c1e2f3a4b5';
const policy: SenderPolicy = { isOurWindow: (id) => id === 1, appUrl: APP_URL };
const ourEvent: InvokeEventLike = { sender: { id: 1 }, senderFrame: { url: APP_URL, parent: null } };
const info: AppInfo = { name: 'PPTP Manager', version: '9.8.7', platform: 'linux', arch: 'x64', privilegeMode: 'in-process', canSaveFiles: false };

let dir: string;
let secrets: MemorySecretStore;
const cores: AppCore[] = [];

async function openCore(mode = 'echo-password'): Promise<AppCore> {
  const core = await createAppCore({ userDataDir: dir, secrets, serviceCommand: fakeServiceCommand(mode).command, info: () => info });
  cores.push(core);
  return core;
}

async function ok<T = unknown>(core: AppCore, channel: string, payload: unknown): Promise<T> {
  const r: Envelope<unknown> = await handleInvoke(core.handlers, policy, channel, ourEvent, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

async function waitForState(core: AppCore, want: string): Promise<void> {
  if (core.supervisor.state.state === want) return;
  await new Promise<void>((resolve) => {
    const off = core.supervisor.onState((s) => {
      if (s.state === want) {
        off();
        resolve();
      }
    });
  });
}

function diskText(): string {
  const logs = path.join(dir, 'logs');
  return readdirSync(logs)
    .map((f) => readFileSync(path.join(logs, f)).toString('latin1'))
    .join('\n');
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pptp-logdisk-'));
  secrets = new MemorySecretStore();
});

afterEach(async () => {
  for (const c of cores.splice(0)) await c.shutdown(3000);
  rmSync(dir, { recursive: true, force: true });
});

describe('the log on disk', () => {
  it('aConnectThatEchoesThePassword_leavesNoSecretOnDisk_filesArePrivate_linesSurviveARestart', async () => {
    const core = await openCore();
    const releaseHash = core.log.secrets.hold(NT_HASH);
    const releaseKey = core.log.secrets.hold(MPPE_KEY);
    const p = await ok<{ id: string }>(core, 'profiles.create', { profile: { name: 'Office', server: '10.77.0.1', username: 'alice' }, password: PASSWORD });
    await ok(core, 'tunnel.connect', { profileId: p.id });
    await waitForState(core, 'connected');
    core.log.info(`key material nt=${NT_HASH} send=${MPPE_KEY} and ${JSON.stringify({ password: PASSWORD })}`);
    await ok(core, 'tunnel.disconnect', {});
    await waitForState(core, 'idle');
    releaseHash();
    releaseKey();

    const text = diskText();
    // The service did echo it (so redaction was exercised), and the redacted lines are on disk.
    expect(text).toContain('[redacted]');
    for (const secret of [PASSWORD, NT_HASH, MPPE_KEY]) expect(text).not.toContain(secret);
    const logs = path.join(dir, 'logs');
    expect(statSync(logs).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(logs)) expect(statSync(path.join(logs, f)).mode & 0o777).toBe(0o600);

    // Grouped: the connect line, the service's lines and the tunnel's lines share one attempt id.
    const lines = core.log.snapshot();
    const connecting = lines.find((l) => l.message.startsWith('Connecting "Office"'));
    expect(connecting?.attemptId).toBeDefined();
    const attempt = lines.filter((l) => l.attemptId === connecting?.attemptId);
    expect(attempt.some((l) => l.source === 'service' && l.message.includes('login with password='))).toBe(true);
    expect(attempt.some((l) => l.source === 'tunnel' && l.message.startsWith('Connected to'))).toBe(true);
    expect(attempt.some((l) => l.source === 'tunnel' && l.message.startsWith('Disconnected'))).toBe(true);
    expect(lines.find((l) => l.message.startsWith('Profile "Office" created'))?.attemptId).toBeUndefined();

    await core.shutdown(3000);
    const again = await openCore('ok');
    const back = await ok<{ lines: Array<{ message: string; attemptId?: string; profileId?: string; seq: number }> }>(again, 'logs.get', {});
    const restoredConnect = back.lines.find((l) => l.message.startsWith('Connecting "Office"'));
    expect(restoredConnect).toMatchObject({ attemptId: connecting?.attemptId, profileId: p.id });
    expect(back.lines.filter((l) => l.attemptId === connecting?.attemptId)).toHaveLength(attempt.length);
    expect(back.lines.map((l) => l.seq)).toEqual(back.lines.map((_, i) => i + 1));
    expect(back.lines.filter((l) => l.message === 'PPTP Manager 9.8.7 started.')).toHaveLength(2);
    expect(JSON.stringify(back)).not.toContain(PASSWORD);

    await ok(again, 'logs.clear', {});
    expect(diskText()).toBe('');
  });
});
