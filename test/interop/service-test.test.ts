/**
 * The service's `test` RPC (the app's Test connection) against the real pptpd: the real service
 * (main/service/main.ts, stdio mode) runs in the client namespace, the test streams its steps as
 * progress lines and answers the whole result; with the right password every step passes, with a
 * wrong one authentication fails with the advice, and nothing in the namespace's routes or DNS
 * changes. One VM for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { TEST_PASSWORD, TEST_USER, requireInteropPrereqs, startPptpdVm, type PptpdVm } from './support/pptpd-vm';
import { netnsNetState, REPO_ROOT } from './support/cli-runner';

const pre = await requireInteropPrereqs();

interface Line {
  id?: number;
  ok?: boolean;
  step?: { step: string; status: string };
  result?: { steps: { step: string; status: string; reason?: string }[]; verdict: { kind: string; reason?: string; credentialsTested?: boolean } };
}

describe.skipIf(!pre.ok)('the service test RPC against pptpd', () => {
  let vm: PptpdVm;
  let service: ChildProcess;
  const lines: Line[] = [];
  let nextId = 1;

  /** Sends one request and resolves with every line of that id once its reply came. */
  function request(method: string, params?: unknown): Promise<Line[]> {
    const id = nextId++;
    service.stdin!.write(JSON.stringify({ v: 1, id, method, ...(params ? { params } : {}) }) + '\n');
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        const mine = lines.filter((l) => l.id === id);
        if (mine.some((l) => l.ok !== undefined)) {
          clearInterval(timer);
          resolve(mine);
        }
      }, 50);
      service.once('exit', () => reject(new Error('the service exited')));
    });
  }

  const options = (password: string) => ({
    server: '10.77.0.1',
    username: TEST_USER,
    password,
    auth: ['mschapv2'],
    mppe: { mppe: 'require-128', allowStateful: false },
    routes: 'default',
    dns: true,
  });

  beforeAll(async () => {
    vm = await startPptpdVm();
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'pptp-service-test-'));
    service = spawn('ip', ['netns', 'exec', vm.netns, process.execPath, '--import', 'tsx', 'main/service/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PPTP_STATE_DIR: stateDir },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    createInterface({ input: service.stdout! }).on('line', (l) => lines.push(JSON.parse(l) as Line));
    await request('hello');
  }, 120_000);

  afterAll(async () => {
    service?.stdin?.end();
    await new Promise((r) => (service?.exitCode !== null ? r(undefined) : service.once('exit', r)));
    await vm?.stop();
  });

  it('with the right password: every step passes, streamed as it settles; routes and DNS untouched', async () => {
    const before = await netnsNetState(vm.netns);
    const got = await request('test', { options: options(TEST_PASSWORD), credentials: true });
    const progress = got.filter((l) => l.step).map((l) => l.step!.step);
    expect(progress).toEqual(['resolve', 'tcp', 'control', 'call', 'gre', 'auth', 'encryption', 'ipcp']);
    const reply = got.find((l) => l.ok !== undefined)!;
    expect(reply.ok).toBe(true);
    expect(reply.result!.verdict).toMatchObject({ kind: 'works', credentialsTested: true });
    expect(reply.result!.steps.every((s) => s.status === 'ok')).toBe(true);
    expect(await netnsNetState(vm.netns)).toEqual(before);
    expect(JSON.stringify(lines)).not.toContain(TEST_PASSWORD);
  }, 90_000);

  it('with a wrong password: authentication fails, later steps are not reached', async () => {
    const got = await request('test', { options: options('not-the-password'), credentials: true });
    const reply = got.find((l) => l.ok !== undefined)!;
    expect(reply.result!.verdict).toMatchObject({ kind: 'failed', reason: 'auth-failed' });
    expect(Object.fromEntries(reply.result!.steps.map((s) => [s.step, s.status]))).toMatchObject({ gre: 'ok', auth: 'failed', encryption: 'not-reached', ipcp: 'not-reached' });
  }, 90_000);
});
