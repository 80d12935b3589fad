// TCP segment coalescing for Linux TUN writes (see tcp_coalesce.h for the rules and why).
#include "tcp_coalesce.h"

#include <cstring>

namespace tcp_coalesce {

namespace {

// RFC 9293 §3.1: the control bits in octet 13 of the TCP header.
constexpr uint8_t kTcpFlagPsh = 0x08;
constexpr uint8_t kTcpFlagAck = 0x10;
constexpr uint8_t kIpProtocolTcp = 6;  // IANA protocol numbers

uint16_t Load16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

uint32_t Load32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) | (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

void Store16Be(uint8_t* p, uint16_t value) {
  p[0] = static_cast<uint8_t>(value >> 8);
  p[1] = static_cast<uint8_t>(value);
}

// struct virtio_net_hdr's __virtio16 fields on a TUN are in the host's byte order: tun.c reads
// them with tun16_to_cpu, which is little-endian only with TUNSETVNETLE and otherwise follows
// virtio_legacy_is_little_endian() (the host's order). We never set TUNSETVNETLE/BE.
void StoreVirtio16(uint8_t* p, uint16_t value) { std::memcpy(p, &value, sizeof(value)); }

bool HostIsLittleEndian() {
  const uint16_t probe = 1;
  uint8_t first = 0;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

// What the coalescer needs from one candidate segment (already checked by ParseSegment).
struct Segment {
  const uint8_t* data;
  size_t length;
  size_t tcp_header_length;
  size_t payload_length;
  uint32_t sequence;
  bool push;
};

uint32_t PseudoHeaderSum(const uint8_t* ip, size_t tcp_length) {
  // RFC 9293 §3.1: source address, destination address, zero + protocol, TCP length.
  return static_cast<uint32_t>(Load16(ip + 12)) + Load16(ip + 14) + Load16(ip + 16) + Load16(ip + 18) + kIpProtocolTcp +
         static_cast<uint32_t>(tcp_length);
}

// true when `packet` may be part of a super-packet (the per-segment rules of tcp_coalesce.h).
bool ParseSegment(const PacketSpan& packet, Segment* segment) {
  const uint8_t* ip = packet.data;
  size_t length = packet.length;
  if (length < kIpv4HeaderLength + 20 || length > kMaxIpv4Length) return false;
  if (ip[0] != 0x45) return false;                           // version 4, IHL 5 (no options)
  if (Load16(ip + 2) != length) return false;                // total length = what we were given
  if ((ip[6] & 0x3f) != 0 || ip[7] != 0) return false;       // MF clear, fragment offset 0
  if (ip[9] != kIpProtocolTcp) return false;
  if (OnesComplementSum(ip, kIpv4HeaderLength, 0) != 0xffff) return false;  // header checksum
  const uint8_t* tcp = ip + kIpv4HeaderLength;
  size_t tcp_header_length = static_cast<size_t>(tcp[12] >> 4) * 4;
  if (tcp_header_length < 20 || kIpv4HeaderLength + tcp_header_length > length) return false;
  if ((tcp[12] & 0x0f) != 0) return false;  // reserved bits and AE (RFC 9293 §3.1)
  uint8_t flags = tcp[13];
  if (flags != kTcpFlagAck && flags != (kTcpFlagAck | kTcpFlagPsh)) return false;
  size_t tcp_length = length - kIpv4HeaderLength;
  if (tcp_length == tcp_header_length) return false;  // no payload: a pure ACK
  if (OnesComplementSum(tcp, tcp_length, PseudoHeaderSum(ip, tcp_length)) != 0xffff) return false;
  *segment = Segment{ip, length, tcp_header_length, tcp_length - tcp_header_length, Load32(tcp + 4), flags == (kTcpFlagAck | kTcpFlagPsh)};
  return true;
}

// Same flow and same header fields as far as GRO requires (tcp_coalesce.h); the data offsets
// are already known to be equal.
bool SameFlowAndHeaders(const Segment& first, const Segment& next) {
  const uint8_t* a = first.data;
  const uint8_t* b = next.data;
  if (a[1] != b[1] || (a[6] >> 5) != (b[6] >> 5) || a[8] != b[8]) return false;  // ToS, flags, TTL
  if (std::memcmp(a + 12, b + 12, 8) != 0) return false;                         // addresses
  const uint8_t* ta = a + kIpv4HeaderLength;
  const uint8_t* tb = b + kIpv4HeaderLength;
  if (std::memcmp(ta, tb, 4) != 0) return false;       // ports
  if (std::memcmp(ta + 8, tb + 8, 4) != 0) return false;  // acknowledgment number
  if (std::memcmp(ta + 14, tb + 14, 2) != 0) return false;  // window
  return std::memcmp(ta + 20, tb + 20, first.tcp_header_length - 20) == 0;  // options
}

}  // namespace

uint16_t OnesComplementSum(const uint8_t* data, size_t length, uint32_t sum) {
  // Sum 32-bit words in the host's order (RFC 1071 §2(B): the sum is byte-order independent,
  // so a byte swap at the end gives the big-endian sum).
  uint64_t native = 0;
  size_t i = 0;
  for (; i + 4 <= length; i += 4) {
    uint32_t word;
    std::memcpy(&word, data + i, 4);
    native += word;
  }
  if (i + 2 <= length) {
    uint16_t half;
    std::memcpy(&half, data + i, 2);
    native += half;
    i += 2;
  }
  if (i < length) {
    uint16_t last = 0;
    std::memcpy(&last, data + i, 1);  // the odd octet is the high half of a zero-padded word
    native += last;
  }
  while (native >> 16) native = (native & 0xffff) + (native >> 16);
  uint32_t folded = static_cast<uint32_t>(native);
  if (HostIsLittleEndian()) folded = ((folded & 0xff) << 8) | (folded >> 8);
  uint64_t total = static_cast<uint64_t>(folded) + sum;
  while (total >> 16) total = (total & 0xffff) + (total >> 16);
  return static_cast<uint16_t>(total);
}

void PlanWrite(const PacketSpan* packets, size_t count, size_t start, Write* out) {
  out->first = start;
  out->count = 1;
  out->payload_offset = 0;
  out->packet_bytes = packets[start].length;
  out->header_length = kVirtioNetHdrLength;
  std::memset(out->header, 0, kVirtioNetHdrLength);  // flags 0, GSO_NONE

  Segment first;
  if (!ParseSegment(packets[start], &first)) return;
  const size_t gso_size = first.payload_length;
  size_t total_length = first.length;
  Segment last = first;
  for (size_t i = start + 1; i < count && out->count < kMaxSegments; i++) {
    if (last.push || last.payload_length != gso_size) break;  // nothing may follow PSH or a short segment
    Segment next;
    if (!ParseSegment(packets[i], &next)) break;
    if (next.tcp_header_length != first.tcp_header_length || next.payload_length > gso_size) break;
    if (next.sequence != last.sequence + static_cast<uint32_t>(last.payload_length)) break;
    if (total_length + next.payload_length > kMaxIpv4Length) break;
    if (!SameFlowAndHeaders(first, next)) break;
    total_length += next.payload_length;
    out->packet_bytes += next.length;
    out->count++;
    last = next;
  }
  if (out->count == 1) return;

  const size_t headers_length = kIpv4HeaderLength + first.tcp_header_length;
  uint8_t* vnet = out->header;
  vnet[kVnetFlags] = kVirtioNetHdrFNeedsCsum;
  vnet[kVnetGsoType] = kVirtioNetHdrGsoTcpv4;
  StoreVirtio16(vnet + kVnetHdrLen, static_cast<uint16_t>(headers_length));
  StoreVirtio16(vnet + kVnetGsoSize, static_cast<uint16_t>(gso_size));
  StoreVirtio16(vnet + kVnetCsumStart, static_cast<uint16_t>(kIpv4HeaderLength));
  StoreVirtio16(vnet + kVnetCsumOffset, static_cast<uint16_t>(kTcpChecksumOffset));

  uint8_t* ip = vnet + kVirtioNetHdrLength;
  std::memcpy(ip, first.data, headers_length);  // the first segment's headers: its IP id and sequence
  Store16Be(ip + 2, static_cast<uint16_t>(total_length));
  Store16Be(ip + 10, 0);
  Store16Be(ip + 10, static_cast<uint16_t>(~OnesComplementSum(ip, kIpv4HeaderLength, 0)));
  uint8_t* tcp = ip + kIpv4HeaderLength;
  if (last.push) tcp[13] |= kTcpFlagPsh;  // tcp_gro_receive carries PSH of the last segment
  // NEEDS_CSUM (CHECKSUM_PARTIAL): the field holds the pseudo-header sum over the whole TCP
  // length, folded and not complemented; whoever completes the checksum (or segments the packet
  // when it is forwarded) adds the rest (include/linux/skbuff.h, "CHECKSUM_PARTIAL").
  Store16Be(tcp + kTcpChecksumOffset, OnesComplementSum(nullptr, 0, PseudoHeaderSum(ip, total_length - kIpv4HeaderLength)));
  out->payload_offset = headers_length;
  out->header_length = kVirtioNetHdrLength + headers_length;
}

}  // namespace tcp_coalesce
