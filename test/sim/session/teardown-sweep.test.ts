/**
 * Teardown in every state: at many instants from TCP connect to well after 'up', each way a
 * session can end (our disconnect; the server's Call-Disconnect-Notify, Stop-Control-Connection-
 * Request, TCP close, LCP Terminate-Request) is injected. Every run must end with the reason
 * that belongs to the cause, within a bounded time, with 'closed' last, our TCP side closed and
 * nothing thrown.
 */
import { describe, expect, it } from 'vitest';
import { createSim, driveUntilClosed, expectEnded, type Sim } from './session-sim';
import type { FailureReason } from '../../../preload/vocabulary';

type Ending = { readonly name: string; readonly act: (s: Sim, now: number) => void; readonly reason: (s: Sim) => FailureReason[] };

const ENDINGS: Ending[] = [
  { name: 'disconnect', act: (s, now) => s.client.disconnect(now), reason: () => ['local-disconnect'] },
  { name: 'serverCdn', act: (s) => s.server.control.disconnectCall(), reason: () => ['peer-disconnected'] },
  { name: 'serverStopCcrq', act: (s) => s.server.control.stopControl(), reason: () => ['peer-disconnected'] },
  { name: 'serverTcpClose', act: (s) => s.server.control.closeTransport(), reason: () => ['peer-disconnected'] },
  {
    name: 'serverLcpTerminate',
    act: (s, now) => s.server.terminatePpp(now, 'bye'),
    // Before LCP is up a Terminate-Request from the server is a refusal during negotiation.
    reason: () => ['peer-disconnected', 'negotiation-failed', 'auth-failed'],
  },
];

const INSTANTS = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 70, 80, 90, 100, 120, 150, 200, 500, 5_000];

describe('teardown at every instant', () => {
  for (const ending of ENDINGS) {
    it(`anyState_${ending.name}_endsWithItsReasonInTime`, () => {
      for (const at of INSTANTS) {
        const s = createSim();
        s.pair.schedule(at, (now) => ending.act(s, now));
        const ended = driveUntilClosed(s, 60_000);
        // Some endings are no-ops before their layer exists (no call to disconnect, no PPP to
        // terminate yet): those runs come up and must still be healthy.
        if (!ended) {
          expect(s.client.thrown, `${ending.name} at ${at}`).toEqual([]);
          expect(['serverCdn', 'serverLcpTerminate'], `${ending.name} at ${at} neither ended nor was a no-op`).toContain(ending.name);
          expect(s.client.session.state, `${ending.name} at ${at}`).toBe('up');
          continue;
        }
        const reason = s.client.closed!.reason;
        expect(ending.reason(s), `${ending.name} at ${at}: ${reason} (${s.client.closed!.message})`).toContain(reason);
        expectEnded(s, reason);
        const closedAt = s.client.eventsOf('closed')[0]!.at;
        expect(closedAt - at, `${ending.name} at ${at}`).toBeLessThanOrEqual(16_000);
        // Our side of TCP closes after 'closed'.
        s.pair.drive(s.pair.clock.now + 100);
        expect(s.pair.streams.aToB.isClosed, `${ending.name} at ${at}`).toBe(true);
      }
    });
  }
});
