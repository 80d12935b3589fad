/**
 * TunnelSupervisor: the main process's handle on the privileged tunnel service (DESIGN.md §3),
 * as thin wiring of its parts:
 *  - start-service.ts: reaches the service, as a child (service-process.ts: spawn, hello, stderr,
 *    death, terminate on quit) or on a root daemon's socket (service-socket.ts), behind one
 *    ServiceConnection (service-connection.ts) so nothing here cares which;
 *  - service-requests.ts: the `connect` / `disconnect` / `test` requests and SupervisorError;
 *  - supervisor-policy.ts: the budgets and what an exit or a refusal means (pure);
 *  - main/app/tunnel/tunnel-view.ts: the ONE fold of what the app shows about the tunnel (pure);
 *  - event-log.ts: redaction and log lines for service events.
 * It feeds every input to the fold and announces the result: `onState` when the TunnelState
 * changes (tray, notifications), `onView` when anything shown changes (pushed on tunnel.state).
 *
 * Rules:
 *  - The password reaches the service only inside the `connect` request on the RPC pipe or socket; it is
 *    held in the SecretRegistry for the session so any echo of it in logs is redacted.
 *  - The service's output is untrusted: malformed lines are logged (excerpt, redacted) and ignored.
 *  - If the service dies under a tunnel, the state becomes `error` with reason 'internal-error';
 *    the next connect starts a new service, whose journal restores the network first.
 *  - Auto-reconnect is the service's (ConnectOptions.reconnect); 'reconnecting' events show as
 *    `connecting` with attempt n.
 *  - stop() (app quit) disconnects cleanly: disconnect request, wait with a timeout, shutdown,
 *    close stdin, then signals as a last resort.
 * Owns no Electron and no profile logic: callers pass ConnectOptions (main/profiles/connect-options.ts).
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { attemptTouchedNetwork, type TunnelState, type TunnelView } from '../../../preload/contract';
import type { DoctorResult, DoctorStepRecord } from '../../../preload/schema/doctor';
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import type { FailureReason } from '../../../preload/vocabulary';
import type { ConnectOptions } from '../../service/connect-options';
import type { LogBuffer } from '../log/log-buffer';
import { DOCTOR_ADVICE, foldTunnel, INITIAL_TUNNEL_STATUS, viewOf, type TunnelInput, type TunnelStatus } from '../tunnel/tunnel-view';
import { logTunnelEvent, redactTunnelEvent } from './event-log';
import type { ServiceCommand } from './launch';
import type { ServiceConnection } from './service-connection';
import { withTimeout, type SpawnFn } from './service-process';
import { connectUnixSocket, type ConnectSocketFn } from './service-socket';
import { startService } from './start-service';
import { requestConnect, requestDisconnect, requestTest, SupervisorError } from './service-requests';
import { isTunnelActive, serviceExitOutcome, stopTimeLeft, TIMEOUTS } from './supervisor-policy';

export { SupervisorError, type SupervisorErrorCode } from './service-requests';
export type { SpawnFn } from './service-process';
export type { ConnectSocketFn } from './service-socket';

export interface TunnelSupervisorOptions {
  /** The command that starts the service (or a function deciding it at start time). */
  readonly command: ServiceCommand | (() => ServiceCommand);
  readonly log: LogBuffer;
  readonly spawn?: SpawnFn;
  /** How a 'socket' command connects (tests inject a fake). */
  readonly connectSocket?: ConnectSocketFn;
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

export class TunnelSupervisor {
  private current: TunnelStatus = INITIAL_TUNNEL_STATUS;
  private service: ServiceConnection | undefined;
  private starting: Promise<ServiceConnection> | undefined;
  private releaseSecret: (() => void) | undefined;
  private readonly stateListeners = new Set<(s: TunnelState) => void>();
  private readonly viewListeners = new Set<(v: TunnelView) => void>();
  private readonly testStepListeners = new Set<(s: { profileId: string; step: DoctorStepRecord }) => void>();
  private testing: string | undefined;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: TunnelSupervisorOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? TIMEOUTS.request;
  }

  get state(): TunnelState {
    return this.current.state;
  }

  /** Everything folded: the view tunnel.state pushes plus the attempt's events (tunnel.status). */
  get status(): TunnelStatus {
    return this.current;
  }

  get view(): TunnelView {
    return viewOf(this.current);
  }

  /** The events of the current (or last) attempt, oldest first (stats: only the latest). */
  get events(): TunnelStatus['events'] {
    return this.current.events;
  }

  /** The child's pid while the service runs (tests). */
  get servicePid(): number | undefined {
    return this.service?.pid;
  }

  onState(listener: (s: TunnelState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onView(listener: (v: TunnelView) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  /** Each settled step of a running connection test, with the profile tested (tunnel.testStep). */
  onTestStep(listener: (s: { profileId: string; step: DoctorStepRecord }) => void): () => void {
    this.testStepListeners.add(listener);
    return () => this.testStepListeners.delete(listener);
  }

  /** The profile whose connection test runs, if one does. */
  get testingProfileId(): string | undefined {
    return this.testing;
  }

  /**
   * A connection test (the doctor's probe in the service: no TUN, routes or DNS). Changes no
   * tunnel state; resolves with every step and the verdict. Throws SupervisorError 'busy' while a
   * tunnel is up, connecting or disconnecting, or another test runs; 'service-unavailable';
   * 'unsupported' when the service cannot test. The password (with credentials) is held as a
   * secret for the test's duration, so any echo of it in the log is redacted.
   */
  async test(profileId: string, options: ConnectOptions, credentials: boolean): Promise<DoctorResult> {
    if (isTunnelActive(this.state)) throw new SupervisorError('busy', 'A tunnel is up or connecting: disconnect it before testing.');
    if (this.testing !== undefined) throw new SupervisorError('busy', 'A connection test is already running.');
    this.testing = profileId;
    const release = credentials ? this.options.log.secrets.hold(options.password) : () => undefined;
    try {
      let service: ServiceConnection;
      try {
        service = await this.ensureService();
      } catch (error) {
        throw new SupervisorError('service-unavailable', error instanceof Error ? error.message : String(error));
      }
      const redact = (t: string) => this.options.log.secrets.redact(t);
      const onStep = (step: DoctorStepRecord) =>
        notify(this.testStepListeners, { profileId, step: { ...step, message: redact(step.message), ...(step.technical ? { technical: redact(step.technical) } : {}) } });
      const result = await requestTest(service.rpc, { options, credentials }, onStep, TIMEOUTS.test);
      return { ...result, steps: result.steps.map((s) => ({ ...s, message: redact(s.message), ...(s.technical ? { technical: redact(s.technical) } : {}) })) };
    } finally {
      this.testing = undefined;
      release();
    }
  }

  /**
   * Starts the service if needed and asks it to connect. Resolves when the service accepted the
   * request; progress arrives as events. Throws SupervisorError ('busy', 'service-unavailable').
   */
  async connect(profileId: string, options: ConnectOptions): Promise<void> {
    if (isTunnelActive(this.state)) throw new SupervisorError('busy', 'A tunnel is already up or connecting; disconnect it first.');
    if (this.testing !== undefined) throw new SupervisorError('busy', 'A connection test is running: wait for it to finish.');
    this.releaseSecret?.();
    this.releaseSecret = this.options.log.secrets.hold(options.password);
    this.apply({ kind: 'connect-requested', profileId });
    let service: ServiceConnection;
    try {
      service = await this.ensureService();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.fail(profileId, 'internal-error', message);
      throw new SupervisorError('service-unavailable', message);
    }
    const rejected = await requestConnect(service.rpc, options, this.options.connectTimeoutMs ?? TIMEOUTS.connect);
    if (!rejected) return;
    if (rejected.refusal.kind === 'service-busy') {
      this.apply({ kind: 'ended' });
      throw new SupervisorError('busy', 'The tunnel service is already connecting or connected.');
    }
    // The service died with the request in flight: let the exit handler say how it died.
    if (rejected.refusal.waitForExit) await service.waitExit(TIMEOUTS.exitAfterClosed);
    const message = `The tunnel service refused the connect request: ${rejected.message}`;
    // An error event (or the exit handler) may already have explained the failure; keep that.
    const now = this.stateNow();
    if (now.state === 'connecting' && now.profileId === profileId) this.fail(profileId, 'internal-error', message);
    throw new SupervisorError('internal', message);
  }

  /** Ends the tunnel (or clears an error). Resolves once the service confirmed. */
  async disconnect(): Promise<void> {
    const s = this.state;
    if (s.state === 'idle') return;
    if (s.state === 'error') {
      // An error is sticky until dismissed; the service may still be retrying: stop that too.
      this.apply({ kind: 'ended' });
      await requestDisconnect(this.service?.rpc, this.requestTimeoutMs).catch(() => undefined);
      this.endSession();
      return;
    }
    this.apply({ kind: 'disconnect-requested' });
    try {
      const confirmed = await requestDisconnect(this.service?.rpc, this.requestTimeoutMs);
      // The service answers when the teardown has started; 'disconnected' (routes and DNS
      // restored) follows as an event. Stay 'disconnecting' until then, within a bound.
      if (confirmed && this.stateNow().state === 'disconnecting') {
        const ended = await this.waitForState((st) => st.state !== 'disconnecting', this.requestTimeoutMs);
        if (!ended) this.options.log.warn('The tunnel service did not report the end of the tunnel in time.');
      }
    } finally {
      if (this.stateNow().state === 'disconnecting') this.apply({ kind: 'ended' });
      if (this.stateNow().state === 'idle') this.endSession();
    }
  }

  /**
   * App quit: disconnect cleanly, ask the service to shut down, wait for it to exit; SIGTERM and
   * then SIGKILL only when the budget runs out. Never throws.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? TIMEOUTS.stop);
    const left = () => stopTimeLeft(deadline, Date.now());
    const service = this.service ?? (await this.starting?.catch(() => undefined));
    if (!service) {
      this.apply({ kind: 'ended' });
      return;
    }
    service.stopping = true;
    if (isTunnelActive(this.state)) {
      this.apply({ kind: 'disconnect-requested' });
      await withTimeout(service.rpc.disconnect(left()).catch(() => undefined), left());
      // Let the service finish the teardown (network restored) before it is asked to exit.
      await this.waitForState((st) => st.state !== 'disconnecting', Math.max(TIMEOUTS.stopStepFloor, left() - TIMEOUTS.stopAfterTeardown));
    }
    await service.terminate(left);
    this.apply({ kind: 'ended' });
    this.endSession();
  }

  /** Resolves true once `pred` holds for the state, false after `ms`. */
  private waitForState(pred: (s: TunnelState) => boolean, ms: number): Promise<boolean> {
    if (pred(this.state)) return Promise.resolve(true);
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

  private endSession(): void {
    this.releaseSecret?.();
    this.releaseSecret = undefined;
  }

  private ensureService(): Promise<ServiceConnection> {
    if (this.service && !this.service.rpc.closed) return Promise.resolve(this.service);
    if (!this.starting) {
      const command = typeof this.options.command === 'function' ? this.options.command() : this.options.command;
      this.starting = startService(command, {
        log: this.options.log,
        spawn: this.options.spawn ?? (nodeSpawn as unknown as SpawnFn),
        connectSocket: this.options.connectSocket ?? connectUnixSocket,
        ...(this.options.startTimeoutMs !== undefined ? { startTimeoutMs: this.options.startTimeoutMs } : {}),
        requestTimeoutMs: this.requestTimeoutMs,
        onEvent: (event) => this.handleServiceEvent(event),
        onExit: (service, exitInfo) => this.handleExit(service, exitInfo),
      })
        .then((service) => (this.service = service))
        .finally(() => {
          this.starting = undefined;
        });
    }
    return this.starting;
  }

  private handleExit(service: ServiceConnection, exitInfo: string): void {
    if (this.service === service) this.service = undefined;
    const outcome = serviceExitOutcome({ ready: service.ready, stopping: service.stopping, state: this.state, command: service.command, exitInfo });
    const log = this.options.log;
    switch (outcome.kind) {
      case 'start-failed':
        return; // startService reports it
      case 'expected':
        log.info(`The tunnel service exited (${exitInfo}).`);
        return;
      case 'unattended':
        log.warn(`The tunnel service exited (${exitInfo}).`);
        return;
      case 'tunnel-lost':
        log.error(outcome.message);
        this.fail(outcome.profileId, 'internal-error', outcome.message);
        return;
    }
  }

  private handleServiceEvent(raw: TunnelEvent): void {
    const log = this.options.log;
    const s = this.state;
    if (s.state === 'idle') {
      logTunnelEvent(log, raw);
      return;
    }
    const event = redactTunnelEvent(raw, (t) => log.secrets.redact(t));
    this.apply({ kind: 'service-event', event });
    logTunnelEvent(log, event, s.profileId, attemptTouchedNetwork(this.current.attempt?.phases ?? []));
    if (this.stateNow().state === 'idle') this.endSession(); // the teardown ended: routes and DNS restored
  }

  private fail(profileId: string, reason: FailureReason, message: string): void {
    this.apply({ kind: 'failed', profileId, reason, message: this.options.log.secrets.redact(message) });
  }

  /** The state, read afresh (TypeScript would otherwise keep an earlier narrowing across awaits). */
  private stateNow(): TunnelState {
    return this.current.state;
  }

  /** Folds one input and announces what changed. */
  private apply(input: TunnelInput): void {
    const prev = this.current;
    const next = foldTunnel(prev, input, DOCTOR_ADVICE);
    this.current = next;
    if (next.state !== prev.state) notify(this.stateListeners, next.state);
    if (next.state !== prev.state || next.attempt !== prev.attempt) notify(this.viewListeners, viewOf(next));
  }
}

function notify<T>(listeners: ReadonlySet<(value: T) => void>, value: T): void {
  for (const l of listeners) {
    try {
      l(value);
    } catch {
      // a listener's failure must not break the supervisor
    }
  }
}
