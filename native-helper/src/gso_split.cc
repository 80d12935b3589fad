// GSO splitting for Linux TUN reads (see gso_split.h for what the kernel hands us and the rules).
#include "gso_split.h"

#include <cstring>

#include "tcp_coalesce.h"

namespace gso_split {

namespace {

using tcp_coalesce::kVirtioNetHdrLength;
using tcp_coalesce::OnesComplementSum;

constexpr size_t kIpv4MinHeaderLength = 20;  // RFC 791 §3.1: IHL 5
constexpr size_t kIpv6HeaderLength = 40;     // RFC 8200 §3
constexpr size_t kMaxIpv4Length = 65535;     // RFC 791 §3.1: total length is 16 bits
constexpr size_t kTcpMinHeaderLength = 20;   // RFC 9293 §3.1: data offset >= 5
constexpr size_t kTcpChecksumOffset = 16;    // RFC 9293 §3.1
constexpr size_t kUdpChecksumOffset = 6;     // RFC 768
constexpr uint8_t kIpProtocolTcp = 6;        // IANA protocol numbers
constexpr uint8_t kIpProtocolUdp = 17;
// RFC 9293 §3.1 / RFC 3168 §6.1: control bits in octet 13 of the TCP header.
constexpr uint8_t kTcpFlagFin = 0x01;
constexpr uint8_t kTcpFlagPsh = 0x08;
constexpr uint8_t kTcpFlagCwr = 0x80;

uint16_t Load16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }

uint32_t Load32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) | (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

void Store16(uint8_t* p, uint16_t value) {
  p[0] = static_cast<uint8_t>(value >> 8);
  p[1] = static_cast<uint8_t>(value);
}

void Store32(uint8_t* p, uint32_t value) {
  p[0] = static_cast<uint8_t>(value >> 24);
  p[1] = static_cast<uint8_t>(value >> 16);
  p[2] = static_cast<uint8_t>(value >> 8);
  p[3] = static_cast<uint8_t>(value);
}

// struct virtio_net_hdr's __virtio16 fields in the host's byte order (tcp_coalesce.cc says why).
uint16_t LoadVirtio16(const uint8_t* p) {
  uint16_t value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

// Whether `packet` is UDP, so that a checksum computing to 0 is sent as 0xffff (RFC 768; RFC
// 8200 §8.1 for IPv6). Only a UDP header right behind the IP header counts: that is where
// csum_start points for the packets the kernel checksums partially.
bool IsUdp(const uint8_t* packet, size_t length, size_t checksum_start) {
  uint8_t version = packet[0] >> 4;
  if (version == 4 && length >= kIpv4MinHeaderLength) return packet[9] == kIpProtocolUdp && checksum_start == (packet[0] & 0x0fu) * 4u;
  if (version == 6 && length >= kIpv6HeaderLength) return packet[6] == kIpProtocolUdp && checksum_start == kIpv6HeaderLength;
  return false;
}

// CHECKSUM_PARTIAL completion (include/linux/skbuff.h): the field already holds the
// pseudo-header sum, so the complement of the sum from csum_start to the end is the checksum.
void CompleteChecksum(uint8_t* packet, const Frame& frame) {
  size_t start = frame.checksum_start;
  uint16_t checksum = static_cast<uint16_t>(~OnesComplementSum(packet + start, frame.length - start, 0));
  if (checksum == 0 && frame.checksum_offset == kUdpChecksumOffset && IsUdp(packet, frame.length, start)) checksum = 0xffff;
  Store16(packet + start + frame.checksum_offset, checksum);
}

// Segment `index` of a TSO frame, whose headers (copied from the frame) and `payload_length`
// octets of payload are at `ip`: patch what differs from the super-packet's headers.
void PatchSegment(uint8_t* ip, const Frame& frame, size_t index, size_t payload_length) {
  const size_t length = frame.headers_length + payload_length;
  const size_t tcp_offset = frame.checksum_start;
  const size_t tcp_length = length - tcp_offset;
  uint16_t pseudo;  // RFC 9293 §3.1 (IPv4) / RFC 8200 §8.1 (IPv6) pseudo-header, folded
  if (frame.ipv6) {
    Store16(ip + 4, static_cast<uint16_t>(length - kIpv6HeaderLength));  // payload length
    pseudo = OnesComplementSum(ip + 8, 32, static_cast<uint32_t>(kIpProtocolTcp + tcp_length));
  } else {
    Store16(ip + 2, static_cast<uint16_t>(length));  // total length
    Store16(ip + 4, static_cast<uint16_t>(Load16(ip + 4) + index));  // inet_gso_segment: id + i
    Store16(ip + 10, 0);
    Store16(ip + 10, static_cast<uint16_t>(~OnesComplementSum(ip, tcp_offset, 0)));
    pseudo = OnesComplementSum(ip + 12, 8, static_cast<uint32_t>(kIpProtocolTcp + tcp_length));
  }
  uint8_t* tcp = ip + tcp_offset;
  Store32(tcp + 4, Load32(tcp + 4) + static_cast<uint32_t>(index * frame.segment_size));
  if (index + 1 != frame.packets) tcp[13] &= static_cast<uint8_t>(~(kTcpFlagFin | kTcpFlagPsh));
  if (index != 0) tcp[13] &= static_cast<uint8_t>(~kTcpFlagCwr);
  Store16(tcp + kTcpChecksumOffset, 0);
  Store16(tcp + kTcpChecksumOffset, static_cast<uint16_t>(~OnesComplementSum(tcp, tcp_length, pseudo)));
}

Status ParseTso(const uint8_t* vnet, bool ipv6, Frame* out) {
  const uint8_t* packet = out->packet;
  const size_t length = out->length;
  if ((packet[0] >> 4) != (ipv6 ? 6 : 4)) return Status::kIpVersion;
  out->ipv6 = ipv6;
  out->segment_size = LoadVirtio16(vnet + tcp_coalesce::kVnetGsoSize);
  if (out->segment_size == 0) return Status::kBadGsoSize;
  if ((vnet[tcp_coalesce::kVnetFlags] & tcp_coalesce::kVirtioNetHdrFNeedsCsum) == 0) return Status::kBadChecksumPlace;
  if (LoadVirtio16(vnet + tcp_coalesce::kVnetCsumOffset) != kTcpChecksumOffset) return Status::kBadChecksumPlace;
  const size_t checksum_start = LoadVirtio16(vnet + tcp_coalesce::kVnetCsumStart);
  if (LoadVirtio16(vnet + tcp_coalesce::kVnetHdrLen) > length) return Status::kBadHeaders;
  if (ipv6) {
    // Extension headers would need their own rules (a routing header changes the pseudo-header).
    if (length < kIpv6HeaderLength || packet[6] != kIpProtocolTcp || checksum_start != kIpv6HeaderLength) return Status::kBadHeaders;
  } else {
    size_t ip_header_length = (packet[0] & 0x0fu) * 4u;
    if (length > kMaxIpv4Length || ip_header_length < kIpv4MinHeaderLength || length < ip_header_length) return Status::kBadHeaders;
    if (packet[9] != kIpProtocolTcp || checksum_start != ip_header_length) return Status::kBadHeaders;
  }
  if (checksum_start + kTcpMinHeaderLength > length) return Status::kBadHeaders;
  size_t tcp_header_length = static_cast<size_t>(packet[checksum_start + 12] >> 4) * 4;
  if (tcp_header_length < kTcpMinHeaderLength || checksum_start + tcp_header_length > length) return Status::kBadHeaders;
  out->tso = true;
  out->checksum_start = checksum_start;
  out->checksum_offset = kTcpChecksumOffset;
  out->headers_length = checksum_start + tcp_header_length;
  size_t payload = length - out->headers_length;
  out->packets = payload == 0 ? 1 : (payload + out->segment_size - 1) / out->segment_size;
  return Status::kOk;
}

}  // namespace

Status Parse(const uint8_t* frame, size_t length, Frame* out) {
  *out = Frame{};
  if (length <= kVirtioNetHdrLength) return Status::kTooShort;
  out->packet = frame + kVirtioNetHdrLength;
  out->length = length - kVirtioNetHdrLength;
  const uint8_t gso_type = frame[tcp_coalesce::kVnetGsoType] & static_cast<uint8_t>(~kGsoEcn);
  if (gso_type == kGsoTcpv4 || gso_type == kGsoTcpv6) return ParseTso(frame, gso_type == kGsoTcpv6, out);
  if (gso_type != kGsoNone) return Status::kUnsupportedGso;
  if ((frame[tcp_coalesce::kVnetFlags] & tcp_coalesce::kVirtioNetHdrFNeedsCsum) != 0) {
    size_t start = LoadVirtio16(frame + tcp_coalesce::kVnetCsumStart);
    size_t offset = LoadVirtio16(frame + tcp_coalesce::kVnetCsumOffset);
    if (start > out->length || out->length - start < offset + 2) return Status::kBadChecksumPlace;
    out->needs_checksum = true;
    out->checksum_start = start;
    out->checksum_offset = offset;
  }
  return Status::kOk;
}

void AppendPackets(const Frame& frame, size_t first, size_t count, std::vector<uint8_t>* bytes, std::vector<uint32_t>* ends) {
  if (!frame.tso) {
    if (first != 0 || count == 0) return;
    size_t at = bytes->size();
    bytes->insert(bytes->end(), frame.packet, frame.packet + frame.length);
    if (frame.needs_checksum) CompleteChecksum(bytes->data() + at, frame);
    ends->push_back(static_cast<uint32_t>(bytes->size()));
    return;
  }
  const uint8_t* payload = frame.packet + frame.headers_length;
  const size_t payload_total = frame.length - frame.headers_length;
  for (size_t i = first; i < first + count && i < frame.packets; i++) {
    size_t offset = i * frame.segment_size;
    size_t segment = payload_total - offset < frame.segment_size ? payload_total - offset : frame.segment_size;
    size_t at = bytes->size();
    bytes->insert(bytes->end(), frame.packet, payload);
    bytes->insert(bytes->end(), payload + offset, payload + offset + segment);
    PatchSegment(bytes->data() + at, frame, i, segment);
    ends->push_back(static_cast<uint32_t>(bytes->size()));
  }
}

const char* StatusName(Status status) {
  switch (status) {
    case Status::kOk: return "ok";
    case Status::kTooShort: return "too-short";
    case Status::kUnsupportedGso: return "unsupported-gso";
    case Status::kIpVersion: return "ip-version";
    case Status::kBadChecksumPlace: return "bad-checksum-place";
    case Status::kBadHeaders: return "bad-headers";
    case Status::kBadGsoSize: return "bad-gso-size";
  }
  return "unknown";
}

}  // namespace gso_split
