import { describe, expect, it } from 'vitest';
import { PppLink } from '../../../../main/engine/ppp/link';
import type { PppLinkConfig, PppLinkEvent } from '../../../../main/engine/ppp/link';
import { decodeFrame, encodeFrame } from '../../../../main/engine/ppp/frame';
import { decodeControlPacket, encodeControlPacket } from '../../../../main/engine/ppp/packet';
import { seededRandom } from '../../../../main/engine/random';
import { toHex } from '../../../../main/engine/wire/bytes';

function makeLink(over: Partial<PppLinkConfig> = {}): PppLink {
  return new PppLink({
    credentials: { username: 'alice', password: 'pw' },
    allowedAuth: ['mschapv2'],
    mppe: { mppe: 'require-128', allowStateful: false },
    random: seededRandom(11),
    lcpEcho: { mode: 'off' },
    ...over,
  });
}

function drainFrames(link: PppLink): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let f = link.pollFrame(); f; f = link.pollFrame()) out.push(f);
  return out;
}

function drainEvents(link: PppLink): PppLinkEvent[] {
  const out: PppLinkEvent[] = [];
  for (let e = link.pollEvent(); e; e = link.pollEvent()) out.push(e);
  return out;
}

function lcpFrame(code: number, id: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return encodeFrame(0xc021, encodeControlPacket({ code, identifier: id, data }), { pfc: false, acfc: false });
}

describe('PppLink: Dead and Establish', () => {
  it('is Dead and silent before start', () => {
    const link = makeLink();
    expect(link.phase).toBe('dead');
    expect(link.isDead).toBe(false);
    expect(link.nextTimeout()).toBeUndefined();
    link.handleFrame(0, lcpFrame(1, 1));
    expect(link.counters.framesIn).toBe(0);
    expect(link.pollFrame()).toBeUndefined();
  });

  it('start() enters Establish and sends an uncompressed LCP Configure-Request; a second start does nothing', () => {
    const link = makeLink();
    link.start(5);
    link.start(6);
    expect(drainEvents(link)).toEqual([
      { type: 'phase', at: 5, phase: 'establish' },
      { type: 'layer', at: 5, layer: 'lcp', status: 'started' },
    ]);
    const frames = drainFrames(link);
    expect(frames).toHaveLength(1);
    expect(toHex(frames[0]!.subarray(0, 5))).toBe('ff03c02101');
    expect(link.nextTimeout()).toBe(5 + 3000);
  });

  it('drops non-LCP frames in Establish (RFC 1661 §3.4) and counts malformed frames', () => {
    const link = makeLink();
    link.start(0);
    link.handleFrame(1, encodeFrame(0x8021, Uint8Array.of(1, 1, 0, 4), { pfc: false, acfc: false }));
    link.handleFrame(1, encodeFrame(0x0021, Uint8Array.of(0x45), { pfc: false, acfc: false }));
    link.handleFrame(1, Uint8Array.of(0xff, 0x03));
    link.handleFrame(1, Uint8Array.of(0x00, 0x22, 0x01));
    expect(link.counters.droppedWrongPhase).toBe(2);
    expect(link.counters.malformedFrames).toBe(2);
    expect(drainFrames(link)).toHaveLength(1); // only our own Configure-Request
  });

  it('reports no MTU before LCP is up and records Set-Link-Info ACCMs as handed in', () => {
    const link = makeLink();
    expect(link.mtu).toBeUndefined();
    link.handleSetLinkInfo(0xffffffff, 0);
    expect(link.setLinkInfoAccm).toEqual({ send: 0xffffffff, receive: 0 });
  });
});

describe('PppLink: Terminate', () => {
  it('close() during negotiation sends Terminate-Request, and the peer Terminate-Ack makes it Dead', () => {
    const link = makeLink();
    link.start(0);
    drainFrames(link);
    link.close(10, 'User request');
    const [term] = drainFrames(link);
    const f = decodeFrame(term!);
    const p = f.ok ? decodeControlPacket(f.value.info) : undefined;
    expect(p?.ok && p.value.code).toBe(5);
    expect(p?.ok && new TextDecoder().decode(p.value.data)).toBe('User request');
    expect(link.phase).toBe('terminate');
    link.handleFrame(20, lcpFrame(6, p!.ok ? p!.value.identifier : 0));
    const events = drainEvents(link);
    expect(events.at(-1)).toEqual({ type: 'link-down', at: 20, failure: { reason: 'local-disconnect', message: 'Disconnected: User request.' } });
    expect(events.some((e) => e.type === 'failed')).toBe(false);
    expect(link.isDead).toBe(true);
  });

  it('close() with no answer gives up after Max-Terminate requests', () => {
    const link = makeLink();
    link.start(0);
    drainFrames(link);
    link.close(0);
    let now = 0;
    while (link.nextTimeout() !== undefined) link.handleTimeout((now = link.nextTimeout()!));
    expect(drainFrames(link)).toHaveLength(2);
    expect(now).toBe(6000);
    expect(link.isDead).toBe(true);
  });

  it('close() after Dead and abort() twice are no-ops; link-down is emitted once', () => {
    const link = makeLink();
    link.start(0);
    link.abort(1, { reason: 'peer-disconnected', message: 'call cleared' });
    link.abort(2, { reason: 'internal-error', message: 'again' });
    link.close(3);
    const downs = drainEvents(link).filter((e) => e.type === 'link-down');
    expect(downs).toEqual([{ type: 'link-down', at: 1, failure: { reason: 'peer-disconnected', message: 'call cleared' } }]);
  });

  it('a Terminate-Request during negotiation ends at once with peer-disconnected, after the Terminate-Ack', () => {
    const link = makeLink();
    link.start(0);
    drainFrames(link);
    drainEvents(link);
    link.handleFrame(5, lcpFrame(5, 0x42, new TextEncoder().encode('bye')));
    const frames = drainFrames(link);
    const f = decodeFrame(frames[0]!);
    const p = f.ok ? decodeControlPacket(f.value.info) : undefined;
    expect(p?.ok && [p.value.code, p.value.identifier]).toEqual([6, 0x42]);
    const events = drainEvents(link);
    expect(events.map((e) => e.type)).toEqual(['failed', 'phase', 'link-down']);
    expect(events[0]).toMatchObject({ failure: { reason: 'peer-disconnected', message: expect.stringMatching(/"bye"/) } });
  });
});
