/**
 * peerCredentials(fd) on Linux for real (SO_PEERCRED): the server side of a Unix-socket
 * connection sees the connecting process's uid, gid and pid, both for this process and for a
 * child running as another user (setpriv --reuid=65534, needs root: skipped and said otherwise,
 * failed under PPTP_REQUIRE_SYSTEM_TESTS=1). Bad fds get stable codes, never made-up ids.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNativeHelper, reportBlocker } from './support';

const { helper, blocker } = loadNativeHelper();
reportBlocker('peerCredentials', blocker);

const NOBODY = 65534;

/** The fd under a net.Socket / net.Server (libuv's handle; Node has no public getter). */
function fdOf(handleOwner: Socket | Server): number {
  const fd = (handleOwner as unknown as { _handle: { fd: number } | null })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('no fd on this handle');
  return fd;
}

function otherUserBlocker(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root (setpriv --reuid needs it)';
  if (spawnSync('setpriv', ['--version']).status !== 0) return 'setpriv (util-linux) is missing';
  return null;
}

describe.skipIf(helper === null || process.platform !== 'linux')(`peerCredentials on Linux${blocker ? ` (skipped: ${blocker})` : ''}`, () => {
  // Collected even when skipped: dereference lazily, inside each test.
  const peerCredentials = (fd: number): ReturnType<NonNullable<typeof helper>['peerCredentials']> => helper!.peerCredentials(fd);
  let dir: string | null = null;
  let server: Server | null = null;
  const sockets: Socket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    server = null;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });

  /** A Unix-socket server on a fresh path; resolves each accepted connection. */
  async function listen(mode = 0o600): Promise<{ path: string; accepted: () => Promise<Socket> }> {
    dir = await mkdtemp(join(tmpdir(), 'pptp-peercred-'));
    const path = join(dir, 's.sock');
    const waiting: ((socket: Socket) => void)[] = [];
    const queued: Socket[] = [];
    server = createServer((socket) => {
      sockets.push(socket);
      const next = waiting.shift();
      if (next) next(socket);
      else queued.push(socket);
    });
    await new Promise<void>((done) => server!.listen(path, done));
    await chmod(dir, 0o755);
    await chmod(path, mode);
    return {
      path,
      accepted: () => new Promise<Socket>((done) => {
        const socket = queued.shift();
        if (socket) done(socket);
        else waiting.push(done);
      }),
    };
  }

  it('sameProcess_serverSideSeesOurUidGidPid', async () => {
    const { path, accepted } = await listen();
    const client = connect(path);
    sockets.push(client);
    const serverSide = await accepted();
    expect(peerCredentials(fdOf(serverSide))).toEqual({ uid: process.getuid!(), gid: process.getgid!(), pid: process.pid });
    // And the client side sees the server, which is this process too.
    expect(peerCredentials(fdOf(client))).toEqual({ uid: process.getuid!(), gid: process.getgid!(), pid: process.pid });
  });

  const otherUser = otherUserBlocker();
  reportBlocker('peerCredentials of another user', otherUser);
  it.skipIf(otherUser !== null)(`otherUser_serverSideSeesTheirUidGidPid${otherUser ? ` (skipped: ${otherUser})` : ''}`, async () => {
    const { path, accepted } = await listen(0o666);
    const script = `const s = require('node:net').connect(${JSON.stringify(path)}); s.on('connect', () => process.stdout.write('connected\\n')); process.stdin.on('end', () => s.destroy()).resume();`;
    const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    try {
      const serverSide = await accepted();
      const credentials = peerCredentials(fdOf(serverSide));
      // setpriv execs node in place, so the connecting pid is the spawned one.
      expect(credentials).toEqual({ uid: NOBODY, gid: NOBODY, pid: child.pid });
    } finally {
      child.stdin.end();
      await new Promise((done) => child.once('exit', done));
    }
  });

  it('badFds_stableCodesNotInventedIds', async () => {
    for (const fd of [-1, 1.5, Number.NaN, '3' as unknown as number, 2 ** 31]) {
      expect(() => peerCredentials(fd)).toThrow(expect.objectContaining({ name: 'TunHelperError', code: 'ERR_PEERCRED_INVALID_FD' }));
    }
    expect(() => peerCredentials(1_000_000_000)).toThrow(expect.objectContaining({ code: 'EBADF', syscall: 'getsockname' }));
    const { path } = await listen();
    void path;
    // A listening socket has no peer.
    expect(() => peerCredentials(fdOf(server!))).toThrow(expect.objectContaining({ code: 'ENOTCONN', syscall: 'getpeername' }));
  });

  it('tcpSocket_refusedAsNotUnix', async () => {
    const tcp = createServer((socket) => sockets.push(socket));
    await new Promise<void>((done) => tcp.listen(0, '127.0.0.1', done));
    try {
      const port = (tcp.address() as { port: number }).port;
      const client = connect(port, '127.0.0.1');
      sockets.push(client);
      await new Promise((done) => client.once('connect', done));
      expect(() => peerCredentials(fdOf(client))).toThrow(expect.objectContaining({ code: 'ERR_PEERCRED_NOT_UNIX_SOCKET' }));
    } finally {
      for (const socket of sockets.splice(0)) socket.destroy();
      await new Promise((done) => tcp.close(done));
    }
  });
});
