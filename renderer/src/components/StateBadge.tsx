/** The small state pill next to a profile: connected, connecting, disconnecting or failed. */
import type { ProfileBadge } from '../store/tunnel-slice';
import { STATE_LABELS } from '../lib/labels';

export function StateBadge({ badge }: { badge: ProfileBadge }) {
  if (!badge) return null;
  return <span className={`badge badge--${badge}`}>{STATE_LABELS[badge]}</span>;
}
