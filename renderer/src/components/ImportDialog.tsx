/**
 * Import in three steps: pick files (<input type=file multiple>) or drop them on the window
 * (DropZone hands them over through the store), preview main's per-entry report for each file —
 * one combined list, grouped by file — and choose entries and a conflict policy, then apply
 * and show what happened: a summary line and every entry as created, renamed (old → new),
 * replaced, skipped (with the reason) or failed. Nothing is stored before "Import".
 *
 * Each file's bytes go to profiles.importPreview on their own (base64, so UTF-16 phonebooks
 * survive); a file over the contract's IMPORT_MAX_CHARS is refused here with a message, and at
 * most MAX_FILES files are read per pick or drop. One apply takes at most IMPORT_MAX_ENTRIES
 * profiles, the contract's limit.
 */
import { useEffect, useMemo, useState, type ChangeEvent, type ReactNode } from 'react';
import {
  CONFLICT_POLICIES,
  IMPORT_MAX_CHARS,
  IMPORT_MAX_ENTRIES,
  type ConflictPolicy,
  type ImportFormat,
} from '../../../preload/contract';
import { entryKey, importResult, type ImportResult, type PreviewedFile } from '../lib/import-result';
import { readFileAsBase64 } from '../services/files';
import { useApp } from '../store/context';
import { Dialog } from './Dialog';
import '../styles/editor.css';

/** Files read per pick or drop: more is almost surely a mistaken drop of a whole folder. */
export const MAX_FILES = 20;

const POLICY_LABELS: Readonly<Record<ConflictPolicy, string>> = {
  rename: 'Keep both (the imported one gets a new name)',
  skip: 'Skip the imported one',
  replace: 'Replace the existing profile',
};

const FORMAT_LABELS: Readonly<Record<ImportFormat, string>> = {
  'pptp-manager-json': 'PPTP Manager export',
  'rasphone-pbk': 'Windows phonebook (.pbk)',
  nmconnection: 'NetworkManager connection',
  'pppd-peers': 'pppd peers file',
};

type Step = { step: 'pick'; error?: string } | { step: 'preview'; files: PreviewedFile[] } | { step: 'done'; result: ImportResult };

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

interface EntryListProps {
  file: PreviewedFile;
  f: number;
  several: boolean;
  selected: ReadonlySet<string>;
  existingNames: ReadonlySet<string>;
  toggle: (key: string, on: boolean) => void;
}

function EntryList({ file, f, several, selected, existingNames, toggle }: EntryListProps) {
  const report = file.report;
  if (!report || report.entries.length === 0) return null;
  return (
    <ul className="import-entries" aria-label={several ? `Entries in ${file.fileName}` : 'Entries in the file'}>
      {report.entries.map((entry, e) => {
        const name = entry.profile?.name ?? entry.sourceName;
        const clash = entry.profile && existingNames.has(entry.profile.name.toLowerCase());
        const key = entryKey(f, e);
        return (
          <li key={key} className={`import-entry import-entry--${entry.status}`}>
            <label className="check">
              <input type="checkbox" checked={selected.has(key)} disabled={!entry.profile} onChange={(ev) => toggle(key, ev.target.checked)} aria-label={`Import ${name}`} />
              <span className="import-entry__name">{name}</span>
              {entry.profile && <span className="muted"> — {entry.profile.server}</span>}
              <span className={`badge badge--${entry.status === 'ok' ? 'connected' : entry.status === 'warning' ? 'connecting' : 'error'}`}>
                {entry.status === 'ok' ? 'OK' : entry.status === 'warning' ? 'Warnings' : 'Error'}
              </span>
            </label>
            {clash && <p className="muted">A profile with this name exists.</p>}
            {entry.error && <p className="form-error">{entry.error.message}</p>}
            {entry.warnings.length > 0 && (
              <ul className="warnings">
                {entry.warnings.map((w, j) => (
                  <li key={j}>{w}</li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function FilePreview({ file, several, children }: { file: PreviewedFile; several: boolean; children: ReactNode }) {
  const report = file.report;
  const format = report && report.format !== 'unknown' ? ` — ${FORMAT_LABELS[report.format] ?? report.format}` : '';
  const problem = file.error ?? report?.fileError?.message;
  return (
    <section className="stack import-file" aria-label={file.fileName}>
      {several ? (
        <h3>
          {file.fileName}
          <span className="muted">{format}</span>
        </h3>
      ) : (
        <p>
          <strong>{file.fileName}</strong>
          {format}
        </p>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {report && report.fileWarnings.length > 0 && (
        <ul className="warnings" aria-label="File warnings">
          {report.fileWarnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
      {children}
    </section>
  );
}

function ResultView({ result, onDone }: { result: ImportResult; onDone: () => void }) {
  const groups: { title: string; items: string[] }[] = [
    { title: 'Created', items: result.created.map((n) => `“${n}”`) },
    { title: 'Renamed', items: result.renamed.map((r) => `“${r.from}” → “${r.to}”`) },
    { title: 'Replaced', items: result.replaced.map((n) => `“${n}”`) },
    { title: 'Skipped', items: result.skipped.map((s) => `“${s.name}”: ${s.reason}`) },
    { title: 'Failed', items: result.failed.map((s) => `“${s.name}”: ${s.reason}`) },
  ];
  return (
    <div className="stack">
      <p className="import-summary" role="status">
        {result.summary}
      </p>
      <ul className="import-outcomes" aria-label="Import results">
        {groups
          .filter((g) => g.items.length > 0)
          .map((g) => (
            <li key={g.title} className="import-result-group">
              <h3>
                {g.title} ({g.items.length})
              </h3>
              <ul className="import-outcomes" aria-label={g.title}>
                {g.items.map((text, i) => (
                  <li key={i} className={`outcome outcome--${g.title.toLowerCase()}`}>
                    {text}
                  </li>
                ))}
              </ul>
            </li>
          ))}
      </ul>
      <div className="dialog__actions">
        <button type="button" className="button button--primary" onClick={onDone} data-autofocus>
          Done
        </button>
      </div>
    </div>
  );
}

export function ImportDialog() {
  const close = useApp((s) => s.closeDialog);
  const previewImport = useApp((s) => s.previewImport);
  const applyImport = useApp((s) => s.applyImport);
  const existing = useApp((s) => s.profiles);
  const dropped = useApp((s) => s.importFiles);
  const [step, setStep] = useState<Step>({ step: 'pick' });
  const [busy, setBusy] = useState(() => (dropped?.length ?? 0) > 0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [policy, setPolicy] = useState<ConflictPolicy>('rename');
  const [applyError, setApplyError] = useState<string | null>(null);
  const existingNames = useMemo(() => new Set(existing.map((p) => p.name.toLowerCase())), [existing]);

  async function previewOne(file: File): Promise<PreviewedFile> {
    if (file.size > IMPORT_MAX_CHARS) {
      return { fileName: file.name, error: `The file is too large to be a profile file (${megabytes(file.size)}; at most ${megabytes(IMPORT_MAX_CHARS)}).` };
    }
    try {
      const r = await previewImport(file.name, await readFileAsBase64(file));
      return r.ok ? { fileName: file.name, report: r.value } : { fileName: file.name, error: r.error.message };
    } catch (error) {
      return { fileName: file.name, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Reads and previews every file; sets no state (the callers do, once the previews are in). */
  async function readPreviews(files: readonly File[]): Promise<{ error: string } | { files: PreviewedFile[] }> {
    if (files.length > MAX_FILES) return { error: `That is ${files.length} files; import at most ${MAX_FILES} at a time.` };
    const previews: PreviewedFile[] = [];
    for (const file of files) previews.push(await previewOne(file));
    if (previews.length === 1 && previews[0]?.error) return { error: previews[0].error };
    return { files: previews };
  }

  function show(read: { error: string } | { files: PreviewedFile[] }) {
    setBusy(false);
    if ('error' in read) {
      setStep({ step: 'pick', error: read.error });
      return;
    }
    setSelected(new Set(read.files.flatMap((p, f) => (p.report?.entries ?? []).flatMap((entry, e) => (entry.profile ? [entryKey(f, e)] : [])))));
    setStep({ step: 'preview', files: read.files });
  }

  useEffect(() => {
    // Files dropped on the window; App keys the dialog by the drop, so each drop gets a fresh one.
    if (dropped && dropped.length > 0) void readPreviews(dropped).then(show);
    // Runs once per dialog: readPreviews and show are recreated each render but act on this drop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function onPick(e: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(e.target.files ?? []);
    if (files.length === 0) return;
    setBusy(true);
    setApplyError(null);
    show(await readPreviews(files));
  }

  async function onApply(files: PreviewedFile[]) {
    const profiles = files.flatMap((p, f) => (p.report?.entries ?? []).flatMap((entry, e) => (entry.profile && selected.has(entryKey(f, e)) ? [entry.profile] : [])));
    if (profiles.length === 0 || profiles.length > IMPORT_MAX_ENTRIES) return;
    setBusy(true);
    setApplyError(null);
    const r = await applyImport(profiles, policy);
    setBusy(false);
    if (r.ok) setStep({ step: 'done', result: importResult(files, selected, r.value.outcomes) });
    else setApplyError(r.error.message);
  }

  function toggle(key: string, on: boolean) {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  }

  const tooMany = selected.size > IMPORT_MAX_ENTRIES;
  return (
    <Dialog title="Import profiles" onClose={close} className="dialog--wide">
      {step.step === 'pick' && (
        <div className="stack">
          <p>
            Choose a PPTP Manager export (.json), a Windows phonebook (.pbk), a NetworkManager connection (.nmconnection) or a pppd peers file (one or several) — or drop them on
            the window. Passwords are never imported.
          </p>
          <label className="field">
            <span className="field__label">Profile file</span>
            <input type="file" multiple onChange={(e) => void onPick(e)} disabled={busy} data-autofocus />
          </label>
          {busy && <p role="status">Reading the files…</p>}
          {step.error && (
            <p className="form-error" role="alert">
              {step.error}
            </p>
          )}
        </div>
      )}

      {step.step === 'preview' && (
        <div className="stack">
          {busy && <p role="status">Reading the files…</p>}
          {step.files.map((file, f) => (
            <FilePreview key={f} file={file} several={step.files.length > 1}>
              <EntryList file={file} f={f} several={step.files.length > 1} selected={selected} existingNames={existingNames} toggle={toggle} />
            </FilePreview>
          ))}
          <fieldset className="field">
            <legend className="field__label">When a profile with the same name exists</legend>
            {CONFLICT_POLICIES.map((p) => (
              <label key={p} className="check">
                <input type="radio" name="conflict-policy" value={p} checked={policy === p} onChange={() => setPolicy(p)} />
                {POLICY_LABELS[p]}
              </label>
            ))}
          </fieldset>
          {tooMany && (
            <p className="form-error" role="alert">
              One import takes at most {IMPORT_MAX_ENTRIES} profiles; {selected.size} are chosen.
            </p>
          )}
          {applyError && (
            <p className="form-error" role="alert">
              {applyError}
            </p>
          )}
          <div className="dialog__actions">
            <button type="button" className="button button--primary" disabled={busy || selected.size === 0 || tooMany} onClick={() => void onApply(step.files)}>
              Import {selected.size} {selected.size === 1 ? 'profile' : 'profiles'}
            </button>
            <button type="button" className="button" onClick={() => setStep({ step: 'pick' })}>
              Choose other files
            </button>
          </div>
        </div>
      )}

      {step.step === 'done' && <ResultView result={step.result} onDone={close} />}
    </Dialog>
  );
}
