/**
 * The real tunnel service, driven exactly as the app drives it: started through the
 * supervisor's ServiceProcess (main/app/supervisor/service-process.ts) with a 'custom' command,
 * spoken to through its RpcClient (hello, connect, disconnect, status, shutdown), its events
 * validated by the same schema the app uses. The only differences from the app: the child runs
 * inside the test namespace (`ip netns exec`), with a private PPTP_STATE_DIR, and `ip` inside
 * its mount namespace is the soak's gate wrapper (ip-gate.ts) so a fault can be placed between
 * two steps of the network apply or restore.
 *
 * Owns: one service child at a time, the event history, waiting for events, RSS/fd sampling of
 * the child (by its pid), SIGKILL of that pid. Must not: touch anything outside the namespace.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import type { ConnectOptions } from '../../../main/service/connect-options';
import { LogBuffer } from '../../../main/app/log/log-buffer';
import { ServiceProcess, type SpawnFn } from '../../../main/app/supervisor/service-process';
import type { SpawnServiceCommand } from '../../../main/app/supervisor/launch';
import type { ServiceStatus } from '../../../main/service/rpc/protocol';
import { REPO_ROOT } from '../../interop/support/cli-runner';
import { SERVICE_NODE_FLAGS } from '../../../main/service/node-flags';

export interface ServiceSample {
  readonly rssKb: number;
  readonly fds: number;
}

export class SoakService {
  readonly events: TunnelEvent[] = [];
  readonly log = new LogBuffer();
  private waiters: (() => void)[] = [];
  exitInfo: string | undefined;

  private constructor(private readonly proc: ServiceProcess) {}

  /** Starts the service in `ns` with the gate wrapper from `gateDir` mounted over `ip`; waits for hello (after its journal recovery). */
  static async start(ns: string, stateDir: string, gateDir: string): Promise<SoakService> {
    // `ip netns exec` already gives the child its own mount namespace (slave of the host's):
    // the bind mount of the wrapper never reaches the host.
    // With the V8 flags the service ships with (node-flags.ts), so its RSS is measured as shipped.
    const script = `mount --bind ${gateDir}/ip /usr/sbin/ip && exec "$0" ${SERVICE_NODE_FLAGS.join(' ')} --import tsx main/service/main.ts`;
    const command: SpawnServiceCommand = {
      mode: 'custom',
      command: 'ip',
      args: ['netns', 'exec', ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script, process.execPath],
      env: { PPTP_STATE_DIR: stateDir },
      cwd: REPO_ROOT,
    };
    const holder: { service?: SoakService } = {};
    const early: TunnelEvent[] = [];
    const proc = await ServiceProcess.start(command, {
      log: new LogBuffer(),
      spawn: spawn as unknown as SpawnFn,
      requestTimeoutMs: 20_000,
      startTimeoutMs: 60_000,
      onEvent: (e) => (holder.service ? holder.service.push(e) : early.push(e)),
      onExit: (_s, info) => holder.service?.exited(info),
    });
    const service = new SoakService(proc);
    holder.service = service;
    for (const e of early) service.push(e);
    return service;
  }

  get pid(): number {
    const pid = this.proc.pid;
    if (pid === undefined) throw new Error('the service has no pid');
    return pid;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  connect(options: ConnectOptions): Promise<unknown> {
    return this.proc.rpc.connect(options);
  }

  disconnect(): Promise<unknown> {
    return this.proc.rpc.disconnect();
  }

  status(): Promise<ServiceStatus> {
    return this.proc.rpc.status();
  }

  /** Resolves with the first event at index >= `from` that matches; rejects after `timeoutMs` or when the service exits. */
  async waitFor<T extends TunnelEvent>(pred: (e: TunnelEvent) => e is T, from: number, timeoutMs: number): Promise<T>;
  async waitFor(pred: (e: TunnelEvent) => boolean, from: number, timeoutMs: number): Promise<TunnelEvent>;
  async waitFor(pred: (e: TunnelEvent) => boolean, from: number, timeoutMs: number): Promise<TunnelEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.slice(from).find(pred);
      if (hit) return hit;
      if (!this.alive) throw new Error(`the service exited (${this.exitInfo}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for an event`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** RSS (from /proc/<pid>/status) and open descriptors (/proc/<pid>/fd) of the service process. */
  sample(): ServiceSample {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    const fds = readdirSync(`/proc/${this.pid}/fd`).length;
    return { rssKb, fds };
  }

  /** SIGKILL of the service pid we started (no teardown: the journal is what the next start recovers from). */
  async kill9(): Promise<void> {
    process.kill(this.pid, 'SIGKILL');
    await this.proc.waitExit(10_000);
  }

  /** Quit as the app does (shutdown, close stdin, signals as a last resort). */
  async stop(): Promise<void> {
    if (!this.alive) return;
    const by = Date.now() + 20_000;
    await this.proc.terminate(() => Math.max(0, by - Date.now()));
  }

  private push(e: TunnelEvent): void {
    this.events.push(e);
    this.wake();
  }

  private exited(info: string): void {
    this.exitInfo = info;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Where the journal of a state dir lives (for the consistency check). */
export function journalPath(stateDir: string): string {
  return path.join(stateDir, 'network-journal.json');
}
