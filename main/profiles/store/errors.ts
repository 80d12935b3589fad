/**
 * What the profile store reports. ProfileStoreError: an operation failed, with a stable code
 * (the IPC handlers and pptpctl map codes to messages and exit codes). StoreProblem: something
 * found in the file and repaired or worked around (shown by the app, never fatal).
 * The codes and the StoreProblem shape live in preload/schema/profile-store.ts (the wire checks
 * the same definitions). No I/O, no decisions.
 */
import type { FieldIssue } from '../../../preload/schema/profile';
import type { ProfileStoreErrorCode } from '../../../preload/schema/profile-store';

export class ProfileStoreError extends Error {
  constructor(
    readonly code: ProfileStoreErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'ProfileStoreError';
  }
}
