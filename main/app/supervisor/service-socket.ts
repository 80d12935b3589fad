/**
 * The tunnel service as a root daemon reached on its Unix socket (docs/privileged-helper.md):
 * connect, wait for `hello` and check the RPC version, notice the connection dropping (onExit),
 * and on quit end our session (`shutdown` ends this session only; the daemon keeps running).
 * The same surface as ServiceProcess (service-connection.ts), so the supervisor does not care.
 *
 * Errors say what the user can do: the helper is not installed or not running (no socket, or
 * nothing listening), this user may not reach it (EACCES on the socket, or the daemon's
 * 'peer-not-allowed' line), or it speaks another RPC version.
 *
 * Must not: interpret tunnel events or hold tunnel state; log requests (a connect carries the password).
 */
import { createConnection, type Socket } from 'node:net';
import { RPC_VERSION, type RpcErrorCode } from '../../service/rpc/protocol';
import type { SocketServiceCommand } from './launch';
import { RpcClient, RpcClientError } from './rpc-client';
import type { ServiceConnection, ServiceStartOptions } from './service-connection';
import { startTimeoutMs, TIMEOUTS } from './supervisor-policy';
import { endsWithin, withTimeout } from './service-process';

export type ConnectSocketFn = (path: string) => Socket;

export const connectUnixSocket: ConnectSocketFn = (path) => createConnection({ path });

/** Where a Mac user gets the helper (the pkg the dmg carries; packaging/mac). */
export const HELPER_INSTALL_HINT = 'install it with the "Install PPTP Manager Helper" package from the PPTP Manager disk image';

/** What a failed connect(2) to the daemon's socket means for the user. */
export function socketConnectMessage(socketPath: string, errno: string | undefined, detail: string): string {
  switch (errno) {
    case 'ENOENT':
    case 'ECONNREFUSED':
      return `The PPTP Manager helper is not installed or not running (nothing listens on ${socketPath}); ${HELPER_INSTALL_HINT}.`;
    case 'EACCES':
    case 'EPERM':
      return `This user may not use the PPTP Manager helper (${socketPath}: permission denied); ask an administrator to add you to the allowed group.`;
    default:
      return `The PPTP Manager helper could not be reached on ${socketPath}: ${detail}`;
  }
}

/** What the daemon's refusal line means for the user. */
export function refusalMessage(code: RpcErrorCode, message: string): string {
  switch (code) {
    case 'peer-not-allowed':
      return `The PPTP Manager helper refused this user (${message}); ask an administrator to add you to the allowed group.`;
    case 'peer-unverified':
      return `The PPTP Manager helper could not verify who is connecting and refused the connection (${message}); reinstall the helper.`;
    case 'too-many-clients':
      return `The PPTP Manager helper is serving too many connections (${message}); close other PPTP Manager windows or pptpctl sessions.`;
    default:
      return `The PPTP Manager helper refused the connection: ${code}: ${message}`;
  }
}

export class ServiceSocket implements ServiceConnection {
  ready = false;
  stopping = false;
  readonly pid = undefined;
  readonly rpc: RpcClient;
  private readonly closed: Promise<void>;
  private closeInfo = '';
  /** The connection's 'close' was seen (destroyed alone comes before the close event). */
  private hasClosed = false;
  /** The daemon's id-null error line, if it sent one (a refusal comes just before the close). */
  private refusal: { code: RpcErrorCode; message: string } | undefined;

  private constructor(
    private readonly socket: Socket,
    readonly command: SocketServiceCommand,
    private readonly options: ServiceStartOptions,
  ) {
    const log = options.log;
    this.closed = new Promise<void>((resolve) => {
      socket.once('close', () => {
        this.closeInfo ||= 'the helper closed the connection';
        this.hasClosed = true;
        resolve();
      });
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.closeInfo = e.code ?? e.message;
    });
    this.rpc = new RpcClient(socket, socket, {
      onEvent: options.onEvent,
      onMalformed: (why, line) => log.warn(`Ignored a line from the PPTP Manager helper (${why}): ${line}`, 'service'),
      onServiceError: (code, message) => {
        this.refusal = { code, message };
        log.warn(`The PPTP Manager helper reported ${code}: ${message}`, 'service');
      },
      timeoutMs: options.requestTimeoutMs,
    });
    void this.closed.then(() => {
      this.rpc.close('the connection to the PPTP Manager helper closed');
      options.onExit(this, this.closeInfo);
    });
  }

  /** Connects and waits for hello. Throws an Error whose message says why the helper cannot be used. */
  static async start(command: SocketServiceCommand, options: ServiceStartOptions): Promise<ServiceSocket> {
    options.log.info(`Connecting to the PPTP Manager helper on ${command.socketPath}`);
    let socket: Socket;
    try {
      socket = options.connectSocket(command.socketPath);
    } catch (error) {
      throw new Error(socketConnectMessage(command.socketPath, (error as NodeJS.ErrnoException).code, (error as Error).message));
    }
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => {
        socket.destroy();
        reject(new Error(socketConnectMessage(command.socketPath, e.code, e.message)));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve();
      });
    });
    const service = new ServiceSocket(socket, command, options);
    await service.handshake();
    return service;
  }

  private async handshake(): Promise<void> {
    const { rpc, command } = this;
    let hello;
    try {
      hello = await rpc.hello(startTimeoutMs(command, this.options.startTimeoutMs));
    } catch (error) {
      rpc.close('start failed');
      this.socket.destroy();
      if (this.refusal) throw new Error(refusalMessage(this.refusal.code, this.refusal.message));
      throw new Error(`The PPTP Manager helper did not answer: ${error instanceof RpcClientError ? error.message : String(error)}`);
    }
    if (hello.rpcVersion !== RPC_VERSION) {
      rpc.close('version mismatch');
      this.socket.destroy();
      throw new Error(`The PPTP Manager helper speaks RPC version ${String(hello.rpcVersion)}; this app needs ${RPC_VERSION}. Reinstall the helper from this version of the app.`);
    }
    this.options.log.info(`PPTP Manager helper ready: ${hello.name ?? 'service'} ${hello.version ?? ''}${hello.privileged === false ? ' (NOT privileged)' : ''}`.trim());
    this.ready = true;
  }


  async waitExit(ms: number): Promise<boolean> {
    return this.hasClosed || endsWithin(this.closed, ms);
  }

  /**
   * Quit, after any tunnel was disconnected: `shutdown` ends our session (the daemon stays), then
   * our end of the connection is closed; destroyed when the daemon does not close within budget.
   */
  async terminate(left: () => number): Promise<void> {
    this.stopping = true;
    await withTimeout(this.rpc.shutdown(Math.min(TIMEOUTS.shutdown, left())).catch(() => undefined), left());
    this.socket.end();
    if (await this.waitExit(Math.min(left(), TIMEOUTS.exitAfterShutdown))) return;
    this.socket.destroy();
    await this.waitExit(TIMEOUTS.exitAfterSignal);
  }
}
