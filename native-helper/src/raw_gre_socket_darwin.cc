// macOS's raw GRE socket (see raw_gre_socket.h). XNU has no recvmmsg/sendmmsg, so a batch is a
// loop of recvmsg(2) / send(2), one datagram per call; the batches and the JavaScript API stay
// the same as on Linux.
//
// Owns: the fd and its socket options. Must not: know about JavaScript or count packets
// (gre_port.cc does).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "raw_gre_socket.h"

namespace {

class DarwinRawGreSocket : public RawGreSocket {
 public:
  explicit DarwinRawGreSocket(int fd) : fd_(fd) {}
  ~DarwinRawGreSocket() override { ::close(fd_); }

  int fd() const override { return fd_; }

  int ReceiveBatch(GreReceiveSlot* slots, unsigned count, int* err) override {
    unsigned received = 0;
    while (received < count) {
      GreReceiveSlot& slot = slots[received];
      struct sockaddr_in source;
      struct iovec iov = {slot.data, slot.capacity};
      struct msghdr h;
      std::memset(&h, 0, sizeof(h));
      h.msg_name = &source;
      h.msg_namelen = sizeof(source);
      h.msg_iov = &iov;
      h.msg_iovlen = 1;
      ssize_t n = ::recvmsg(fd_, &h, MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (received > 0) break;  // the batch so far; the next poll() reports anything lasting
        *err = errno;
        return -1;
      }
      slot.length = static_cast<size_t>(n);
      slot.truncated = (h.msg_flags & MSG_TRUNC) != 0;
      slot.source = h.msg_namelen >= sizeof(source) ? source.sin_addr.s_addr : 0;
      received++;
    }
    return static_cast<int>(received);
  }

  unsigned SendBatch(const PacketSpan* packets, unsigned count, int* err) override {
    unsigned sent = 0;
    while (sent < count) {
      // send(2), not sendto: XNU's rip_send() answers EISCONN to an address on a connected socket.
      ssize_t n = ::send(fd_, packets[sent].data, packets[sent].length, MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EINTR) continue;
        *err = errno;
        return sent;
      }
      sent++;
    }
    return sent;
  }

 private:
  int fd_;
};

// Darwin has no SOCK_NONBLOCK / SOCK_CLOEXEC flags for socket(2): fcntl(2) sets them.
int SetNonBlockingCloseOnExec(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 || ::fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return errno;
  return 0;
}

}  // namespace

std::unique_ptr<RawGreSocket> OpenRawGreSocket(uint32_t remote, GreOpenError* error) {
  // XNU rip_attach() refuses a raw socket to a non-root process with EPERM
  // (bsd/netinet/raw_ip.c); the header is included on receive, built by the kernel on send.
  int fd = ::socket(AF_INET, SOCK_RAW, kIpProtocolGre);
  if (fd < 0) {
    *error = {errno, "socket"};
    return nullptr;
  }
  int fcntl_err = SetNonBlockingCloseOnExec(fd);
  if (fcntl_err != 0) {
    *error = {fcntl_err, "fcntl"};
    ::close(fd);
    return nullptr;
  }
  // Best effort: kern.ipc.maxsockbuf (8 MiB by default) bounds these; no FORCE variants on XNU.
  int bytes = kGreSocketBufferBytes;
  (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
  (void)::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof(bytes));
  struct sockaddr_in peer;
  std::memset(&peer, 0, sizeof(peer));
  // sin_len stays 0: XNU's getsockaddr() sets sa_len from the length argument
  // (bsd/kern/uipc_syscalls.c), and glibc's sockaddr_in (check-darwin.mjs) has no such field.
  peer.sin_family = AF_INET;
  peer.sin_addr.s_addr = remote;
  if (::connect(fd, reinterpret_cast<struct sockaddr*>(&peer), sizeof(peer)) < 0) {
    *error = {errno, "connect"};
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<DarwinRawGreSocket>(fd);
}
