// GSO splitting for Linux TUN reads: pure C++ over byte buffers (no N-API, no syscalls), so the
// unit tests run exactly this code through the addon's `gsoSplit` export.
//
// Owns: turning one frame read from a TUN opened with IFF_VNET_HDR and TUNSETOFFLOAD(TUN_F_CSUM
// | TUN_F_TSO4 | TUN_F_TSO6) -- a struct virtio_net_hdr (include/uapi/linux/virtio_net.h, host
// byte order) and the packet behind it -- into finished IP packets, appended to the reader's
// batch (one contiguous byte block + end offsets, tun_device.cc) with one copy of every octet.
// Must not: modify the frame, read outside it, or let a frame it does not understand through
// (the caller counts a refusal as a framing drop).
//
// What the kernel hands us (drivers/net/tun.c tun_put_user -> virtio_net_hdr_from_skb):
//  - GSO_NONE with NEEDS_CSUM (CHECKSUM_PARTIAL): the field at csum_start + csum_offset holds
//    the pseudo-header sum; the checksum is the complement of the ones'-complement sum from
//    csum_start to the end (the field included). We complete it, TCP or UDP, IPv4 or IPv6
//    (RFC 768: a UDP checksum that computes to 0 is sent as 0xffff).
//  - GSO_NONE without NEEDS_CSUM: a finished packet, passed on as it is.
//  - GSO_TCPV4 / GSO_TCPV6 (TSO), possibly with the GSO_ECN bit: one TCP super-packet of up to
//    64 KiB; the payload after the headers goes out in segments of gso_size octets, the last
//    one shorter. hdr_len is not trusted (virtio_net_hdr_from_skb sets it to skb_headlen, which
//    can hold payload too; wireguard-go's tun/offload_linux.go notes the same): the headers are
//    csum_start (the IP header, options included) + the TCP data offset. Each segment gets the
//    same headers with, as net/ipv4/tcp_offload.c tcp_gso_segment and net/ipv4/af_inet.c
//    inet_gso_segment make them: IPv4 total length, id = first id + i, header checksum; IPv6
//    payload length; sequence number + i * gso_size; FIN and PSH only on the last segment, CWR
//    only on the first (which is what GSO_ECN asks for); a full TCP checksum.
//  - Refused: a frame shorter than the header, GSO_UDP / GSO_UDP_L4 / any other gso_type (we
//    never offer TUN_F_UFO or TUN_F_USO*), an IP version that disagrees with the gso_type, TSO
//    without NEEDS_CSUM or with csum_offset other than TCP's 16, gso_size 0, a TCP data offset
//    below 5, IPv6 extension headers before TCP, or any length (hdr_len, csum_start, the TCP
//    header, the checksum field) past the end of the frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gso_split {

// include/uapi/linux/virtio_net.h gso_type values (the low 7 bits) and flag bits.
constexpr uint8_t kGsoNone = 0;    // VIRTIO_NET_HDR_GSO_NONE
constexpr uint8_t kGsoTcpv4 = 1;   // VIRTIO_NET_HDR_GSO_TCPV4
constexpr uint8_t kGsoTcpv6 = 4;   // VIRTIO_NET_HDR_GSO_TCPV6
constexpr uint8_t kGsoEcn = 0x80;  // VIRTIO_NET_HDR_GSO_ECN: the TCP header has CWR set

enum class Status {
  kOk,
  kTooShort,          // not even a virtio header and one octet of packet
  kUnsupportedGso,    // a gso_type we do not split (UDP, UDP_L4, unknown)
  kIpVersion,         // the IP version nibble disagrees with the gso_type (or is neither 4 nor 6)
  kBadChecksumPlace,  // csum_start / csum_offset do not fit the packet (or TSO without NEEDS_CSUM)
  kBadHeaders,        // IP or TCP header lengths that do not fit, hdr_len past the end, IPv6 extensions
  kBadGsoSize,        // gso_size 0
};

// A parsed frame: what AppendPackets needs. Points into the caller's frame, which must stay
// unchanged until every packet has been appended.
struct Frame {
  const uint8_t* packet = nullptr;  // the IP packet behind the virtio header
  size_t length = 0;
  bool tso = false;                 // GSO_TCPV4/TCPV6: split; else one packet
  bool ipv6 = false;
  bool needs_checksum = false;      // GSO_NONE with NEEDS_CSUM: complete the checksum
  size_t checksum_start = 0;        // csum_start: the transport header
  size_t checksum_offset = 0;       // csum_offset: the field inside it
  size_t headers_length = 0;        // TSO: IP + TCP headers, copied into every segment
  size_t segment_size = 0;          // TSO: gso_size
  size_t packets = 1;               // how many packets AppendPackets can produce (>= 1)
};

// Parses `frame` = {virtio_net_hdr, packet} of `length` octets (what read(2) returned).
Status Parse(const uint8_t* frame, size_t length, Frame* out);

// Appends packets [first, first + count) of `frame` (first + count <= frame.packets) to the
// batch: their bytes back to back at the end of *bytes, each one's end offset to *ends.
void AppendPackets(const Frame& frame, size_t first, size_t count, std::vector<uint8_t>* bytes, std::vector<uint32_t>* ends);

// A stable name for a Status ("ok", "too-short", ...), for tests and logs.
const char* StatusName(Status status);

}  // namespace gso_split
