/**
 * Whole control conversations between the client state machine and a server that behaves like
 * the real pptpd (shared/notes/pptpd-peer.md), on a virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { ControlConnection } from '../../../main/engine/control/connection';
import type { ControlConnectionConfig } from '../../../main/engine/control/events';
import { seededRandom } from '../../../main/engine/random';
import { ControlPair, fixedSegments, type ControlPairOptions } from '../support/control-pair';
import { ControlServer, type ControlServerScript } from '../support/control-server';

function setup(
  script: ControlServerScript = {},
  pairOptions: ControlPairOptions = {},
  config: Partial<ControlConnectionConfig> = {},
): { pair: ControlPair; client: ControlConnection; server: ControlServer } {
  const client = new ControlConnection({ random: seededRandom(2637), ...config });
  const server = new ControlServer(script);
  const pair = new ControlPair(client, server, pairOptions);
  pair.connect();
  return { pair, client, server };
}

describe('against a pptpd-like server', () => {
  it('sets up the control connection and the call with pptpd values', () => {
    const { pair, client, server } = setup();
    pair.settle();
    expect(client.state).toBe('established');
    expect(pair.eventsOf('control-connected')[0]?.peer).toEqual({
      protocolVersion: 0x0100,
      framingCapabilities: 0,
      bearerCapabilities: 0,
      maximumChannels: 1,
      firmwareRevision: 1,
      hostName: 'local',
      vendor: 'linux',
    });
    const call = pair.eventsOf('call-connected')[0]?.call;
    expect(call).toMatchObject({ callId: client.callId, peerCallId: 0, peerReceiveWindow: 64, connectSpeed: 10_000_000, receiveWindow: 64 });
    expect(server.receivedKinds).toEqual(['StartControlConnectionRequest', 'OutgoingCallRequest']);
    expect(server.calls).toEqual([
      { serverCallId: 0, clientCallId: client.callId, clientReceiveWindow: 64, clientCallSerialNumber: call?.callSerialNumber },
    ]);
    expect(server.malformed).toEqual([]);
    // two round trips of 5 ms each way
    expect(pair.timeline.map((t) => [t.at, t.event.type])).toEqual([
      [10, 'control-connected'],
      [20, 'call-connected'],
    ]);
  });

  it.each([0, 128, 256])('takes the call ID pptpd hands out (%i) as the peer call ID', (firstCallId) => {
    const { pair } = setup({ firstCallId });
    pair.settle();
    expect(pair.eventsOf('call-connected')[0]?.call.peerCallId).toBe(firstCallId);
  });

  it('hangs up: Call-Clear-Request, pptpd closes TCP, a clean end', () => {
    const { pair, client, server } = setup();
    pair.settle();
    const t0 = pair.now;
    client.hangUp(t0);
    pair.drive();
    expect(server.receivedKinds).toEqual(['StartControlConnectionRequest', 'OutgoingCallRequest', 'CallClearRequest']);
    expect(client.state).toBe('closed');
    expect(pair.eventsOf('closed')).toEqual([{ type: 'closed' }]);
    expect(pair.closedAt).toBe(t0 + 10); // closed as soon as the FIN arrived, no timeout waited for
  });

  it('hangs up against an RFC server: CCRQ, CDN, StopCCRQ, StopCCRP', () => {
    const { pair, client, server } = setup({ onCallClear: 'disconnect-notify' });
    pair.settle();
    client.hangUp(pair.now);
    pair.drive();
    expect(server.receivedKinds.slice(2)).toEqual(['CallClearRequest', 'StopControlConnectionRequest']);
    expect(pair.eventsOf('closed')).toEqual([{ type: 'closed' }]);
    expect(pair.eventsOf('call-disconnected')).toEqual([]);
  });

  it('closes gracefully: StopCCRQ answered, then TCP closes', () => {
    const { pair, client, server } = setup();
    pair.settle();
    client.close(pair.now, { graceful: true });
    pair.drive();
    expect(server.receivedKinds.at(-1)).toBe('StopControlConnectionRequest');
    expect(pair.eventsOf('closed')).toEqual([{ type: 'closed' }]);
  });

  it('keeps an idle call alive for ten minutes with an echo every 60 s', () => {
    const { pair, client, server } = setup();
    pair.drive(0);
    pair.advance(10 * 60_000);
    expect(client.state).toBe('established');
    const rtts = pair.eventsOf('echo-rtt');
    expect(rtts.length).toBe(9);
    for (const r of rtts) expect(r.rttMs).toBe(10);
    expect(server.receivedKinds.filter((k) => k === 'EchoRequest')).toHaveLength(9);
    const ids = server.received.flatMap((m) => (m.kind === 'EchoRequest' ? [m.identifier] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("answers the server's own echoes, which also keep the client from sending any", () => {
    const { pair, client, server } = setup({ echoIdleMs: 30_000 });
    pair.advance(5 * 60_000);
    expect(client.state).toBe('established');
    expect(server.receivedKinds.filter((k) => k === 'EchoReply').length).toBeGreaterThanOrEqual(9);
    expect(server.receivedKinds).not.toContain('EchoRequest');
  });

  it('applies Set-Link-Info sent after the call is up', () => {
    const { pair, client } = setup({ setLinkInfo: { sendAccm: 0, receiveAccm: 0xffffffff } });
    pair.settle();
    expect(pair.eventsOf('set-link-info')).toEqual([{ type: 'set-link-info', sendAccm: 0, receiveAccm: 0xffffffff }]);
    expect(client.linkInfo).toEqual({ sendAccm: 0, receiveAccm: 0xffffffff });
  });

  it.each<[string, ControlPairOptions]>([
    ['one octet per read', { segment: fixedSegments(1) }],
    ['7-octet reads', { segment: fixedSegments(7) }],
    ['coalesced reads', { coalesce: true }],
    ['split and coalesced', { segment: fixedSegments(13), coalesce: true }],
    ['no latency', { latencyMs: 0 }],
  ])('gives the same conversation with %s', (_name, options) => {
    const { pair, client, server } = setup({ setLinkInfo: { sendAccm: 1, receiveAccm: 2 } }, options);
    pair.settle();
    expect(client.state).toBe('established');
    expect(pair.events.map((e) => e.type)).toEqual(['control-connected', 'call-connected', 'set-link-info']);
    client.hangUp(pair.now);
    pair.drive();
    expect(pair.eventsOf('closed')).toEqual([{ type: 'closed' }]);
    expect(server.malformed).toEqual([]);
  });

  it('sends the server what the profile configured', () => {
    const { pair, server } = setup({}, {}, { receiveWindow: 32, hostName: 'laptop', vendor: 'Test' });
    pair.settle();
    expect(server.calls[0]?.clientReceiveWindow).toBe(32);
    expect(server.received[0]).toMatchObject({ hostName: 'laptop', vendorString: 'Test', protocolVersion: 0x0100 });
  });
});
