/**
 * Scenario: the kernel's TCP receiving through TunDevice.queueAt/flush (writeBatchAt), with this
 * process as a fake remote peer. It opens a TUN (offload as given), gives it 10.77.0.1 peer
 * 10.77.0.2, listens on 10.77.0.1:5201 with a real TCP server and 10.77.0.1:5300 with a UDP
 * socket, then, as 10.77.0.2, injects a handshake (SYN, reading the kernel's SYN-ACK from the
 * TUN, ACK) and 100 data segments of 1,000 octets in windows the kernel advertises, waiting for
 * its ACKs between windows; then one batch mixing UDP datagrams and 10 more TCP segments.
 * Prints what the server and the UDP socket received and the TUN stats around the data phase.
 * Args: { offload: 'auto' | 'none' }.
 */
import { createServer, type Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { TunDevice } from '../../../main/service/tun/tun-device';
import { emit, fail, ipSteps, scenarioArgs, until } from './common';
import { onesSum } from '../../support/inet-checksum';

const LOCAL = [10, 77, 0, 1]; // the kernel's side
const PEER = [10, 77, 0, 2]; // the fake peer behind the TUN
const TCP_PORT = 5201;
const UDP_PORT = 5300;
/** Per process, so an earlier run's orphaned connection in the same namespace never answers our SYN. */
const PEER_PORT = 40000 + (process.pid % 20000);
const SEGMENTS = 100;
const SEGMENT_SIZE = 1000;
const MIXED_SEGMENTS = 10;
const MIXED_DATAGRAMS = 4;
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;
/** A guard against a hang, not a measured time: the scenario fails if the kernel stops answering. */
const STALL_LIMIT_MS = 15_000;

/** An IPv4 packet (RFC 791, DF, no options) from PEER to LOCAL around `transport`, with the transport checksum at `checksumAt`. */
function ipv4(protocol: number, transport: Buffer, checksumAt: number, id: number): Buffer {
  const packet = Buffer.alloc(20 + transport.length);
  packet[0] = 0x45;
  packet.writeUInt16BE(packet.length, 2);
  packet.writeUInt16BE(id & 0xffff, 4);
  packet.writeUInt16BE(0x4000, 6);
  packet[8] = 64;
  packet[9] = protocol;
  Buffer.from([...PEER, ...LOCAL]).copy(packet, 12);
  packet.writeUInt16BE(~onesSum(packet.subarray(0, 20)) & 0xffff, 10);
  transport.copy(packet, 20);
  let pseudo = protocol + transport.length;
  for (let i = 12; i < 20; i += 2) pseudo += (packet[i]! << 8) | packet[i + 1]!;
  packet.writeUInt16BE(~onesSum(packet.subarray(20), pseudo) & 0xffff, 20 + checksumAt);
  return packet;
}

let ipId = 1;

/** A TCP segment (RFC 9293 §3.1) from PEER_PORT to TCP_PORT. */
function tcp(seq: number, ack: number, flags: number, payload: Buffer = Buffer.alloc(0), options: number[] = []): Buffer {
  const header = 20 + options.length;
  const segment = Buffer.alloc(header + payload.length);
  segment.writeUInt16BE(PEER_PORT, 0);
  segment.writeUInt16BE(TCP_PORT, 2);
  segment.writeUInt32BE(seq >>> 0, 4);
  segment.writeUInt32BE(ack >>> 0, 8);
  segment[12] = (header / 4) << 4;
  segment[13] = flags;
  segment.writeUInt16BE(65535, 14);
  Buffer.from(options).copy(segment, 20);
  payload.copy(segment, header);
  return ipv4(6, segment, 16, ipId++);
}

function udp(payload: Buffer): Buffer {
  const datagram = Buffer.alloc(8 + payload.length);
  datagram.writeUInt16BE(PEER_PORT, 0);
  datagram.writeUInt16BE(UDP_PORT, 2);
  datagram.writeUInt16BE(datagram.length, 4);
  payload.copy(datagram, 8);
  return ipv4(17, datagram, 6, ipId++);
}

/** The bytes of segment i: a pattern that shows reordering or loss. */
function payloadOf(i: number): Buffer {
  return Buffer.from(Array.from({ length: SEGMENT_SIZE }, (_, j) => (i * 31 + j) & 0xff));
}

interface KernelTcp {
  synAck: { seq: number } | null;
  ack: number;
  window: number;
  resets: number;
}

async function main(): Promise<void> {
  const args = scenarioArgs<{ offload: 'auto' | 'none' }>();
  const opened = TunDevice.open({ name: 'pptpgso0', offload: args.offload });
  if (!opened.ok) throw opened.error;
  const tun = opened.value;
  await ipSteps([
    ['address', 'add', '10.77.0.1', 'peer', '10.77.0.2', 'dev', tun.name],
    ['link', 'set', tun.name, 'up'],
  ]);

  const kernel: KernelTcp = { synAck: null, ack: 0, window: 0, resets: 0 };
  tun.onPackets((packets) => {
    for (const p of packets) {
      if (p.length < 40 || p[0] !== 0x45 || p[9] !== 6) continue;
      if (p.readUInt16BE(20) !== TCP_PORT || p.readUInt16BE(22) !== PEER_PORT) continue;
      const flags = p[33]!;
      if (flags & 0x04) kernel.resets++;
      if ((flags & (SYN | ACK)) === (SYN | ACK)) kernel.synAck = { seq: p.readUInt32BE(24) };
      if (flags & ACK) {
        kernel.ack = p.readUInt32BE(28);
        kernel.window = p.readUInt16BE(34);
      }
    }
  });

  const received: Buffer[] = [];
  let receivedBytes = 0;
  let serverSocket: Socket | null = null;
  const server = createServer((socket) => {
    serverSocket = socket;
    socket.on('data', (chunk) => {
      received.push(chunk);
      receivedBytes += chunk.length;
    });
  });
  await new Promise<void>((resolve) => server.listen(TCP_PORT, '10.77.0.1', resolve));
  const datagrams: string[] = [];
  const udpSocket = createSocket('udp4');
  udpSocket.on('message', (message) => datagrams.push(message.toString()));
  await new Promise<void>((resolve) => udpSocket.bind(UDP_PORT, '10.77.0.1', resolve));

  // Handshake: SYN with an MSS option (RFC 9293 §3.7.1, kind 2), the kernel's SYN-ACK, our ACK.
  const isn = 0x10000000;
  tun.write(tcp(isn, 0, SYN, undefined, [2, 4, 0x05, 0x50]));
  await until('the SYN-ACK', () => kernel.synAck !== null, STALL_LIMIT_MS);
  const ack = (kernel.synAck!.seq + 1) >>> 0;
  let next = (isn + 1) >>> 0; // our next sequence number
  const acked = (sequence: number) => kernel.ack === sequence >>> 0;

  // Keep the packets alive until each flush: queueAt does not copy.
  const statsBefore = tun.stats();
  const handshakeAck = tcp(next, ack, ACK);
  tun.queueAt(handshakeAck, 0);
  let sent = 0;
  let flushes = 0;
  while (sent < SEGMENTS) {
    const room = Math.max(1, Math.floor(Math.min(kernel.window || 65535, 64000) / SEGMENT_SIZE));
    const round: Buffer[] = [];
    for (let k = 0; k < room && sent < SEGMENTS; k++, sent++) {
      const last = k === room - 1 || sent === SEGMENTS - 1;
      round.push(tcp(next, ack, last ? ACK | PSH : ACK, payloadOf(sent)));
      next = (next + SEGMENT_SIZE) >>> 0;
    }
    for (const packet of round) tun.queueAt(packet, 0);
    tun.flush();
    flushes++;
    await until(`the ACK of ${next - isn - 1} octets`, () => acked(next), STALL_LIMIT_MS);
  }
  await until('the server reading every octet', () => receivedBytes >= SEGMENTS * SEGMENT_SIZE, STALL_LIMIT_MS);
  const statsAfter = tun.stats();

  // One batch mixing UDP datagrams and TCP segments (all written through writeBatchAt).
  const mixed: Buffer[] = [];
  for (let i = 0; i < MIXED_SEGMENTS; i++) {
    mixed.push(tcp(next, ack, ACK, payloadOf(SEGMENTS + i)));
    next = (next + SEGMENT_SIZE) >>> 0;
    if (i % 3 === 1 && mixed.filter((p) => p[9] === 17).length < MIXED_DATAGRAMS) mixed.push(udp(Buffer.from(`datagram ${i}`)));
  }
  while (mixed.filter((p) => p[9] === 17).length < MIXED_DATAGRAMS) mixed.push(udp(Buffer.from(`datagram end ${mixed.length}`)));
  for (const packet of mixed) tun.queueAt(packet, 0);
  const mixedTaken = tun.flush();
  await until('the mixed batch', () => receivedBytes >= (SEGMENTS + MIXED_SEGMENTS) * SEGMENT_SIZE && datagrams.length >= MIXED_DATAGRAMS, STALL_LIMIT_MS);
  const statsEnd = tun.stats();

  const expected = Buffer.concat(Array.from({ length: SEGMENTS + MIXED_SEGMENTS }, (_, i) => payloadOf(i)));
  const got = Buffer.concat(received);
  (serverSocket as Socket | null)?.destroy();
  server.close();
  udpSocket.close();
  tun.close();
  emit({
    offload: statsBefore.offload,
    receivedBytes: got.length,
    inOrder: got.equals(expected),
    datagrams: datagrams.length,
    mixedPackets: mixed.length,
    mixedTaken,
    resets: kernel.resets,
    flushes,
    data: {
      packets: statsAfter.txPackets - statsBefore.txPackets,
      writes: statsAfter.txWrites - statsBefore.txWrites,
      coalesced: statsAfter.txCoalesced - statsBefore.txCoalesced,
      errors: statsAfter.txErrors - statsBefore.txErrors,
    },
    mixed: {
      writes: statsEnd.txWrites - statsAfter.txWrites,
      coalesced: statsEnd.txCoalesced - statsAfter.txCoalesced,
      errors: statsEnd.txErrors - statsAfter.txErrors,
    },
    rxFramingDrops: statsEnd.rxFramingDrops,
  });
}

main().catch(fail);
