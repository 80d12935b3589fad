/**
 * What an import did, in the words the import dialog shows: every entry of every previewed file
 * ends in exactly one group — created, renamed (old → new name), replaced, skipped (with the
 * reason: not importable, not chosen, or the conflict policy) or failed — plus a one-line
 * summary. Pure: built from the previews, the user's choice and main's importApply outcomes
 * (which come back in the order the profiles were sent).
 */
import type { ImportOutcome, ImportReport } from '../../../preload/contract';

/** One file as the dialog read it: main's report, or why it could not be previewed at all. */
export interface PreviewedFile {
  readonly fileName: string;
  readonly report?: ImportReport;
  readonly error?: string;
}

export interface ImportResult {
  readonly created: readonly string[];
  readonly renamed: readonly { from: string; to: string }[];
  readonly replaced: readonly string[];
  readonly skipped: readonly { name: string; reason: string }[];
  readonly failed: readonly { name: string; reason: string }[];
  readonly summary: string;
}

/** The key of entry `entry` of file `file` in the dialog's selection. */
export function entryKey(file: number, entry: number): string {
  return `${file}:${entry}`;
}

/** Why an entry without a profile cannot be imported, from main's report. */
export function unimportableReason(entry: ImportReport['entries'][number]): string {
  if (entry.error) return entry.error.message;
  const skip = entry.warnings.find((w) => w.startsWith('skipped: '));
  if (skip) return skip.slice('skipped: '.length);
  return entry.warnings[0] ?? 'It cannot be imported.';
}

function count(n: number, what: string): string | null {
  return n > 0 ? `${n} ${what}` : null;
}

/**
 * @param files the previewed files, in dialog order
 * @param selected the entry keys (entryKey) the user chose
 * @param outcomes main's outcomes for the chosen entries, in the same order
 */
export function importResult(files: readonly PreviewedFile[], selected: ReadonlySet<string>, outcomes: readonly ImportOutcome[]): ImportResult {
  const created: string[] = [];
  const renamed: { from: string; to: string }[] = [];
  const replaced: string[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const failed: { name: string; reason: string }[] = [];
  const several = files.length > 1;
  let next = 0;
  files.forEach((file, f) => {
    const where = several ? ` (${file.fileName})` : '';
    const fileProblem = file.error ?? file.report?.fileError?.message;
    if (fileProblem !== undefined && (file.report?.entries.length ?? 0) === 0) {
      skipped.push({ name: file.fileName, reason: fileProblem });
      return;
    }
    (file.report?.entries ?? []).forEach((entry, e) => {
      const name = entry.profile?.name ?? entry.sourceName;
      if (!entry.profile) {
        skipped.push({ name: `${name}${where}`, reason: unimportableReason(entry) });
        return;
      }
      if (!selected.has(entryKey(f, e))) {
        skipped.push({ name: `${name}${where}`, reason: 'not selected' });
        return;
      }
      const outcome = outcomes[next++];
      if (!outcome) {
        failed.push({ name: `${name}${where}`, reason: 'No result came back for this entry.' });
        return;
      }
      switch (outcome.status) {
        case 'created':
          if (outcome.renamedFrom !== undefined && outcome.renamedFrom !== outcome.profile.name) renamed.push({ from: outcome.renamedFrom, to: outcome.profile.name });
          else created.push(outcome.profile.name);
          return;
        case 'replaced':
          replaced.push(outcome.profile.name);
          return;
        case 'skipped':
          skipped.push({ name: outcome.name, reason: outcome.reason });
          return;
        case 'failed':
          failed.push({ name: outcome.name ?? `${name}${where}`, reason: outcome.error.message });
          return;
      }
    });
  });
  const imported = created.length + renamed.length + replaced.length;
  const total = imported + skipped.length + failed.length;
  const parts = [
    count(created.length, 'created'),
    count(renamed.length, 'renamed'),
    count(replaced.length, 'replaced'),
    count(skipped.length, 'skipped'),
    count(failed.length, 'failed'),
  ].filter((p): p is string => p !== null);
  const head = imported === 0 ? 'Nothing was imported' : `Imported ${imported} of ${total} ${total === 1 ? 'entry' : 'entries'}`;
  return { created, renamed, replaced, skipped, failed, summary: parts.length ? `${head}: ${parts.join(', ')}.` : `${head}.` };
}
