// A pollable "stop now" flag for the TUN reader thread: the thread polls its read end beside
// the TUN fd, and Raise() from the JS thread wakes it.
//
// Linux: an eventfd (eventfd(2)). Darwin has no eventfd, so a self-pipe (pipe(2), both ends
// O_NONBLOCK and FD_CLOEXEC through fcntl(2) because Darwin has no pipe2). Must not: block.
#pragma once

#include <fcntl.h>
#include <unistd.h>
#if defined(__APPLE__)
// pipe-based below
#elif defined(__linux__)
#include <sys/eventfd.h>
#endif

#include <cerrno>
#include <cstdint>

class StopSignal {
 public:
  StopSignal() = default;
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;
  ~StopSignal() { Close(); }

#if defined(__APPLE__)
  static constexpr const char* kSyscall = "pipe";
#else
  static constexpr const char* kSyscall = "eventfd";
#endif

  // 0 or the errno of the failed call.
  int Open() {
#if defined(__APPLE__)
    int fds[2];
    if (::pipe(fds) < 0) return errno;
    for (int fd : fds) {
      int flags = ::fcntl(fd, F_GETFL);
      if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 || ::fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        int err = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        return err;
      }
    }
    read_fd_ = fds[0];
    write_fd_ = fds[1];
#else
    int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) return errno;
    read_fd_ = fd;
    write_fd_ = fd;
#endif
    return 0;
  }

  int poll_fd() const { return read_fd_; }

  void Raise() {
#if defined(__APPLE__)
    uint8_t one = 1;
#else
    uint64_t one = 1;  // eventfd(2): writes are 8-byte counters
#endif
    ssize_t ignored = ::write(write_fd_, &one, sizeof(one));
    (void)ignored;
  }

  void Close() {
    if (write_fd_ >= 0 && write_fd_ != read_fd_) ::close(write_fd_);
    if (read_fd_ >= 0) ::close(read_fd_);
    read_fd_ = -1;
    write_fd_ = -1;
  }

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;
};
