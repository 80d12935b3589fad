/**
 * One profile's page: its state, Connect / Disconnect, the phase timeline of its latest attempt,
 * the negotiated values and live traffic once connected, the doctor's verdict on failure, and
 * the profile's security note. Profile actions (edit, duplicate, delete) sit in the header.
 */
import { useState } from 'react';
import type { Profile } from '../../../preload/schema/profile';
import { formatMs } from '../lib/format';
import { PHASE_LABELS, STATE_LABELS } from '../lib/labels';
import { useApp } from '../store/context';
import { profileBadge } from '../store/tunnel-slice';
import { FailureAdvice } from './FailureAdvice';
import { NegotiatedValues } from './NegotiatedValues';
import { PhaseTimeline } from './PhaseTimeline';
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
  const badge = profileBadge(tunnel, profile.id);
  const attemptStarted = showsAttempt && phases.some((p) => p.status !== 'pending');

  return (
    <article className="connection" aria-labelledby="connection-title">
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

      {showsAttempt && commandError && (
        <p className="form-error" role="alert">
          {commandError.message}
        </p>
      )}
      {showsAttempt && failure && failure.reason !== 'local-disconnect' && badge !== 'connected' && badge !== 'connecting' && <FailureAdvice failure={failure} advice={advice} />}

      {showsAttempt && badge === 'connected' && details && (
        <section aria-label="Connection details" className="card">
          <h2>Connection</h2>
          <NegotiatedValues details={details} />
          <ThroughputGraph samples={samples} stats={stats} />
        </section>
      )}

      {attemptStarted && (
        <section aria-label="Timeline" className="card">
          <h2>Timeline</h2>
          <PhaseTimeline phases={phases} />
        </section>
      )}

      <SecurityNote profile={profile} />
    </article>
  );
}
