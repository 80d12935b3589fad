/**
 * What the profile store reports. ProfileStoreError: an operation failed, with a stable code
 * (the IPC handlers and pptpctl map codes to messages and exit codes). StoreProblem: something
 * found in the file and repaired or worked around (shown by the app, never fatal).
 * Types only: no I/O, no decisions.
 */
import type { FieldIssue } from '../../../preload/schema/profile';
import type { InvalidEntry } from './file-format';

export type ProfileStoreErrorCode =
  | 'invalid-profile'
  | 'not-found'
  | 'name-taken'
  | 'read-only'
  | 'too-many-profiles'
  | 'lock-timeout'
  | 'io-error';

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

export type StoreProblem =
  | {
      readonly kind: 'corrupt-file';
      readonly message: string;
      readonly movedTo: string;
      readonly recoveredFromBackup: boolean;
      readonly recoveredCount: number;
    }
  | {
      readonly kind: 'invalid-profiles';
      readonly message: string;
      readonly copiedTo: string;
      readonly dropped: readonly InvalidEntry[];
    }
  | { readonly kind: 'newer-version'; readonly message: string; readonly version: number };
