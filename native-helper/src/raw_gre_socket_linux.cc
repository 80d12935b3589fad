// Linux's raw GRE socket (see raw_gre_socket.h): one recvmmsg(2) receives a whole batch and one
// sendmmsg(2) sends one (each loops only when the kernel stops part way), instead of a system
// call per packet.
//
// Owns: the fd, its socket options and the mmsghdr/iovec arrays (kept between calls: no
// allocation per batch). Must not: know about JavaScript or count packets (gre_port.cc does).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "raw_gre_socket.h"

namespace {

// Linux caps vlen at UIO_MAXIOV (1024; net/socket.c __sys_sendmmsg/do_recvmmsg), so one call
// never moves more; gre_port.cc's batchSize limit is the same number.
constexpr unsigned kMaxMessagesPerCall = 1024;

class LinuxRawGreSocket : public RawGreSocket {
 public:
  explicit LinuxRawGreSocket(int fd) : fd_(fd) {}
  ~LinuxRawGreSocket() override { ::close(fd_); }

  int fd() const override { return fd_; }

  int ReceiveBatch(GreReceiveSlot* slots, unsigned count, int* err) override {
    if (count > kMaxMessagesPerCall) count = kMaxMessagesPerCall;
    Reserve(&rx_messages_, &rx_iov_, count);
    rx_names_.resize(std::max<size_t>(rx_names_.size(), count));
    for (unsigned i = 0; i < count; i++) {
      rx_iov_[i] = {slots[i].data, slots[i].capacity};
      struct msghdr& h = rx_messages_[i].msg_hdr;
      std::memset(&h, 0, sizeof(h));
      h.msg_name = &rx_names_[i];
      h.msg_namelen = sizeof(rx_names_[i]);
      h.msg_iov = &rx_iov_[i];
      h.msg_iovlen = 1;
      rx_messages_[i].msg_len = 0;
    }
    int received;
    do {
      // Non-blocking: returns what was queued (recvmmsg(2): after the first datagram an EAGAIN
      // ends the call with the count so far). No timeout argument: it is broken by design (BUGS).
      received = ::recvmmsg(fd_, rx_messages_.data(), count, MSG_DONTWAIT, nullptr);
    } while (received < 0 && errno == EINTR);
    if (received < 0) {
      *err = errno;
      return -1;
    }
    for (int i = 0; i < received; i++) {
      const struct msghdr& h = rx_messages_[i].msg_hdr;
      slots[i].length = rx_messages_[i].msg_len;
      slots[i].truncated = (h.msg_flags & MSG_TRUNC) != 0;
      slots[i].source = h.msg_namelen >= sizeof(struct sockaddr_in) ? rx_names_[i].sin_addr.s_addr : 0;
    }
    return received;
  }

  unsigned SendBatch(const PacketSpan* packets, unsigned count, int* err) override {
    unsigned sent = 0;
    while (sent < count) {
      unsigned chunk = std::min(count - sent, kMaxMessagesPerCall);
      Reserve(&tx_messages_, &tx_iov_, chunk);
      for (unsigned i = 0; i < chunk; i++) {
        const PacketSpan& p = packets[sent + i];
        tx_iov_[i] = {const_cast<uint8_t*>(p.data), p.length};
        struct msghdr& h = tx_messages_[i].msg_hdr;
        std::memset(&h, 0, sizeof(h));  // msg_name NULL: the connected peer (raw_sendmsg)
        h.msg_iov = &tx_iov_[i];
        h.msg_iovlen = 1;
      }
      int result = ::sendmmsg(fd_, tx_messages_.data(), chunk, MSG_DONTWAIT);
      if (result < 0) {
        if (errno == EINTR) continue;
        *err = errno;
        return sent;
      }
      // sendmmsg(2): fewer than asked means the next message failed; the next call reports why.
      sent += static_cast<unsigned>(result);
    }
    return sent;
  }

 private:
  static void Reserve(std::vector<struct mmsghdr>* messages, std::vector<struct iovec>* iov, unsigned count) {
    if (messages->size() < count) {
      messages->resize(count);
      iov->resize(count);
    }
  }

  int fd_;
  std::vector<struct mmsghdr> rx_messages_;  // reader thread only
  std::vector<struct iovec> rx_iov_;
  std::vector<struct sockaddr_in> rx_names_;
  std::vector<struct mmsghdr> tx_messages_;  // JS thread only
  std::vector<struct iovec> tx_iov_;
};

// socket(7): SO_*BUFFORCE (CAP_NET_ADMIN, so root) passes net.core.[rw]mem_max; without it the
// plain option is clamped to that maximum. Either way a failure only costs burst capacity.
void SetBuffer(int fd, int forced, int plain) {
  int bytes = kGreSocketBufferBytes;
  if (::setsockopt(fd, SOL_SOCKET, forced, &bytes, sizeof(bytes)) == 0) return;
  (void)::setsockopt(fd, SOL_SOCKET, plain, &bytes, sizeof(bytes));
}

}  // namespace

std::unique_ptr<RawGreSocket> OpenRawGreSocket(uint32_t remote, GreOpenError* error) {
  // raw(7): needs CAP_NET_RAW (EPERM otherwise). The kernel includes the IPv4 header on receive
  // and builds it on send (no IP_HDRINCL).
  int fd = ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, kIpProtocolGre);
  if (fd < 0) {
    *error = {errno, "socket"};
    return nullptr;
  }
  SetBuffer(fd, SO_RCVBUFFORCE, SO_RCVBUF);
  SetBuffer(fd, SO_SNDBUFFORCE, SO_SNDBUF);
  struct sockaddr_in peer;
  std::memset(&peer, 0, sizeof(peer));
  peer.sin_family = AF_INET;
  peer.sin_addr.s_addr = remote;
  if (::connect(fd, reinterpret_cast<struct sockaddr*>(&peer), sizeof(peer)) < 0) {
    *error = {errno, "connect"};
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<LinuxRawGreSocket>(fd);
}
