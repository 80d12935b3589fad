/**
 * The sidebar: every profile with its state badge, and the entry points to create, import and
 * export profiles. Selecting a profile opens its connection view.
 */
import { useMemo } from 'react';
import { useApp } from '../store/context';
import { sortProfiles } from '../store/profiles-slice';
import { profileBadge } from '../store/tunnel-slice';
import { uiSelectors } from '../store/ui-slice';
import { StateBadge } from './StateBadge';

export function ProfileList() {
  const profiles = useApp((s) => s.profiles);
  const tunnel = useApp((s) => s.tunnel);
  const selectedId = useApp((s) => uiSelectors.selectedProfileId(s));
  const readOnly = useApp((s) => s.profilesReadOnly);
  const navigate = useApp((s) => s.navigate);
  const openDialog = useApp((s) => s.openDialog);
  const sorted = useMemo(() => sortProfiles(profiles), [profiles]);

  return (
    <nav className="sidebar" aria-label="Profiles">
      <div className="sidebar__actions">
        <button type="button" className="button button--primary" onClick={() => navigate({ view: 'new' })} disabled={readOnly}>
          New profile
        </button>
        <button type="button" className="button" onClick={() => openDialog('import')} disabled={readOnly}>
          Import…
        </button>
        <button type="button" className="button" onClick={() => openDialog('export')} disabled={profiles.length === 0}>
          Export…
        </button>
      </div>
      {sorted.length === 0 ? (
        <p className="muted sidebar__empty">No profiles yet.</p>
      ) : (
        <ul className="profile-list" aria-label="Profile list">
          {sorted.map((p) => {
            const badge = profileBadge(tunnel, p.id);
            return (
              <li key={p.id}>
                <button
                  type="button"
                  className="profile-list__item"
                  aria-current={selectedId === p.id ? 'page' : undefined}
                  onClick={() => navigate({ view: 'profile', id: p.id })}
                >
                  <span className="profile-list__name">{p.name}</span>
                  <span className="profile-list__server">{p.server}</span>
                  <StateBadge badge={badge} />
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}
