/**
 * The GSO splitter of Linux TUN reads (native-helper/src/gso_split.h) through the addon's
 * gsoSplit export: TSO super-packets (TCPv4, TCPv6) become segments whose headers, ids,
 * sequence numbers, flags and checksums are computed here independently (RFC 1071, RFC 791,
 * RFC 8200, RFC 9293); NEEDS_CSUM packets get their checksum completed; frames it does not
 * understand are refused, never read past. struct virtio_net_hdr is written in the host's byte
 * order, as tun.c does.
 */
import { endianness } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadNativeHelper, reportBlocker } from './support';
import { onesSum } from '../../support/inet-checksum';

const { helper, blocker } = loadNativeHelper();
reportBlocker('GSO splitter', blocker);

const FIN = 0x01;
const PSH = 0x08;
const ACK = 0x10;
const CWR = 0x80;
const NEEDS_CSUM = 1;
const GSO_NONE = 0;
const GSO_TCPV4 = 1;
const GSO_UDP = 3;
const GSO_TCPV6 = 4;
const GSO_UDP_L4 = 5;
const GSO_ECN = 0x80;

/** The pseudo-header sum (RFC 9293 §3.1 / RFC 8200 §8.1) of `packet`'s transport of `length` octets. */
function pseudoSum(packet: Uint8Array, protocol: number, length: number): number {
  const v6 = packet[0]! >> 4 === 6;
  const addresses = v6 ? packet.subarray(8, 40) : packet.subarray(12, 20);
  return onesSum(addresses, protocol + length);
}

interface TcpOptions {
  v6?: boolean;
  seq: number;
  payload: Uint8Array;
  flags?: number;
  id?: number;
  tcpOptions?: number[];
  /** IPv4 options (a multiple of 4 octets). */
  ipOptions?: number[];
}

/** An IPv4 or IPv6 TCP packet with correct IP and TCP checksums. */
function tcpPacket(o: TcpOptions): Buffer {
  const options = Buffer.from(o.tcpOptions ?? []);
  const tcpHeaderLength = 20 + options.length;
  const ipHeaderLength = o.v6 ? 40 : 20 + (o.ipOptions?.length ?? 0);
  const packet = Buffer.alloc(ipHeaderLength + tcpHeaderLength + o.payload.length);
  if (o.v6) {
    packet[0] = 0x60;
    packet.writeUInt16BE(packet.length - 40, 4);
    packet[6] = 6;
    packet[7] = 64;
    Buffer.from('fd000000000000000000000000000001fd000000000000000000000000000002', 'hex').copy(packet, 8);
  } else {
    packet[0] = 0x40 | (ipHeaderLength / 4);
    packet.writeUInt16BE(packet.length, 2);
    packet.writeUInt16BE((o.id ?? 0x1234) & 0xffff, 4);
    packet.writeUInt16BE(0x4000, 6);
    packet[8] = 64;
    packet[9] = 6;
    Buffer.from([10, 77, 0, 1, 10, 77, 0, 2]).copy(packet, 12);
    Buffer.from(o.ipOptions ?? []).copy(packet, 20);
    packet.writeUInt16BE(~onesSum(packet.subarray(0, ipHeaderLength)) & 0xffff, 10);
  }
  const tcp = packet.subarray(ipHeaderLength);
  tcp.writeUInt16BE(5201, 0);
  tcp.writeUInt16BE(40000, 2);
  tcp.writeUInt32BE(o.seq >>> 0, 4);
  tcp.writeUInt32BE(777, 8);
  tcp[12] = (tcpHeaderLength / 4) << 4;
  tcp[13] = o.flags ?? ACK;
  tcp.writeUInt16BE(501, 14);
  options.copy(tcp, 20);
  Buffer.from(o.payload).copy(tcp, tcpHeaderLength);
  tcp.writeUInt16BE(~onesSum(tcp, pseudoSum(packet, 6, tcp.length)) & 0xffff, 16);
  return packet;
}

interface Vnet {
  flags: number;
  gsoType: number;
  hdrLen?: number;
  gsoSize?: number;
  csumStart?: number;
  csumOffset?: number;
}

/** struct virtio_net_hdr (host byte order) + packet: what read(2) returns from the TUN. */
function frame(v: Vnet, packet: Uint8Array): Buffer {
  const header = Buffer.alloc(10);
  const write = (value: number, at: number) => (endianness() === 'LE' ? header.writeUInt16LE(value, at) : header.writeUInt16BE(value, at));
  header[0] = v.flags;
  header[1] = v.gsoType;
  write(v.hdrLen ?? 0, 2);
  write(v.gsoSize ?? 0, 4);
  write(v.csumStart ?? 0, 6);
  write(v.csumOffset ?? 0, 8);
  return Buffer.concat([header, packet]);
}

/** A pattern that shows a misplaced octet. */
function pattern(length: number, seed = 0): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 7 + seed * 13 + (i >> 8)) & 0xff));
}

/**
 * What the kernel's TSO hands us: one packet carrying the whole payload with the first
 * segment's id and sequence number, and in the TCP checksum field only the pseudo-header sum
 * (CHECKSUM_PARTIAL), as tcp_v4_send_check leaves it.
 */
function superPacket(o: TcpOptions): Buffer {
  const packet = tcpPacket(o);
  const tcpAt = o.v6 ? 40 : 20 + (o.ipOptions?.length ?? 0);
  packet.writeUInt16BE(pseudoSum(packet, 6, packet.length - tcpAt), tcpAt + 16);
  return packet;
}

/** The segments the kernel would have sent itself, computed here: id + i, seq + i*size, FIN/PSH last, CWR first. */
function expectedSegments(o: TcpOptions, size: number): Buffer[] {
  const count = Math.max(1, Math.ceil(o.payload.length / size));
  return Array.from({ length: count }, (_, i) => {
    let flags = o.flags ?? ACK;
    if (i !== count - 1) flags &= ~(FIN | PSH);
    if (i !== 0) flags &= ~CWR;
    return tcpPacket({ ...o, id: (o.id ?? 0x1234) + i, seq: o.seq + i * size, flags, payload: o.payload.subarray(i * size, (i + 1) * size) });
  });
}

function valid(packet: Buffer): boolean {
  const v6 = packet[0]! >> 4 === 6;
  const at = v6 ? 40 : (packet[0]! & 0x0f) * 4;
  if (!v6 && onesSum(packet.subarray(0, at)) !== 0xffff) return false;
  return onesSum(packet.subarray(at), pseudoSum(packet, packet[v6 ? 6 : 9]!, packet.length - at)) === 0xffff;
}

describe.skipIf(helper === null)(`GSO splitter${blocker ? ` (skipped: ${blocker})` : ''}`, () => {
  const split = (bytes: Uint8Array, chunk?: number) => helper!.gsoSplit!.split(bytes, chunk);
  const packetsOf = (bytes: Uint8Array, chunk?: number): Buffer[] => {
    const result = split(bytes, chunk);
    if (!result.ok) throw new Error(`refused: ${result.reason}`);
    return result.packets;
  };
  const tso = (o: TcpOptions, size: number, type: number, extra: Partial<Vnet> = {}) => {
    const tcpAt = o.v6 ? 40 : 20 + (o.ipOptions?.length ?? 0);
    const headers = tcpAt + 20 + (o.tcpOptions?.length ?? 0);
    return frame({ flags: NEEDS_CSUM, gsoType: type, hdrLen: headers, gsoSize: size, csumStart: tcpAt, csumOffset: 16, ...extra }, superPacket(o));
  };

  it('constants', () => {
    expect(helper!.gsoSplit!.virtioNetHdrLength).toBe(10);
  });

  it('tcpv4SuperPacket_splitsIntoSegmentsWithTheirOwnIdsSeqsFlagsAndChecksums', () => {
    // 10,000 octets in 1,348-octet segments (MSS 1360 less 12 of timestamps): 7 full + 1 of 564.
    const o: TcpOptions = { seq: 0xfffff000, id: 0xfffe, payload: pattern(10_000), flags: ACK | PSH | FIN, tcpOptions: [1, 1, 8, 10, 0, 0, 0, 42, 0, 0, 0, 7] };
    const got = packetsOf(tso(o, 1348, GSO_TCPV4));
    const want = expectedSegments(o, 1348);
    expect(got.length).toBe(8);
    expect(got.map((p) => p.length)).toEqual([...Array<number>(7).fill(20 + 32 + 1348), 20 + 32 + 564]);
    expect(got).toEqual(want);
    expect(got.every(valid)).toBe(true);
    expect(got.map((p) => p.readUInt16BE(4))).toEqual([0xfffe, 0xffff, 0, 1, 2, 3, 4, 5]); // the IP id wraps
    expect(got.map((p) => p[33]! & (FIN | PSH))).toEqual([0, 0, 0, 0, 0, 0, 0, FIN | PSH]);
  });

  it('tcpv4WithIpOptions_copiesTheOptionsIntoEverySegment', () => {
    const o: TcpOptions = { seq: 5, payload: pattern(3000, 1), ipOptions: [1, 1, 1, 0] };
    const got = packetsOf(tso(o, 1000, GSO_TCPV4));
    expect(got).toEqual(expectedSegments(o, 1000));
    expect(got.every(valid)).toBe(true);
  });

  it('tcpv6SuperPacket_splitsWithPayloadLengthsAndChecksums', () => {
    const o: TcpOptions = { v6: true, seq: 123456, payload: pattern(5000, 2), flags: ACK | PSH };
    const got = packetsOf(tso(o, 1220, GSO_TCPV6));
    expect(got).toEqual(expectedSegments(o, 1220));
    expect(got.map((p) => p.readUInt16BE(4))).toEqual([1240, 1240, 1240, 1240, 20 + 120]);
    expect(got.every(valid)).toBe(true);
  });

  it('ecn_cwrOnlyOnTheFirstSegment', () => {
    const o: TcpOptions = { seq: 1, payload: pattern(2500, 3), flags: ACK | CWR };
    const got = packetsOf(tso(o, 1000, GSO_TCPV4 | GSO_ECN));
    expect(got.map((p) => p[33])).toEqual([ACK | CWR, ACK, ACK]);
    expect(got).toEqual(expectedSegments(o, 1000));
  });

  it('hdrLenIsNotTrusted_aKernelHeadlenHoldingPayloadSplitsTheSame', () => {
    const o: TcpOptions = { seq: 9, payload: pattern(4000, 4) };
    expect(packetsOf(tso(o, 1360, GSO_TCPV4, { hdrLen: 40 + 1500 }))).toEqual(expectedSegments(o, 1360));
  });

  it('aPayloadOfExactlyGsoSize_isOneSegment_andAnExactMultipleHasNoEmptyTail', () => {
    const one: TcpOptions = { seq: 9, payload: pattern(1360, 5) };
    expect(packetsOf(tso(one, 1360, GSO_TCPV4))).toEqual(expectedSegments(one, 1360));
    const three: TcpOptions = { seq: 9, payload: pattern(3 * 1360, 5) };
    expect(packetsOf(tso(three, 1360, GSO_TCPV4)).length).toBe(3);
  });

  it('splittingInChunks_asTheReaderDoesWhenABatchFills_givesTheSamePackets', () => {
    const bytes = tso({ seq: 77, payload: pattern(20_000, 6) }, 1360, GSO_TCPV4);
    const whole = packetsOf(bytes);
    expect(whole.length).toBe(15);
    for (const chunk of [1, 2, 4, 14, 15, 64]) expect(packetsOf(bytes, chunk)).toEqual(whole);
  });

  it('theFrameIsLeftUnchanged', () => {
    const bytes = tso({ seq: 77, payload: pattern(3000, 7) }, 1000, GSO_TCPV4);
    const before = Buffer.from(bytes);
    packetsOf(bytes);
    expect(bytes).toEqual(before);
  });

  it('gsoNone_withoutNeedsCsum_passesThePacketAsItIs', () => {
    const packet = tcpPacket({ seq: 1, payload: pattern(100) });
    expect(packetsOf(frame({ flags: 0, gsoType: GSO_NONE }, packet))).toEqual([packet]);
    const garbage = Buffer.from([0x45, 1, 2]); // not ours to judge: the engine drops it
    expect(packetsOf(frame({ flags: 0, gsoType: GSO_NONE }, garbage))).toEqual([garbage]);
  });

  /** `packet` with its transport checksum at `field` replaced by the pseudo-header sum: CHECKSUM_PARTIAL. */
  function partial(packet: Buffer, transportAt: number, field: number, protocol: number): Buffer {
    const copy = Buffer.from(packet);
    copy.writeUInt16BE(pseudoSum(copy, protocol, copy.length - transportAt), transportAt + field);
    return copy;
  }

  function udpPacket(v6: boolean, payload: Buffer): Buffer {
    const ipLength = v6 ? 40 : 20;
    const packet = Buffer.alloc(ipLength + 8 + payload.length);
    if (v6) {
      packet[0] = 0x60;
      packet.writeUInt16BE(8 + payload.length, 4);
      packet[6] = 17;
      packet[7] = 64;
      Buffer.from('fd000000000000000000000000000001fd000000000000000000000000000002', 'hex').copy(packet, 8);
    } else {
      packet[0] = 0x45;
      packet.writeUInt16BE(packet.length, 2);
      packet[8] = 64;
      packet[9] = 17;
      Buffer.from([10, 77, 0, 1, 10, 77, 0, 2]).copy(packet, 12);
      packet.writeUInt16BE(~onesSum(packet.subarray(0, 20)) & 0xffff, 10);
    }
    const udp = packet.subarray(ipLength);
    udp.writeUInt16BE(5300, 0);
    udp.writeUInt16BE(40001, 2);
    udp.writeUInt16BE(udp.length, 4);
    payload.copy(udp, 8);
    const checksum = ~onesSum(udp, pseudoSum(packet, 17, udp.length)) & 0xffff;
    udp.writeUInt16BE(checksum === 0 ? 0xffff : checksum, 6);
    return packet;
  }

  it.each([
    ['TCP over IPv4', tcpPacket({ seq: 3, payload: pattern(1001, 8) }), 20, 16, 6],
    ['TCP over IPv6', tcpPacket({ v6: true, seq: 3, payload: pattern(999, 9) }), 40, 16, 6],
    ['UDP over IPv4', udpPacket(false, pattern(333, 10)), 20, 6, 17],
    ['UDP over IPv6', udpPacket(true, pattern(334, 11)), 40, 6, 17],
  ])('needsCsum_%s_theChecksumIsCompleted', (_name, packet, at, field, protocol) => {
    const bytes = frame({ flags: NEEDS_CSUM, gsoType: GSO_NONE, csumStart: at, csumOffset: field }, partial(packet, at, field, protocol));
    const got = packetsOf(bytes);
    expect(got).toEqual([packet]);
    expect(valid(got[0]!)).toBe(true);
  });

  it('needsCsum_aUdpChecksumOfZero_isSentAs0xffff', () => {
    // Choose the last two payload octets so that the ones'-complement sum is 0xffff, i.e. the
    // checksum computes to 0 (RFC 768: then sent as all ones).
    const payload = pattern(40, 12);
    payload.writeUInt16BE(0, 38);
    const probe = udpPacket(false, payload);
    probe.writeUInt16BE(0, 26);
    const rest = onesSum(probe.subarray(20), pseudoSum(probe, 17, probe.length - 20));
    payload.writeUInt16BE(~rest & 0xffff, 38);
    const packet = udpPacket(false, payload);
    expect(packet.readUInt16BE(26)).toBe(0xffff);
    const got = packetsOf(frame({ flags: NEEDS_CSUM, gsoType: GSO_NONE, csumStart: 20, csumOffset: 6 }, partial(packet, 20, 6, 17)));
    expect(got[0]!.readUInt16BE(26)).toBe(0xffff);
  });

  it.each<[string, () => Buffer, string]>([
    ['empty', () => Buffer.alloc(0), 'too-short'],
    ['only a virtio header', () => Buffer.alloc(10), 'too-short'],
    ['GSO_UDP', () => tso({ seq: 1, payload: pattern(3000) }, 1000, GSO_UDP), 'unsupported-gso'],
    ['GSO_UDP_L4', () => tso({ seq: 1, payload: pattern(3000) }, 1000, GSO_UDP_L4), 'unsupported-gso'],
    ['an unknown gso_type', () => tso({ seq: 1, payload: pattern(3000) }, 1000, 0x42), 'unsupported-gso'],
    ['TCPV4 around an IPv6 packet', () => tso({ v6: true, seq: 1, payload: pattern(3000) }, 1000, GSO_TCPV4), 'ip-version'],
    ['TCPV6 around an IPv4 packet', () => tso({ seq: 1, payload: pattern(3000) }, 1000, GSO_TCPV6), 'ip-version'],
    ['gso_size 0', () => tso({ seq: 1, payload: pattern(3000) }, 0, GSO_TCPV4), 'bad-gso-size'],
    ['TSO without NEEDS_CSUM', () => tso({ seq: 1, payload: pattern(3000) }, 1000, GSO_TCPV4, { flags: 0 }), 'bad-checksum-place'],
    ['TSO with a UDP checksum offset', () => tso({ seq: 1, payload: pattern(3000) }, 1000, GSO_TCPV4, { csumOffset: 6 }), 'bad-checksum-place'],
    ['hdr_len past the end', () => tso({ seq: 1, payload: pattern(3000) }, 1000, GSO_TCPV4, { hdrLen: 3041 }), 'bad-headers'],
    ['csum_start not the IPv4 header length', () => tso({ seq: 1, payload: pattern(3000) }, 1000, GSO_TCPV4, { csumStart: 24 }), 'bad-headers'],
    ['csum_start past the end', () => tso({ seq: 1, payload: pattern(3000) }, 1000, GSO_TCPV4, { csumStart: 60000 }), 'bad-headers'],
    [
      'a TCP data offset below 5',
      () => {
        const bytes = tso({ seq: 1, payload: pattern(3000) }, 1000, GSO_TCPV4);
        bytes[10 + 32] = 0x40;
        return bytes;
      },
      'bad-headers',
    ],
    [
      'a TCP header longer than the packet',
      () => frame({ flags: NEEDS_CSUM, gsoType: GSO_TCPV4, gsoSize: 1000, csumStart: 20, csumOffset: 16 }, superPacket({ seq: 1, payload: Buffer.alloc(0), tcpOptions: [1, 1, 1, 1] }).subarray(0, 42)),
      'bad-headers',
    ],
    [
      'IPv6 with an extension header',
      () => {
        const bytes = tso({ v6: true, seq: 1, payload: pattern(3000) }, 1000, GSO_TCPV6);
        bytes[10 + 6] = 0; // hop-by-hop
        return bytes;
      },
      'bad-headers',
    ],
    ['NEEDS_CSUM with the field past the end', () => frame({ flags: NEEDS_CSUM, gsoType: GSO_NONE, csumStart: 20, csumOffset: 100 }, tcpPacket({ seq: 1, payload: pattern(10) })), 'bad-checksum-place'],
    ['NEEDS_CSUM with csum_start past the end', () => frame({ flags: NEEDS_CSUM, gsoType: GSO_NONE, csumStart: 65535, csumOffset: 0 }, tcpPacket({ seq: 1, payload: pattern(10) })), 'bad-checksum-place'],
  ])('malformed_%s_isRefused', (_name, make, reason) => {
    expect(split(make())).toEqual({ ok: false, reason });
  });

  it('everyTruncationOfATsoFrame_isSplitOrRefused_neverReadPast', () => {
    const whole = tso({ seq: 1, payload: pattern(300, 13), tcpOptions: [1, 1, 1, 1] }, 100, GSO_TCPV4);
    for (let length = 0; length <= whole.length; length++) {
      const result = split(whole.subarray(0, length));
      if (result.ok) {
        // Whatever came out is made of the frame's octets: no segment is longer than the packet.
        for (const p of result.packets) expect(p.length).toBeLessThanOrEqual(Math.max(0, length - 10));
      } else {
        expect(length).toBeLessThan(10 + 20 + 24); // only frames without whole headers are refused
      }
    }
  });

  it('roundTrip_splitOfTheCoalescedSuperPacket_givesTheSegmentsBack', () => {
    const size = 1360;
    const segments = Array.from({ length: 12 }, (_, i) =>
      tcpPacket({ seq: 0xffffd000 + i * size, id: 0xfff8 + i, payload: pattern(i === 11 ? 500 : size, 20 + i), flags: i === 11 ? ACK | PSH : ACK }),
    );
    const writes = helper!.tcpCoalesce!.plan(segments);
    expect(writes.map((w) => w.count)).toEqual([12]);
    // The coalescer's write is a frame the splitter takes as it is (the same virtio header).
    expect(packetsOf(writes[0]!.bytes)).toEqual(segments);
  });
});
