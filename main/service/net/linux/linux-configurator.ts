/**
 * LinuxNetworkConfigurator: applies a NetworkPlan with iproute2 (and resolvectl or
 * /etc/resolv.conf for DNS), journaling each change before making it, and undoes it all on
 * restore, on a failing step (rollback: never half-applied routes) and after a crash
 * (recoverFromJournal).
 *
 * Owns: the order of journal write vs. command, rollback, and the idempotent undo rules
 * (an undo whose target is already gone -- route deleted, TUN vanished with its process -- is
 * success). Must not: build arguments from unvalidated text (plan.ts, iproute.ts validate), run
 * a shell, or touch the original default route (full tunnel is two /1 routes, see plan.ts).
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../../../engine/wire/result';
import { guardArgs, createExecFileRunner, type CommandName, type CommandRunner } from '../command-runner';
import { NetworkJournal, defaultStateDir, ownerIsAlive } from '../journal';
import { describeStep, validatePlan } from '../plan';
import {
  isDarwinUndoRecord,
  networkError,
  type AppliedNetwork,
  type NetworkConfigError,
  type NetworkConfigurator,
  type NetworkPlan,
  type NetworkStep,
  type RecoveryReport,
  type RestoreReport,
  type UndoRecord,
} from '../types';
import { detectDnsBackend, type DnsBackend } from './dns-backend';
import { ipArgs, isAlreadyExists, isAlreadyGone, parseLinkMtu, parseRouteGet, resolvectlArgs, undoCommand } from './iproute';
import { BACKUP_FILE, prepareResolvConf, restoreResolvConf, writeResolvConf } from './resolv-conf';

export interface LinuxConfiguratorOptions {
  /** Journal and backups (default $PPTP_STATE_DIR or /var/lib/pptp-manager). */
  readonly stateDir?: string;
  /** Runs `ip`/`resolvectl` (default: execFile, no shell). Tests inject a scripted one. */
  readonly runner?: CommandRunner;
  /** Default /etc/resolv.conf. */
  readonly resolvConfPath?: string;
  /** Default 'auto' (see dns-backend.ts). */
  readonly dnsBackend?: 'auto' | DnsBackend;
}

interface StepFailure {
  readonly message: string;
  readonly command?: readonly string[];
  readonly stderr?: string;
}

type StepOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'server-route'; readonly route: AppliedNetwork['serverRoute'] }
  | { readonly kind: 'dns'; readonly backend: DnsBackend };

export class LinuxNetworkConfigurator implements NetworkConfigurator {
  readonly platform = 'linux';
  readonly stateDir: string;
  readonly #journal: NetworkJournal;
  readonly #runner: CommandRunner;
  readonly #resolvConfPath: string;
  readonly #dnsBackend: 'auto' | DnsBackend;

  constructor(options: LinuxConfiguratorOptions = {}) {
    this.stateDir = options.stateDir ?? defaultStateDir();
    this.#journal = new NetworkJournal(this.stateDir);
    this.#runner = options.runner ?? createExecFileRunner();
    this.#resolvConfPath = options.resolvConfPath ?? '/etc/resolv.conf';
    this.#dnsBackend = options.dnsBackend ?? 'auto';
  }

  get journalPath(): string {
    return this.#journal.path;
  }

  async apply(plan: NetworkPlan): Promise<Result<AppliedNetwork, NetworkConfigError>> {
    const valid = validatePlan(plan);
    if (!valid.ok) return valid;
    const started = await this.#beginJournal(plan.input.tunName);
    if (!started.ok) return started;

    let serverRoute: AppliedNetwork['serverRoute'] = { kind: 'none' };
    let dnsBackend: AppliedNetwork['dnsBackend'] = 'none';
    for (const step of plan.steps) {
      let outcome: Result<StepOutcome, StepFailure>;
      try {
        outcome = await this.#applyStep(step);
      } catch (error) {
        outcome = err({ message: `unexpected failure: ${(error as Error).message}` });
      }
      if (!outcome.ok) {
        const undo = await this.#undoJournal();
        const what = describeStep(step);
        return err(
          networkError(what, `${what} failed: ${outcome.error.message}`, {
            ...(outcome.error.command ? { command: outcome.error.command } : {}),
            ...(outcome.error.stderr !== undefined ? { stderr: outcome.error.stderr } : {}),
            undoErrors: undo.errors,
          }),
        );
      }
      if (outcome.value.kind === 'server-route') serverRoute = outcome.value.route;
      if (outcome.value.kind === 'dns') dnsBackend = outcome.value.backend;
    }
    return ok({ tunName: plan.input.tunName, serverRoute, dnsBackend, stepsApplied: plan.steps.length });
  }

  async restore(): Promise<Result<RestoreReport, NetworkConfigError>> {
    const read = await this.#journal.read();
    if (read.kind === 'none') return ok({ undone: 0, notes: [] });
    if (read.kind === 'corrupt') {
      return err(networkError('journal', `the network journal ${this.#journal.path} is unreadable (${read.reason}); run recovery`));
    }
    const undo = await this.#undoJournal();
    if (undo.errors.length > 0) {
      return err(networkError('restore', `could not undo everything: ${undo.errors.join('; ')}`, { undoErrors: undo.errors }));
    }
    return ok({ undone: undo.undone, notes: undo.notes });
  }

  async recoverFromJournal(): Promise<Result<RecoveryReport, NetworkConfigError>> {
    const read = await this.#journal.read();
    if (read.kind === 'none') return ok({ status: 'nothing-to-do' });
    if (read.kind === 'corrupt') {
      try {
        const keptAt = await this.#journal.keepAside();
        return ok({ status: 'corrupt-journal', keptAt, reason: read.reason });
      } catch (error) {
        return err(networkError('journal', `the network journal is unreadable (${read.reason}) and could not be moved aside: ${(error as Error).message}`));
      }
    }
    const { owner } = read.journal;
    if (ownerIsAlive(owner)) {
      return err(networkError('journal', `the network configuration belongs to a running process (pid ${owner.pid}); not touching it`));
    }
    const undo = await this.#undoJournal();
    if (undo.errors.length > 0) {
      return err(networkError('recover', `could not undo everything: ${undo.errors.join('; ')}`, { undoErrors: undo.errors }));
    }
    return ok({ status: 'recovered', undone: undo.undone, notes: undo.notes });
  }

  async #beginJournal(tunName: string): Promise<Result<void, NetworkConfigError>> {
    try {
      const existing = await this.#journal.read();
      if (existing.kind === 'corrupt') {
        return err(networkError('journal', `the network journal ${this.#journal.path} is unreadable (${existing.reason}); run recovery first`));
      }
      if (existing.kind === 'ok' && existing.journal.entries.length > 0) {
        return err(networkError('journal', `a previous network configuration is still recorded in ${this.#journal.path}; run recovery first`));
      }
      await this.#journal.begin(tunName);
      return ok(undefined);
    } catch (error) {
      return err(networkError('journal', `cannot write the network journal in ${this.stateDir}: ${(error as Error).message}`));
    }
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

  /** Journal first, then the one command; if the command fails nothing changed, so the record goes. */
  async #journaled(record: UndoRecord, command: CommandName, args: readonly string[]): Promise<Result<string, StepFailure>> {
    await this.#journal.append(record);
    const result = await this.#run(command, args);
    if (!result.ok) await this.#journal.dropLast();
    return result;
  }

  async #applyStep(step: NetworkStep): Promise<Result<StepOutcome, StepFailure>> {
    const done = ok({ kind: 'done' } as const);
    switch (step.kind) {
      case 'link-mtu': {
        const shown = await this.#run('ip', ipArgs.linkShow(step.dev));
        if (!shown.ok) return shown;
        const previousMtu = parseLinkMtu(shown.value);
        if (previousMtu === null) return err({ message: `cannot read the MTU of ${step.dev}` });
        const set = await this.#journaled({ kind: 'link-mtu', dev: step.dev, previousMtu }, 'ip', ipArgs.setMtu(step.dev, step.mtu));
        return set.ok ? done : set;
      }
      case 'link-address': {
        const { dev, local, peer } = step;
        const added = await this.#journaled({ kind: 'link-address', dev, local, peer }, 'ip', ipArgs.addAddress(dev, local, peer));
        return added.ok ? done : added;
      }
      case 'link-up': {
        const up = await this.#journaled({ kind: 'link-up', dev: step.dev }, 'ip', ipArgs.linkUp(step.dev));
        return up.ok ? done : up;
      }
      case 'server-route':
        return this.#applyServerRoute(step.server, step.tunDev);
      case 'tunnel-route': {
        const added = await this.#journaled({ kind: 'route', dest: step.dest, via: null, dev: step.dev }, 'ip', ipArgs.addRoute(step.dest, null, step.dev));
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
    await this.#journal.append({ kind: 'route', dest, via, dev: route.dev });
    const added = await this.#run('ip', ipArgs.addRoute(dest, via, route.dev));
    if (!added.ok) {
      await this.#journal.dropLast();
      // A host route to the server exists already (not ours): traffic to it bypasses the tunnel anyway.
      if (isAlreadyExists(added.error.stderr ?? '')) return ok({ kind: 'server-route', route: { kind: 'already-present' } });
      return added;
    }
    return ok({ kind: 'server-route', route: via === null ? { kind: 'on-link', dev: route.dev } : { kind: 'via-gateway', via, dev: route.dev } });
  }

  async #applyDns(step: Extract<NetworkStep, { kind: 'dns' }>): Promise<Result<StepOutcome, StepFailure>> {
    const backend = this.#dnsBackend === 'auto' ? await detectDnsBackend(this.#resolvConfPath) : this.#dnsBackend;
    if (backend === 'resolved') {
      const set = await this.#journaled({ kind: 'resolved-link', dev: step.dev }, 'resolvectl', resolvectlArgs.dns(step.dev, step.servers));
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
    await this.#journal.append(prepared.record);
    try {
      await writeResolvConf(prepared.record, prepared.content);
    } catch (error) {
      return err({ message: `cannot write ${this.#resolvConfPath}: ${(error as Error).message}` });
    }
    return ok({ kind: 'dns', backend });
  }

  async #undoRecord(record: UndoRecord): Promise<Result<string | null, string>> {
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

  /**
   * Undoes the journal's records newest first, best effort: every record is tried. When all
   * succeeded the journal and the resolv.conf backup are deleted; otherwise the journal keeps
   * the records still to undo (recovery retries them).
   */
  async #undoJournal(): Promise<{ undone: number; notes: string[]; errors: string[] }> {
    const entries = this.#journal.contents?.entries ?? [];
    const notes: string[] = [];
    const errors: string[] = [];
    const left: UndoRecord[] = [];
    for (const record of [...entries].reverse()) {
      const result = await this.#undoRecord(record);
      if (result.ok) {
        if (result.value !== null) notes.push(result.value);
      } else {
        errors.push(result.error);
        left.unshift(record);
      }
    }
    try {
      if (left.length === 0) {
        await this.#journal.remove();
        await unlink(join(this.stateDir, BACKUP_FILE)).catch(() => undefined);
      } else {
        await this.#journal.replaceEntries(left);
      }
    } catch (error) {
      errors.push(`journal: ${(error as Error).message}`);
    }
    return { undone: entries.length - left.length, notes, errors };
  }
}
