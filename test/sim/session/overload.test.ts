/**
 * Overload: more IP than the GRE window lets out. A burst far beyond the peer's window (an
 * unthrottled UDP sender behind the TUN) must not leave the tunnel dead afterwards. Stateless
 * MPPE (RFC 3078 §8.1) refuses a coherency jump of more than half the 12-bit space as late
 * (Linux ppp_mppe does the same), so a sender that encrypts packets and then drops them at a
 * full window opens a gap the peer can never cross: every later packet looks late to it. The
 * client must drop what cannot be sent *before* it spends a coherency count on it.
 */
import { describe, expect, it } from 'vitest';
import { createSim, driveUntilUp, expectUp, indicesOf, numberedIpPacket } from './session-sim';

describe('a burst beyond the GRE window', () => {
  for (const burst of [3_000, 10_000]) {
    it(`burstOf${burst}_atOneInstant_tunnelStillCarriesTrafficAfterwards`, () => {
      const s = createSim({ seed: 3, server: { echoIp: true } });
      expect(driveUntilUp(s)).toBe(true);
      s.pair.drive(s.pair.clock.now + 1_000);
      // The burst: every packet handed to the engine at one instant.
      const t = s.pair.clock.now;
      s.pair.schedule(t, (now) => {
        for (let i = 0; i < burst; i++) s.client.sendIp(now, numberedIpPacket(i, 200));
      });
      s.pair.drive(t + 5_000);
      const drops = s.client.session.stats.gre;
      // The burst really overflowed the window and queue: most of it was dropped at the source.
      expect(drops?.txWindowDrops).toBeGreaterThan(burst / 2);
      // Then a slow ping-like trickle: each one must come back through the server's echo.
      const before = s.client.tun.length;
      for (let i = 0; i < 20; i++) {
        s.pair.schedule(s.pair.clock.now + 100 * (i + 1), (now) => s.client.sendIp(now, numberedIpPacket(100_000 + i, 100)));
      }
      s.pair.drive(s.pair.clock.now + 5_000);
      const after = indicesOf(s.client.tun.slice(before, s.client.tun.length));
      expect(after.corrupt, JSON.stringify(drops)).toBe(0);
      expect(after.indices.filter((i) => i >= 100_000), JSON.stringify(drops)).toHaveLength(20);
      expectUp(s);
    });
  }
});
