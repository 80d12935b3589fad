/**
 * Which desktop notification a tunnel state change deserves: connected, disconnected, and a
 * failure with the doctor's advice (title + what to do). Pure; the Electron adapter shows it
 * when the "notifications" setting is on.
 */
import type { TunnelState } from '../../preload/contract';
import type { Profile } from '../../preload/schema/profile';

export interface NotificationSpec {
  readonly kind: 'connected' | 'disconnected' | 'failure';
  readonly title: string;
  readonly body: string;
}

export function notificationFor(prev: TunnelState, next: TunnelState, profiles: readonly Pick<Profile, 'id' | 'name'>[]): NotificationSpec | undefined {
  const name = (id: string) => profiles.find((p) => p.id === id)?.name ?? 'VPN';
  if (next.state === 'connected' && !(prev.state === 'connected' && prev.details.localIp === next.details.localIp)) {
    const d = next.details;
    return {
      kind: 'connected',
      title: `Connected to ${name(next.profileId)}`,
      body: `Address ${d.localIp}, ${d.auth.toUpperCase()}, ${d.mppe ? `MPPE ${d.mppe.bits}-bit` : 'NOT encrypted'}`,
    };
  }
  if (next.state === 'error' && !(prev.state === 'error' && prev.failure.reason === next.failure.reason && prev.profileId === next.profileId)) {
    return { kind: 'failure', title: `${name(next.profileId)}: ${next.advice.title}`, body: `${next.failure.message}\n${next.advice.fix}` };
  }
  if (next.state === 'idle' && (prev.state === 'connected' || prev.state === 'disconnecting')) {
    return { kind: 'disconnected', title: `Disconnected from ${name(prev.profileId)}`, body: 'The VPN connection was closed.' };
  }
  return undefined;
}
