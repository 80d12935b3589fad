/** Export: choose profiles, get main's export text (no secrets), save it or download it. */
import { useMemo, useState } from 'react';
import { useApp } from '../store/context';
import { sortProfiles } from '../store/profiles-slice';
import { describeSave, uiSelectors } from '../store/ui-slice';
import { Dialog } from './Dialog';

export function ExportDialog() {
  const close = useApp((s) => s.closeDialog);
  const profiles = useApp((s) => s.profiles);
  const currentId = useApp((s) => uiSelectors.selectedProfileId(s));
  const exportProfiles = useApp((s) => s.exportProfiles);
  const saveText = useApp((s) => s.saveText);
  const sorted = useMemo(() => sortProfiles(profiles), [profiles]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(
    () => new Set(currentId && profiles.some((p) => p.id === currentId) ? [currentId] : profiles.map((p) => p.id)),
  );
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function toggle(id: string, on: boolean) {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async function onExport() {
    setBusy(true);
    const ids = sorted.filter((p) => selected.has(p.id)).map((p) => p.id);
    const r = await exportProfiles(ids);
    setStatus(r.ok ? describeSave(await saveText(r.value)) : `Could not export: ${r.error.message}`);
    setBusy(false);
  }

  const all = selected.size === profiles.length && profiles.length > 0;
  return (
    <Dialog title="Export profiles" onClose={close}>
      <div className="stack">
        <p className="muted">The file holds the settings only: passwords are never exported.</p>
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setSelected(new Set(e.target.checked ? profiles.map((p) => p.id) : []))} />
          All profiles
        </label>
        <ul className="export-list" aria-label="Profiles to export">
          {sorted.map((p) => (
            <li key={p.id}>
              <label className="check">
                <input type="checkbox" checked={selected.has(p.id)} onChange={(e) => toggle(p.id, e.target.checked)} />
                {p.name}
              </label>
            </li>
          ))}
        </ul>
        {status && <p role="status">{status}</p>}
        <div className="dialog__actions">
          <button type="button" className="button button--primary" onClick={onExport} disabled={busy || selected.size === 0}>
            Export {selected.size} {selected.size === 1 ? 'profile' : 'profiles'}
          </button>
          <button type="button" className="button" onClick={close}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}
