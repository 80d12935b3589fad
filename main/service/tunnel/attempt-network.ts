/**
 * The routes and DNS one connect attempt applies through the NetworkConfigurator, and putting
 * them back. The ordering guarantee lives here: restore() never runs while an apply is still in
 * flight (a server hang-up during the routes phase) — it waits for that apply, then restores
 * exactly what was applied, and nothing if nothing was.
 *
 * Owns: the in-flight apply and whether anything is applied. Must not: open the TUN, build the
 * plan or emit events (the attempt does; restore() reports through a callback).
 */
import type { Result } from '../../engine/wire/result';
import type { AppliedNetwork, NetworkConfigError, NetworkConfigurator, NetworkPlan } from '../net';

export class AttemptNetwork {
  /** The apply running right now; resolves after `applied` is set. */
  private applying: Promise<Result<AppliedNetwork, NetworkConfigError>> | undefined;
  private applied = false;

  constructor(private readonly configurator: NetworkConfigurator) {}

  /** True while an apply runs or after one succeeded: teardown must call restore(). */
  get needsRestore(): boolean {
    return this.applying !== undefined || this.applied;
  }

  async apply(plan: NetworkPlan): Promise<Result<AppliedNetwork, NetworkConfigError>> {
    const applying = this.configurator.apply(plan).then((r) => {
      if (r.ok) this.applied = true;
      return r;
    });
    this.applying = applying;
    const result = await applying;
    this.applying = undefined;
    return result;
  }

  /**
   * Waits for an in-flight apply, then undoes what was applied. Resolves false when restoring
   * failed (reported as an 'error' log), true otherwise; `log` also gets the configurator's notes.
   */
  async restore(log: (level: 'warn' | 'error', message: string) => void): Promise<boolean> {
    if (this.applying) await this.applying.catch(() => undefined);
    if (!this.applied) return true;
    const r = await this.configurator.restore();
    if (!r.ok) {
      log('error', `restoring the network failed: ${r.error.message}`);
      return false;
    }
    for (const note of r.value.notes) log('warn', note);
    return true;
  }
}
