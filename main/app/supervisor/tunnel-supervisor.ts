/**
 * TunnelSupervisor: the main process's handle on the privileged tunnel service (DESIGN.md §3).
 * It starts the service as a child (launch.ts picks direct / pkexec / a custom command), speaks
 * the JSON-lines RPC to it (rpc-client.ts), and turns the service's events into the contract's
 * TunnelState tagged union (preload/contract.ts), which it publishes with every event.
 *
 * Rules:
 *  - The password reaches the service only inside the `connect` request on the stdin pipe; it is
 *    held in the SecretRegistry for the session so any echo of it in logs is redacted.
 *  - The service's output is untrusted: malformed lines are logged (excerpt, redacted) and ignored.
 *  - If the service dies, the state becomes `error` with reason 'internal-error' and a message;
 *    the next connect starts a new service, whose journal restores the network first.
 *  - Auto-reconnect is the service's (ConnectOptions.reconnect); 'reconnecting' events show as
 *    `connecting` with attempt n.
 *  - stop() (app quit) disconnects cleanly: disconnect request, wait with a timeout, shutdown,
 *    close stdin, then signals as a last resort.
 * Owns no Electron and no profile logic: callers pass ConnectOptions (profile-connect-options.ts).
 */
import { spawn as nodeSpawn, type ChildProcessWithoutNullStreams, type SpawnOptionsWithoutStdio } from 'node:child_process';
import {
  MAX_STATUS_EVENTS,
  type TunnelEventPayload,
  type TunnelState,
} from '../../../preload/contract';
import type { TunnelEvent, TunnelFailureReason, TunnelPhase } from '../../../preload/schema/tunnel';
import type { ConnectOptions } from '../../service/connect-options';
import { ADVICE } from '../../service/doctor/advice';
import { RPC_VERSION } from '../../service/rpc/protocol';
import type { LogBuffer } from '../log/log-buffer';
import { describeCommand, type ServiceCommand } from './launch';
import { RpcClient, RpcClientError } from './rpc-client';

export type SupervisorErrorCode = 'busy' | 'not-connected' | 'service-unavailable' | 'internal';

export class SupervisorError extends Error {
  constructor(
    readonly code: SupervisorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SupervisorError';
  }
}

export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptionsWithoutStdio) => ChildProcessWithoutNullStreams;

export interface TunnelSupervisorOptions {
  /** The command that starts the service (or a function deciding it at start time). */
  readonly command: ServiceCommand | (() => ServiceCommand);
  readonly log: LogBuffer;
  readonly spawn?: SpawnFn;
  /** How long the service may take to answer `hello`; pkexec waits for the user's password. */
  readonly startTimeoutMs?: number;
  /** How long `connect` may take to be accepted. */
  readonly connectTimeoutMs?: number;
  /** Other requests. */
  readonly requestTimeoutMs?: number;
}

export interface StopOptions {
  /** Total budget for the clean path (disconnect + shutdown + exit); default 8 s. */
  readonly timeoutMs?: number;
}

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly rpc: RpcClient;
  readonly exited: Promise<void>;
  stopping: boolean;
  /** Answered hello; before that, a death is reported by the start path, not handleExit. */
  ready: boolean;
}

const IDLE: TunnelState = { state: 'idle' };

export class TunnelSupervisor {
  private current: TunnelState = IDLE;
  private attemptEvents: TunnelEventPayload[] = [];
  private running: Running | undefined;
  private starting: Promise<Running> | undefined;
  private releaseSecret: (() => void) | undefined;
  private readonly stateListeners = new Set<(s: TunnelState) => void>();
  private readonly eventListeners = new Set<(e: TunnelEventPayload) => void>();
  private readonly spawnFn: SpawnFn;

  constructor(private readonly options: TunnelSupervisorOptions) {
    this.spawnFn = options.spawn ?? (nodeSpawn as unknown as SpawnFn);
  }

  get state(): TunnelState {
    return this.current;
  }

  /** The events of the current (or last) attempt, oldest first (stats: only the latest). */
  get events(): readonly TunnelEventPayload[] {
    return this.attemptEvents;
  }

  /** The child's pid while the service runs (tests). */
  get servicePid(): number | undefined {
    return this.running?.child.pid;
  }

  onState(listener: (s: TunnelState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onEvent(listener: (e: TunnelEventPayload) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /**
   * Starts the service if needed and asks it to connect. Resolves when the service accepted the
   * request; progress arrives as events. Throws SupervisorError ('busy', 'service-unavailable').
   */
  async connect(profileId: string, options: ConnectOptions): Promise<void> {
    if (this.current.state === 'connecting' || this.current.state === 'connected' || this.current.state === 'disconnecting') {
      throw new SupervisorError('busy', 'A tunnel is already up or connecting; disconnect it first.');
    }
    this.releaseSecret?.();
    this.releaseSecret = this.options.log.secrets.hold(options.password);
    this.attemptEvents = [];
    this.setState({ state: 'connecting', profileId, phase: null, attempt: 0 });
    let running: Running;
    try {
      running = await this.ensureService();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.fail(profileId, 'internal-error', message);
      throw new SupervisorError('service-unavailable', message);
    }
    try {
      await running.rpc.connect(options, this.options.connectTimeoutMs ?? 120_000);
    } catch (error) {
      const e = error as RpcClientError;
      if (e.code === 'busy') {
        // The service has a tunnel we do not know about (e.g. after an app restart): say so.
        this.setState(IDLE);
        throw new SupervisorError('busy', 'The tunnel service is already connecting or connected.');
      }
      // The service died with the request in flight: let the exit handler say how it died.
      if (e.code === 'closed') await this.waitExit(running, 2_000);
      // An error event (or the exit handler) may already have explained the failure; keep that.
      const now = this.stateNow();
      if (now.state === 'connecting' && now.profileId === profileId) {
        this.fail(profileId, 'internal-error', `The tunnel service refused the connect request: ${e.message}`);
      }
      throw new SupervisorError('internal', `The tunnel service refused the connect request: ${e.message}`);
    }
  }

  /** Ends the tunnel (or clears an error). Resolves once the service confirmed. */
  async disconnect(): Promise<void> {
    const s = this.current;
    if (s.state === 'idle') return;
    if (s.state === 'error') {
      // An error is sticky until dismissed; the service may still be retrying: stop that too.
      this.setState(IDLE);
      await this.requestDisconnect().catch(() => undefined);
      this.endSession();
      return;
    }
    if (s.state !== 'disconnecting') this.setState({ state: 'disconnecting', profileId: s.profileId });
    try {
      const confirmed = await this.requestDisconnect();
      // The service answers when the teardown has started; 'disconnected' (routes and DNS
      // restored) follows as an event. Stay 'disconnecting' until then, within a bound.
      if (confirmed && this.stateNow().state === 'disconnecting') {
        const ended = await this.waitForState((st) => st.state !== 'disconnecting', this.options.requestTimeoutMs ?? 30_000);
        if (!ended) this.options.log.warn('The tunnel service did not report the end of the tunnel in time.');
      }
    } finally {
      const now = this.stateNow();
      if (now.state === 'disconnecting') this.setState(IDLE);
      if (this.stateNow().state === 'idle') this.endSession();
    }
  }

  /** Resolves true once `pred` holds for the state, false after `ms`. */
  private waitForState(pred: (s: TunnelState) => boolean, ms: number): Promise<boolean> {
    if (pred(this.current)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, ms);
      const off = this.onState((st) => {
        if (!pred(st)) return;
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  }

  /**
   * App quit: disconnect cleanly, ask the service to shut down, wait for it to exit; SIGTERM and
   * then SIGKILL only when the budget runs out. Never throws.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    const budget = options.timeoutMs ?? 8_000;
    const deadline = Date.now() + budget;
    const left = () => Math.max(100, deadline - Date.now());
    const running = this.running ?? (await this.starting?.catch(() => undefined));
    if (!running) {
      this.setState(IDLE);
      return;
    }
    running.stopping = true;
    if (this.current.state === 'connecting' || this.current.state === 'connected' || this.current.state === 'disconnecting') {
      const s = this.current;
      this.setState({ state: 'disconnecting', profileId: s.profileId });
      await this.withTimeout(running.rpc.disconnect(left()).catch(() => undefined), left());
      // Let the service finish the teardown (network restored) before it is asked to exit.
      await this.waitForState((st) => st.state !== 'disconnecting', Math.max(100, left() - 3_000));
    }
    await this.withTimeout(running.rpc.shutdown(Math.min(2_000, left())).catch(() => undefined), left());
    running.child.stdin.end();
    if (!(await this.waitExit(running, Math.min(left(), 3_000)))) {
      this.options.log.warn('The tunnel service did not exit after shutdown; sending SIGTERM.');
      running.child.kill('SIGTERM');
      if (!(await this.waitExit(running, 2_000))) {
        running.child.kill('SIGKILL');
        await this.waitExit(running, 2_000);
      }
    }
    this.setState(IDLE);
    this.endSession();
  }

  /** True when the service accepted the request (a tunnel was there to end). */
  private async requestDisconnect(): Promise<boolean> {
    const running = this.running;
    if (!running) return false;
    try {
      await running.rpc.disconnect(this.options.requestTimeoutMs ?? 30_000);
      return true;
    } catch (error) {
      const e = error as RpcClientError;
      if (e.code === 'not-connected' || e.code === 'closed') return false;
      throw new SupervisorError('internal', `The tunnel service did not disconnect: ${e.message}`);
    }
  }

  private endSession(): void {
    this.releaseSecret?.();
    this.releaseSecret = undefined;
  }

  private ensureService(): Promise<Running> {
    if (this.running && !this.running.rpc.closed) return Promise.resolve(this.running);
    if (!this.starting) {
      this.starting = this.startService().finally(() => {
        this.starting = undefined;
      });
    }
    return this.starting;
  }

  private async startService(): Promise<Running> {
    const command = typeof this.options.command === 'function' ? this.options.command() : this.options.command;
    const log = this.options.log;
    log.info(`Starting the tunnel service (${command.mode}): ${describeCommand(command)}`);
    let child: ChildProcessWithoutNullStreams;
    try {
      child = this.spawnFn(command.command, command.args, {
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
    let exitInfo = '';
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
        resolve();
      });
      child.once('error', () => resolve());
    });
    const rpc = new RpcClient(child.stdout, child.stdin, {
      onEvent: (event) => this.handleEvent(event),
      onMalformed: (why, line) => log.warn(`Ignored a line from the tunnel service (${why}): ${line}`, 'service'),
      timeoutMs: this.options.requestTimeoutMs ?? 30_000,
    });
    this.pipeStderr(child);
    const running: Running = { child, rpc, exited, stopping: false, ready: false };
    void exited.then(() => this.handleExit(running, exitInfo, command));

    const startTimeout = this.options.startTimeoutMs ?? (command.mode === 'pkexec' ? 180_000 : 20_000);
    let hello;
    try {
      hello = await Promise.race([
        rpc.hello(startTimeout),
        spawnError,
        exited.then(() => {
          throw new Error(exitMessage(command, exitInfo));
        }),
      ]);
    } catch (error) {
      rpc.close('start failed');
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      throw error instanceof RpcClientError ? new Error(`The tunnel service did not answer: ${error.message}`) : error;
    }
    if (hello.rpcVersion !== undefined && hello.rpcVersion !== RPC_VERSION) {
      rpc.close('version mismatch');
      child.kill('SIGKILL');
      throw new Error(`The tunnel service speaks RPC version ${hello.rpcVersion}; this app needs ${RPC_VERSION}. Reinstall the app.`);
    }
    log.info(`Tunnel service ready: ${hello.name ?? 'service'} ${hello.version ?? ''}${hello.privileged === false ? ' (NOT privileged)' : ''}`.trim());
    running.ready = true;
    this.running = running;
    return running;
  }

  private pipeStderr(child: ChildProcessWithoutNullStreams): void {
    let partial = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const text = partial + chunk;
      const lines = text.split('\n');
      partial = (lines.pop() ?? '').slice(0, 8192);
      for (const l of lines) if (l.trim()) this.options.log.add('info', 'service', l);
    });
    child.stderr.on('end', () => {
      if (partial.trim()) this.options.log.add('info', 'service', partial);
    });
  }

  private handleExit(running: Running, exitInfo: string, command: ServiceCommand): void {
    running.rpc.close('the tunnel service exited');
    if (this.running === running) this.running = undefined;
    if (!running.ready) return; // startService reports it
    if (running.stopping) {
      this.options.log.info(`The tunnel service exited (${exitInfo}).`);
      return;
    }
    const s = this.current;
    if (s.state === 'idle') {
      this.options.log.warn(`The tunnel service exited (${exitInfo}).`);
      return;
    }
    const message = `${exitMessage(command, exitInfo)} Routes and DNS are restored from its journal when it next starts.`;
    this.options.log.error(message);
    this.fail(s.profileId, 'internal-error', message);
  }

  private handleEvent(raw: TunnelEvent): void {
    const s = this.current;
    if (s.state === 'idle') {
      // Nothing of ours is running (a late event after dismissing an error): log only.
      if (raw.event === 'log') this.options.log.add(raw.level, 'tunnel', raw.message);
      return;
    }
    const profileId = s.profileId;
    const event = this.redactEvent(raw);
    const payload: TunnelEventPayload = { profileId, event };
    this.record(payload);
    switch (event.event) {
      case 'phase':
        if (s.state === 'connecting' && event.status === 'started') this.setState({ ...s, phase: event.phase });
        if (event.status === 'failed') this.options.log.warn(`Phase ${event.phase} failed`, 'tunnel', profileId);
        break;
      case 'connected': {
        const { event: _e, ...details } = event;
        this.setState({ state: 'connected', profileId, details });
        this.options.log.info(
          `Connected to ${details.server}: ${details.localIp} -> ${details.remoteIp}, ${details.auth}, ${details.mppe ? `MPPE ${details.mppe.bits}` : 'no encryption'}`,
          'tunnel',
          profileId,
        );
        break;
      }
      case 'error':
        if (s.state !== 'disconnecting') this.fail(profileId, event.reason, event.message, event.phase);
        this.options.log.error(`${event.reason}: ${event.message}`, 'tunnel', profileId);
        break;
      case 'disconnected':
        this.options.log.info(`Disconnected (${event.reason}, network ${event.restored ? 'restored' : 'NOT fully restored'})`, 'tunnel', profileId);
        if (s.state === 'error') break;
        if (event.reason === 'local-disconnect' || s.state === 'disconnecting') {
          this.setState(IDLE);
          this.endSession();
        } else {
          this.fail(profileId, event.reason, ADVICE[event.reason].title);
        }
        break;
      case 'reconnecting':
        this.options.log.warn(`Reconnecting (attempt ${event.attempt}) in ${event.delayMs} ms after ${event.reason}`, 'tunnel', profileId);
        if (s.state !== 'disconnecting') this.setState({ state: 'connecting', profileId, phase: null, attempt: event.attempt });
        break;
      case 'log':
        this.options.log.add(event.level, 'tunnel', event.message, profileId);
        break;
      case 'stats':
        break;
    }
    for (const l of this.eventListeners) {
      try {
        l(payload);
      } catch {
        // a listener's failure must not break the supervisor
      }
    }
  }

  /** Tunnel events go to the renderer: scrub their free-text fields like log lines. */
  private redactEvent(event: TunnelEvent): TunnelEvent {
    const r = (t: string) => this.options.log.secrets.redact(t);
    switch (event.event) {
      case 'log':
        return { ...event, message: r(event.message) };
      case 'error':
        return { ...event, message: r(event.message), ...(event.hint !== undefined ? { hint: r(event.hint) } : {}) };
      default:
        return event;
    }
  }

  private record(payload: TunnelEventPayload): void {
    const list = this.attemptEvents;
    if (payload.event.event === 'stats') {
      const i = list.findIndex((p) => p.event.event === 'stats');
      if (i !== -1) list.splice(i, 1);
    }
    list.push(payload);
    if (list.length > MAX_STATUS_EVENTS) list.splice(0, list.length - MAX_STATUS_EVENTS);
  }

  private fail(profileId: string, reason: TunnelFailureReason, message: string, phase?: TunnelPhase): void {
    this.setState({
      state: 'error',
      profileId,
      failure: { reason, message: this.options.log.secrets.redact(message), ...(phase !== undefined ? { phase } : {}) },
      advice: { ...ADVICE[reason] },
    });
  }

  /** The state, read afresh (TypeScript would otherwise keep an earlier narrowing across awaits). */
  private stateNow(): TunnelState {
    return this.current;
  }

  private setState(next: TunnelState): void {
    this.current = next;
    for (const l of this.stateListeners) {
      try {
        l(next);
      } catch {
        // ignore listener failures
      }
    }
  }

  private async withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([p, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  private async waitExit(running: Running, ms: number): Promise<boolean> {
    if (running.child.exitCode !== null || running.child.signalCode !== null) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([running.exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
    clearTimeout(timer);
    return done;
  }
}

function exitMessage(command: ServiceCommand, exitInfo: string): string {
  if (command.mode === 'pkexec' && /exit code 12[67]$/.test(exitInfo)) {
    return 'The tunnel service was not started: administrator authentication was dismissed or refused.';
  }
  return `The tunnel service stopped unexpectedly (${exitInfo || 'unknown status'}).`;
}
