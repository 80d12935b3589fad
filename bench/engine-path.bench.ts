/**
 * The client engine alone, per 1396-octet IP packet (the tunnel MTU against pptpd's MRU), the
 * two halves of the data path measured separately (issue 12 targets: >= 100k packets/s each
 * way with stateless MPPE-128, and the allocations per packet in steady state):
 *  - send path: PptpSession.handleTunPacket(now, ip) → PPP framing → MPPE encrypt → GRE encode
 *    → pollGrePacketAt() (buffer + start, no view), and the buffer given back with
 *    releaseGrePacket() as the service's GRE socket does once its flush has sent it (the frame
 *    pool, wire/frame-pool.ts). The server's acknowledgements come back as they would (an
 *    ack-only GRE packet every 16 packets, rewritten in place), so the window never closes.
 *  - receive path: handleGre(now, packet) → GRE decode and sequencing → MPPE decrypt (in place,
 *    in the packet given) → deframe → pollTunPacketAt() (the datagram as buffer + start, no view
 *    object; pollTunPacket() would add one view per packet). The server's packets are built outside the timing (harness `prepare`)
 *    by the simulated server, in order; the client's acks go nowhere.
 * Stateless and stateful side by side (stateful rekeys every 256 packets: the SHA-1 + key
 * schedule share of the stateless cost). The allocations line counts everything the client
 * engine allocates per packet, including the output buffer it hands the driver; the client's
 * acks on the receive path are given back to the pool too. The pool's fallback allocations
 * (every slot out) are printed after each run: 0 means the pool never ran dry.
 */
import { encodeGrePacket } from '../main/engine/gre';
import { readU32, writeU32 } from '../main/engine/wire/bytes';
import type { FramePoolCounters } from '../main/engine/wire/frame-pool';
import { registerBenchmark } from './harness';
import { connectedPair, ipPacket } from './support/engine-pair';

const SEND = 'client engine send path (IP in → GRE out), MPPE-128, 1396-octet IP packets';
const RECEIVE = 'client engine receive path (GRE in → IP out), MPPE-128, 1396-octet IP packets';
const ACK_EVERY = 16;
/**
 * The virtual clock moves 1 ms every 100 packets (100k packets/s on the wire) in whole
 * milliseconds: a fractional `now` would be a fresh heap number per packet in this loop (the
 * bench's, not the engine's: the service reads its clock once per batch of TUN packets or per
 * GRE datagram), and would hide whether the engine itself allocates.
 */
const TICK_PACKETS = 100;

function poolNote(c: Readonly<FramePoolCounters> | undefined): string {
  if (!c) return 'frame pool: none';
  return `frame pool: ${c.acquired} slots handed out, ${c.exhausted} fallback allocations (pool empty), ${c.oversize} oversize`;
}

for (const stateful of [false, true]) {
  const mode = stateful ? 'stateful' : 'stateless';
  const pair = connectedPair(stateful);
  const { client, server } = pair;
  const ip = ipPacket(pair.mtu);
  // An ack-only packet from the server, its acknowledgement number rewritten before each use.
  const serverGre = server.gre!;
  const ack = encodeGrePacket({ callId: serverGre.config.peerCallId, ack: 0, payload: new Uint8Array(0) });
  let now = 1_000_000;
  let tick = 0;
  let sent = 0;
  let lastSequence = 0;
  registerBenchmark({
    group: SEND,
    name: `handleTunPacket → pollGrePacketAt, ${mode}`,
    bytesPerOp: ip.length,
    allocations: true,
    note: () => poolNote(client.frameBuffers),
    run: () => {
      if (++tick % TICK_PACKETS === 0) now += 1;
      client.handleTunPacket(now, ip);
      for (let g = client.pollGrePacketAt(); g; g = client.pollGrePacketAt()) {
        const start = client.lastGrePacketStart;
        if (g.length - start > 100) lastSequence = readU32(g, start + 8); // a data packet's sequence number
        client.releaseGrePacket(g); // the raw socket sent it
      }
      if (++sent % ACK_EVERY === 0) {
        writeU32(ack, 8, lastSequence); // an ack-only header: the ack is at octet 8
        client.handleGre(now, ack);
        for (let g = client.pollGrePacketAt(); g; g = client.pollGrePacketAt()) client.releaseGrePacket(g);
      }
      if ((client.nextTimeout() ?? Infinity) <= now) client.handleTimeout(now);
    },
  });
}

for (const stateful of [false, true]) {
  const mode = stateful ? 'stateful' : 'stateless';
  const pair = connectedPair(stateful);
  const { client, server } = pair;
  const ip = ipPacket(pair.mtu);
  const serverGre = server.gre!;
  const serverAck = encodeGrePacket({ callId: serverGre.config.localCallId, ack: 0, payload: new Uint8Array(0) });
  let packets: Uint8Array[] = [];
  let next = 0;
  let now = 1_000_000;
  let tick = 0;
  const prepare = (iterations: number) => {
    // The server encrypts and frames `iterations` packets; we ack them to it so its window stays open.
    packets = [];
    next = 0;
    while (packets.length < iterations) {
      server.sendIp(now, ip);
      server.afterInput(now);
      let last: Uint8Array | undefined;
      for (let d = server.pollDatagram(); d; d = server.pollDatagram()) {
        if (d.length > 100) {
          packets.push(d);
          last = d;
        }
      }
      if (last) {
        serverAck.set(last.subarray(8, 12), 8); // an ack-only header: the ack is at octet 8
        server.handleDatagram(now, serverAck);
        server.afterInput(now);
        while (server.pollDatagram());
      }
    }
  };
  registerBenchmark({
    group: RECEIVE,
    name: `handleGre → pollTunPacketAt, ${mode}`,
    bytesPerOp: ip.length,
    allocations: true,
    note: () => poolNote(client.frameBuffers),
    prepare,
    run: () => {
      if (++tick % TICK_PACKETS === 0) now += 1;
      client.handleGre(now, packets[next++]!);
      if (client.pollTunPacketAt() === undefined) throw new Error('receive path bench: packet not delivered');
      for (let g = client.pollGrePacketAt(); g; g = client.pollGrePacketAt()) client.releaseGrePacket(g);
      if ((client.nextTimeout() ?? Infinity) <= now) client.handleTimeout(now);
    },
  });
}
