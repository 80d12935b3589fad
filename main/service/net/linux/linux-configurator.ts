/**
 * LinuxNetworkConfigurator: applies a NetworkPlan with iproute2 (and resolvectl or
 * /etc/resolv.conf for DNS). The journal, rollback, restore and crash recovery are
 * JournaledConfigurator's; this file says how each step is done and undone on Linux.
 *
 * Owns: the iproute2/resolvectl commands of each step, and the idempotent undo rules (an undo
 * whose target is already gone -- route deleted, TUN vanished with its process -- is success). Must not: build arguments from unvalidated text (plan.ts, iproute.ts validate), run
 * a shell, or touch the original default route (full tunnel is two /1 routes, see plan.ts).
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../../../engine/wire/result';
import { guardArgs, createExecFileRunner, type CommandName, type CommandRunner } from '../command-runner';
import { defaultStateDir } from '../journal';
import { JournaledConfigurator, STEP_DONE, type JournaledConfiguratorOptions, type StepFailure, type StepOutcome, type UndoOutcome } from '../journaled-configurator';
import { isDarwinUndoRecord, type NetworkStep, type UndoRecord } from '../types';
import { detectDnsBackend, type DnsBackend } from './dns-backend';
import { ipArgs, isAlreadyExists, isAlreadyGone, parseLinkMtu, parseRouteGet, resolvectlArgs, undoCommand } from './iproute';
import { BACKUP_FILE, prepareResolvConf, restoreResolvConf, writeResolvConf } from './resolv-conf';

export interface LinuxConfiguratorOptions extends JournaledConfiguratorOptions {
  /** Journal and backups (default $PPTP_STATE_DIR or /var/lib/pptp-manager). */
  readonly stateDir?: string;
  /** Runs `ip`/`resolvectl` (default: execFile, no shell). Tests inject a scripted one. */
  readonly runner?: CommandRunner;
  /** Default /etc/resolv.conf. */
  readonly resolvConfPath?: string;
  /** Default 'auto' (see dns-backend.ts). */
  readonly dnsBackend?: 'auto' | DnsBackend;
}

export class LinuxNetworkConfigurator extends JournaledConfigurator {
  readonly platform = 'linux';
  readonly #runner: CommandRunner;
  readonly #resolvConfPath: string;
  readonly #dnsBackend: 'auto' | DnsBackend;

  constructor(options: LinuxConfiguratorOptions = {}) {
    super(options.stateDir ?? defaultStateDir(), options);
    this.#runner = options.runner ?? createExecFileRunner();
    this.#resolvConfPath = options.resolvConfPath ?? '/etc/resolv.conf';
    this.#dnsBackend = options.dnsBackend ?? 'auto';
  }

  /** Runs one command; the arguments are guarded once more here, whatever runner is injected. */
  async #run(command: CommandName, args: readonly string[]): Promise<Result<string, StepFailure>> {
    const bad = guardArgs(args);
    if (bad !== null) return err({ message: `refused unsafe argument ${JSON.stringify(bad)}`, command: [command, ...args] });
    const result = await this.#runner(command, args);
    if (result.exitCode === 0) return ok(result.stdout);
    return err({
      message: result.stderr.trim() || `${command} exited with ${result.exitCode}`,
      command: [command, ...args],
      stderr: result.stderr.trim(),
    });
  }

  /** Journal first, then the one command (see JournaledConfigurator.journaled). */
  #journaledRun(record: UndoRecord, command: CommandName, args: readonly string[]): Promise<Result<string, StepFailure>> {
    return this.journaled(record, () => this.#run(command, args));
  }

  protected async applyStep(step: NetworkStep): Promise<Result<StepOutcome, StepFailure>> {
    const done = STEP_DONE;
    switch (step.kind) {
      case 'link-mtu': {
        const shown = await this.#run('ip', ipArgs.linkShow(step.dev));
        if (!shown.ok) return shown;
        const previousMtu = parseLinkMtu(shown.value);
        if (previousMtu === null) return err({ message: `cannot read the MTU of ${step.dev}` });
        const set = await this.#journaledRun({ kind: 'link-mtu', dev: step.dev, previousMtu }, 'ip', ipArgs.setMtu(step.dev, step.mtu));
        return set.ok ? done : set;
      }
      case 'link-address': {
        const { dev, local, peer } = step;
        const added = await this.#journaledRun({ kind: 'link-address', dev, local, peer }, 'ip', ipArgs.addAddress(dev, local, peer));
        return added.ok ? done : added;
      }
      case 'link-up': {
        const up = await this.#journaledRun({ kind: 'link-up', dev: step.dev }, 'ip', ipArgs.linkUp(step.dev));
        return up.ok ? done : up;
      }
      case 'server-route':
        return this.#applyServerRoute(step.server, step.tunDev);
      case 'tunnel-route': {
        const added = await this.#journaledRun({ kind: 'route', dest: step.dest, via: null, dev: step.dev }, 'ip', ipArgs.addRoute(step.dest, null, step.dev));
        return added.ok ? done : added;
      }
      case 'dns':
        return this.#applyDns(step);
    }
  }

  async #applyServerRoute(server: string, tunDev: string): Promise<Result<StepOutcome, StepFailure>> {
    const got = await this.#run('ip', ipArgs.routeGet(server));
    if (!got.ok) return got;
    const route = parseRouteGet(got.value);
    if (route.kind === 'local') return ok({ kind: 'server-route', route: { kind: 'local' } });
    if (route.kind === 'unusable') return err({ message: route.reason });
    if (route.dev === tunDev) return err({ message: `the route to ${server} already goes through ${tunDev}` });
    const via = route.kind === 'via-gateway' ? route.via : null;
    const dest = `${server}/32`;
    await this.journal.append({ kind: 'route', dest, via, dev: route.dev });
    const added = await this.#run('ip', ipArgs.addRoute(dest, via, route.dev));
    if (!added.ok) {
      await this.journal.dropLast();
      // A host route to the server exists already (not ours): traffic to it bypasses the tunnel anyway.
      if (isAlreadyExists(added.error.stderr ?? '')) return ok({ kind: 'server-route', route: { kind: 'already-present' } });
      return added;
    }
    return ok({ kind: 'server-route', route: via === null ? { kind: 'on-link', dev: route.dev } : { kind: 'via-gateway', via, dev: route.dev } });
  }

  async #applyDns(step: Extract<NetworkStep, { kind: 'dns' }>): Promise<Result<StepOutcome, StepFailure>> {
    const backend = this.#dnsBackend === 'auto' ? await detectDnsBackend(this.#resolvConfPath) : this.#dnsBackend;
    if (backend === 'resolved') {
      const set = await this.#journaledRun({ kind: 'resolved-link', dev: step.dev }, 'resolvectl', resolvectlArgs.dns(step.dev, step.servers));
      if (!set.ok) return set;
      if (step.routeAllDomains) {
        // The record stays: `resolvectl revert` also undoes the dns setting that did succeed.
        const domain = await this.#run('resolvectl', resolvectlArgs.routeAllDomains(step.dev));
        if (!domain.ok) return domain;
      }
      return ok({ kind: 'dns', backend });
    }
    let prepared;
    try {
      prepared = await prepareResolvConf(this.#resolvConfPath, step.servers, step.dev, this.stateDir);
    } catch (error) {
      return err({ message: `cannot read ${this.#resolvConfPath}: ${(error as Error).message}` });
    }
    await this.journal.append(prepared.record);
    try {
      await writeResolvConf(prepared.record, prepared.content, prepared.owner);
    } catch (error) {
      return err({ message: `cannot write ${this.#resolvConfPath}: ${(error as Error).message}` });
    }
    return ok({ kind: 'dns', backend });
  }

  protected async undoRecord(record: UndoRecord): Promise<UndoOutcome> {
    if (isDarwinUndoRecord(record)) return err(`the journal holds a macOS record (${record.kind}); it cannot be undone on Linux`);
    if (record.kind === 'resolv-conf') {
      try {
        const outcome = await restoreResolvConf(record);
        return ok(outcome === 'changed-by-someone-else' ? `${record.path} was rewritten by someone else since; left as it is` : null);
      } catch (error) {
        return err(`restore ${record.path}: ${(error as Error).message}`);
      }
    }
    const command = undoCommand(record);
    if (command === null) return ok(null);
    const result = await this.#run(command.command, command.args);
    if (result.ok || isAlreadyGone(result.error.stderr ?? '')) return ok(null);
    return err(`${command.command} ${command.args.join(' ')}: ${result.error.message}`);
  }

  protected outOfScope(record: UndoRecord, tunName: string): string | null {
    switch (record.kind) {
      case 'link-mtu':
      case 'link-address':
      case 'link-up':
      case 'resolved-link':
        return record.dev === tunName ? null : `${record.kind} on ${record.dev}, not the tunnel's ${tunName}`;
      case 'route':
        // Tunnel routes go through the TUN; the only other route is the server's /32 host route.
        return record.dev === tunName || record.dest.endsWith('/32') ? null : `route ${record.dest} via ${record.dev}`;
      case 'resolv-conf':
        if (record.path !== this.#resolvConfPath) return `resolv.conf record for ${record.path}; this service only changes ${this.#resolvConfPath}`;
        if (record.backupFile !== null && record.backupFile !== join(this.stateDir, BACKUP_FILE)) return `backup file ${record.backupFile} outside ${this.stateDir}`;
        if (record.mode !== 'in-place' && record.target !== record.path) return `resolv.conf target ${record.target}`;
        return null;
      default:
        return `a macOS record (${record.kind})`;
    }
  }

  /** The resolv.conf backup goes with the journal once everything is undone. */
  protected override async afterCleanUndo(): Promise<void> {
    await unlink(join(this.stateDir, BACKUP_FILE)).catch(() => undefined);
  }
}
