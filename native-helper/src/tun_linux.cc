// Linux TUN port: /dev/net/tun opened with TUNSETIFF (IFF_TUN | IFF_NO_PI), so packets carry no
// packet-information prefix, and, when the kernel offers it, IFF_VNET_HDR: every read and write
// then starts with a struct virtio_net_hdr (TUNSETVNETHDRSZ 10; include/uapi/linux/virtio_net.h,
// Documentation/networking/tuntap.rst). The reader thread, batches and counters are shared
// (tun_device.cc).
//
// Why the virtio header: it lets one writev(2) carry a GSO super-packet (tcp_coalesce.h), so the
// kernel runs its receive stack once per run of TCP segments instead of once per segment.
// Reads: offloads stay off (no TUNSETOFFLOAD), so the kernel computes checksums and segments
// before it hands us a packet; the port strips the header, completes a checksum flagged
// NEEDS_CSUM should one come anyway, and drops (counted as a framing drop) any GSO packet.
// Writes: a single packet goes behind a zero header (GSO_NONE); a batch is planned by
// tcp_coalesce::PlanWrite. If the kernel refuses a super-packet, its segments go again one by
// one, so a kernel that validates differently costs speed, never packets.
// Kernels without IFF_VNET_HDR (TUNGETFEATURES says so) or refusing it: plain packets, one
// write(2) each, and offload() says "none".
//
// Owns: the /dev/net/tun file descriptor (O_NONBLOCK | O_CLOEXEC, so `ip`/`resolvectl` children
// never inherit it) and the virtio header. Must not: configure addresses or routes.
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tcp_coalesce.h"
#include "tun_port.h"

namespace {

using tcp_coalesce::kVirtioNetHdrLength;

// struct virtio_net_hdr's __virtio16 fields in the host's byte order (see tcp_coalesce.cc).
uint16_t LoadVirtio16(const uint8_t* p) {
  uint16_t value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

class LinuxTunPort final : public TunPort {
 public:
  LinuxTunPort(int fd, std::string name, bool vnet) : fd_(fd), name_(std::move(name)), vnet_(vnet) {}
  ~LinuxTunPort() override { ::close(fd_); }

  int fd() const override { return fd_; }
  const std::string& name() const override { return name_; }
  const char* offload() const override { return vnet_ ? "gro" : "none"; }

  TunReadStatus ReadPacket(uint8_t* buffer, size_t capacity, size_t* offset, size_t* length, int* err) override {
    for (;;) {
      ssize_t n = ::read(fd_, buffer, capacity);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return TunReadStatus::kEmpty;
        *err = errno;
        return TunReadStatus::kError;
      }
      if (n == 0) return TunReadStatus::kEnd;
      if (!vnet_) {
        *offset = 0;
        *length = static_cast<size_t>(n);
        return TunReadStatus::kPacket;
      }
      return StripVirtioHeader(buffer, static_cast<size_t>(n), offset, length);
    }
  }

  int WritePacket(const uint8_t* data, size_t length) override {
    if (!vnet_) return WriteAll(data, length);
    uint8_t none[kVirtioNetHdrLength] = {};  // flags 0, GSO_NONE: the kernel checks the checksums
    struct iovec parts[2] = {{none, sizeof(none)}, {const_cast<uint8_t*>(data), length}};
    return WritevAll(parts, 2);
  }

  void WritePackets(const PacketSpan* packets, size_t count, TunWriteTally* tally) override {
    if (!vnet_) {
      for (size_t i = 0; i < count; i++) WriteAlone(packets[i], tally);
      return;
    }
    tcp_coalesce::Write plan;
    struct iovec parts[1 + tcp_coalesce::kMaxSegments];
    for (size_t start = 0; start < count; start += plan.count) {
      tcp_coalesce::PlanWrite(packets, count, start, &plan);
      if (plan.count == 1) {
        WriteAlone(packets[start], tally);
        continue;
      }
      parts[0] = {plan.header, plan.header_length};
      for (size_t k = 0; k < plan.count; k++) {
        const PacketSpan& segment = packets[plan.first + k];
        parts[1 + k] = {const_cast<uint8_t*>(segment.data + plan.payload_offset), segment.length - plan.payload_offset};
      }
      tally->writes++;
      int err = WritevAll(parts, static_cast<int>(1 + plan.count));
      if (err == 0) {
        tally->packets += plan.count;
        tally->bytes += plan.packet_bytes;
        tally->coalesced += plan.count;
        continue;
      }
      tally->errors++;
      tally->last_errno = err;
      for (size_t k = 0; k < plan.count; k++) WriteAlone(packets[plan.first + k], tally);
    }
  }

 private:
  void WriteAlone(const PacketSpan& packet, TunWriteTally* tally) {
    tally->writes++;
    int err = WritePacket(packet.data, packet.length);
    if (err == 0) {
      tally->packets++;
      tally->bytes += packet.length;
    } else {
      tally->errors++;
      tally->last_errno = err;
    }
  }

  // buffer[0, n) is {virtio_net_hdr, packet}.
  static TunReadStatus StripVirtioHeader(uint8_t* buffer, size_t n, size_t* offset, size_t* length) {
    if (n <= kVirtioNetHdrLength) return TunReadStatus::kDropped;
    if (buffer[tcp_coalesce::kVnetGsoType] != tcp_coalesce::kVirtioNetHdrGsoNone) return TunReadStatus::kDropped;
    uint8_t* packet = buffer + kVirtioNetHdrLength;
    size_t packet_length = n - kVirtioNetHdrLength;
    if ((buffer[tcp_coalesce::kVnetFlags] & tcp_coalesce::kVirtioNetHdrFNeedsCsum) != 0) {
      // CHECKSUM_PARTIAL: the field at csum_start + csum_offset holds the pseudo-header sum;
      // the checksum is the complement of the sum from csum_start to the end (the field included).
      size_t start = LoadVirtio16(buffer + tcp_coalesce::kVnetCsumStart);
      size_t field = start + LoadVirtio16(buffer + tcp_coalesce::kVnetCsumOffset);
      if (field + 2 > packet_length) return TunReadStatus::kDropped;
      uint16_t sum = tcp_coalesce::OnesComplementSum(packet + start, packet_length - start, 0);
      uint16_t checksum = static_cast<uint16_t>(~sum);
      packet[field] = static_cast<uint8_t>(checksum >> 8);
      packet[field + 1] = static_cast<uint8_t>(checksum);
    }
    *offset = kVirtioNetHdrLength;
    *length = packet_length;
    return TunReadStatus::kPacket;
  }

  int WriteAll(const uint8_t* data, size_t length) {
    for (;;) {
      if (::write(fd_, data, length) >= 0) return 0;
      if (errno != EINTR) return errno;
    }
  }

  int WritevAll(const struct iovec* parts, int count) {
    for (;;) {
      if (::writev(fd_, parts, count) >= 0) return 0;
      if (errno != EINTR) return errno;
    }
  }

  int fd_;
  std::string name_;
  bool vnet_;
};

// Opens /dev/net/tun and attaches it with `flags`; -1 with *error set on failure.
int AttachTun(const std::string& requested, short flags, std::string* name, TunOpenError* error) {
  int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    *error = TunOpenError{errno, "open", "", "cannot open /dev/net/tun"};
    return -1;
  }
  struct ifreq ifr;
  std::memset(&ifr, 0, sizeof(ifr));
  ifr.ifr_flags = flags;
  std::memcpy(ifr.ifr_name, requested.data(), requested.size());
  if (::ioctl(fd, TUNSETIFF, &ifr) < 0) {
    int err = errno;
    ::close(fd);
    *error = TunOpenError{err, "ioctl", "", "TUNSETIFF failed"};
    return -1;
  }
  *name = std::string(ifr.ifr_name, strnlen(ifr.ifr_name, IFNAMSIZ));
  return fd;
}

// Whether this kernel's tun driver offers IFF_VNET_HDR (TUNGETFEATURES, drivers/net/tun.c).
bool KernelOffersVnetHeader() {
  int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned int features = 0;
  bool offered = ::ioctl(fd, TUNGETFEATURES, &features) == 0 && (features & IFF_VNET_HDR) != 0;
  ::close(fd);
  return offered;
}

}  // namespace

// "" lets the kernel pick (tun0, tun1, ...); a name with "%d" is a kernel template ("pptp%d").
std::unique_ptr<TunPort> OpenTunPort(const std::string& requested, bool offload, TunOpenError* error) {
  if (requested.size() >= IFNAMSIZ) {
    error->code = "EINVAL";
    error->message = "TUN name is longer than 15 bytes";
    return nullptr;
  }
  constexpr short kPlain = IFF_TUN | IFF_NO_PI;  // layer 3, no 4-byte packet-information prefix
  std::string name;
  if (offload && KernelOffersVnetHeader()) {
    int fd = AttachTun(requested, kPlain | IFF_VNET_HDR, &name, error);
    if (fd < 0 && error->err != EINVAL) return nullptr;  // EBUSY, EPERM, ...: the same without the header
    if (fd >= 0) {
      int size = static_cast<int>(kVirtioNetHdrLength);  // sizeof(struct virtio_net_hdr)
      if (::ioctl(fd, TUNSETVNETHDRSZ, &size) == 0) return std::make_unique<LinuxTunPort>(fd, name, true);
      ::close(fd);  // the interface goes with it; open it again without the header
    }
    *error = TunOpenError{};
  }
  int fd = AttachTun(requested, kPlain, &name, error);
  if (fd < 0) return nullptr;
  return std::make_unique<LinuxTunPort>(fd, name, false);
}
