/**
 * The GUI's advice for a failure the client caused by refusing the server's proposal: the fold
 * (main/app/tunnel/tunnel-view.ts) gives the refusal's own advice (what the server wanted, how to
 * allow it in the profile) from the error event's detail, in the error state and in the attempt,
 * also while disconnecting; the service's error event carries the same words as its hint.
 */
import { describe, expect, it } from 'vitest';
import type { TunnelState } from '../../../../preload/contract';
import type { TunnelEvent } from '../../../../preload/schema/tunnel';
import { adviceFor } from '../../../../main/service/doctor/advice';
import { refusalFailure } from '../../../../main/engine/ppp/refusal';
import { errorEvent } from '../../../../main/service/tunnel/tunnel-lifecycle';
import { foldTunnel, INITIAL_TUNNEL_STATUS } from '../../../../main/app/tunnel/tunnel-view';

const PROFILE = '6f1c1a52-2d0b-4a5e-9d0c-3a2b1c0d9e8f';
const stateful = refusalFailure({ kind: 'mppe-stateful', bits: [128] });

function connecting() {
  return foldTunnel(INITIAL_TUNNEL_STATUS, { kind: 'connect-requested', profileId: PROFILE });
}

describe('GUI advice for a refusal of ours', () => {
  it('the service error event carries the refusal advice as its hint, and its detail', () => {
    const e = errorEvent(stateful);
    expect(e).toMatchObject({ event: 'error', reason: 'encryption-refused', detail: { refusal: 'mppe-stateful' } });
    expect(e.event === 'error' && e.hint).toBe(adviceFor(stateful).fix);
    expect(e.event === 'error' && e.hint).toContain('Allow stateful MPPE');
  });

  it('the error state shows the refusal advice (title and fix), not the reason advice', () => {
    const event: TunnelEvent = errorEvent(stateful);
    const s = foldTunnel(connecting(), { kind: 'service-event', event });
    const state = s.state as Extract<TunnelState, { state: 'error' }>;
    expect(state.advice.title).toBe('The server insists on stateful MPPE, which this profile does not allow');
    expect(s.attempt?.advice).toEqual(adviceFor(stateful));
  });

  it('while disconnecting the attempt keeps the refusal advice too', () => {
    const disconnecting = foldTunnel(connecting(), { kind: 'disconnect-requested' });
    const s = foldTunnel(disconnecting, { kind: 'service-event', event: errorEvent(refusalFailure({ kind: 'mppe-off' })) });
    expect(s.state.state).toBe('disconnecting');
    expect(s.attempt?.advice?.title).toBe('The server requires encryption, and this profile turns it off');
  });
});
