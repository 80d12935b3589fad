// macOS TUN port: a utun interface through the kernel-control socket API. The reader thread,
// batches and counters are shared (tun_device.cc); this file opens the socket and frames
// packets (utun_frame.h), so JavaScript sees bare IP packets as on Linux.
//
// Batches: WritePackets is one writev(2) per packet, in order (utun has no GSO input; offload()
// is "none").
//
// Owns: the PF_SYSTEM socket (O_NONBLOCK and FD_CLOEXEC, set with fcntl(2) because Darwin's
// socket(2) takes no SOCK_* flags), and the 4-byte family prefix: added on write, stripped on
// read, with frames of an unknown family or too short dropped and counted.
// Must not: configure addresses or routes (main/service/net/darwin does, with ifconfig/route).
//
// Opening (XNU bsd/net/if_utun.c, bsd/kern/kern_control.c):
//   socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL)
//   ioctl(CTLIOCGINFO) with ctl_name "com.apple.net.utun_control" -> ctl_id
//   connect(sockaddr_ctl{sc_id = ctl_id, sc_unit}) -- sc_unit 0: the kernel takes the first
//     free unit; sc_unit N + 1 asks for "utunN" (utun_ctl_connect names it "utun%d", unit - 1),
//     and EBUSY means that unit is taken
//   getsockopt(SYSPROTO_CONTROL, UTUN_OPT_IFNAME) -> "utunN"
// Closing the socket detaches the interface and the kernel drops its addresses and routes.
//
// Compiled only on macOS; on Linux it is syntax- and type-checked against darwin-shim/
// (scripts/check-darwin.mjs, run by test/unit/native-helper/darwin-syntax.test.ts).
#include <fcntl.h>
#include <net/if.h>
#include <net/if_utun.h>
#include <sys/ioctl.h>
#include <sys/kern_control.h>
#include <sys/socket.h>
#include <sys/sys_domain.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "tun_port.h"
#include "utun_frame.h"

// The ABI this file relies on (XNU bsd/sys/kern_control.h): checked wherever it is compiled,
// including the Linux syntax check against darwin-shim/.
static_assert(sizeof(struct ctl_info) == 4 + MAX_KCTL_NAME, "struct ctl_info is u_int32_t + char[96]");
static_assert(sizeof(struct sockaddr_ctl) == 32, "struct sockaddr_ctl is 32 bytes");

namespace {

constexpr char kUtunPrefix[] = "utun";
constexpr size_t kUtunPrefixLength = sizeof(kUtunPrefix) - 1;

// "utunN" -> N + 1 (the sc_unit that asks for it); "" -> 0 (the kernel picks). false for any
// other name: utun interfaces cannot be renamed, so "pptp0" or "utun%d" cannot be honoured.
bool UtunUnitForName(const std::string& name, uint32_t* unit) {
  if (name.empty()) {
    *unit = 0;
    return true;
  }
  if (name.size() <= kUtunPrefixLength || name.size() >= IFNAMSIZ || name.compare(0, kUtunPrefixLength, kUtunPrefix) != 0) {
    return false;
  }
  std::string digits = name.substr(kUtunPrefixLength);
  if (digits.size() > 1 && digits[0] == '0') return false;  // "utun01" is not a name the kernel gives
  uint64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
    if (n >= std::numeric_limits<uint32_t>::max()) return false;  // N + 1 must fit sc_unit
  }
  *unit = static_cast<uint32_t>(n + 1);
  return true;
}

class DarwinUtunPort final : public TunPort {
 public:
  DarwinUtunPort(int fd, std::string name) : fd_(fd), name_(std::move(name)), read_buffer_(kMaxTunFrame) {}
  ~DarwinUtunPort() override { ::close(fd_); }

  int fd() const override { return fd_; }
  const std::string& name() const override { return name_; }
  const char* offload() const override { return "none"; }

  // One read(2), one packet: utun has no GSO, so nothing is ever pending.
  TunReadStatus ReadPackets(TunReadBatch batch, size_t /*room*/, TunReadTally* tally, int* err) override {
    for (;;) {
      ssize_t n = ::read(fd_, read_buffer_.data(), read_buffer_.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return TunReadStatus::kEmpty;
        *err = errno;
        return TunReadStatus::kError;
      }
      if (n == 0) return TunReadStatus::kEnd;
      tally->reads++;
      utun_frame::Decapsulated frame = utun_frame::Decapsulate(read_buffer_.data(), static_cast<size_t>(n));
      if (frame.status != utun_frame::DecapsulateStatus::kOk) return TunReadStatus::kDropped;
      const uint8_t* packet = read_buffer_.data() + frame.packetOffset;
      batch.bytes->insert(batch.bytes->end(), packet, packet + frame.packetLength);
      batch.ends->push_back(static_cast<uint32_t>(batch.bytes->size()));
      return TunReadStatus::kPackets;
    }
  }

  bool HasPendingPackets() const override { return false; }

  // One writev(2) of {family prefix, packet}: no copy of the packet.
  int WritePacket(const uint8_t* data, size_t length) override {
    uint8_t header[utun_frame::kHeaderLength];
    if (utun_frame::EncodeHeader(data, length, header) != utun_frame::EncapsulateStatus::kOk) {
      return EINVAL;  // neither IPv4 nor IPv6: what Linux's tun driver answers for it too
    }
    struct iovec parts[2];
    parts[0].iov_base = header;
    parts[0].iov_len = sizeof(header);
    parts[1].iov_base = const_cast<uint8_t*>(data);
    parts[1].iov_len = length;
    for (;;) {
      if (::writev(fd_, parts, 2) >= 0) return 0;
      if (errno != EINTR) return errno;
    }
  }

  void WritePackets(const PacketSpan* packets, size_t count, TunWriteTally* tally) override {
    for (size_t i = 0; i < count; i++) {
      tally->writes++;
      int err = WritePacket(packets[i].data, packets[i].length);
      if (err == 0) {
        tally->packets++;
        tally->bytes += packets[i].length;
      } else {
        tally->errors++;
        tally->last_errno = err;
      }
    }
  }

 private:
  int fd_;
  std::string name_;
  std::vector<uint8_t> read_buffer_;  // one frame: kMaxTunFrame octets
};

std::unique_ptr<TunPort> Fail(TunOpenError* error, int fd, const char* syscall, const std::string& message) {
  int err = errno;
  if (fd >= 0) ::close(fd);
  *error = TunOpenError{err, syscall, "", message};
  return nullptr;
}

}  // namespace

// `offload` is ignored: utun takes one packet per call.
std::unique_ptr<TunPort> OpenTunPort(const std::string& requested, bool /*offload*/, TunOpenError* error) {
  uint32_t unit = 0;
  if (!UtunUnitForName(requested, &unit)) {
    error->code = "EINVAL";
    error->message = "macOS names TUN interfaces utunN; \"" + requested + "\" cannot be opened (pass no name, or utun0, utun1, ...)";
    return nullptr;
  }
  int fd = ::socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL);
  if (fd < 0) return Fail(error, -1, "socket", "cannot create a kernel-control socket (PF_SYSTEM)");
  if (::fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return Fail(error, fd, "fcntl", "cannot set FD_CLOEXEC on the utun socket");

  struct ctl_info info;
  std::memset(&info, 0, sizeof(info));
  std::strncpy(info.ctl_name, UTUN_CONTROL_NAME, sizeof(info.ctl_name) - 1);
  if (::ioctl(fd, CTLIOCGINFO, &info) < 0) return Fail(error, fd, "ioctl", "CTLIOCGINFO for " UTUN_CONTROL_NAME " failed");

  struct sockaddr_ctl address;
  std::memset(&address, 0, sizeof(address));
  address.sc_len = sizeof(address);
  address.sc_family = AF_SYSTEM;
  address.ss_sysaddr = AF_SYS_CONTROL;
  address.sc_id = info.ctl_id;
  address.sc_unit = unit;
  if (::connect(fd, reinterpret_cast<struct sockaddr*>(&address), sizeof(address)) < 0) {
    // EBUSY: the requested utunN exists already, or every unit is taken.
    return Fail(error, fd, "connect", unit == 0 ? std::string("cannot create a utun interface") : "cannot create " + requested);
  }

  char name[IFNAMSIZ];
  std::memset(name, 0, sizeof(name));
  socklen_t name_length = sizeof(name);
  if (::getsockopt(fd, SYSPROTO_CONTROL, UTUN_OPT_IFNAME, name, &name_length) < 0) {
    return Fail(error, fd, "getsockopt", "UTUN_OPT_IFNAME failed");
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    return Fail(error, fd, "fcntl", "cannot make the utun socket non-blocking");
  }
  return std::make_unique<DarwinUtunPort>(fd, std::string(name, strnlen(name, sizeof(name))));
}
