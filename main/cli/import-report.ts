/**
 * `pptpctl profiles import`'s report: one line per entry of the file — created, renamed
 * (old → new), replaced, skipped (why) or failed (why) — and one summary line, plus the exit
 * decision. Pure: it pairs the importer's entries (main/profiles/import) with the store's
 * outcomes and returns lines; the command prints them.
 *
 * Exit rule (README exit codes): 0 when anything was imported, or when nothing failed (entries
 * only skipped, by choice or because they are not PPTP); 14 when entries failed and none was
 * imported, or the file held no entries at all.
 */
import type { ImportEntry, ImportOutcome } from '../../preload/schema/profile-store';

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

export function summaryLine(s: ImportSummary, total: number): string {
  const parts = (Object.entries(s.counts) as [EntryResult['status'], number][]).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  return `Imported ${s.imported} of ${total} ${total === 1 ? 'entry' : 'entries'}${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

/** True when the import counts as failed (exit 14): nothing imported and something failed, or an empty file. */
export function importFailed(s: ImportSummary, total: number): boolean {
  return total === 0 || (s.imported === 0 && s.counts.failed > 0);
}
