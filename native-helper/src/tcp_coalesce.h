// TCP segment coalescing for Linux TUN writes: pure C++ over byte buffers (no N-API, no
// syscalls), so the unit tests run exactly this code through the addon's `tcpCoalesce` export.
//
// Owns: deciding which adjacent packets of a batch become one GSO super-packet, and building
// the bytes that go in front of their payloads: a struct virtio_net_hdr (include/uapi/linux/
// virtio_net.h) and the first segment's IPv4 + TCP headers, patched. tun_linux.cc hands the
// result to writev(2) on a TUN opened with IFF_VNET_HDR; the kernel (drivers/net/tun.c
// tun_get_user -> virtio_net_hdr_to_skb) then runs its receive stack once per super-packet
// instead of once per segment, as for a GRO'd packet from a NIC.
// Must not: modify the caller's packets (they are JavaScript memory), reorder packets (only
// adjacent runs of one flow merge, so the kernel sees every flow in the order written), or
// coalesce anything Linux's own TCP GRO (net/ipv4/tcp_offload.c tcp_gro_receive,
// net/ipv4/af_inet.c inet_gro_receive) would not.
//
// The rules, per segment: IPv4 without options (IHL 5), total length = packet length, not a
// fragment (MF clear, offset 0), a valid IP header checksum, TCP with a data offset of 20..60
// octets, flags ACK or ACK|PSH only (no SYN, FIN, RST, URG, ECE, CWR, AE), at least one payload
// octet, and a valid TCP checksum (the super-packet goes up with NEEDS_CSUM = CHECKSUM_PARTIAL,
// so the kernel would never check the segments' own checksums; wireguard-go's
// tcp_offload_linux.go checks them for the same reason). Between the run's first segment and
// each next one: the same addresses, ports, ToS, TTL, DF/reserved bits, acknowledgment number,
// window, data offset and option bytes (timestamps included: tcp_gro_receive compares the
// options word by word); the sequence number continues the previous segment exactly; no PSH
// before the last; every payload as long as the first's (gso_size) except a shorter last one;
// the IPv4 total length stays <= 65535; at most kMaxSegments segments. IPv6 is never coalesced
// (written alone); it could follow with GSO_TCPV6 the same way.
#pragma once

#include <cstddef>
#include <cstdint>

#include "packet_span.h"

namespace tcp_coalesce {

// include/uapi/linux/virtio_net.h: struct virtio_net_hdr is {u8 flags; u8 gso_type;
// __virtio16 hdr_len, gso_size, csum_start, csum_offset} = 10 octets (what TUNSETVNETHDRSZ sets).
constexpr size_t kVirtioNetHdrLength = 10;
constexpr uint8_t kVirtioNetHdrFNeedsCsum = 1;  // VIRTIO_NET_HDR_F_NEEDS_CSUM
constexpr uint8_t kVirtioNetHdrGsoNone = 0;     // VIRTIO_NET_HDR_GSO_NONE
constexpr uint8_t kVirtioNetHdrGsoTcpv4 = 1;    // VIRTIO_NET_HDR_GSO_TCPV4
// Field offsets inside struct virtio_net_hdr.
constexpr size_t kVnetFlags = 0, kVnetGsoType = 1, kVnetHdrLen = 2, kVnetGsoSize = 4, kVnetCsumStart = 6, kVnetCsumOffset = 8;

constexpr size_t kIpv4HeaderLength = 20;   // RFC 791 §3.1, IHL 5: no options
constexpr size_t kMaxTcpHeaderLength = 60; // RFC 9293 §3.1: data offset is 4 bits of 32-bit words
constexpr size_t kTcpChecksumOffset = 16;  // RFC 9293 §3.1: the checksum field
constexpr size_t kMaxIpv4Length = 65535;   // RFC 791 §3.1: total length is 16 bits
// Most segments in one super-packet. 65535 / 1360 (the MSS behind a 1400-octet PPTP MTU) is 48;
// the bound keeps tun_linux.cc's iovec array small for tiny segments.
constexpr size_t kMaxSegments = 64;
constexpr size_t kMaxHeaderLength = kVirtioNetHdrLength + kIpv4HeaderLength + kMaxTcpHeaderLength;

// One write(2) the coalescer plans, starting at packets[first]:
//  - count == 1: packets[first] alone, behind `header` = a zero virtio_net_hdr (GSO_NONE);
//  - count > 1: a super-packet: `header` (virtio_net_hdr + the patched IPv4 and TCP headers),
//    then, for each packet first .. first + count - 1, its bytes from payload_offset on.
struct Write {
  size_t first = 0;
  size_t count = 0;
  size_t payload_offset = 0;  // count > 1: IPv4 + TCP header length (the same in every segment)
  size_t packet_bytes = 0;    // the sum of the original packets' lengths
  size_t header_length = 0;
  uint8_t header[kMaxHeaderLength] = {};
};

// Plans the write that starts at packets[start] (start < count) into *out; out->count >= 1.
// Call again at start + out->count until the batch is done.
void PlanWrite(const PacketSpan* packets, size_t count, size_t start, Write* out);

// RFC 1071 ones'-complement sum of `length` octets as big-endian 16-bit words, added to `sum`
// and folded to 16 bits (not complemented). Exposed for the port's read-side checksum completion.
uint16_t OnesComplementSum(const uint8_t* data, size_t length, uint32_t sum);

}  // namespace tcp_coalesce
