/**
 * What the profile store and the importers report: the import report (per entry, per file),
 * the conflict policies and outcomes of an import, the store's error codes and the problems it
 * finds in its file. ONE definition each, as zod: main/profiles derives its types from these
 * schemas, and preload/contract.ts puts them on the wire (profiles.list, profiles.importPreview,
 * profiles.importApply), so what main returns and what the renderer checks cannot drift apart.
 *
 * Must not: import node:*, electron or anything from main/ (the renderer bundles this file);
 * decide anything (the importers and the store do). Only zod and preload/schema/profile.ts.
 */
import { z } from 'zod';
import { fieldIssueSchema, ProfileSchema, ProfileSettingsSchema } from './profile';

// --- import report ----------------------------------------------------------------------------

/** The file formats the importers read (main/profiles/import: one importer each). */
export const IMPORT_FORMATS = ['pptp-manager-json', 'rasphone-pbk', 'nmconnection', 'pppd-peers'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/** A report's format: the one detected (or asked for), 'unknown' when none fits. */
export const importReportFormatSchema = z.enum([...IMPORT_FORMATS, 'unknown']);

/** Why a file (the first group) or one entry of it (the second) could not be imported. */
export const IMPORT_ERROR_CODES = [
  // whole file
  'file-too-large',
  'not-a-file', // a directory (or nothing that holds text) where a file was named
  'unreadable', // open or read failed, or a pipe sent nothing in time
  'empty-file',
  'binary-file',
  'invalid-encoding',
  'unknown-format',
  'not-json',
  'wrong-format',
  'unsupported-version',
  // one entry
  'invalid-profile',
  'no-server',
  'no-usable-auth',
  'malformed-entry',
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

export const importErrorSchema = z.object({ code: z.enum(IMPORT_ERROR_CODES), message: z.string() });
export type ImportError = Readonly<z.output<typeof importErrorSchema>>;

/** 'ok' imports as is; 'warning' imports with notes (or is skipped when it has no profile); 'error' cannot. */
export const IMPORT_ENTRY_STATUSES = ['ok', 'warning', 'error'] as const;

/** One entry of an imported file, as every importer reports it. */
export const importEntrySchema = z.object({
  /** The entry's name in the file (section, connection id, file name), for the report. */
  sourceName: z.string(),
  status: z.enum(IMPORT_ENTRY_STATUSES),
  /** Validated settings with defaults filled in; present exactly when the entry can be imported. */
  profile: ProfileSettingsSchema.optional(),
  warnings: z.array(z.string()),
  error: importErrorSchema.optional(),
});
export type ImportEntry = Readonly<z.output<typeof importEntrySchema>>;

export const importReportSchema = z.object({
  format: importReportFormatSchema,
  entries: z.array(importEntrySchema),
  /** The file could not be read at all (entries is then empty). */
  fileError: importErrorSchema.optional(),
  /** Notes about the file as a whole that did not stop the import (e.g. entries cut at the cap). */
  fileWarnings: z.array(z.string()),
});
export type ImportReport = Readonly<z.output<typeof importReportSchema>>;

// --- store errors and import outcomes ---------------------------------------------------------

/** The stable codes of ProfileStoreError (the IPC handlers and pptpctl map them to messages and exit codes). */
export const PROFILE_STORE_ERROR_CODES = [
  'invalid-profile',
  'not-found',
  'name-taken',
  'read-only',
  'too-many-profiles',
  'lock-timeout',
  'io-error',
] as const;
export type ProfileStoreErrorCode = (typeof PROFILE_STORE_ERROR_CODES)[number];

/** What to do with an imported profile whose name is taken: "Name (2)", leave it out, or overwrite. */
export const CONFLICT_POLICIES = ['rename', 'skip', 'replace'] as const;
export const conflictPolicySchema = z.enum(CONFLICT_POLICIES);
export type ConflictPolicy = z.output<typeof conflictPolicySchema>;

/** What happened to one profile of profiles.importApply. */
export const importOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('created'), profile: ProfileSchema, renamedFrom: z.string().optional() }),
  z.object({ status: z.literal('replaced'), profile: ProfileSchema }),
  z.object({ status: z.literal('skipped'), name: z.string(), reason: z.string() }),
  z.object({
    status: z.literal('failed'),
    name: z.string().optional(),
    error: z.object({
      code: z.enum(PROFILE_STORE_ERROR_CODES),
      message: z.string(),
      issues: z.array(fieldIssueSchema).optional(),
    }),
  }),
]);
export type ImportOutcome = Readonly<z.output<typeof importOutcomeSchema>>;

// --- problems found in the store file ----------------------------------------------------------

/** A stored entry that failed validation and was set aside. */
export const invalidEntrySchema = z.object({
  index: z.number().int().nonnegative(),
  /** The entry's name when it had a readable one. */
  name: z.string().optional(),
  issues: z.array(fieldIssueSchema),
});
export type InvalidEntry = Readonly<z.output<typeof invalidEntrySchema>>;

const corruptFileProblem = z.object({
  kind: z.literal('corrupt-file'),
  message: z.string(),
  movedTo: z.string(),
  recoveredFromBackup: z.boolean(),
  recoveredCount: z.number().int().nonnegative(),
});
const invalidProfilesProblem = z.object({
  kind: z.literal('invalid-profiles'),
  message: z.string(),
  copiedTo: z.string(),
  dropped: z.array(invalidEntrySchema),
});
const newerVersionProblem = z.object({ kind: z.literal('newer-version'), message: z.string(), version: z.number() });

/** Something the store found in its file and repaired or worked around (shown, never fatal). */
export const storeProblemSchema = z.discriminatedUnion('kind', [corruptFileProblem, invalidProfilesProblem, newerVersionProblem]);
export type StoreProblem = Readonly<z.output<typeof storeProblemSchema>>;

/** What profiles.list says of a problem: its kind and sentence (paths and entries stay in main). */
export const storeProblemSummarySchema = z.object({
  kind: z.union([corruptFileProblem.shape.kind, invalidProfilesProblem.shape.kind, newerVersionProblem.shape.kind]),
  message: z.string(),
});
export type StoreProblemSummary = z.output<typeof storeProblemSummarySchema>;

// --- removal ------------------------------------------------------------------------------------

/** What removing a profile returns; secretError when the profile is gone but its keychain entry is not. */
export const profileRemovalSchema = z.object({
  profile: ProfileSchema,
  secretError: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type ProfileRemoval = Readonly<z.output<typeof profileRemovalSchema>>;
