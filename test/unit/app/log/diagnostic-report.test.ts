/**
 * The diagnostic report: what it says (versions, OS, settings, the profile, the timeline with
 * "not reached" steps, tagged log lines), and a seeded property test that no registered secret
 * (passwords, NT hashes, MPPE keys, with regex and JSON special characters) placed anywhere the
 * report draws from (log lines, failure messages, advice, negotiated values, profile fields)
 * reaches it. Then the same through the app core after a connect that echoes the password.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SETTINGS, type AppInfo, type Envelope, type TextFile } from '../../../../preload/contract';
import { buildReport, reportFileName, type ReportInput } from '../../../../main/app/log/diagnostic-report';
import type { AttemptRecord } from '../../../../main/app/log/attempt-tracker';
import { LogBuffer } from '../../../../main/app/log/log-buffer';
import { freshAttempt } from '../../../../main/app/tunnel/tunnel-view';
import { applyPhaseEvent } from '../../../../main/app/tunnel/attempt-timeline';
import { createAppCore, type AppCore } from '../../../../main/app/core';
import { handleInvoke } from '../../../../main/app/ipc/register';
import { MemorySecretStore } from '../../../../main/profiles/keychain/memory-secret-store';
import { ProfileSettingsSchema, type Profile } from '../../../../preload/schema/profile';
import { fakeServiceCommand } from '../supervisor/fake';

const A = '11111111-1111-4111-8111-111111111111';
const info: AppInfo = { name: 'PPTP Manager', version: '1.2.3', platform: 'linux', arch: 'x64', privilegeMode: 'pkexec', canSaveFiles: true };
const system = { os: 'Debian GNU/Linux 12 (Linux 6.1)', platform: 'linux', arch: 'x64', node: '22.1.0', rpcVersion: 1 };

function profile(extra: Partial<Profile> = {}): Profile {
  return {
    ...ProfileSettingsSchema.parse({ name: 'Office', server: 'vpn.example.com', username: 'CORP\\alice' }),
    id: A,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

function attemptRecord(message: string, detailValue: string): AttemptRecord {
  let phases = freshAttempt(A).phases;
  phases = applyPhaseEvent(phases, { event: 'phase', phase: 'tcp', status: 'done', at: 30, durationMs: 30, detail: { server: detailValue } });
  phases = applyPhaseEvent(phases, { event: 'phase', phase: 'control', status: 'failed', at: 40, durationMs: 10 });
  return {
    attemptId: 'a1b2c3d4',
    profileId: A,
    startedAt: Date.UTC(2026, 0, 2),
    reconnect: 0,
    attempt: { ...freshAttempt(A), phases, failure: { reason: 'control-refused', message, phase: 'control' }, advice: { title: 'Refused', fix: message } },
  };
}

function input(log: LogBuffer, extra: Partial<ReportInput> = {}): ReportInput {
  return {
    now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    info,
    system,
    settings: { ...DEFAULT_SETTINGS, autoConnectProfileId: A },
    profiles: [profile()],
    attempts: [attemptRecord('server said no', '10.0.0.1')],
    lines: log.snapshot(),
    redact: (t) => log.secrets.redact(t),
    ...extra,
  };
}

/** A small seeded PRNG (mulberry32): the same cases on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const ALPHABET = 'abcdefXYZ0123456789$^.*+?()[]{}|\\"\'/=:;, é€🔑';
function secretFrom(r: () => number): string {
  const kind = Math.floor(r() * 3);
  if (kind === 0) return Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join(''); // NT hash
  if (kind === 1) return Array.from({ length: 16 }, () => Math.floor(r() * 256).toString(16).padStart(2, '0')).join(''); // MPPE key
  return Array.from({ length: 6 + Math.floor(r() * 20) }, () => [...ALPHABET][Math.floor(r() * [...ALPHABET].length)]).join(''); // password
}

describe('diagnostic report', () => {
  it('saysWhatSupportNeeds', () => {
    const log = new LogBuffer();
    log.info('Connecting "Office" to vpn.example.com as CORP\\alice.', 'app', A);
    const text = buildReport(input(log));
    for (const expected of [
      'PPTP Manager 1.2.3',
      'service RPC v1',
      'Debian GNU/Linux 12',
      'linux (x64)',
      'not running under Electron',
      'Node:                 22.1.0',
      'pkexec',
      'Auto-connect:         Office',
      'vpn.example.com',
      'CORP\\alice',
      'password kept in the keychain (not included)',
      'attempt a1b2c3d4: Office',
      '✓ tcp',
      '✗ control',
      'not reached',
      'failed: control-refused in control: server said no',
      '[app · Office] Connecting "Office"',
    ]) {
      expect(text).toContain(expected);
    }
    expect(reportFileName(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('pptp-manager-report-2026-01-02-03-04-05.txt');
  });

  it('onlyOneProfile_leavesTheOthersOut', () => {
    const log = new LogBuffer();
    const other = profile({ id: '22222222-2222-4222-8222-222222222222', name: 'Home', server: 'home.example.net' });
    const tagged = (message: string, profileId: string | undefined, attemptId: string) => ({ seq: 0, time: 0, level: 'info' as const, source: 'service', message, attemptId, ...(profileId ? { profileId } : {}) });
    log.info('about home', 'app', other.id);
    log.info('about office', 'app', A);
    log.info('the app itself');
    const lines = [...log.snapshot(), tagged('home attempt', other.id, 'h1'), tagged('home service line', undefined, 'h1'), tagged('office attempt', A, 'o1'), tagged('office service line', undefined, 'o1')];
    const text = buildReport(input(log, { profiles: [profile(), other], only: A, lines }));
    for (const shown of ['about office', 'the app itself', 'office attempt', 'office service line']) expect(text).toContain(shown);
    for (const hidden of ['about home', 'home attempt', 'home service line']) expect(text).not.toContain(hidden);
    expect(text).not.toContain('home.example.net');
  });

  it('noRegisteredSecret_reachesTheReport_whereverItIsPlaced (seeded, 300 cases)', () => {
    const r = rng(0x5eed);
    for (let i = 0; i < 300; i++) {
      const log = new LogBuffer();
      const secrets = [secretFrom(r), secretFrom(r), secretFrom(r)];
      const release = secrets.map((s) => log.secrets.hold(s));
      const [a, b, c] = secrets as [string, string, string];
      // Lines added while held are redacted on add; the report must also scrub text that was not.
      log.info(`auth with ${a} and key ${b}`, 'tunnel', A);
      const text = buildReport(
        input(log, {
          profiles: [profile({ domain: c.replace(/[^A-Za-z0-9.-]/g, '') || undefined })],
          attempts: [attemptRecord(`peer echoed ${a} / ${JSON.stringify(b)}`, c)],
          lines: [...log.snapshot(), { seq: 99, time: 0, level: 'error', source: 'service', message: `raw ${c} ${JSON.stringify({ password: a })}` }],
        }),
      );
      for (const s of secrets) {
        expect(text.includes(s), `case ${i}: ${JSON.stringify(s)}`).toBe(false);
        expect(text.includes(JSON.stringify(s).slice(1, -1)), `case ${i} (JSON form)`).toBe(false);
      }
      release.forEach((f) => f());
    }
  });
});

describe('report.create through the app core', () => {
  let dir: string | undefined;
  let core: AppCore | undefined;
  afterEach(async () => {
    await core?.shutdown(3000);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('afterAConnectThatEchoesThePassword_theReportHasTheTimelineAndNoPassword', async () => {
    const PASSWORD = 'pw-Report$ecret-42';
    dir = mkdtempSync(path.join(os.tmpdir(), 'pptp-report-'));
    core = await createAppCore({ userDataDir: dir, secrets: new MemorySecretStore(), serviceCommand: fakeServiceCommand('echo-password').command, info: () => info });
    const ev = { sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html', parent: null } };
    const call = async <T,>(channel: string, payload: unknown): Promise<T> => {
      const r: Envelope<unknown> = await handleInvoke(core!.handlers, { isOurWindow: () => true, appUrl: 'file:///app/index.html' }, channel, ev, payload);
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value as T;
    };
    const p = await call<{ id: string }>('profiles.create', { profile: { name: 'Office', server: '10.77.0.1', username: 'alice' }, password: PASSWORD });
    await call('tunnel.connect', { profileId: p.id });
    await new Promise<void>((resolve) => {
      const off = core!.supervisor.onState((s) => s.state === 'connected' && (off(), resolve()));
    });
    const all = await call<TextFile>('report.create', {});
    const one = await call<TextFile>('report.create', { profileId: p.id });
    for (const report of [all, one]) {
      expect(report.fileName).toMatch(/^pptp-manager-report-.*\.txt$/);
      expect(report.text).toContain('Last connection attempts (1)');
      expect(report.text).toContain('✓ tcp');
      expect(report.text).toContain('login with password=[redacted]');
      expect(report.text).not.toContain(PASSWORD);
    }
    const missing = await handleInvoke(core.handlers, { isOurWindow: () => true, appUrl: 'file:///app/index.html' }, 'report.create', ev, { profileId: '33333333-3333-4333-8333-333333333333' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
