/**
 * SocketDaemon over real Unix sockets in a temp dir, with the fd -> credentials step injected
 * (the real one is the native helper's; test/system/service/rpc runs it for real as root):
 * allowed peers are served, refused ones get one error line and are closed, events reach every
 * session, `shutdown` ends one session, the socket path is handled safely.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SocketDaemon, type SocketDaemonOptions } from '../../../../main/service/rpc/socket-daemon';
import type { PeerCredentials } from '../../../../main/service/rpc/peer-policy';
import { SocketPathError } from '../../../../main/service/rpc/socket-path';

const euid = process.geteuid?.() ?? 0;
const dirs: string[] = [];
const daemons: SocketDaemon[] = [];

afterEach(async () => {
  for (const d of daemons.splice(0)) await d.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmpSocketPath(): string {
  const base = mkdtempSync(path.join(os.tmpdir(), 'pptp-sockd-'));
  dirs.push(base);
  return path.join(base, 'run', 'service.sock');
}

/** Peers handed out in connection order. */
async function startDaemon(peers: Array<PeerCredentials | 'unverified'>, overrides: Partial<SocketDaemonOptions> = {}) {
  const socketPath = overrides.socketPath ?? tmpSocketPath();
  const logs: string[] = [];
  let lastEnded = 0;
  const calls: string[] = [];
  const daemon = new SocketDaemon({
    socketPath,
    policy: { allowUids: new Set([65534]), allowGids: new Set([4242]) },
    readPeer: () => {
      const p = peers.shift() ?? 'unverified';
      return p === 'unverified' ? { ok: false, message: 'no peerCredentials export' } : { ok: true, peer: p };
    },
    groupsOf: async (uid) => (uid === 1000 ? [1000, 4242] : null),
    tunnel: {
      connect: async () => void calls.push('connect'),
      disconnect: async () => void calls.push('disconnect'),
      status: () => ({ state: 'idle' }),
    },
    info: { name: 'test-daemon', version: '0', privileged: true },
    log: (l) => logs.push(l),
    onLastSessionEnded: () => lastEnded++,
    euid,
    ...overrides,
  });
  await daemon.start();
  daemons.push(daemon);
  return { daemon, socketPath, logs, calls, lastEnded: () => lastEnded };
}

/** A client that collects parsed lines and knows when the daemon closed it. */
function client(socketPath: string) {
  const socket: Socket = createConnection({ path: socketPath });
  const lines: Array<Record<string, unknown>> = [];
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => {
    buf += c;
    let nl;
    while ((nl = buf.indexOf('\n')) !== -1) {
      lines.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
      buf = buf.slice(nl + 1);
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  const waitLines = async (n: number) => {
    for (let i = 0; i < 200 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    return lines;
  };
  return { socket, lines, closed, waitLines, send: (text: string) => socket.write(text) };
}

describe('SocketDaemon', () => {
  it('allowedUid_isServed_helloAndStatus', async () => {
    const { socketPath, logs } = await startDaemon([{ uid: 65534, gid: 65534, pid: 10 }]);
    const c = client(socketPath);
    c.send('{"v":1,"id":1,"method":"hello"}\n{"v":1,"id":2,"method":"status"}\n');
    expect(await c.waitLines(2)).toMatchObject([
      { id: 1, ok: true, result: { name: 'test-daemon', rpcVersion: 1 } },
      { id: 2, ok: true, result: { state: 'idle' } },
    ]);
    expect(logs.some((l) => l.includes('serving uid 65534') && l.includes('pid 10'))).toBe(true);
    c.socket.destroy();
  });

  it('otherUid_getsOneRefusalLine_andIsClosed_beforeAnyRequestIsRead', async () => {
    const { socketPath, calls } = await startDaemon([{ uid: 65533, gid: 65533, pid: null }]);
    const c = client(socketPath);
    c.send('{"v":1,"id":1,"method":"disconnect"}\n');
    await c.closed;
    expect(c.lines).toEqual([{ v: 1, id: null, ok: false, error: { code: 'peer-not-allowed', message: expect.stringContaining('65533') } }]);
    expect(calls).toEqual([]);
  });

  it('groupMember_bySupplementaryGroups_isServed', async () => {
    const { socketPath } = await startDaemon([{ uid: 1000, gid: 1000, pid: 5 }]);
    const c = client(socketPath);
    c.send('{"v":1,"id":1,"method":"status"}\n');
    expect(await c.waitLines(1)).toMatchObject([{ id: 1, ok: true }]);
    c.socket.destroy();
  });

  it('credentialsUnavailable_failsClosed_evenForWhatWouldBeRoot', async () => {
    const { socketPath, logs } = await startDaemon(['unverified']);
    const c = client(socketPath);
    await c.closed;
    expect(c.lines).toMatchObject([{ id: null, ok: false, error: { code: 'peer-unverified' } }]);
    expect(logs.join('\n')).toContain('no peerCredentials export');
  });

  it('tooManyClients_isRefusedWithItsCode', async () => {
    const root = { uid: 0, gid: 0, pid: 1 };
    const { socketPath } = await startDaemon([root, root], { maxClients: 1 });
    const a = client(socketPath);
    a.send('{"v":1,"id":1,"method":"status"}\n');
    await a.waitLines(1);
    const b = client(socketPath);
    await b.closed;
    expect(b.lines).toMatchObject([{ error: { code: 'too-many-clients' } }]);
    a.socket.destroy();
  });

  it('malformedAndOversizedLines_getErrorReplies_sessionLivesOn', async () => {
    const { socketPath } = await startDaemon([{ uid: 0, gid: 0, pid: 1 }]);
    const c = client(socketPath);
    c.send('not json\n' + 'x'.repeat(70 * 1024) + '\n{"v":1,"id":3,"method":"status"}\n');
    expect(await c.waitLines(3)).toMatchObject([
      { id: null, ok: false, error: { code: 'bad-json' } },
      { id: null, ok: false, error: { code: 'line-too-long' } },
      { id: 3, ok: true },
    ]);
    c.socket.destroy();
  });

  it('events_reachEverySession_shutdownEndsOnlyThatSession_lastOneGoneIsReported', async () => {
    const root = { uid: 0, gid: 0, pid: 1 };
    const { daemon, socketPath, lastEnded } = await startDaemon([root, root]);
    const a = client(socketPath);
    const b = client(socketPath);
    a.send('{"v":1,"id":1,"method":"status"}\n');
    b.send('{"v":1,"id":1,"method":"status"}\n');
    await a.waitLines(1);
    await b.waitLines(1);
    daemon.pushEvent({ event: 'phase', phase: 'tcp', status: 'start', at: 0 } as never);
    expect((await a.waitLines(2))[1]).toMatchObject({ event: { event: 'phase' } });
    expect((await b.waitLines(2))[1]).toMatchObject({ event: { event: 'phase' } });
    a.send('{"v":1,"id":2,"method":"shutdown"}\n');
    await a.closed;
    expect(a.lines[2]).toMatchObject({ id: 2, ok: true });
    for (let i = 0; i < 100 && daemon.sessionCount !== 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(daemon.sessionCount).toBe(1);
    expect(lastEnded()).toBe(0);
    b.socket.destroy();
    await b.closed;
    for (let i = 0; i < 100 && lastEnded() === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lastEnded()).toBe(1);
  });

  it('socketFileMode_groupGateWhenOneGroup_worldWhenUidsToo', async () => {
    // Our own gid: chown to it works without root too (root runs it in CI).
    const gid = process.getgid?.() ?? 0;
    const one = await startDaemon([], { policy: { allowUids: new Set(), allowGids: new Set([gid]) } });
    const st = lstatSync(one.socketPath);
    expect(st.mode & 0o777).toBe(0o660);
    expect(st.gid).toBe(gid);
    expect(lstatSync(path.dirname(one.socketPath)).mode & 0o777).toBe(0o755);
    const many = await startDaemon([]);
    expect(lstatSync(many.socketPath).mode & 0o777).toBe(0o666);
  });

  it('staleSocket_isReplaced_liveDaemon_otherFilesAndSymlinks_areLeftAlone', async () => {
    const socketPath = tmpSocketPath();
    mkdirSync(path.dirname(socketPath), { mode: 0o755 });
    // A stale socket: a process bound it and was killed with SIGKILL (nobody unlinked it).
    const script = `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`;
    spawnSync(process.execPath, ['-e', script], { stdio: 'ignore' });
    expect(lstatSync(socketPath).isSocket()).toBe(true);
    const first = await startDaemon([], { socketPath });
    await expect(startDaemon([], { socketPath })).rejects.toMatchObject({ code: 'already-running' });
    await first.daemon.close();
    expect(() => lstatSync(socketPath)).toThrow(); // removed on close

    writeFileSync(socketPath, 'not a socket');
    await expect(startDaemon([], { socketPath })).rejects.toMatchObject({ code: 'socket-path-occupied' });
    rmSync(socketPath);
    symlinkSync('/etc/passwd', socketPath);
    await expect(startDaemon([], { socketPath })).rejects.toBeInstanceOf(SocketPathError);
    expect(lstatSync(socketPath).isSymbolicLink()).toBe(true);
  });

  it('unsafeDirectory_isRefused', async () => {
    const socketPath = tmpSocketPath();
    mkdirSync(path.dirname(socketPath));
    chmodSync(path.dirname(socketPath), 0o777);
    await expect(startDaemon([], { socketPath })).rejects.toMatchObject({ code: 'socket-dir-unsafe' });
    const other = await startDaemon([], { socketPath: tmpSocketPath(), euid: euid + 1 }).catch((e: unknown) => e);
    expect(other).toMatchObject({ code: 'socket-dir-unsafe' });
  });
});
