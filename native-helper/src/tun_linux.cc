// Linux TUN port: /dev/net/tun opened with TUNSETIFF (IFF_TUN | IFF_NO_PI), so packets carry no
// packet-information prefix, and, when the kernel offers it, IFF_VNET_HDR: every read and write
// then starts with a struct virtio_net_hdr (TUNSETVNETHDRSZ 10; include/uapi/linux/virtio_net.h,
// Documentation/networking/tuntap.rst). The reader thread, batches and counters are shared
// (tun_device.cc).
//
// Why the virtio header: it lets one writev(2) carry a GSO super-packet (tcp_coalesce.h), so the
// kernel runs its receive stack once per run of TCP segments instead of once per segment; and,
// with TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) (drivers/net/tun.c set_offload: the
// device gains NETIF_F_HW_CSUM, TSO and TSO6), one read(2) returns up to 64 KiB of one TCP flow
// that the kernel's TCP stack did not segment. The kernel's TSO uses the route's MSS as
// gso_size, so the segments come out no larger than the device MTU.
// Reads: gso_split.h turns each frame into packets -- completes a checksum flagged NEEDS_CSUM,
// splits a GSO_TCPV4/TCPV6 super-packet into segments, refuses (a framing drop) what it does not
// understand. A frame's packets go into the reader's batch as far as it has room; the rest wait
// in the port (HasPendingPackets) for the next batch, so a batch never exceeds its size.
// If the kernel refuses TUNSETOFFLOAD, reads keep offloads off (the kernel segments and
// checksums before it hands us a packet) and offload() says "gro" instead of "gro+tso".
// Writes: a single packet goes behind a zero header (GSO_NONE); a batch is planned by
// tcp_coalesce::PlanWrite. If the kernel refuses a super-packet, its segments go again one by
// one, so a kernel that validates differently costs speed, never packets.
// Kernels without IFF_VNET_HDR (TUNGETFEATURES says so) or refusing it: plain packets, one
// read(2) / write(2) each, and offload() says "none".
//
// Owns: the /dev/net/tun file descriptor (O_NONBLOCK | O_CLOEXEC, so `ip`/`resolvectl` children
// never inherit it), the virtio header and the read buffer with a frame's pending packets.
// Must not: configure addresses or routes.
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "gso_split.h"
#include "tcp_coalesce.h"
#include "tun_port.h"

namespace {

using tcp_coalesce::kVirtioNetHdrLength;

class LinuxTunPort final : public TunPort {
 public:
  LinuxTunPort(int fd, std::string name, bool vnet, bool tso)
      : fd_(fd), name_(std::move(name)), vnet_(vnet), tso_(tso), read_buffer_(kMaxTunFrame) {}
  ~LinuxTunPort() override { ::close(fd_); }

  int fd() const override { return fd_; }
  const std::string& name() const override { return name_; }
  const char* offload() const override { return tso_ ? "gro+tso" : vnet_ ? "gro" : "none"; }

  TunReadStatus ReadPackets(TunReadBatch batch, size_t room, TunReadTally* tally, int* err) override {
    if (HasPendingPackets()) {
      AppendPending(batch, room, tally);
      return TunReadStatus::kPackets;
    }
    ssize_t n;
    for (;;) {
      n = ::read(fd_, read_buffer_.data(), read_buffer_.size());
      if (n >= 0) break;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return TunReadStatus::kEmpty;
      *err = errno;
      return TunReadStatus::kError;
    }
    if (n == 0) return TunReadStatus::kEnd;
    tally->reads++;
    if (!vnet_) {
      batch.bytes->insert(batch.bytes->end(), read_buffer_.data(), read_buffer_.data() + n);
      batch.ends->push_back(static_cast<uint32_t>(batch.bytes->size()));
      return TunReadStatus::kPackets;
    }
    if (gso_split::Parse(read_buffer_.data(), static_cast<size_t>(n), &pending_) != gso_split::Status::kOk) {
      pending_next_ = pending_end_ = 0;
      return TunReadStatus::kDropped;
    }
    pending_next_ = 0;
    pending_end_ = pending_.packets;
    AppendPending(batch, room, tally);
    return TunReadStatus::kPackets;
  }

  bool HasPendingPackets() const override { return pending_next_ < pending_end_; }

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

  // The next packets of the frame in read_buffer_, as many as `room` allows.
  void AppendPending(TunReadBatch batch, size_t room, TunReadTally* tally) {
    size_t count = pending_end_ - pending_next_ < room ? pending_end_ - pending_next_ : room;
    gso_split::AppendPackets(pending_, pending_next_, count, batch.bytes, batch.ends);
    if (pending_.tso) tally->segmented += count;
    pending_next_ += count;
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
  bool tso_;
  std::vector<uint8_t> read_buffer_;  // the last frame read: kMaxTunFrame octets
  gso_split::Frame pending_;          // that frame parsed (points into read_buffer_)
  size_t pending_next_ = 0;           // its packets [pending_next_, pending_end_) wait for a batch
  size_t pending_end_ = 0;
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
      if (::ioctl(fd, TUNSETVNETHDRSZ, &size) == 0) {
        // include/uapi/linux/if_tun.h: TSO needs TUN_F_CSUM too; the argument is the value itself.
        // TUN_F_TSO_ECN is not offered: the kernel then segments CWR super-packets itself.
        bool tso = ::ioctl(fd, TUNSETOFFLOAD, static_cast<unsigned long>(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)) == 0;
        return std::make_unique<LinuxTunPort>(fd, name, true, tso);
      }
      ::close(fd);  // the interface goes with it; open it again without the header
    }
    *error = TunOpenError{};
  }
  int fd = AttachTun(requested, kPlain, &name, error);
  if (fd < 0) return nullptr;
  return std::make_unique<LinuxTunPort>(fd, name, false, false);
}
