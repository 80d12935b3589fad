/**
 * The sidebar: the entry points to create, import and export profiles, a filter (name, server,
 * user; Ctrl/Cmd+F focuses it, Escape clears it), and every profile as a compact row (name,
 * server, a state dot with its state in words for screen readers). Selecting a profile opens its
 * connection view. Arrow keys, Home and End move focus through the rows (roving tabindex: the
 * list is one Tab stop); Enter opens the focused row. The "Keyboard shortcuts" link opens the help.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { PROFILE_FILTER_ID, useIsMac } from '../hooks/useShortcuts';
import { STATE_LABELS } from '../lib/labels';
import { ariaKeyShortcut, listMove, shortcutLabel } from '../lib/shortcuts';
import { useApp } from '../store/context';
import { filterProfiles, sortProfiles } from '../store/profiles-slice';
import { profileBadge } from '../store/tunnel-slice';
import { uiSelectors } from '../store/ui-slice';
import '../styles/editor.css';

export function ProfileList() {
  const profiles = useApp((s) => s.profiles);
  const tunnel = useApp((s) => s.tunnel);
  const selectedId = useApp((s) => uiSelectors.selectedProfileId(s));
  const readOnly = useApp((s) => s.profilesReadOnly);
  const navigate = useApp((s) => s.navigate);
  const openDialog = useApp((s) => s.openDialog);
  const mac = useIsMac();
  const [query, setQuery] = useState('');
  const [focusId, setFocusId] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const shown = useMemo(() => filterProfiles(sortProfiles(profiles), query), [profiles, query]);

  // The one row in the Tab order: the focused one, else the selected one, else the first.
  const tabStop = shown.find((p) => p.id === focusId)?.id ?? shown.find((p) => p.id === selectedId)?.id ?? shown[0]?.id;

  function onListKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const index = shown.findIndex((p) => p.id === (document.activeElement as HTMLElement | null)?.dataset.profileId);
    const next = listMove(e.key, index < 0 ? 0 : index, shown.length);
    if (next === null) return;
    e.preventDefault();
    const target = shown[next];
    if (!target) return;
    setFocusId(target.id);
    listRef.current?.querySelector<HTMLElement>(`[data-profile-id="${target.id}"]`)?.focus();
  }

  return (
    <nav className="sidebar" aria-label="Profiles">
      <div className="sidebar__actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() => navigate({ view: 'new' })}
          disabled={readOnly}
          title={`New profile (${shortcutLabel('new-profile', mac)})`}
          aria-keyshortcuts={ariaKeyShortcut('new-profile', mac)}
        >
          New profile
        </button>
        <button type="button" className="button" onClick={() => openDialog('import')} disabled={readOnly} title="Import profiles (or drop files on the window)">
          Import…
        </button>
        <button type="button" className="button" onClick={() => openDialog('export')} disabled={profiles.length === 0}>
          Export…
        </button>
      </div>
      {profiles.length > 0 && (
        <div className="profile-filter" role="search">
          <label htmlFor={PROFILE_FILTER_ID} className="visually-hidden">
            Filter profiles
          </label>
          <input
            id={PROFILE_FILTER_ID}
            type="search"
            placeholder={`Filter (${shortcutLabel('find', mac)})`}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && query !== '') {
                e.preventDefault();
                setQuery('');
              } else if (e.key === 'ArrowDown' && shown[0]) {
                e.preventDefault();
                setFocusId(shown[0].id);
                listRef.current?.querySelector<HTMLElement>('[data-profile-id]')?.focus();
              }
            }}
            aria-keyshortcuts={ariaKeyShortcut('find', mac)}
            aria-controls="profile-list"
            autoComplete="off"
            spellCheck={false}
          />
          <p className="visually-hidden" role="status">
            {query.trim() === '' ? '' : shown.length === 0 ? 'No match' : `${shown.length} of ${profiles.length} profiles`}
          </p>
        </div>
      )}
      {profiles.length === 0 ? (
        <p className="muted sidebar__empty">No profiles yet.</p>
      ) : shown.length === 0 ? (
        <p className="muted sidebar__empty">No profile matches “{query.trim()}”.</p>
      ) : (
        <ul id="profile-list" ref={listRef} className="profile-list profile-list--compact" aria-label="Profile list" onKeyDown={onListKeyDown}>
          {shown.map((p) => {
            const badge = profileBadge(tunnel, p.id);
            return (
              <li key={p.id}>
                <button
                  type="button"
                  className="profile-list__item"
                  data-profile-id={p.id}
                  tabIndex={p.id === tabStop ? 0 : -1}
                  aria-current={selectedId === p.id ? 'page' : undefined}
                  onFocus={() => setFocusId(p.id)}
                  onClick={() => navigate({ view: 'profile', id: p.id })}
                  title={`${p.name} — ${p.server}${badge ? ` (${STATE_LABELS[badge]})` : ''}`}
                >
                  <span className={`state-dot${badge ? ` state-dot--${badge}` : ''}`} aria-hidden="true" />
                  <span className="profile-list__name">{p.name}</span>
                  <span className="profile-list__server">{p.server}</span>
                  {badge && <span className="visually-hidden">, {STATE_LABELS[badge]}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p className="sidebar__footer">
        <button type="button" className="link-button" onClick={() => openDialog('shortcuts')} aria-keyshortcuts="?">
          Keyboard shortcuts (?)
        </button>
      </p>
    </nav>
  );
}
