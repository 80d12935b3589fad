/**
 * The TCP coalescer of Linux TUN writes (native-helper/src/tcp_coalesce.h) through the addon's
 * tcpCoalesce export: which adjacent packets become one GSO super-packet, and the exact bytes
 * write(2) would carry. Checksums and headers are computed here independently (RFC 1071,
 * RFC 791, RFC 9293); struct virtio_net_hdr is read in the host's byte order, as tun.c does.
 */
import { endianness } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadNativeHelper, reportBlocker } from './support';
import { onesSum } from '../../support/inet-checksum';

const { helper, blocker } = loadNativeHelper();
reportBlocker('TCP coalescer', blocker);

const ACK = 0x10;
const PSH = 0x08;

/** RFC 9293 §3.1 pseudo-header sum (source, destination, protocol 6, TCP length), unfolded. */
function pseudoSum(ip: Uint8Array, tcpLength: number): number {
  let sum = 6 + tcpLength;
  for (let i = 12; i < 20; i += 2) sum += (ip[i]! << 8) | ip[i + 1]!;
  return sum;
}

interface SegmentOptions {
  seq: number;
  payload: number | Uint8Array;
  flags?: number;
  ack?: number;
  window?: number;
  sport?: number;
  dport?: number;
  id?: number;
  ttl?: number;
  tos?: number;
  /** The raw flags/fragment-offset word (default 0x4000: DF). */
  fragmentWord?: number;
  tcpOptions?: number[];
  corruptTcpChecksum?: boolean;
  protocol?: number;
}

/** An IPv4 TCP segment (no IP options) with correct IP and TCP checksums. */
function segment(o: SegmentOptions): Buffer {
  const payload = typeof o.payload === 'number' ? Buffer.alloc(o.payload, (o.seq & 0xff) | 1) : Buffer.from(o.payload);
  const options = Buffer.from(o.tcpOptions ?? []);
  const tcpHeaderLength = 20 + options.length;
  const packet = Buffer.alloc(20 + tcpHeaderLength + payload.length);
  packet[0] = 0x45;
  packet[1] = o.tos ?? 0;
  packet.writeUInt16BE(packet.length, 2);
  packet.writeUInt16BE(o.id ?? 0x1234, 4);
  packet.writeUInt16BE(o.fragmentWord ?? 0x4000, 6);
  packet[8] = o.ttl ?? 64;
  packet[9] = o.protocol ?? 6;
  Buffer.from([10, 64, 0, 1, 10, 64, 0, 2]).copy(packet, 12);
  packet.writeUInt16BE(~onesSum(packet.subarray(0, 20)) & 0xffff, 10);
  const tcp = packet.subarray(20);
  tcp.writeUInt16BE(o.sport ?? 5201, 0);
  tcp.writeUInt16BE(o.dport ?? 40000, 2);
  tcp.writeUInt32BE(o.seq >>> 0, 4);
  tcp.writeUInt32BE(o.ack ?? 777, 8);
  tcp[12] = (tcpHeaderLength / 4) << 4;
  tcp[13] = o.flags ?? ACK;
  tcp.writeUInt16BE(o.window ?? 501, 14);
  options.copy(tcp, 20);
  payload.copy(tcp, tcpHeaderLength);
  tcp.writeUInt16BE(~onesSum(tcp, pseudoSum(packet, tcp.length)) & 0xffff, 16);
  if (o.corruptTcpChecksum) tcp[16]! ^= 0xff;
  return packet;
}

/** `count` contiguous segments of `size` octets starting at `seq`, each with `o`. */
function run(count: number, size: number, seq = 1000, o: Partial<SegmentOptions> = {}): Buffer[] {
  return Array.from({ length: count }, (_, i) => segment({ ...o, seq: seq + i * size, payload: size, id: 0x1234 + i }));
}

/** A TCP timestamps option (RFC 7323 §3), padded with two NOPs. */
function timestamps(value: number): number[] {
  return [1, 1, 8, 10, (value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff, 0, 0, 0, 1];
}

function vnet(bytes: Buffer): { flags: number; gsoType: number; hdrLen: number; gsoSize: number; csumStart: number; csumOffset: number } {
  const read = (at: number) => (endianness() === 'LE' ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  return { flags: bytes[0]!, gsoType: bytes[1]!, hdrLen: read(2), gsoSize: read(4), csumStart: read(6), csumOffset: read(8) };
}

describe.skipIf(helper === null)(`TCP coalescer${blocker ? ` (skipped: ${blocker})` : ''}`, () => {
  const plan = (packets: Uint8Array[]) => helper!.tcpCoalesce!.plan(packets);
  const counts = (packets: Uint8Array[]) => plan(packets).map((w) => w.count);

  it('constants', () => {
    expect(helper!.tcpCoalesce!.virtioNetHdrLength).toBe(10);
    expect(helper!.tcpCoalesce!.maxSegments).toBe(64);
  });

  it('contiguousSegments_becomeOneSuperPacket_withTheRightHeaders', () => {
    const packets = run(3, 1000, 0xfffffc00); // the sequence number wraps inside the run
    const before = packets.map((p) => Buffer.from(p));
    const writes = plan(packets);
    expect(writes.map((w) => [w.first, w.count])).toEqual([[0, 3]]);
    const bytes = writes[0]!.bytes;
    expect(vnet(bytes)).toEqual({ flags: 1, gsoType: 1, hdrLen: 40, gsoSize: 1000, csumStart: 20, csumOffset: 16 });
    const packet = bytes.subarray(10);
    expect(packet.length).toBe(40 + 3000);
    expect(packet.readUInt16BE(2)).toBe(3040); // IP total length
    expect(packet.readUInt16BE(4)).toBe(0x1234); // the first segment's IP id
    expect(onesSum(packet.subarray(0, 20))).toBe(0xffff); // a valid IP header checksum
    expect(packet.subarray(20, 36).equals(packets[0]!.subarray(20, 36))).toBe(true); // ports, seq, ack, flags, window
    // NEEDS_CSUM: the pseudo-header sum over the whole TCP length, folded, not complemented.
    expect(packet.readUInt16BE(36)).toBe(onesSum(Buffer.alloc(0), pseudoSum(packet, 3020)));
    expect(packet.subarray(40).equals(Buffer.concat(packets.map((p) => p.subarray(40))))).toBe(true);
    // Completing it as the kernel would (sum from csum_start, complement) gives a valid segment.
    const completed = Buffer.from(packet);
    completed.writeUInt16BE(~onesSum(completed.subarray(20)) & 0xffff, 36);
    expect(onesSum(completed.subarray(20), pseudoSum(completed, 3020))).toBe(0xffff);
    expect(packets).toEqual(before); // the caller's packets are untouched
  });

  it('aPacketWrittenAlone_getsAZeroHeaderAndStaysAsItWas', () => {
    const udp = segment({ seq: 1, payload: 10, protocol: 17 });
    const [write] = plan([udp]);
    expect(write!.count).toBe(1);
    expect(write!.bytes.subarray(0, 10).equals(Buffer.alloc(10))).toBe(true);
    expect(write!.bytes.subarray(10).equals(udp)).toBe(true);
  });

  it('sameTimestampOptions_merge', () => {
    expect(counts(run(4, 500, 1, { tcpOptions: timestamps(42) }))).toEqual([4]);
    expect(vnet(plan(run(2, 500, 1, { tcpOptions: timestamps(42) }))[0]!.bytes).hdrLen).toBe(52);
  });

  it('aShortLastSegment_merges_butAShortMiddleOneEndsTheRun', () => {
    const short = segment({ seq: 3000, payload: 500 });
    expect(counts([...run(2, 1000), short])).toEqual([3]);
    expect(counts([...run(1, 1000), segment({ seq: 2000, payload: 500 }), segment({ seq: 2500, payload: 1000 })])).toEqual([2, 1]);
    expect(counts([segment({ seq: 1000, payload: 500 }), segment({ seq: 1500, payload: 1000 })])).toEqual([1, 1]); // larger after smaller
  });

  it('aSequenceGap_endsTheRun', () => {
    expect(counts([segment({ seq: 1000, payload: 1000 }), segment({ seq: 2000, payload: 1000 }), segment({ seq: 3500, payload: 1000 })])).toEqual([2, 1]);
    expect(counts([segment({ seq: 2000, payload: 1000 }), segment({ seq: 1000, payload: 1000 })])).toEqual([1, 1]); // reordered
  });

  it('pshOnTheLast_mergesAndIsCarried_pshEarlier_endsTheRun', () => {
    const last = run(3, 1000);
    last[2] = segment({ seq: 3000, payload: 1000, flags: ACK | PSH });
    const writes = plan(last);
    expect(writes.map((w) => w.count)).toEqual([3]);
    expect(writes[0]!.bytes[10 + 33]).toBe(ACK | PSH);
    const early = run(3, 1000);
    early[0] = segment({ seq: 1000, payload: 1000, flags: ACK | PSH });
    expect(counts(early)).toEqual([1, 2]);
  });

  it.each([
    ['SYN', 0x02],
    ['FIN', 0x01],
    ['RST', 0x04],
    ['URG', 0x20],
    ['ECE', 0x40],
    ['CWR', 0x80],
  ])('%s_endsTheRun', (_name, flag) => {
    const packets = run(3, 1000);
    packets[1] = segment({ seq: 2000, payload: 1000, flags: ACK | flag });
    expect(counts(packets)).toEqual([1, 1, 1]);
  });

  it('anotherFlowInBetween_endsTheRun_andOrderIsKept', () => {
    const packets = [segment({ seq: 1000, payload: 1000 }), segment({ seq: 9, payload: 1000, dport: 40001 }), segment({ seq: 2000, payload: 1000 })];
    expect(plan(packets).map((w) => [w.first, w.count])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
  });

  it.each<[string, Partial<SegmentOptions>]>([
    ['other timestamps', { tcpOptions: timestamps(43) }],
    ['another acknowledgment', { ack: 778 }],
    ['another window', { window: 502 }],
    ['another TTL', { ttl: 63 }],
    ['another ToS', { tos: 4 }],
    ['DF clear', { fragmentWord: 0 }],
  ])('%s_endsTheRun', (_name, differs) => {
    const base = { tcpOptions: timestamps(42) };
    const packets = [segment({ ...base, seq: 1000, payload: 1000 }), segment({ ...base, ...differs, seq: 2000, payload: 1000 })];
    expect(counts(packets)).toEqual([1, 1]);
  });

  it('fragments_ipv6_udp_pureAcks_badChecksums_areWrittenAlone', () => {
    const fragment = segment({ seq: 2000, payload: 1000, fragmentWord: 0x2000 }); // MF
    const offset = segment({ seq: 2000, payload: 1000, fragmentWord: 0x0010 }); // offset 16
    const udp = segment({ seq: 2000, payload: 1000, protocol: 17 });
    const pureAck = segment({ seq: 2000, payload: 0 });
    const bad = segment({ seq: 2000, payload: 1000, corruptTcpChecksum: true });
    const ipv6 = Buffer.alloc(60 + 1000);
    ipv6[0] = 0x60;
    ipv6.writeUInt16BE(1020, 4);
    ipv6[6] = 6;
    for (const odd of [fragment, offset, udp, pureAck, bad]) {
      expect(counts([segment({ seq: 1000, payload: 1000 }), odd])).toEqual([1, 1]);
      expect(counts([odd, segment({ seq: 2000 + 1000, payload: 1000 })])).toEqual([1, 1]);
    }
    expect(counts([ipv6, ipv6])).toEqual([1, 1]);
  });

  it('aBadIpHeaderChecksum_isWrittenAlone', () => {
    const packets = run(2, 1000);
    packets[1]![10]! ^= 1;
    expect(counts(packets)).toEqual([1, 1]);
  });

  it('theIpv4TotalLength_capsASuperPacketAt65535', () => {
    // 46 × 1400 + 40 = 64,440 fits; a 47th segment would make 65,840.
    expect(counts(run(50, 1400))).toEqual([46, 4]);
    const writes = plan(run(50, 1400));
    expect(writes[0]!.bytes.length - 10).toBe(64440);
    expect(vnet(writes[1]!.bytes).gsoSize).toBe(1400);
  });

  it('atMost64SegmentsGoInOneSuperPacket', () => {
    expect(counts(run(70, 100))).toEqual([64, 6]);
  });
});
