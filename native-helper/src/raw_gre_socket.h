// The seam between the GrePort JavaScript class (gre_port.cc: reader thread, batches, counters,
// argument checks) and one operating system's raw IPv4 socket for GRE (IP protocol 47,
// RFC 2784 §2 / RFC 2637 §4).
//
// Each OS file implements OpenRawGreSocket: raw_gre_socket_linux.cc moves a batch in one
// recvmmsg(2) / sendmmsg(2); raw_gre_socket_darwin.cc loops recvmsg(2) / send(2), because XNU
// has neither. The socket is connect(2)ed to the one peer, so the kernel delivers only that
// source's datagrams (Linux raw(7), raw_v4_match(); XNU rip_input() skips a pcb whose inp_faddr
// differs) and sends need no address. Must not: touch N-API or JavaScript values (it runs on the
// reader thread too), or parse GRE (the engine does).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "packet_span.h"

// One receive slot. The OS file fills `length`, `source` (network byte order, from msg_name)
// and `truncated` (MSG_TRUNC: the datagram was longer than `capacity` and is cut).
struct GreReceiveSlot {
  uint8_t* data = nullptr;
  size_t capacity = 0;
  size_t length = 0;
  uint32_t source = 0;
  bool truncated = false;
};

class RawGreSocket {
 public:
  virtual ~RawGreSocket() = default;
  virtual int fd() const = 0;
  // Receives up to `count` datagrams without blocking. Returns how many slots were filled (> 0),
  // or -1 with *err set (EAGAIN/EWOULDBLOCK when nothing was waiting).
  virtual int ReceiveBatch(GreReceiveSlot* slots, unsigned count, int* err) = 0;
  // Sends packets[0..count) in order without blocking. Returns how many the kernel took before
  // the first one it refused (count when none was refused); when < count, *err is the errno of
  // packets[returned]. EINTR is retried inside.
  virtual unsigned SendBatch(const PacketSpan* packets, unsigned count, int* err) = 0;
};

// The receive slot size: a PPTP peer's GRE fits a 1500-octet path MTU with room to spare
// (the IPv4 header is included on receive, raw(7)); longer datagrams are dropped and counted.
constexpr size_t kGreSlotBytes = 4096;
// SO_RCVBUF / SO_SNDBUF: bursts of ~1,400 full-size packets (socket(7)).
constexpr int kGreSocketBufferBytes = 2 * 1024 * 1024;
// IANA protocol numbers: 47 is GRE (RFC 2784; PPTP's enhanced GRE, RFC 2637 §4).
constexpr int kIpProtocolGre = 47;

// Why OpenRawGreSocket failed: errno `err` from `syscall`.
struct GreOpenError {
  int err = 0;
  const char* syscall = "";
};

// Opens a non-blocking, close-on-exec raw GRE socket connected to `remote` (an IPv4 address in
// network byte order) with 2 MiB socket buffers (best effort). nullptr and *error on failure.
std::unique_ptr<RawGreSocket> OpenRawGreSocket(uint32_t remote, GreOpenError* error);
