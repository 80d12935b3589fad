/**
 * The tunnel service as a child process: spawn it (launch.ts decides the command), wire its
 * stdout/stdin to an RpcClient and its stderr to the log, wait for `hello` (and check the RPC
 * version), notice its death, and end it on quit (shutdown, close stdin, then SIGTERM and
 * SIGKILL as a last resort). The timeouts it waits with come from supervisor-policy.ts.
 *
 * Must not: interpret tunnel events or hold tunnel state (the supervisor and the reducer do);
 * log requests (a connect carries the password).
 */
import type { ChildProcessWithoutNullStreams, SpawnOptionsWithoutStdio } from 'node:child_process';
import { RPC_VERSION } from '../../service/rpc/protocol';
import { describeCommand, type SpawnServiceCommand } from './launch';
import { RpcClient, RpcClientError } from './rpc-client';
import type { ServiceConnection, ServiceStartOptions } from './service-connection';
import { exitMessage, startTimeoutMs, TIMEOUTS } from './supervisor-policy';

export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptionsWithoutStdio) => ChildProcessWithoutNullStreams;

/** What a spawned child needs: everything a ServiceConnection starts with but the socket connector. */
export type ServiceProcessOptions = Omit<ServiceStartOptions, 'connectSocket'>;

/** Longest partial stderr line kept while waiting for its end. */
const MAX_STDERR_PARTIAL = 8192;

export class ServiceProcess implements ServiceConnection {
  /** Answered hello; before that, a death is reported by `start`, not by onExit's handler. */
  ready = false;
  /** We asked it to end (quit): its exit is expected. */
  stopping = false;
  readonly rpc: RpcClient;
  private readonly exited: Promise<void>;
  private exitInfo = '';

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly command: SpawnServiceCommand,
    private readonly options: ServiceProcessOptions,
  ) {
    const log = options.log;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
        resolve();
      });
      child.once('error', () => resolve());
    });
    this.rpc = new RpcClient(child.stdout, child.stdin, {
      onEvent: options.onEvent,
      onMalformed: (why, line) => log.warn(`Ignored a line from the tunnel service (${why}): ${line}`, 'service'),
      timeoutMs: options.requestTimeoutMs,
    });
    this.pipeStderr();
    void this.exited.then(() => {
      this.rpc.close('the tunnel service exited');
      options.onExit(this, this.exitInfo);
    });
  }

  /** Spawns the service and waits for its hello. Throws an Error whose message says why it could not start. */
  static async start(command: SpawnServiceCommand, options: ServiceProcessOptions): Promise<ServiceProcess> {
    options.log.info(`Starting the tunnel service (${command.mode}): ${describeCommand(command)}`);
    let child: ChildProcessWithoutNullStreams;
    try {
      child = options.spawn(command.command, command.args, {
        env: { ...process.env, ...(command.env ?? {}) },
        ...(command.cwd !== undefined ? { cwd: command.cwd } : {}),
        stdio: 'pipe',
      } as SpawnOptionsWithoutStdio);
    } catch (error) {
      throw new Error(`The tunnel service could not be started: ${(error as Error).message}`);
    }
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (e: Error) => reject(new Error(`The tunnel service could not be started (${describeCommand(command)}): ${e.message}`)));
    });
    spawnError.catch(() => undefined);
    const service = new ServiceProcess(child, command, options);
    await service.handshake(spawnError);
    return service;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private async handshake(spawnError: Promise<never>): Promise<void> {
    const { child, command, rpc } = this;
    let hello;
    try {
      hello = await Promise.race([
        rpc.hello(startTimeoutMs(command, this.options.startTimeoutMs)),
        spawnError,
        this.exited.then(() => {
          throw new Error(exitMessage(command, this.exitInfo));
        }),
      ]);
    } catch (error) {
      rpc.close('start failed');
      if (!this.hasExited) child.kill('SIGKILL');
      throw error instanceof RpcClientError ? new Error(`The tunnel service did not answer: ${error.message}`) : error;
    }
    if (hello.rpcVersion !== undefined && hello.rpcVersion !== RPC_VERSION) {
      rpc.close('version mismatch');
      child.kill('SIGKILL');
      throw new Error(`The tunnel service speaks RPC version ${hello.rpcVersion}; this app needs ${RPC_VERSION}. Reinstall the app.`);
    }
    this.options.log.info(`Tunnel service ready: ${hello.name ?? 'service'} ${hello.version ?? ''}${hello.privileged === false ? ' (NOT privileged)' : ''}`.trim());
    this.ready = true;
  }

  private get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Resolves true once the child has exited, false after `ms`. */
  async waitExit(ms: number): Promise<boolean> {
    return this.hasExited || endsWithin(this.exited, ms);
  }

  /**
   * Quit, after any tunnel was disconnected: ask it to shut down, close its stdin, wait for the
   * exit; SIGTERM and then SIGKILL only when the budget runs out. `left()` is the budget's rest.
   */
  async terminate(left: () => number): Promise<void> {
    this.stopping = true;
    await withTimeout(this.rpc.shutdown(Math.min(TIMEOUTS.shutdown, left())).catch(() => undefined), left());
    this.child.stdin.end();
    if (await this.waitExit(Math.min(left(), TIMEOUTS.exitAfterShutdown))) return;
    this.options.log.warn('The tunnel service did not exit after shutdown; sending SIGTERM.');
    this.child.kill('SIGTERM');
    if (await this.waitExit(TIMEOUTS.exitAfterSignal)) return;
    this.child.kill('SIGKILL');
    await this.waitExit(TIMEOUTS.exitAfterSignal);
  }

  private pipeStderr(): void {
    const { child } = this;
    const log = this.options.log;
    let partial = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = (lines.pop() ?? '').slice(0, MAX_STDERR_PARTIAL);
      for (const l of lines) if (l.trim()) log.add('info', 'service', l);
    });
    child.stderr.on('end', () => {
      if (partial.trim()) log.add('info', 'service', partial);
    });
  }
}

/** Waits for `p` or `ms`, whichever comes first. */
/** True once `ended` resolves, false after `ms` (a child's exit, a connection's close). */
export async function endsWithin(ended: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([ended.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
  clearTimeout(timer);
  return done;
}

export async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
