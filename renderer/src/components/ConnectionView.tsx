/**
 * One profile's page: its state, Connect / Disconnect, the phase timeline of its latest attempt
 * (the shared step view, so a failed connect reads like a failed test), the negotiated values
 * and live traffic once connected, the doctor's verdict on failure, Test connection, and the
 * profile's security note. Profile actions (edit, duplicate, delete) sit in the header.
 *
 * Layout: while connected, the values and the traffic sit side by side and the timeline is
 * compact, so at the default window size (1040×720) statistics and timeline show without
 * scrolling; Test connection is hidden then (a test cannot run beside a tunnel).
 */
import { useState } from 'react';
import { attemptTouchedNetwork } from '../../../preload/contract';
import type { Profile } from '../../../preload/schema/profile';
import { formatMs } from '../lib/format';
import { PHASE_LABELS, STATE_LABELS } from '../lib/labels';
import { useApp } from '../store/context';
import { profileBadge } from '../store/tunnel-slice';
import { FailureSummary } from './FailureSummary';
import { NegotiatedValues } from './NegotiatedValues';
import { phaseRows } from './PhaseTimeline';
import { StepList } from './StepList';
import { TestConnection } from './TestConnection';
import { SecurityNote } from './SecurityNote';
import { StateBadge } from './StateBadge';
import { ThroughputGraph } from './ThroughputGraph';

function ProfileActions({ profile }: { profile: Profile }) {
  const navigate = useApp((s) => s.navigate);
  const duplicateProfile = useApp((s) => s.duplicateProfile);
  const removeProfile = useApp((s) => s.removeProfile);
  const readOnly = useApp((s) => s.profilesReadOnly);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onDuplicate() {
    const r = await duplicateProfile(profile.id);
    if (r.ok) navigate({ view: 'profile', id: r.value.id });
    else setError(r.error.message);
  }
  async function onDelete() {
    const r = await removeProfile(profile.id);
    if (!r.ok) setError(r.error.message);
    setConfirming(false);
  }

  return (
    <div className="profile-actions">
      <button type="button" className="button" onClick={() => navigate({ view: 'edit', id: profile.id })} disabled={readOnly}>
        Edit
      </button>
      <button type="button" className="button" onClick={onDuplicate} disabled={readOnly}>
        Duplicate
      </button>
      {confirming ? (
        <span className="confirm" role="group" aria-label="Confirm delete">
          <span>Delete “{profile.name}” and its stored password?</span>
          <button type="button" className="button button--danger" onClick={onDelete} autoFocus>
            Delete profile
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" className="button" onClick={() => setConfirming(true)} disabled={readOnly}>
          Delete…
        </button>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function ConnectButton({ profile }: { profile: Profile }) {
  const tunnel = useApp((s) => s.tunnel);
  const requestConnect = useApp((s) => s.requestConnect);
  const disconnect = useApp((s) => s.disconnect);
  const badge = profileBadge(tunnel, profile.id);
  if (badge === 'connected')
    return (
      <button type="button" className="button button--primary button--large" onClick={() => void disconnect()}>
        Disconnect
      </button>
    );
  if (badge === 'connecting')
    return (
      <button type="button" className="button button--large" onClick={() => void disconnect()}>
        Cancel
      </button>
    );
  if (badge === 'disconnecting')
    return (
      <button type="button" className="button button--large" disabled>
        Disconnecting…
      </button>
    );
  return (
    <button type="button" className="button button--primary button--large" onClick={() => void requestConnect(profile)}>
      Connect
    </button>
  );
}

function StatusLine({ profile }: { profile: Profile }) {
  const tunnel = useApp((s) => s.tunnel);
  const reconnecting = useApp((s) => (s.attemptProfileId === profile.id ? s.reconnecting : null));
  const badge = profileBadge(tunnel, profile.id);
  let text = 'Not connected';
  if (tunnel.state === 'connecting' && badge) {
    text = tunnel.phase ? `Connecting: ${PHASE_LABELS[tunnel.phase]}` : 'Connecting…';
    if (tunnel.attempt > 0) text += ` (reconnect attempt ${tunnel.attempt})`;
  } else if (badge) text = STATE_LABELS[badge];
  return (
    <p className="status-line" role="status" aria-label="Connection state">
      {text}
      {reconnecting && ` — reconnecting in ${formatMs(reconnecting.delayMs)} (attempt ${reconnecting.attempt})`}
    </p>
  );
}

/**
 * After an attempt ended: whether routes and DNS were put back — said only when the attempt got
 * as far as changing them (a failure before that changed nothing, so "restored" would mislead).
 */
function NetworkRestored() {
  const ended = useApp((s) => s.ended);
  const touched = useApp((s) => attemptTouchedNetwork(s.phases));
  if (!ended || !touched) return null;
  return ended.restored ? (
    <p className="muted network-note">Routes and DNS were restored.</p>
  ) : (
    <p className="form-error network-note" role="alert">
      Routes and DNS could not be fully restored. Restart the app (it restores them at start) or run “pptpctl recover”.
    </p>
  );
}

export function ConnectionView({ profile }: { profile: Profile }) {
  const tunnel = useApp((s) => s.tunnel);
  const showsAttempt = useApp((s) => s.attemptProfileId === profile.id);
  const phases = useApp((s) => s.phases);
  const details = useApp((s) => s.connectedDetails);
  const stats = useApp((s) => s.stats);
  const samples = useApp((s) => s.samples);
  const failure = useApp((s) => s.failure);
  const advice = useApp((s) => s.advice);
  const commandError = useApp((s) => s.commandError);
  const hasTest = useApp((s) => s.connectionTest?.profileId === profile.id);
  const badge = profileBadge(tunnel, profile.id);
  const active = badge === 'connected' || badge === 'connecting' || badge === 'disconnecting';
  const attemptStarted = showsAttempt && phases.some((p) => p.status !== 'pending');
  const shownFailure = showsAttempt && failure && failure.reason !== 'local-disconnect' && !active ? failure : null;
  const rows = attemptStarted ? phaseRows(phases, shownFailure, !active) : [];
  // The error once: on its step when one carries it, else in the summary (unless it only repeats the title).
  const stepCarriesMessage = rows.some((r) => r.status === 'failed' && r.message);
  const summaryMessage = shownFailure && !stepCarriesMessage && shownFailure.message !== advice?.title ? shownFailure.message : undefined;
  const live = showsAttempt && badge === 'connected' && details;

  return (
    <article className={`connection${live ? ' connection--live' : ''}`} aria-labelledby="connection-title">
      <header className="connection__header">
        <div>
          <h1 id="connection-title">
            {profile.name} <StateBadge badge={badge} />
          </h1>
          <p className="muted">
            {profile.username ? `${profile.domain ? `${profile.domain}\\` : ''}${profile.username} @ ` : ''}
            {profile.server}
          </p>
        </div>
        <ProfileActions profile={profile} />
      </header>

      <div className="connection__controls">
        <ConnectButton profile={profile} />
        <StatusLine profile={profile} />
      </div>

      {/* A refused command is the failure itself when main also recorded one: said once, there. */}
      {showsAttempt && commandError && !shownFailure && (
        <p className="form-error" role="alert">
          {commandError.message}
        </p>
      )}
      {shownFailure && <FailureSummary reason={shownFailure.reason} advice={advice} message={summaryMessage} />}

      {live && (
        <div className="connection__live">
          <section aria-label="Connection details" className="card card--compact">
            <h2>Connection</h2>
            <NegotiatedValues details={details} />
          </section>
          <section aria-label="Traffic" className="card card--compact">
            <h2>Traffic</h2>
            <ThroughputGraph samples={samples} stats={stats} />
          </section>
        </div>
      )}

      {attemptStarted && (
        <section aria-label="Timeline" className="card card--compact">
          <h2>Timeline</h2>
          <StepList rows={rows} label="Connection phases" />
          <NetworkRestored />
        </section>
      )}

      {(!active || hasTest) && <TestConnection profile={profile} />}

      <SecurityNote profile={profile} />
    </article>
  );
}
