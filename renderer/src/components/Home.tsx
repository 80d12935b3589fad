/** The start page: what to do when there are no profiles yet, or a pointer to the list. */
import { useApp } from '../store/context';

export function Home() {
  const count = useApp((s) => s.profiles.length);
  const loaded = useApp((s) => s.profilesLoaded);
  const error = useApp((s) => s.profilesError);
  const problems = useApp((s) => s.storeProblems);
  const readOnly = useApp((s) => s.profilesReadOnly);
  const navigate = useApp((s) => s.navigate);
  const openDialog = useApp((s) => s.openDialog);
  return (
    <section className="home" aria-labelledby="home-title">
      <h1 id="home-title">{count === 0 ? 'Welcome to PPTP Manager' : 'Choose a profile'}</h1>
      {error && (
        <p className="form-error" role="alert">
          Could not load profiles: {error.message}
        </p>
      )}
      {readOnly && <p className="notice">Profiles were saved by a newer version of PPTP Manager; they can be used but not changed here.</p>}
      {problems.map((p, i) => (
        <p key={i} className="notice">
          {p.message}
        </p>
      ))}
      {loaded && count === 0 ? (
        <div className="stack">
          <p>Add the VPN server you want to reach, or import profiles from another computer or tool (you can also drop the files on this window).</p>
          <div className="row">
            <button type="button" className="button button--primary" onClick={() => navigate({ view: 'new' })} disabled={readOnly}>
              Create a profile
            </button>
            <button type="button" className="button" onClick={() => openDialog('import')} disabled={readOnly}>
              Import profiles…
            </button>
          </div>
        </div>
      ) : (
        <p className="muted">
          Select a profile in the list to connect or see its details. Press <kbd>?</kbd> for keyboard shortcuts.
        </p>
      )}
    </section>
  );
}
