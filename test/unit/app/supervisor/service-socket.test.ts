/**
 * ServiceSocket and the supervisor over a real Unix socket to a real SocketDaemon (peer
 * credentials injected, tunnel faked): hello and version check, the "not installed" and
 * "refused" errors, the connection dropping, and quit ending only our session.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SocketDaemon } from '../../../../main/service/rpc/socket-daemon';
import { ServiceSocket, connectUnixSocket } from '../../../../main/app/supervisor/service-socket';
import type { ServiceStartOptions } from '../../../../main/app/supervisor/service-connection';
import { TunnelSupervisor } from '../../../../main/app/supervisor/tunnel-supervisor';
import { LogBuffer } from '../../../../main/app/log/log-buffer';

const dirs: string[] = [];
const daemons: SocketDaemon[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function daemonFor(uid: number) {
  const base = mkdtempSync(path.join(os.tmpdir(), 'pptp-svcsock-'));
  dirs.push(base);
  const socketPath = path.join(base, 'run', 'service.sock');
  const calls: string[] = [];
  const daemon = new SocketDaemon({
    socketPath,
    policy: { allowUids: new Set([501]), allowGids: new Set() },
    readPeer: () => ({ ok: true, peer: { uid, gid: uid, pid: 1 } }),
    groupsOf: async () => null,
    tunnel: { connect: async () => void calls.push('connect'), disconnect: async () => void calls.push('disconnect'), status: () => ({ state: 'idle' }) },
    info: { name: 'fake-daemon', version: '0', privileged: true },
    log: () => undefined,
    onLastSessionEnded: () => void calls.push('last-session-ended'),
    euid: process.geteuid?.() ?? 0,
  });
  await daemon.start();
  daemons.push(daemon);
  return { socketPath, calls, daemon };
}

function options(log: LogBuffer, exits: string[] = []): ServiceStartOptions {
  return {
    log,
    spawn: () => {
      throw new Error('no spawning in socket mode');
    },
    connectSocket: connectUnixSocket,
    requestTimeoutMs: 2_000,
    onEvent: () => undefined,
    onExit: (_s, info) => exits.push(info),
  };
}

describe('ServiceSocket', () => {
  it('allowedUser_helloAnswered_ready', async () => {
    const { socketPath } = await daemonFor(501);
    const service = await ServiceSocket.start({ mode: 'socket', socketPath }, options(new LogBuffer()));
    expect(service.ready).toBe(true);
    expect(await service.rpc.status()).toEqual({ state: 'idle' });
    await service.terminate(() => 2_000);
  });

  it('noSocket_saysTheHelperIsNotInstalled', async () => {
    const socketPath = path.join(os.tmpdir(), `pptp-missing-${process.pid}.sock`);
    await expect(ServiceSocket.start({ mode: 'socket', socketPath }, options(new LogBuffer()))).rejects.toThrow(/helper is not installed or not running.*install it/);
  });

  it('refusedUser_saysSo_withTheDaemonsCode', async () => {
    const { socketPath } = await daemonFor(502);
    await expect(ServiceSocket.start({ mode: 'socket', socketPath }, options(new LogBuffer()))).rejects.toThrow(/refused this user \(uid 502/);
  });

  it('otherRpcVersion_isRefusedByTheApp', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'pptp-svcsock-'));
    dirs.push(base);
    const socketPath = path.join(base, 'v2.sock');
    // A daemon from another release: answers hello with RPC version 2.
    const server = createServer((s) => s.on('data', () => s.write('{"v":1,"id":1,"ok":true,"result":{"name":"x","rpcVersion":2}}\n')));
    await new Promise<void>((r) => server.listen(socketPath, () => r()));
    try {
      await expect(ServiceSocket.start({ mode: 'socket', socketPath }, options(new LogBuffer()))).rejects.toThrow(/RPC version 2; this app needs 1/);
    } finally {
      server.close();
    }
  });

  it('daemonGoesAway_onExitReports_terminateEndsOnlyOurSession', async () => {
    const a = await daemonFor(0);
    const exits: string[] = [];
    const service = await ServiceSocket.start({ mode: 'socket', socketPath: a.socketPath }, options(new LogBuffer(), exits));
    await service.terminate(() => 2_000);
    expect(await service.waitExit(1_000)).toBe(true);
    expect(exits).toHaveLength(1);
    for (let i = 0; i < 100 && !a.calls.includes('last-session-ended'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(a.calls).toContain('last-session-ended');

    const b = await daemonFor(0);
    const exitsB: string[] = [];
    const other = await ServiceSocket.start({ mode: 'socket', socketPath: b.socketPath }, options(new LogBuffer(), exitsB));
    await b.daemon.close();
    expect(await other.waitExit(2_000)).toBe(true);
    expect(other.rpc.closed).toBe(true);
    expect(exitsB).toHaveLength(1);
  });
});

describe('TunnelSupervisor in socket mode', () => {
  it('connect_goesToTheDaemon_stopEndsTheSession', async () => {
    const { socketPath, calls } = await daemonFor(501);
    const supervisor = new TunnelSupervisor({ command: { mode: 'socket', socketPath }, log: new LogBuffer(), requestTimeoutMs: 2_000 });
    await supervisor.connect('p1', {
      server: '192.0.2.10',
      username: 'alice',
      password: 'pw',
      auth: ['mschapv2'],
      mppe: { mppe: 'require-128', allowStateful: false },
      routes: 'default',
      dns: true,
    } as never);
    expect(calls).toEqual(['connect']);
    expect(supervisor.servicePid).toBeUndefined();
    await supervisor.stop({ timeoutMs: 3_000 });
    expect(calls).toContain('disconnect');
  });
});
