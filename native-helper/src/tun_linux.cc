// Linux TUN port: open /dev/net/tun with TUNSETIFF (IFF_TUN | IFF_NO_PI), so reads and writes
// are bare IP packets with no prefix. The reader thread, batches and counters are shared
// (tun_device.cc).
//
// Owns: the /dev/net/tun file descriptor (O_NONBLOCK | O_CLOEXEC, so `ip`/`resolvectl`
// children never inherit it). Must not: configure addresses or routes.
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tun_port.h"

namespace {

class LinuxTunPort final : public TunPort {
 public:
  LinuxTunPort(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  ~LinuxTunPort() override { ::close(fd_); }

  int fd() const override { return fd_; }
  const std::string& name() const override { return name_; }

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
      *offset = 0;
      *length = static_cast<size_t>(n);
      return TunReadStatus::kPacket;
    }
  }

  int WritePacket(const uint8_t* data, size_t length) override {
    for (;;) {
      if (::write(fd_, data, length) >= 0) return 0;
      if (errno != EINTR) return errno;
    }
  }

 private:
  int fd_;
  std::string name_;
};

}  // namespace

// "" lets the kernel pick (tun0, tun1, ...); a name with "%d" is a kernel template ("pptp%d").
std::unique_ptr<TunPort> OpenTunPort(const std::string& requested, TunOpenError* error) {
  if (requested.size() >= IFNAMSIZ) {
    error->code = "EINVAL";
    error->message = "TUN name is longer than 15 bytes";
    return nullptr;
  }
  int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    *error = TunOpenError{errno, "open", "", "cannot open /dev/net/tun"};
    return nullptr;
  }
  struct ifreq ifr;
  std::memset(&ifr, 0, sizeof(ifr));
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;  // layer 3, no 4-byte packet-information prefix
  std::memcpy(ifr.ifr_name, requested.data(), requested.size());
  if (::ioctl(fd, TUNSETIFF, &ifr) < 0) {
    int err = errno;
    ::close(fd);
    *error = TunOpenError{err, "ioctl", "", "TUNSETIFF failed"};
    return nullptr;
  }
  return std::make_unique<LinuxTunPort>(fd, std::string(ifr.ifr_name, strnlen(ifr.ifr_name, IFNAMSIZ)));
}
