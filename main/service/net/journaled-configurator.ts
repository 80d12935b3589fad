/**
 * JournaledConfigurator: the one home of the promise every OS's NetworkConfigurator keeps --
 * journal a change before making it, roll back everything on a failing step (never half-applied
 * routes), undo newest first and idempotently on restore, and undo what a crash or kill -9 left
 * (recoverFromJournal) unless the journal's owner is still running. An undo that fails is
 * retried once after a pause (an `ip` timing out on a loaded machine); what still fails stays
 * in the journal, is named in the error, and is undone first by the next apply, so one failed
 * restore never blocks every later connect.
 *
 * Owns: the apply loop, rollback, restore, recovery, the journal's begin/append/drop order and
 * the best-effort undo walk. Each OS (linux/, darwin/) supplies only how to apply one step and
 * how to undo one record, with its own commands and its own record kinds.
 */
import { err, ok, type Result } from '../../engine/wire/result';
import { NetworkJournal, defaultStateDir, ownerIsAlive } from './journal';
import { describeStep, validatePlan } from './plan';
import {
  networkError,
  type AppliedNetwork,
  type NetworkConfigError,
  type NetworkConfigurator,
  type NetworkPlan,
  type NetworkStep,
  type RecoveryReport,
  type RestoreReport,
  type UndoRecord,
} from './types';

/** Why one step failed: the message, and the command and its output when a command failed. */
export interface StepFailure {
  readonly message: string;
  readonly command?: readonly string[];
  readonly stderr?: string;
}

/** What one applied step tells the caller (the server route and DNS backend end up in AppliedNetwork). */
export type StepOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'server-route'; readonly route: AppliedNetwork['serverRoute'] }
  | { readonly kind: 'dns'; readonly backend: AppliedNetwork['dnsBackend'] };

export const STEP_DONE: Result<StepOutcome, StepFailure> = ok({ kind: 'done' });

/** Undoing one record: ok(null), ok(a note about something deliberately left alone), or err(why). */
export type UndoOutcome = Result<string | null, string>;

/**
 * An undo that failed is tried once more after this pause: under heavy load an `ip` can run
 * into its timeout, and one such hiccup must not leave the host route and resolv.conf behind.
 */
export const UNDO_RETRY_DELAY_MS = 2_000;

export interface JournaledConfiguratorOptions {
  /** Pause before the one retry of undos that failed (default UNDO_RETRY_DELAY_MS; tests pass 0). */
  readonly undoRetryDelayMs?: number;
}

export abstract class JournaledConfigurator implements NetworkConfigurator {
  abstract readonly platform: string;
  readonly stateDir: string;
  protected readonly journal: NetworkJournal;
  readonly #undoRetryDelayMs: number;
  /**
   * This instance's last restore or rollback left records it could not undo. They are its own
   * leftovers, not another live tunnel's: the next apply undoes them first instead of refusing
   * (which would make every later connect fail until the service restarts).
   */
  #leftovers = false;

  constructor(stateDir: string = defaultStateDir(), options: JournaledConfiguratorOptions = {}) {
    this.stateDir = stateDir;
    this.journal = new NetworkJournal(stateDir);
    this.#undoRetryDelayMs = options.undoRetryDelayMs ?? UNDO_RETRY_DELAY_MS;
  }

  get journalPath(): string {
    return this.journal.path;
  }

  /** Platform checks beyond validatePlan (e.g. only utun interfaces on macOS). */
  protected checkPlan(_plan: NetworkPlan): Result<void, NetworkConfigError> {
    return ok(undefined);
  }

  /** Called once per apply after the journal is begun, before the first step. */
  protected startApply(_plan: NetworkPlan): void {}

  /** Applies one step; journals each change through `journaled` (or append/dropLast) first. */
  protected abstract applyStep(step: NetworkStep, plan: NetworkPlan): Promise<Result<StepOutcome, StepFailure>>;

  /** Undoes one record; a target that is already gone is success. */
  protected abstract undoRecord(record: UndoRecord): Promise<UndoOutcome>;

  /**
   * Why a journal record lies outside what this configurator ever changes for the journal's
   * TUN (another interface's address, a route through another link, a file or key it never
   * writes), or null. Such a record is dropped with a note and never acted on: the journal is
   * a root process's to-do list, so only what this code could have written is believed.
   */
  protected abstract outOfScope(record: UndoRecord, tunName: string): string | null;

  /** After every record was undone and the journal removed (e.g. delete a backup file). */
  protected async afterCleanUndo(): Promise<void> {}

  async apply(plan: NetworkPlan): Promise<Result<AppliedNetwork, NetworkConfigError>> {
    const valid = validatePlan(plan);
    if (!valid.ok) return valid;
    const platformValid = this.checkPlan(plan);
    if (!platformValid.ok) return platformValid;
    const started = await this.#beginJournal(plan.input.tunName);
    if (!started.ok) return started;
    this.startApply(plan);

    let serverRoute: AppliedNetwork['serverRoute'] = { kind: 'none' };
    let dnsBackend: AppliedNetwork['dnsBackend'] = 'none';
    for (const step of plan.steps) {
      let outcome: Result<StepOutcome, StepFailure>;
      try {
        outcome = await this.applyStep(step, plan);
      } catch (error) {
        outcome = err({ message: `unexpected failure: ${(error as Error).message}` });
      }
      if (!outcome.ok) {
        const undo = await this.#undoWithRetry();
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
    const read = await this.journal.read();
    if (read.kind === 'none') return ok({ undone: 0, notes: [] });
    if (read.kind === 'corrupt') {
      return err(networkError('journal', `the network journal ${this.journal.path} is unreadable (${read.reason}); run recovery`));
    }
    const undo = await this.#undoWithRetry();
    if (undo.errors.length > 0) {
      return err(
        networkError('restore', `could not undo everything (kept in the journal; retried before the next connect and at the next start): ${undo.errors.join('; ')}`, {
          undoErrors: undo.errors,
        }),
      );
    }
    return ok({ undone: undo.undone, notes: undo.notes });
  }

  async recoverFromJournal(): Promise<Result<RecoveryReport, NetworkConfigError>> {
    const read = await this.journal.read();
    if (read.kind === 'none') return ok({ status: 'nothing-to-do' });
    if (read.kind === 'corrupt') {
      try {
        const keptAt = await this.journal.keepAside();
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

  /** Journal first, then the change; if the change fails nothing changed, so the record goes. */
  protected async journaled<T>(record: UndoRecord, change: () => Promise<Result<T, StepFailure>>): Promise<Result<T, StepFailure>> {
    await this.journal.append(record);
    const result = await change();
    if (!result.ok) await this.journal.dropLast();
    return result;
  }

  async #beginJournal(tunName: string): Promise<Result<void, NetworkConfigError>> {
    try {
      const existing = await this.journal.read();
      if (existing.kind === 'corrupt') {
        return err(networkError('journal', `the network journal ${this.journal.path} is unreadable (${existing.reason}); run recovery first`));
      }
      if (existing.kind === 'ok' && existing.journal.entries.length > 0) {
        const { owner } = existing.journal;
        // Our own leftovers (a restore or rollback that failed), or a dead process's: undo them
        // now. Anything else is a configuration a running process still holds: never touch it.
        const leftovers = this.#leftovers || (owner.pid !== process.pid && !ownerIsAlive(owner));
        if (!leftovers) {
          return err(networkError('journal', `a previous network configuration is still recorded in ${this.journal.path}; run recovery first`));
        }
        const undo = await this.#undoWithRetry();
        if (undo.errors.length > 0) {
          return err(
            networkError('journal', `the previous connection's network changes could not all be undone, so nothing new was applied: ${undo.errors.join('; ')}`, {
              undoErrors: undo.errors,
            }),
          );
        }
      }
      await this.journal.begin(tunName);
      return ok(undefined);
    } catch (error) {
      return err(networkError('journal', `cannot write the network journal in ${this.stateDir}: ${(error as Error).message}`));
    }
  }

  /** #undoJournal, and once more after a pause for what failed (a transient failure, e.g. a timeout under load). */
  async #undoWithRetry(): Promise<{ undone: number; notes: string[]; errors: string[] }> {
    const first = await this.#undoJournal();
    if (first.errors.length === 0 || this.journal.contents === null) return first;
    await new Promise((resolve) => setTimeout(resolve, this.#undoRetryDelayMs));
    const again = await this.#undoJournal();
    return { undone: first.undone + again.undone, notes: [...first.notes, ...again.notes], errors: again.errors };
  }

  /**
   * Undoes the journal's records newest first, best effort: every record is tried. When all
   * succeeded the journal is deleted (then afterCleanUndo); otherwise it keeps the records still
   * to undo, and recovery retries them.
   */
  async #undoJournal(): Promise<{ undone: number; notes: string[]; errors: string[] }> {
    const entries = this.journal.contents?.entries ?? [];
    const tunName = this.journal.contents?.tunName ?? '';
    const notes: string[] = [];
    const errors: string[] = [];
    const left: UndoRecord[] = [];
    for (const record of [...entries].reverse()) {
      const foreign = this.outOfScope(record, tunName);
      if (foreign !== null) {
        notes.push(`ignored a journal entry this service never writes (${foreign})`);
        continue;
      }
      let result: UndoOutcome;
      try {
        result = await this.undoRecord(record);
      } catch (error) {
        result = err(`${record.kind}: ${(error as Error).message}`);
      }
      if (result.ok) {
        if (result.value !== null) notes.push(result.value);
      } else {
        errors.push(result.error);
        left.unshift(record);
      }
    }
    try {
      if (left.length === 0) {
        await this.journal.remove();
        await this.afterCleanUndo();
      } else {
        await this.journal.replaceEntries(left);
      }
    } catch (error) {
      errors.push(`journal: ${(error as Error).message}`);
    }
    this.#leftovers = errors.length > 0;
    return { undone: entries.length - left.length, notes, errors };
  }
}
