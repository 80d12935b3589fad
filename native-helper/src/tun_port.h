// The seam between the shared TUN device (tun_device.cc: reader thread, batches, counters,
// the JavaScript class) and one operating system's TUN file descriptor.
//
// Each OS file implements OpenTunPort: tun_linux.cc (/dev/net/tun) and tun_darwin.cc (utun).
// A TunPort owns its fd and any framing the OS puts around packets, so that the shared code
// and JavaScript only ever see bare IP packets. Must not: touch N-API or JavaScript values
// (it runs on the reader thread too).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "packet_span.h"

enum class TunReadStatus {
  kPackets,  // at least one bare IP packet was appended to the batch
  kDropped,  // a frame arrived but the port could not hand it on (counted as a framing drop)
  kEmpty,    // nothing to read now (EAGAIN)
  kEnd,      // read returned 0
  kError,    // *err holds the errno
};

// Where a read's packets go: the reader's batch, packets back to back in *bytes, packet i
// ending at (*ends)[i]. The port appends; it never removes what is there.
struct TunReadBatch {
  std::vector<uint8_t>* bytes;
  std::vector<uint32_t>* ends;
};

// What reads did, added up by the port and folded into the device's counters.
struct TunReadTally {
  uint64_t reads = 0;      // read(2) calls that returned a frame (dropped ones included)
  uint64_t segmented = 0;  // packets that came out of a GSO super-packet (Linux TSO)
};

// What one batch write did, added up by the port and folded into the device's counters.
struct TunWriteTally {
  uint64_t packets = 0;    // packets the kernel took (a super-packet counts its segments)
  uint64_t bytes = 0;      // their IP octets, as given (before any coalescing)
  uint64_t writes = 0;     // write(2)/writev(2) calls made, accepted or not
  uint64_t coalesced = 0;  // packets that went up inside a super-packet
  uint64_t errors = 0;     // calls the kernel refused
  int last_errno = 0;
};

class TunPort {
 public:
  virtual ~TunPort() = default;
  virtual int fd() const = 0;
  virtual const std::string& name() const = 0;
  // Appends at most `room` (>= 1) packets to `batch` without blocking: the rest of a frame read
  // earlier (HasPendingPackets), else what one read(2) returns -- one packet, or on Linux with
  // TSO the segments of a GSO super-packet, of which those beyond `room` stay pending.
  virtual TunReadStatus ReadPackets(TunReadBatch batch, size_t room, TunReadTally* tally, int* err) = 0;
  // true while packets of a frame already read wait for the next ReadPackets (the fd may not be
  // readable then, so the reader must not wait in poll() for them).
  virtual bool HasPendingPackets() const = 0;
  // Writes one bare IP packet (adding any OS framing); 0 on success, else the errno
  // (EINVAL for a packet the OS framing cannot carry, as Linux's tun driver answers).
  virtual int WritePacket(const uint8_t* data, size_t length) = 0;
  // Writes `count` packets in order, as few system calls as the port can (Linux with a virtio
  // header: adjacent segments of one TCP flow become one GSO super-packet; elsewhere one call
  // each), and adds what happened to *tally.
  virtual void WritePackets(const PacketSpan* packets, size_t count, TunWriteTally* tally) = 0;
  // "gro+tso": Linux IFF_VNET_HDR with TUNSETOFFLOAD(CSUM | TSO4 | TSO6): writes may carry GSO
  // super-packets and reads may return them (the port splits them); "gro": the same for writes
  // only (the kernel refused TUNSETOFFLOAD); "none": one packet per call both ways.
  virtual const char* offload() const = 0;
};

// The largest frame a TUN read can return: an IPv4/IPv6 packet of up to 65535 octets, or on
// Linux with TSO a GSO super-packet (at most GSO_LEGACY_MAX_SIZE 65536, the tun device's
// gso_max_size; include/linux/netdevice.h), plus the OS framing in front of it (macOS: the
// 4-byte utun family prefix; Linux with IFF_VNET_HDR: the 10-byte struct virtio_net_hdr).
// Reading into a smaller buffer would silently truncate.
constexpr size_t kMaxTunFrame = 65536 + 16;

// Why OpenTunPort failed: an errno from `syscall` (err != 0), or a stable code of our own.
struct TunOpenError {
  int err = 0;
  const char* syscall = "";
  const char* code = "";
  std::string message;
};

// Opens the OS's TUN device. `requested` is "" (the kernel picks) or an OS-specific name.
// `offload`: try the OS's offloads (Linux: IFF_VNET_HDR with TCP coalescing on writes, and TSO
// on reads), falling back to less (or plain packets) when the kernel refuses; false: plain
// packets only.
std::unique_ptr<TunPort> OpenTunPort(const std::string& requested, bool offload, TunOpenError* error);
