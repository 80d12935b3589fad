/**
 * `pptpctl profiles import`'s report: one line per entry of the file — created, renamed
 * (old → new), replaced, skipped (why) or failed (why) — and one summary line, plus the exit
 * decision. Pure: it pairs the importer's entries (main/profiles/import) with the store's
 * outcomes and returns lines; the command prints them.
 *
 * With several files (`import A B C`) each file is a section — its name (and format) as a
 * header, then its entry lines — and one summary line counts over all files. A file that cannot
 * be read, or holds no profiles, is one failed entry of its own section, so the other files
 * still import (as the desktop app's multi-file import does).
 *
 * Exit rule (README exit codes): 0 when anything was imported, or when nothing failed (entries
 * only skipped, by choice or because they are not PPTP); 14 when entries failed and none was
 * imported, or the file held no entries at all.
 */
import type { ImportEntry, ImportOutcome, ImportReport } from '../../preload/schema/profile-store';

export type EntryResult =
  | { readonly status: 'created'; readonly name: string }
  | { readonly status: 'renamed'; readonly from: string; readonly name: string }
  | { readonly status: 'replaced'; readonly name: string }
  | { readonly status: 'skipped'; readonly name: string; readonly reason: string }
  | { readonly status: 'failed'; readonly name: string; readonly reason: string };

/** Each file entry's result, in file order; `outcomes` are for the entries that had a profile. */
export function entryResults(entries: readonly ImportEntry[], outcomes: readonly ImportOutcome[]): EntryResult[] {
  let i = 0;
  return entries.map((e): EntryResult => {
    if (e.error) return { status: 'failed', name: e.sourceName, reason: e.error.message };
    if (!e.profile) {
      const why = e.warnings.find((w) => w.startsWith('skipped: '))?.slice('skipped: '.length) ?? e.warnings[0] ?? 'not importable';
      return { status: 'skipped', name: e.sourceName, reason: why };
    }
    const o = outcomes[i++];
    if (!o) return { status: 'failed', name: e.profile.name, reason: 'not imported' };
    switch (o.status) {
      case 'created':
        return o.renamedFrom !== undefined ? { status: 'renamed', from: o.renamedFrom, name: o.profile.name } : { status: 'created', name: o.profile.name };
      case 'replaced':
        return { status: 'replaced', name: o.profile.name };
      case 'skipped':
        return { status: 'skipped', name: o.name, reason: o.reason };
      case 'failed':
        return { status: 'failed', name: o.name ?? e.profile.name, reason: o.error.message };
    }
  });
}

export function entryLine(r: EntryResult): string {
  const label = r.status.padEnd(9);
  switch (r.status) {
    case 'renamed':
      return `  ${label} ${r.from} → ${r.name} (the name was taken)`;
    case 'skipped':
    case 'failed':
      return `  ${label} ${r.name}: ${r.reason}`;
    default:
      return `  ${label} ${r.name}`;
  }
}

export interface ImportSummary {
  readonly imported: number;
  readonly counts: Readonly<Record<EntryResult['status'], number>>;
}

export function summarize(results: readonly EntryResult[]): ImportSummary {
  const counts = { created: 0, renamed: 0, replaced: 0, skipped: 0, failed: 0 };
  for (const r of results) counts[r.status]++;
  return { imported: counts.created + counts.renamed + counts.replaced, counts };
}

/** "Imported 2 of 3 entries: 2 created, 1 failed." — with `files` > 1, "… entries from 2 files: …". */
export function summaryLine(s: ImportSummary, total: number, files = 1): string {
  const parts = (Object.entries(s.counts) as [EntryResult['status'], number][]).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  const from = files > 1 ? ` from ${files} files` : '';
  return `Imported ${s.imported} of ${total} ${total === 1 ? 'entry' : 'entries'}${from}${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

/** One file's part of a (possibly multi-file) import: what was read, what the store did. */
export interface FileImport {
  /** The path as the user gave it. */
  readonly file: string;
  readonly report: ImportReport;
  readonly outcomes: readonly ImportOutcome[];
  /** Entry results; a file that could not be read or held nothing is one failed entry. */
  readonly results: readonly EntryResult[];
}

/** The results of a file that yielded no entries: one failed entry named after the file, or none if it had entries. */
export function fileFailure(name: string, report: ImportReport): EntryResult | undefined {
  if (report.fileError) return { status: 'failed', name, reason: report.fileError.message };
  if (report.entries.length === 0) return { status: 'failed', name, reason: 'the file holds no profiles' };
  return undefined;
}

/** The section header of a file in a multi-file report: its path and, when recognised, its format. */
export function fileHeader(f: FileImport): string {
  return f.report.format === 'unknown' ? `${f.file}:` : `${f.file} (${f.report.format}):`;
}

/** A file's `--json` object: the same fields a single-file import prints at the top level, plus `file`. */
export function fileJson(f: FileImport) {
  const summary = summarize(f.results);
  return {
    file: f.file,
    ok: !importFailed(summary, f.results.length),
    format: f.report.format,
    ...(f.report.fileError ? { error: f.report.fileError } : {}),
    entries: f.report.entries.map((e) => ({ sourceName: e.sourceName, status: e.status, warnings: e.warnings, error: e.error })),
    outcomes: f.outcomes.map((o) => ({
      status: o.status,
      ...('profile' in o && o.profile ? { name: o.profile.name } : {}),
      ...(o.status === 'created' && o.renamedFrom !== undefined ? { renamedFrom: o.renamedFrom } : {}),
      ...(o.status === 'skipped' ? { name: o.name, reason: o.reason } : {}),
    })),
    results: f.results,
    summary: { imported: summary.imported, ...summary.counts },
  };
}

/** True when the import counts as failed (exit 14): nothing imported and something failed, or an empty file. */
export function importFailed(s: ImportSummary, total: number): boolean {
  return total === 0 || (s.imported === 0 && s.counts.failed > 0);
}
