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

enum class TunReadStatus {
  kPacket,   // one bare IP packet is at buffer[*offset, *offset + *length)
  kDropped,  // a frame arrived but was not an IP packet the port could hand on (counted)
  kEmpty,    // nothing to read now (EAGAIN)
  kEnd,      // read returned 0
  kError,    // *err holds the errno
};

class TunPort {
 public:
  virtual ~TunPort() = default;
  virtual int fd() const = 0;
  virtual const std::string& name() const = 0;
  // Reads one frame without blocking into `buffer` (kMaxTunFrame bytes) and locates the packet.
  virtual TunReadStatus ReadPacket(uint8_t* buffer, size_t capacity, size_t* offset, size_t* length, int* err) = 0;
  // Writes one bare IP packet (adding any OS framing); 0 on success, else the errno
  // (EINVAL for a packet the OS framing cannot carry, as Linux's tun driver answers).
  virtual int WritePacket(const uint8_t* data, size_t length) = 0;
};

// The largest frame a TUN read can return: an IPv4/IPv6 packet of up to 65535 octets plus a
// 4-byte utun family prefix. Reading into a smaller buffer would silently truncate.
constexpr size_t kMaxTunFrame = 65536 + 4;

// Why OpenTunPort failed: an errno from `syscall` (err != 0), or a stable code of our own.
struct TunOpenError {
  int err = 0;
  const char* syscall = "";
  const char* code = "";
  std::string message;
};

// Opens the OS's TUN device. `requested` is "" (the kernel picks) or an OS-specific name.
std::unique_ptr<TunPort> OpenTunPort(const std::string& requested, TunOpenError* error);
