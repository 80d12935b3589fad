/**
 * The real service in daemon mode on Linux, as root (issue 9): `node --import tsx
 * main/service/main.ts --listen <tmp>/run/service.sock --allow-uid 65534`, with clients of
 * real other users (setpriv --reuid/--regid --clear-groups) so the kernel's SO_PEERCRED answer,
 * read by the native helper's peerCredentials, is what decides:
 *  - uid 65534 (allowed) is served hello and status; uid 65533 is refused with 'peer-not-allowed';
 *    root is served;
 *  - malformed and oversized lines get error replies;
 *  - the daemon survives a client's disconnect and serves the next one.
 * Skips (and says why) when not root, without setpriv, or before the native helper exports
 * peerCredentials; PPTP_REQUIRE_SYSTEM_TESTS=1 turns a skip into a failure. Ends only the
 * daemon it started, by pid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, reportBlocker } from '../../support/netns';

const CLIENT = path.join(REPO_ROOT, 'test/system/service/rpc/socket-client.cjs');

function blocker(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root (needs to run clients as other users)';
  if (!existsSync('/usr/bin/setpriv') && !existsSync('/bin/setpriv')) return 'setpriv (util-linux) is not installed';
  try {
    const helper = createRequire(import.meta.url)('pptp-native-helper') as { peerCredentials?: unknown };
    if (typeof helper.peerCredentials !== 'function') return 'the native helper has no peerCredentials export yet (merge the native branch and rebuild)';
  } catch (error) {
    return `the native helper cannot be loaded: ${(error as Error).message}`;
  }
  return null;
}

const why = blocker();
reportBlocker('socket service', why);

interface ClientResult {
  lines: Array<Record<string, unknown>>;
  error: string | null;
}

/** Runs the client as `uid` (null: as root, no setpriv). */
function runClient(socketPath: string, uid: number | null, text: string, waitMs = 1500): Promise<ClientResult> {
  const node = [process.execPath, CLIENT, socketPath, JSON.stringify(text), String(waitMs)];
  const [file, ...args] = uid === null ? node : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', ...node];
  return new Promise((resolve, reject) => {
    execFile(file!, args, { encoding: 'utf8', timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`client as ${uid ?? 'root'} failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ClientResult);
    });
  });
}

describe.skipIf(why !== null)(`service daemon on a Unix socket${why ? ` (skipped: ${why})` : ''}`, () => {
  let base = '';
  let socketPath = '';
  let daemon: ChildProcess | undefined;
  let stderr = '';

  beforeAll(async () => {
    base = mkdtempSync(path.join(os.tmpdir(), 'pptp-sockservice-'));
    chmodSync(base, 0o755); // other users must traverse it to reach the socket
    socketPath = path.join(base, 'run', 'service.sock');
    daemon = spawn(process.execPath, ['--import', 'tsx', 'main/service/main.ts', '--listen', socketPath, '--allow-uid', '65534', '--state-dir', path.join(base, 'state')], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    daemon.stderr!.setEncoding('utf8');
    daemon.stderr!.on('data', (c: string) => (stderr += c));
    for (let i = 0; i < 300 && !stderr.includes('listening on'); i++) {
      if (daemon.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!stderr.includes('listening on')) throw new Error(`the daemon did not start:\n${stderr}`);
  });

  afterAll(async () => {
    if (daemon?.pid !== undefined && daemon.exitCode === null) {
      const exited = new Promise((r) => daemon!.once('exit', r));
      process.kill(daemon.pid, 'SIGTERM');
      await exited;
    }
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('allowedUid_isServed_helloAndStatus', async () => {
    const r = await runClient(socketPath, 65534, '{"v":1,"id":1,"method":"hello"}\n{"v":1,"id":2,"method":"status"}\n');
    expect(r.lines).toMatchObject([
      { v: 1, id: 1, ok: true, result: { name: 'pptp-manager-service', rpcVersion: 1, privileged: true } },
      { v: 1, id: 2, ok: true, result: { state: 'idle' } },
    ]);
    expect(stderr).toMatch(/serving uid 65534 gid 65534 pid [0-9]+/);
  });

  it('otherUid_isRefusedWithTheStableCode_andClosed', async () => {
    const r = await runClient(socketPath, 65533, '{"v":1,"id":1,"method":"status"}\n', 5_000);
    expect(r.lines).toEqual([{ v: 1, id: null, ok: false, error: { code: 'peer-not-allowed', message: expect.stringContaining('65533') } }]);
    expect(stderr).toMatch(/refused a connection from uid 65533/);
  });

  it('root_isServed', async () => {
    const r = await runClient(socketPath, null, '{"v":1,"id":7,"method":"status"}\n');
    expect(r.lines).toMatchObject([{ id: 7, ok: true, result: { state: 'idle' } }]);
  });

  it('malformedAndOversizedLines_getErrorReplies', async () => {
    const r = await runClient(socketPath, 65534, `{oops\n{"v":2,"id":4,"method":"status"}\n${'y'.repeat(70 * 1024)}\n{"v":1,"id":5,"method":"status"}\n`);
    expect(r.lines).toMatchObject([
      { id: null, ok: false, error: { code: 'bad-json' } },
      { id: 4, ok: false, error: { code: 'bad-version' } },
      { id: null, ok: false, error: { code: 'line-too-long' } },
      { id: 5, ok: true },
    ]);
  });

  it('daemonSurvivesAClientDisconnect_andServesTheNext', async () => {
    await runClient(socketPath, 65534, '{"v":1,"id":1,"method":"shutdown"}\n');
    expect(daemon!.exitCode).toBeNull();
    const next = await runClient(socketPath, 65534, '{"v":1,"id":2,"method":"hello"}\n');
    expect(next.lines).toMatchObject([{ id: 2, ok: true }]);
    expect(daemon!.exitCode).toBeNull();
  });
});
