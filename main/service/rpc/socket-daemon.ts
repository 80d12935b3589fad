/**
 * The service as a daemon on a Unix socket (launchd on macOS; the same code runs, and is tested,
 * on Linux): accepts connections, asks the kernel who connected (peer-credentials.ts), lets the
 * pure policy decide (peer-policy.ts), and gives each allowed connection its own RpcServer
 * session over the socket. Tunnel events are pushed to every served session.
 *
 * A refused connection gets exactly one error line (id null, code 'peer-not-allowed',
 * 'peer-unverified' or 'too-many-clients') and is closed; nothing it wrote is read. Until the
 * decision, the socket is paused: no request is parsed before the peer is known.
 *
 * Semantics (docs/privileged-helper.md):
 *  - the daemon outlives its clients; a session's `shutdown` closes that session only;
 *  - when the last served session ends, `onLastSessionEnded` runs: main.ts tears the tunnel down,
 *    the promise the stdio service keeps when the app quits (nobody is left to disconnect it);
 *  - close() stops accepting, ends the sessions and removes the socket (SIGTERM path).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import type { ReadPeer } from './peer-credentials';
import { decidePeer, needsGroupLookup, type PeerCredentials, type ResolvedPeerPolicy } from './peer-policy';
import { RPC_VERSION, type RpcErrorCode } from './protocol';
import { RpcServer, type RpcServerInfo, type TunnelController } from './server';
import { applySocketAccess, prepareSocketPath, removeSocket, socketAccessFor } from './socket-path';

/** More sessions than an app, a CLI and a few status probes need; bounds fds an allowed user can hold. */
export const MAX_SOCKET_CLIENTS = 16;
/** A refused peer that does not read its error line is cut off after this. */
const REFUSAL_LINGER_MS = 2_000;

export interface SocketDaemonOptions {
  readonly socketPath: string;
  readonly policy: ResolvedPeerPolicy;
  readonly readPeer: ReadPeer;
  /** The peer uid's groups (`id -G`), null when unknown. */
  readonly groupsOf: (uid: number) => Promise<readonly number[] | null>;
  /** The tunnel operations a session may use; `shutdown` is supplied per session by the daemon. */
  readonly tunnel: Omit<TunnelController, 'shutdown'>;
  readonly info: RpcServerInfo;
  readonly log: (line: string) => void;
  readonly onLastSessionEnded: () => void;
  /** The daemon's effective uid (0 in production; the socket directory must be its own). */
  readonly euid: number;
  readonly maxClients?: number;
}

export class SocketDaemon {
  private server: Server | undefined;
  private readonly sessions = new Set<RpcServer>();
  /** Connections accepted and not yet closed, decided or not (the client bound counts these). */
  private readonly sockets = new Set<Socket>();
  private closing = false;

  constructor(private readonly options: SocketDaemonOptions) {}

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Prepares the path, listens and sets the socket's mode. Rejects with SocketPathError or the listen error. */
  async start(): Promise<void> {
    const { socketPath, euid, policy } = this.options;
    await prepareSocketPath(socketPath, euid);
    const server = createServer({ pauseOnConnect: true }, (socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path: socketPath }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.options.log(`socket server error: ${error.message}`));
    await applySocketAccess(socketPath, socketAccessFor(policy));
  }

  /** Pushes a tunnel event to every served session. */
  pushEvent(event: TunnelEvent): void {
    for (const session of this.sessions) session.pushEvent(event);
  }

  /** Stops accepting, ends every connection and removes the socket file. */
  async close(): Promise<void> {
    this.closing = true;
    const server = this.server;
    for (const session of this.sessions) session.end();
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await removeSocket(this.options.socketPath);
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined); // a client's reset must never reach the process
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    if (this.sockets.size > (this.options.maxClients ?? MAX_SOCKET_CLIENTS)) {
      this.refuse(socket, 'too-many-clients', `the service already serves ${this.options.maxClients ?? MAX_SOCKET_CLIENTS} connections`);
      return;
    }
    const lookup = this.options.readPeer(socket);
    if (!lookup.ok) {
      this.options.log(`refused a connection: ${lookup.message}`);
      this.refuse(socket, 'peer-unverified', 'the service could not verify who connected; refused');
      return;
    }
    void this.decide(socket, lookup.peer);
  }

  private async decide(socket: Socket, peer: PeerCredentials): Promise<void> {
    const { policy } = this.options;
    let groups: readonly number[] | null = null;
    if (needsGroupLookup(peer, policy)) groups = await this.options.groupsOf(peer.uid).catch(() => null);
    if (socket.destroyed || this.closing) return;
    const decision = decidePeer(peer, policy, groups);
    const who = `uid ${peer.uid} gid ${peer.gid}${peer.pid !== null ? ` pid ${peer.pid}` : ''}`;
    if (!decision.allowed) {
      this.options.log(`refused a connection from ${who}: ${decision.why}`);
      this.refuse(socket, 'peer-not-allowed', `uid ${peer.uid} may not use the PPTP Manager service`);
      return;
    }
    this.options.log(`serving ${who} (${decision.why})`);
    this.serve(socket);
  }

  private serve(socket: Socket): void {
    const session: RpcServer = new RpcServer(socket, socket, { ...this.options.tunnel, shutdown: async () => void setImmediate(() => session.end()) }, this.options.info);
    this.sessions.add(session);
    void session.run().then(() => {
      socket.destroySoon();
      this.sessions.delete(session);
      if (this.sessions.size === 0 && !this.closing) this.options.onLastSessionEnded();
    });
    socket.resume();
  }

  private refuse(socket: Socket, code: RpcErrorCode, message: string): void {
    socket.end(JSON.stringify({ v: RPC_VERSION, id: null, ok: false, error: { code, message } }) + '\n');
    setTimeout(() => socket.destroy(), REFUSAL_LINGER_MS).unref();
  }
}
