// utun packet framing, pure and platform-neutral (no N-API, no syscalls).
//
// Owns: the 4-byte address-family prefix that every macOS utun packet carries in both
// directions, in network byte order (XNU bsd/net/if_utun.c: utun_output prepends the protocol
// family, utun_ctl_send reads it back with ntohl; Tunnelblick and wireguard-go's utun device do
// the same). tun_darwin.cc adds it on write and strips it on read; the addon also exports it on
// every OS (utunFraming) so unit tests on Linux run exactly this code.
// Must not: depend on the host's AF_* values. Linux's AF_INET6 is 10, Darwin's is 30, and this
// file is compiled on both, so the Darwin values are spelled out below.
#pragma once

#include <cstddef>
#include <cstdint>

namespace utun_frame {

// XNU bsd/sys/socket.h: #define AF_INET 2, #define AF_INET6 30.
constexpr uint32_t kDarwinAfInet = 2;
constexpr uint32_t kDarwinAfInet6 = 30;
constexpr size_t kHeaderLength = 4;
// Smallest packets worth handing on: RFC 791 §3.1 (IPv4 header, IHL >= 5 words) and
// RFC 8200 §3 (the fixed 40-octet IPv6 header). Anything shorter is not an IP packet.
constexpr size_t kMinIpv4Length = 20;
constexpr size_t kMinIpv6Length = 40;

enum class EncapsulateStatus {
  kOk,
  kEmpty,           // a zero-length packet has no version nibble
  kUnknownVersion,  // the first nibble is neither 4 nor 6
};

// The address family for a bare IP packet, chosen from its version nibble (RFC 791 / RFC 8200:
// the first 4 bits). 0 when it is neither IPv4 nor IPv6.
inline uint32_t FamilyForPacket(const uint8_t* packet, size_t length) {
  if (length == 0) return 0;
  switch (packet[0] >> 4) {
    case 4: return kDarwinAfInet;
    case 6: return kDarwinAfInet6;
    default: return 0;
  }
}

// Writes the 4-byte big-endian family prefix for `packet` into `header`.
inline EncapsulateStatus EncodeHeader(const uint8_t* packet, size_t length, uint8_t header[kHeaderLength]) {
  if (length == 0) return EncapsulateStatus::kEmpty;
  uint32_t family = FamilyForPacket(packet, length);
  if (family == 0) return EncapsulateStatus::kUnknownVersion;
  header[0] = static_cast<uint8_t>(family >> 24);
  header[1] = static_cast<uint8_t>(family >> 16);
  header[2] = static_cast<uint8_t>(family >> 8);
  header[3] = static_cast<uint8_t>(family);
  return EncapsulateStatus::kOk;
}

enum class DecapsulateStatus {
  kOk,
  kTooShort,         // shorter than 4 + the smallest header of its family (or than 4 + 20)
  kUnknownFamily,    // the prefix is neither AF_INET (2) nor AF_INET6 (30)
  kVersionMismatch,  // the prefix and the packet's version nibble disagree
};

struct Decapsulated {
  DecapsulateStatus status;
  uint32_t family;      // the prefix as read (also set when the frame is refused)
  size_t packetOffset;  // where the bare IP packet starts in the frame (kHeaderLength)
  size_t packetLength;  // its length; 0 unless status == kOk
};

// Reads one frame as utun delivered it; on kOk the bare IP packet is
// frame[packetOffset, packetOffset + packetLength).
inline Decapsulated Decapsulate(const uint8_t* frame, size_t length) {
  Decapsulated out{DecapsulateStatus::kTooShort, 0, kHeaderLength, 0};
  if (length < kHeaderLength + kMinIpv4Length) return out;
  out.family = (static_cast<uint32_t>(frame[0]) << 24) | (static_cast<uint32_t>(frame[1]) << 16) |
               (static_cast<uint32_t>(frame[2]) << 8) | static_cast<uint32_t>(frame[3]);
  size_t packet_length = length - kHeaderLength;
  unsigned version = frame[kHeaderLength] >> 4;
  if (out.family == kDarwinAfInet) {
    if (version != 4) {
      out.status = DecapsulateStatus::kVersionMismatch;
      return out;
    }
  } else if (out.family == kDarwinAfInet6) {
    if (packet_length < kMinIpv6Length) return out;  // kTooShort
    if (version != 6) {
      out.status = DecapsulateStatus::kVersionMismatch;
      return out;
    }
  } else {
    out.status = DecapsulateStatus::kUnknownFamily;
    return out;
  }
  out.status = DecapsulateStatus::kOk;
  out.packetLength = packet_length;
  return out;
}

}  // namespace utun_frame
