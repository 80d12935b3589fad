/**
 * Import in three steps: pick a file (<input type=file>), preview main's per-entry report
 * (status, warnings, errors, name clashes) and choose entries and a conflict policy, then apply
 * and show what happened to each entry. Nothing is stored before "Import".
 */
import { useMemo, useState, type ChangeEvent } from 'react';
import {
  CONFLICT_POLICIES,
  IMPORT_MAX_CHARS,
  type ConflictPolicy,
  type ImportFormat,
  type ImportOutcome,
  type ImportReport,
} from '../../../preload/contract';
import { readFileAsBase64 } from '../services/files';
import { useApp } from '../store/context';
import { Dialog } from './Dialog';

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

function outcomeText(o: ImportOutcome): string {
  switch (o.status) {
    case 'created':
      return o.renamedFrom ? `Created “${o.profile.name}” (renamed from “${o.renamedFrom}”)` : `Created “${o.profile.name}”`;
    case 'replaced':
      return `Replaced “${o.profile.name}”`;
    case 'skipped':
      return `Skipped “${o.name}”: ${o.reason}`;
    case 'failed':
      return `Failed${o.name ? ` “${o.name}”` : ''}: ${o.error.message}`;
  }
}

type Step =
  | { step: 'pick'; error?: string }
  | { step: 'preview'; fileName: string; report: ImportReport }
  | { step: 'done'; outcomes: ImportOutcome[] };

export function ImportDialog() {
  const close = useApp((s) => s.closeDialog);
  const previewImport = useApp((s) => s.previewImport);
  const applyImport = useApp((s) => s.applyImport);
  const existing = useApp((s) => s.profiles);
  const [step, setStep] = useState<Step>({ step: 'pick' });
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [policy, setPolicy] = useState<ConflictPolicy>('rename');
  const [applyError, setApplyError] = useState<string | null>(null);
  const existingNames = useMemo(() => new Set(existing.map((p) => p.name.toLowerCase())), [existing]);

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    if (file.size > IMPORT_MAX_CHARS) {
      setStep({ step: 'pick', error: 'The file is too large to be a profile file.' });
      return;
    }
    setBusy(true);
    try {
      const r = await previewImport(file.name, await readFileAsBase64(file));
      if (!r.ok) {
        setStep({ step: 'pick', error: r.error.message });
        return;
      }
      setSelected(new Set(r.value.entries.flatMap((entry, i) => (entry.profile ? [i] : []))));
      setStep({ step: 'preview', fileName: file.name, report: r.value });
    } catch (error) {
      setStep({ step: 'pick', error: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  async function onApply(report: ImportReport) {
    const profiles = report.entries.flatMap((entry, i) => (entry.profile && selected.has(i) ? [entry.profile] : []));
    if (profiles.length === 0) return;
    setBusy(true);
    setApplyError(null);
    const r = await applyImport(profiles, policy);
    setBusy(false);
    if (r.ok) setStep({ step: 'done', outcomes: r.value.outcomes });
    else setApplyError(r.error.message);
  }

  function toggle(i: number, on: boolean) {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(i);
      else next.delete(i);
      return next;
    });
  }

  return (
    <Dialog title="Import profiles" onClose={close} className="dialog--wide">
      {step.step === 'pick' && (
        <div className="stack">
          <p>
            Choose a PPTP Manager export (.json), a Windows phonebook (.pbk), a NetworkManager connection (.nmconnection) or a pppd peers file. Passwords are
            never imported.
          </p>
          <label className="field">
            <span className="field__label">Profile file</span>
            <input type="file" onChange={onFile} disabled={busy} data-autofocus />
          </label>
          {busy && <p role="status">Reading the file…</p>}
          {step.error && (
            <p className="form-error" role="alert">
              {step.error}
            </p>
          )}
        </div>
      )}

      {step.step === 'preview' && (
        <div className="stack">
          <p>
            <strong>{step.fileName}</strong>
            {step.report.format !== 'unknown' ? ` — ${FORMAT_LABELS[step.report.format] ?? step.report.format}` : ''}
          </p>
          {step.report.fileError && (
            <p className="form-error" role="alert">
              {step.report.fileError.message}
            </p>
          )}
          {step.report.fileWarnings.length > 0 && (
            <ul className="warnings" aria-label="File warnings">
              {step.report.fileWarnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          )}
          {step.report.entries.length > 0 && (
            <ul className="import-entries" aria-label="Entries in the file">
              {step.report.entries.map((entry, i) => {
                const name = entry.profile?.name ?? entry.sourceName;
                const clash = entry.profile && existingNames.has(entry.profile.name.toLowerCase());
                return (
                  <li key={i} className={`import-entry import-entry--${entry.status}`}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={selected.has(i)}
                        disabled={!entry.profile}
                        onChange={(e) => toggle(i, e.target.checked)}
                        aria-label={`Import ${name}`}
                      />
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
          )}
          <fieldset className="field">
            <legend className="field__label">When a profile with the same name exists</legend>
            {CONFLICT_POLICIES.map((p) => (
              <label key={p} className="check">
                <input type="radio" name="conflict-policy" value={p} checked={policy === p} onChange={() => setPolicy(p)} />
                {POLICY_LABELS[p]}
              </label>
            ))}
          </fieldset>
          {applyError && (
            <p className="form-error" role="alert">
              {applyError}
            </p>
          )}
          <div className="dialog__actions">
            <button type="button" className="button button--primary" disabled={busy || selected.size === 0} onClick={() => void onApply(step.report)}>
              Import {selected.size} {selected.size === 1 ? 'profile' : 'profiles'}
            </button>
            <button type="button" className="button" onClick={() => setStep({ step: 'pick' })}>
              Choose another file
            </button>
          </div>
        </div>
      )}

      {step.step === 'done' && (
        <div className="stack">
          <ul className="import-outcomes" aria-label="Import results">
            {step.outcomes.map((o, i) => (
              <li key={i} className={`outcome outcome--${o.status}`}>
                {outcomeText(o)}
              </li>
            ))}
          </ul>
          <div className="dialog__actions">
            <button type="button" className="button button--primary" onClick={close} data-autofocus>
              Done
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
