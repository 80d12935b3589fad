/**
 * How `pptpctl disconnect` and `pptpctl status` reach a running `pptpctl connect`: a unix socket
 * in $PPTP_RUNTIME_DIR (default /run/pptpctl on Linux, /var/run/pptpctl on macOS, see
 * platform.ts; mode 0700, so only root's pptpctl can use it)
 * speaking the service RPC (main/service/rpc). The connect side refuses `connect` requests; it
 * closes every client when the tunnel is down, which is how `disconnect` knows it is over.
 */
import net from 'node:net';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { RpcError, RpcServer } from '../service/rpc/server';
import { RPC_VERSION, rpcResponseSchema, type RpcMethod, type ServiceStatus } from '../service/rpc/protocol';
import type { TunnelDriver } from '../service/tunnel-driver';
import { defaultRuntimeDir } from './platform';
import { describeSystemError, isSystemError } from './system-errors';
import { PPTPCTL_VERSION } from './version';

export function controlSocketPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return path.join(env.PPTP_RUNTIME_DIR || defaultRuntimeDir(platform), 'pptpctl.sock');
}

export class ControlSocketServer {
  private readonly server: net.Server;
  private readonly clients = new Set<net.Socket>();

  constructor(
    private readonly socketPath: string,
    driver: TunnelDriver,
    /** The `status` reply (status.ts adds the profile, traffic and MPPE to the driver's). */
    status: () => ServiceStatus = () => driver.status(),
  ) {
    this.server = net.createServer((sock) => {
      this.clients.add(sock);
      sock.on('close', () => this.clients.delete(sock));
      sock.on('error', () => sock.destroy());
      const rpc = new RpcServer(
        sock,
        sock,
        {
          connect: async () => {
            throw new RpcError('busy', 'this pptpctl already runs a tunnel');
          },
          disconnect: () => driver.disconnect(),
          status: () => status(),
          shutdown: () => driver.disconnect(),
        },
        { name: 'pptpctl', version: PPTPCTL_VERSION, privileged: true },
      );
      void rpc.run();
    });
  }

  async listen(): Promise<void> {
    await mkdir(path.dirname(this.socketPath), { recursive: true, mode: 0o700 });
    try {
      await this.tryListen();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      const alive = await new Promise<boolean>((resolve) => {
        const probe = net.connect(this.socketPath);
        probe.once('connect', () => {
          probe.destroy();
          resolve(true);
        });
        probe.once('error', () => resolve(false));
      });
      if (alive) throw Object.assign(new Error(`another pptpctl connect is running (${this.socketPath})`), { code: 'busy' });
      await unlink(this.socketPath).catch(() => undefined);
      await this.tryListen();
    }
  }

  private tryListen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.socketPath, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.end();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of this.clients) c.destroy();
  }
}

export type ControlReply = { ok: true; result: unknown } | { ok: false; message: string };

/** One request to a running pptpctl; `waitForClose` also waits until that pptpctl lets go. */
export function sendControlRequest(socketPath: string, method: Extract<RpcMethod, 'status' | 'disconnect'>, opts: { waitForClose?: boolean; timeoutMs?: number } = {}): Promise<ControlReply> {
  return new Promise((resolve) => {
    const sock = net.connect(socketPath);
    let buffered = '';
    let reply: ControlReply | undefined;
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(reply ?? { ok: false, message: 'the running pptpctl did not answer in time' });
    }, opts.timeoutMs ?? 60_000);
    const done = (r: ControlReply) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    sock.once('connect', () => sock.write(JSON.stringify({ v: RPC_VERSION, id: 1, method }) + '\n'));
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (reply) return done(reply);
      done({ ok: false, message: e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? 'no pptpctl tunnel is running' : `cannot reach the running pptpctl: ${isSystemError(e) ? describeSystemError(e) : (e as Error).message}` });
    });
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl === -1 || reply) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(buffered.slice(0, nl));
      } catch {
        return done({ ok: false, message: 'the running pptpctl sent an invalid reply' });
      }
      const r = rpcResponseSchema.safeParse(parsed);
      if (!r.success) return done({ ok: false, message: 'the running pptpctl sent an invalid reply' });
      reply = r.data.ok ? { ok: true, result: r.data.result } : { ok: false, message: r.data.error.code === 'not-connected' ? 'no pptpctl tunnel is running' : r.data.error.message };
      if (!opts.waitForClose || !reply.ok) done(reply);
    });
    sock.on('close', () => {
      if (reply) done(reply);
    });
  });
}
