/**
 * A pcap (libpcap 2.4) writer for debugging failed simulations: each datagram is wrapped in a
 * synthetic IPv4 header (protocol 47 for GRE) and written with LINKTYPE_RAW, so Wireshark
 * decodes GRE v1 → PPP → LCP/CHAP/CCP/IPCP directly. Timestamps are the virtual clock's ms.
 * Builds bytes in memory; writing a file is the caller's business (tests only do it on demand,
 * e.g. `if (process.env.SIM_PCAP) fs.writeFileSync(path, writer.toBytes())`).
 *
 *   const pcap = new PcapWriter();
 *   pcap.addIpv4(nowMs, SIM_ADDRESS_A, SIM_ADDRESS_B, IP_PROTOCOL_GRE, greBytes);
 *   pcap.toBytes();
 */
import { ByteWriter, concatBytes, writeU16 } from '../../../main/engine/wire/bytes';

/** tcpdump.org link-layer header types: raw IP, version from the first nibble. */
export const LINKTYPE_RAW = 101;
const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
const PCAP_GLOBAL_HEADER_LENGTH = 24;
const PCAP_RECORD_HEADER_LENGTH = 16;

/** Addresses the harness gives the two endpoints in captures (10.77.0.2 client, 10.77.0.1 server). */
export const SIM_ADDRESS_A = 0x0a4d0002;
export const SIM_ADDRESS_B = 0x0a4d0001;

export class PcapWriter {
  private readonly records: Uint8Array[] = [];
  private ipId = 0;

  constructor(private readonly snaplen = 65535) {}

  get packetCount(): number {
    return this.records.length;
  }

  addIpv4(timeMs: number, source: number, destination: number, protocol: number, payload: Uint8Array): void {
    const packet = concatBytes([ipv4Header(source, destination, protocol, payload.length, this.ipId++ & 0xffff), payload]);
    this.addRaw(timeMs, packet);
  }

  /** One LINKTYPE_RAW record (an IP packet). */
  addRaw(timeMs: number, packet: Uint8Array): void {
    const captured = packet.subarray(0, Math.min(packet.length, this.snaplen));
    const micros = Math.max(0, Math.round(timeMs * 1000));
    const w = new ByteWriter(PCAP_RECORD_HEADER_LENGTH + captured.length);
    w.u32(Math.floor(micros / 1_000_000)).u32(micros % 1_000_000).u32(captured.length).u32(packet.length).bytesFrom(captured);
    this.records.push(w.finish());
  }

  /** The whole capture (big-endian; readers detect the byte order from the magic). */
  toBytes(): Uint8Array {
    const header = new ByteWriter(PCAP_GLOBAL_HEADER_LENGTH)
      .u32(PCAP_MAGIC_MICROSECONDS)
      .u16(2)
      .u16(4)
      .u32(0) // thiszone
      .u32(0) // sigfigs
      .u32(this.snaplen)
      .u32(LINKTYPE_RAW)
      .finish();
    return concatBytes([header, ...this.records]);
  }
}

/** A 20-byte IPv4 header (RFC 791) with a valid header checksum, DF set, TTL 64. */
export function ipv4Header(source: number, destination: number, protocol: number, payloadLength: number, id = 0): Uint8Array {
  const w = new ByteWriter(20);
  w.u8(0x45).u8(0).u16(20 + payloadLength).u16(id).u16(0x4000).u8(64).u8(protocol).u16(0).u32(source).u32(destination);
  const header = w.finish();
  writeU16(header, 10, internetChecksum(header));
  return header;
}

/** RFC 1071 one's-complement sum. */
export function internetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (bytes.length % 2 === 1) sum += bytes[bytes.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
