/**
 * How a session ends: a stable reason (the shared vocabulary's FailureReason, a public contract
 * owned by preload/vocabulary.ts — pptpctl prints it, maps it to an exit code, the GUI shows the
 * doctor's advice for it) plus a sentence for the user. This module owns the Failure shape only;
 * it must not list the reasons again.
 */
import type { FailureReason } from '../../preload/vocabulary';

export interface Failure {
  readonly reason: FailureReason;
  /** One sentence a user can read, naming what happened (and the server's code in words). */
  readonly message: string;
  /** Optional machine-readable detail: result codes, error codes, phase. */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}
