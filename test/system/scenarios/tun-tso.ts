/**
 * Scenario: the kernel's TCP SENDING through the TUN, read by TunDevice's reader, with this
 * process as a fake remote peer. It opens a TUN (offload as given) with MTU 1400, gives it
 * 10.78.0.1 peer 10.78.0.2, and connects a real kernel TCP socket to 10.78.0.2:5201. The peer
 * is crafted here on the TUN: it answers the SYN (MSS 1360, window scale 7), takes in-order
 * data, ACKs each batch it reads with one cumulative ACK, and answers the FIN. The socket
 * writes `bytes` octets (a pattern) and ends. With TSO on the TUN (offload 'gro+tso') the
 * kernel hands the reader GSO super-packets, which the addon splits.
 * Prints: whether every octet arrived in order, the TCP segments read (count, largest, how many
 * had a bad IP or TCP checksum), and the TUN's receive stats for the transfer.
 * Args: { offload: 'auto' | 'none', bytes: number, batchSize?: number } (batchSize: most packets
 * per reader callback; a small one makes a super-packet's segments span several batches).
 */
import { connect, type Socket } from 'node:net';
import { TunDevice } from '../../../main/service/tun/tun-device';
import { emit, fail, ipSteps, scenarioArgs, until } from './common';
import { onesSum } from '../../support/inet-checksum';

const LOCAL = [10, 78, 0, 1]; // the kernel's side
const PEER = [10, 78, 0, 2]; // the fake peer behind the TUN
const PEER_PORT = 5201;
const MTU = 1400;
const MSS = MTU - 40; // RFC 9293 §3.7.1: MTU less the IPv4 and TCP headers
const WINDOW_SCALE = 7; // RFC 7323 §2: our windows are counted in units of 128 octets
const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const ACK = 0x10;
/** A guard against a hang, not a measured time: the scenario fails if the kernel stops sending. */
const STALL_LIMIT_MS = 20_000;

function tcpPseudoSum(packet: Uint8Array, tcpLength: number): number {
  return onesSum(packet.subarray(12, 20), 6 + tcpLength);
}

let ipId = 1;

/** A TCP segment (RFC 9293 §3.1) from the peer to `localPort`, IPv4 with DF, both checksums right. */
function tcp(localPort: number, seq: number, ack: number, flags: number, window: number, options: number[] = []): Buffer {
  const header = 20 + options.length;
  const packet = Buffer.alloc(20 + header);
  packet[0] = 0x45;
  packet.writeUInt16BE(packet.length, 2);
  packet.writeUInt16BE(ipId++ & 0xffff, 4);
  packet.writeUInt16BE(0x4000, 6);
  packet[8] = 64;
  packet[9] = 6;
  Buffer.from([...PEER, ...LOCAL]).copy(packet, 12);
  packet.writeUInt16BE(~onesSum(packet.subarray(0, 20)) & 0xffff, 10);
  const segment = packet.subarray(20);
  segment.writeUInt16BE(PEER_PORT, 0);
  segment.writeUInt16BE(localPort, 2);
  segment.writeUInt32BE(seq >>> 0, 4);
  segment.writeUInt32BE(ack >>> 0, 8);
  segment[12] = (header / 4) << 4;
  segment[13] = flags;
  segment.writeUInt16BE(window, 14);
  Buffer.from(options).copy(segment, 20);
  segment.writeUInt16BE(~onesSum(segment, tcpPseudoSum(packet, segment.length)) & 0xffff, 16);
  return packet;
}

function pattern(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + (i >>> 10)) & 0xff;
  return bytes;
}

async function main(): Promise<void> {
  const args = scenarioArgs<{ offload: 'auto' | 'none'; bytes: number; batchSize?: number }>();
  const opened = TunDevice.open({ name: 'pptptso0', offload: args.offload, ...(args.batchSize !== undefined ? { batchSize: args.batchSize } : {}) });
  if (!opened.ok) throw opened.error;
  const tun = opened.value;
  await ipSteps([
    ['address', 'add', '10.78.0.1', 'peer', '10.78.0.2', 'dev', tun.name],
    ['link', 'set', tun.name, 'mtu', String(MTU)],
    ['link', 'set', tun.name, 'up'],
  ]);

  const peerIsn = 0x20000000;
  const peer = {
    localPort: 0,
    synSeen: false,
    rcvNext: 0, // the next sequence number we expect from the kernel
    received: [] as Buffer[],
    receivedBytes: 0,
    finSeen: false,
    finAcked: false,
    resets: 0,
    segments: 0,
    dataSegments: 0,
    largest: 0,
    badIpChecksums: 0,
    badTcpChecksums: 0,
    largestBatch: 0,
  };
  tun.onPackets((packets) => {
    peer.largestBatch = Math.max(peer.largestBatch, packets.length);
    let answer = false;
    for (const p of packets) {
      if (p.length < 40 || p[0] !== 0x45 || p[9] !== 6) continue;
      const tcpAt = 20;
      if (p.readUInt16BE(tcpAt + 2) !== PEER_PORT) continue;
      peer.segments++;
      peer.largest = Math.max(peer.largest, p.length);
      if (onesSum(p.subarray(0, 20)) !== 0xffff) peer.badIpChecksums++;
      if (onesSum(p.subarray(tcpAt), tcpPseudoSum(p, p.length - tcpAt)) !== 0xffff) {
        peer.badTcpChecksums++;
        continue; // a real peer drops it; the kernel would retransmit
      }
      const flags = p[tcpAt + 13]!;
      const seq = p.readUInt32BE(tcpAt + 4);
      if (flags & RST) peer.resets++;
      if (flags & SYN) {
        peer.localPort = p.readUInt16BE(tcpAt);
        peer.synSeen = true;
        peer.rcvNext = (seq + 1) >>> 0;
        // SYN-ACK: MSS (kind 2), NOP, window scale (kind 3); its own window is never scaled.
        tun.write(tcp(peer.localPort, peerIsn, peer.rcvNext, SYN | ACK, 65535, [2, 4, MSS >> 8, MSS & 0xff, 1, 3, 3, WINDOW_SCALE]));
        continue;
      }
      if (!peer.synSeen) continue;
      const payload = p.subarray(tcpAt + (p[tcpAt + 12]! >> 4) * 4);
      if (payload.length > 0) {
        peer.dataSegments++;
        const behind = (peer.rcvNext - seq) >>> 0; // octets of this segment we already have
        if (behind < payload.length) {
          if (behind === 0 || behind < 0x80000000) {
            const fresh = payload.subarray(behind);
            peer.received.push(Buffer.from(fresh));
            peer.receivedBytes += fresh.length;
            peer.rcvNext = (peer.rcvNext + fresh.length) >>> 0;
          }
        }
        answer = true;
      }
      if (flags & FIN && ((seq + payload.length) >>> 0) === peer.rcvNext) {
        peer.rcvNext = (peer.rcvNext + 1) >>> 0;
        peer.finSeen = true;
        answer = true;
      }
      if (peer.finSeen && flags & ACK && p.readUInt32BE(tcpAt + 8) === ((peerIsn + 2) >>> 0)) peer.finAcked = true;
    }
    if (!answer) return;
    // One cumulative ACK per batch (our FIN with it once theirs is in).
    tun.write(tcp(peer.localPort, (peerIsn + 1) >>> 0, peer.rcvNext, peer.finSeen ? ACK | FIN : ACK, 65535));
  });

  const data = pattern(args.bytes);
  const statsBefore = tun.stats();
  const socket: Socket = connect({ host: '10.78.0.2', port: PEER_PORT, localAddress: '10.78.0.1' });
  let socketError: string | null = null;
  socket.on('error', (error) => {
    socketError = error.message;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.end(data);
  await until('every octet and the FIN', () => peer.finSeen && peer.receivedBytes >= data.length, STALL_LIMIT_MS);
  await until('the ACK of our FIN', () => peer.finAcked, STALL_LIMIT_MS);
  const statsAfter = tun.stats();
  socket.destroy();
  tun.close();

  const got = Buffer.concat(peer.received);
  emit({
    offload: statsBefore.offload,
    mtu: MTU,
    sentBytes: data.length,
    receivedBytes: got.length,
    inOrder: got.equals(data),
    socketError,
    resets: peer.resets,
    segments: peer.segments,
    dataSegments: peer.dataSegments,
    largest: peer.largest,
    badIpChecksums: peer.badIpChecksums,
    badTcpChecksums: peer.badTcpChecksums,
    largestBatch: peer.largestBatch,
    rx: {
      packets: statsAfter.rxPackets - statsBefore.rxPackets,
      reads: statsAfter.rxReads - statsBefore.rxReads,
      segmented: statsAfter.rxSegmented - statsBefore.rxSegmented,
      framingDrops: statsAfter.rxFramingDrops - statsBefore.rxFramingDrops,
      drops: statsAfter.rxDrops - statsBefore.rxDrops,
    },
  });
}

main().catch(fail);
