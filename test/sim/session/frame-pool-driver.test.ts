/**
 * The session's send path with a driver that gives its GRE buffers back (the service's GRE
 * socket does after its flush): every packet arrives intact and in order at the
 * simulated pptpd, the pool's slots are reused instead of new buffers made, a driver slow to
 * give them back runs the pool dry and falls back to fresh buffers without losing a byte, and a
 * buffer given back twice is refused so no two packets ever share a slot.
 */
import { describe, expect, it } from 'vitest';
import { PptpSession } from '../../../main/engine/session';
import { seededRandom } from '../../../main/engine/random';
import { DEFAULT_FRAME_SLOTS } from '../../../main/engine/wire/frame-pool';
import { PptpServer } from '../support/pptp-server';
import { numberedIndex, numberedIpPacket, PASSWORD, USERNAME } from './session-sim';

/** Client and server moving bytes synchronously; `deliver` is the driver's GRE send. */
function upPair() {
  let now = 0;
  const client = new PptpSession({
    random: seededRandom(11),
    credentials: { username: USERNAME, password: PASSWORD },
    allowedAuth: ['mschapv2'],
    mppe: { mppe: 'require-128', allowStateful: false },
    lcpEcho: { mode: 'off' },
  });
  const server = new PptpServer({ random: seededRandom(12), auth: { method: 'mschapv2', username: USERNAME, password: PASSWORD } });
  const held: Uint8Array[] = [];
  /** The driver: copies each packet "into the kernel" (the server), gives the buffer back after `lag` more packets. */
  const shuttle = (lag = 0) => {
    for (let moved = true; moved; ) {
      moved = false;
      for (let b = client.pollControlBytes(); b; b = client.pollControlBytes()) {
        server.handleStreamBytes(now, b);
        server.afterInput(now);
        moved = true;
      }
      for (let g = client.pollGrePacketAt(); g; g = client.pollGrePacketAt()) {
        server.handleDatagram(now, g.slice(client.lastGrePacketStart));
        server.afterInput(now);
        held.push(g);
        while (held.length > lag) client.releaseGrePacket(held.shift()!);
        moved = true;
      }
      for (let b = server.pollStreamBytes(); b; b = server.pollStreamBytes()) {
        client.handleControlBytes(now, b);
        moved = true;
      }
      for (let g = server.pollDatagram(); g; g = server.pollDatagram()) {
        client.handleGre(now, g);
        moved = true;
      }
    }
  };
  server.handleConnected(now);
  client.start(now);
  for (let i = 0; i < 10_000 && client.state !== 'up'; i++) {
    shuttle();
    now += 1;
    client.handleTimeout(now);
    server.handleTimeout(now);
    server.afterInput(now);
  }
  expect(client.state).toBe('up');
  const send = (count: number, lag: number) => {
    for (let i = 0; i < count; i++) {
      now += 0.1;
      client.handleTunPacket(now, numberedIpPacket(i, 1200));
      shuttle(lag);
      if ((client.nextTimeout() ?? Infinity) <= now) client.handleTimeout(now);
      if ((server.nextTimeout() ?? Infinity) <= now) {
        server.handleTimeout(now);
        server.afterInput(now);
      }
      shuttle(lag);
    }
  };
  return { client, server, send, held };
}

describe('session send path with the frame pool', () => {
  it('driverGivesBuffersBack_everyPacketArrivesInOrder_slotsReused_noFallback', () => {
    const { client, server, send } = upPair();
    server.ipReceived.length = 0;
    const count = 3 * DEFAULT_FRAME_SLOTS;
    send(count, 0);
    expect(server.ipReceived.map((p) => numberedIndex(p))).toEqual(Array.from({ length: count }, (_, i) => i));
    const pool = client.frameBuffers!;
    expect(pool.acquired).toBeGreaterThanOrEqual(count); // more than the pool holds: slots came back
    expect(pool.exhausted).toBe(0);
    expect(pool.doubleReleases).toBe(0);
  });

  it('driverSlowToGiveBack_poolRunsDry_fallsBackToFreshBuffers_noPacketCorrupted', () => {
    const { client, server, send } = upPair();
    server.ipReceived.length = 0;
    send(600, DEFAULT_FRAME_SLOTS + 50); // more buffers out at once than the pool has
    expect(server.ipReceived.map((p) => numberedIndex(p))).toEqual(Array.from({ length: 600 }, (_, i) => i));
    expect(client.frameBuffers!.exhausted).toBeGreaterThan(0);
  });

  it('bufferGivenBackTwice_isRefused_andNeverCarriesTwoPackets', () => {
    const { client, server, held, send } = upPair();
    send(1, 1); // one buffer still held by the "driver"
    const g = held.shift()!;
    const notPooledBefore = client.frameBuffers!.notPooled;
    expect(client.releaseGrePacket(g)).toBe('released');
    expect(client.releaseGrePacket(g)).toBe('already-free');
    expect(client.releaseGrePacket(new Uint8Array(100))).toBe('not-pooled');
    expect(client.frameBuffers!.doubleReleases).toBe(1);
    expect(client.frameBuffers!.notPooled).toBe(notPooledBefore + 1);
    // The next two packets, both held by the driver at once, are in two different slots.
    server.ipReceived.length = 0;
    send(2, 2);
    expect(held).toHaveLength(2);
    expect(held[0]).not.toBe(held[1]);
    expect(server.ipReceived.map((p) => numberedIndex(p))).toEqual([0, 1]);
  });
});
