/**
 * Dead encryption is never "connected" (issue 10 item 2). A server whose kernel cannot decrypt
 * (accel-ppp's race: CCP opened before the kernel's MPPE was set up) answers every MPPE packet
 * with an LCP Protocol-Reject of 0x00FD; one whose IP side did not start rejects 0x0021. The
 * session must end at once with 'data-path-dead' (exit 17, retried by auto-reconnect), send its
 * LCP Terminate-Request, and take no more IP — never stay 'up' as a silent black hole. A
 * Protocol-Reject of a data protocol we are not sending changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { createSim, driveUntilClosed, driveUntilUp, expectEnded, numberedIpPacket, type Sim } from './session-sim';
import { CODE_PROTOCOL_REJECT } from '../../../main/engine/ppp/packet';
import { PPP_PROTO_COMPRESSED, PPP_PROTO_IP } from '../../../main/engine/ppp/protocol';
import { EXIT_CODE_BY_REASON } from '../../../main/cli/exit-codes';
import { decideReconnect } from '../../../main/service/tunnel/reconnect-policy';
import { seededRandom } from '../../../main/engine/random';

/** The server Protocol-Rejects the first frame of `protocol` it received from the client; returns when. */
function rejectFirst(s: Sim, protocol: number): number {
  const frame = () => s.server.peer!.framesIn.find((f) => f.protocol === protocol);
  expect(s.pair.driveUntil(() => frame() !== undefined, s.pair.clock.now + 5_000)).toBe(true);
  const rejected = frame()!;
  const body = new Uint8Array(2 + Math.min(rejected.info.length, 64));
  body[0] = protocol >> 8;
  body[1] = protocol & 0xff;
  body.set(rejected.info.subarray(0, body.length - 2), 2);
  const at = s.pair.clock.now;
  s.server.peer!.sendLcpPacket(CODE_PROTOCOL_REJECT, body);
  s.server.afterInput(at);
  return at;
}

describe('a Protocol-Reject of our data once it flows ends the session: data-path-dead', () => {
  it('MPPE (0x00FD) rejected after CCP opened: ends at once, Terminate sent, no more IP taken', () => {
    const s = createSim({ server: { echoIp: true } });
    expect(driveUntilUp(s)).toBe(true);
    expect(s.client.upEvent?.mppe).toEqual({ bits: 128, stateful: false });
    s.client.sendIp(s.pair.clock.now, numberedIpPacket(0));
    const rejectedAt = rejectFirst(s, PPP_PROTO_COMPRESSED);
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    expectEnded(s, 'data-path-dead');
    const failed = s.client.events.find((e) => e.type === 'closed');
    // Ended by the reject itself (the Terminate exchange is immediate with this server), not by a keepalive.
    expect(failed!.at - rejectedAt).toBeLessThan(1_000);
    expect(s.client.closed!.message).toMatch(/Protocol-Reject of MPPE \(0x00FD\).*nothing we send reaches it/);
    expect(s.client.closed!.detail).toEqual({ layer: 'CCP', protocol: '0x00fd' });
    expect(s.server.peer!.observed.terminateRequests).toBeGreaterThanOrEqual(1);
    expect(s.client.sendIp(s.pair.clock.now, numberedIpPacket(1))).toBe(false);
    expect(EXIT_CODE_BY_REASON['data-path-dead']).toBe(17);
  });

  it('IP (0x0021) rejected after IPCP opened (no MPPE): ends with data-path-dead naming IP', () => {
    const s = createSim({ client: { mppe: { mppe: 'none', allowStateful: false } }, server: { ppp: { ccp: false } } });
    expect(driveUntilUp(s)).toBe(true);
    s.client.sendIp(s.pair.clock.now, numberedIpPacket(0));
    rejectFirst(s, PPP_PROTO_IP);
    expect(driveUntilClosed(s, 30_000)).toBe(true);
    expectEnded(s, 'data-path-dead');
    expect(s.client.closed!.message).toMatch(/Protocol-Reject of IP \(0x0021\) although IPCP is up/);
    expect(s.client.closed!.detail).toEqual({ layer: 'IPCP', protocol: '0x0021' });
  });

  it('a Protocol-Reject of MPPE on an unencrypted link (we never sent any) changes nothing', () => {
    const s = createSim({ client: { mppe: { mppe: 'none', allowStateful: false } }, server: { ppp: { ccp: false }, echoIp: true } });
    expect(driveUntilUp(s)).toBe(true);
    const body = Uint8Array.of(PPP_PROTO_COMPRESSED >> 8, PPP_PROTO_COMPRESSED & 0xff, 0x90, 0x00);
    s.server.peer!.sendLcpPacket(CODE_PROTOCOL_REJECT, body);
    s.server.afterInput(s.pair.clock.now);
    s.pair.drive(s.pair.clock.now + 2_000);
    expect(s.client.closed).toBeUndefined();
    expect(s.client.sendIp(s.pair.clock.now, numberedIpPacket(0))).toBe(true);
  });

  it('auto-reconnect retries it: a fresh session usually finds the server ready', () => {
    const options = { enabled: true, maxAttempts: 3 };
    expect(decideReconnect(1, 'data-path-dead', options, seededRandom(1)).retry).toBe(true);
    expect(decideReconnect(1, 'data-path-dead', { enabled: false, maxAttempts: 3 }, seededRandom(1)).retry).toBe(false);
  });
});
