// peerCredentials(fd): who is at the other end of a connected Unix-domain socket, for the
// privileged service's check of the GUI that connects to it.
//
//   peerCredentials(fd: number) -> { uid: number, gid: number, pid: number | null }
//
// Linux: getsockopt(SOL_SOCKET, SO_PEERCRED) -> struct ucred (unix(7)): the ids and pid of the
//   peer as they were at connect(2)/socketpair(2).
// macOS: getpeereid(3) for the effective uid/gid at connect time, and
//   getsockopt(SOL_LOCAL, LOCAL_PEERPID) (XNU bsd/sys/un.h) for the pid; pid is null when
//   that option fails.
// Elsewhere: throws ERR_PEERCRED_UNSUPPORTED_PLATFORM.
//
// Owns: the checks before asking, so that no answer is ever made up: the fd must be a
// connected AF_UNIX socket (getsockname/getpeername). Linux answers SO_PEERCRED on other
// sockets with the overflow ids (65534, "nobody"), which a caller could mistake for a user.
// Errors: ERR_PEERCRED_INVALID_FD (not an fd number), ERR_PEERCRED_NOT_UNIX_SOCKET, or the
// errno name of the failed call (EBADF, ENOTSOCK, ENOTCONN, ...).
#include "peer_credentials.h"

#include <cerrno>
#include <climits>
#include <cstring>

#include "errno_name.h"

#if defined(__APPLE__)
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>
#define PPTP_PEERCRED_SUPPORTED 1
#elif defined(__linux__)
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>
#define PPTP_PEERCRED_SUPPORTED 1
#else
#define PPTP_PEERCRED_SUPPORTED 0
#endif

namespace {

#if PPTP_PEERCRED_SUPPORTED
struct PeerIds {
  uid_t uid;
  gid_t gid;
  pid_t pid;  // 0 when unknown
};

// 0, or the errno of `*syscall`; *not_unix when the socket is connected but not AF_UNIX.
int CheckConnectedUnixSocket(int fd, const char** syscall, bool* not_unix) {
  struct sockaddr_storage local;
  socklen_t length = sizeof(local);
  std::memset(&local, 0, sizeof(local));
  if (::getsockname(fd, reinterpret_cast<struct sockaddr*>(&local), &length) < 0) {
    *syscall = "getsockname";
    return errno;
  }
  if (local.ss_family != AF_UNIX) {
    *not_unix = true;
    return 0;
  }
  struct sockaddr_storage peer;
  length = sizeof(peer);
  if (::getpeername(fd, reinterpret_cast<struct sockaddr*>(&peer), &length) < 0) {
    *syscall = "getpeername";
    return errno;  // ENOTCONN for a listening or unconnected socket
  }
  return 0;
}

int ReadPeerIds(int fd, PeerIds* ids, const char** syscall) {
#if defined(__APPLE__)
  if (::getpeereid(fd, &ids->uid, &ids->gid) < 0) {
    *syscall = "getpeereid";
    return errno;
  }
  pid_t pid = 0;
  socklen_t length = sizeof(pid);
  if (::getsockopt(fd, SOL_LOCAL, LOCAL_PEERPID, &pid, &length) < 0 || length != sizeof(pid)) pid = 0;
  ids->pid = pid;
  return 0;
#else
  struct ucred credentials;
  socklen_t length = sizeof(credentials);
  std::memset(&credentials, 0, sizeof(credentials));
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) < 0) {
    *syscall = "getsockopt";
    return errno;
  }
  if (length != sizeof(credentials)) {
    *syscall = "getsockopt";
    return EINVAL;
  }
  ids->uid = credentials.uid;
  ids->gid = credentials.gid;
  ids->pid = credentials.pid;
  return 0;
#endif
}
#endif  // PPTP_PEERCRED_SUPPORTED

Napi::Value PeerCredentials(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double raw = -1;
  if (info.Length() >= 1 && info[0].IsNumber()) raw = info[0].As<Napi::Number>().DoubleValue();
  if (!(raw >= 0 && raw <= INT_MAX) || raw != static_cast<double>(static_cast<int>(raw))) {
    CodedError(env, "ERR_PEERCRED_INVALID_FD", "peerCredentials(fd) needs a file descriptor (an integer >= 0)")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
#if PPTP_PEERCRED_SUPPORTED
  int fd = static_cast<int>(raw);
  const char* syscall = "";
  bool not_unix = false;
  int err = CheckConnectedUnixSocket(fd, &syscall, &not_unix);
  if (err != 0) {
    ErrnoError(env, err, syscall, "peerCredentials: fd " + std::to_string(fd) + " is not a connected socket")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (not_unix) {
    CodedError(env, "ERR_PEERCRED_NOT_UNIX_SOCKET",
               "peerCredentials: fd " + std::to_string(fd) + " is not a Unix-domain socket; only those carry peer credentials")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  PeerIds ids{0, 0, 0};
  err = ReadPeerIds(fd, &ids, &syscall);
  if (err != 0) {
    ErrnoError(env, err, syscall, "peerCredentials: cannot read the peer's credentials").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("uid", Napi::Number::New(env, static_cast<double>(ids.uid)));
  result.Set("gid", Napi::Number::New(env, static_cast<double>(ids.gid)));
  result.Set("pid", ids.pid > 0 ? Napi::Number::New(env, static_cast<double>(ids.pid)) : env.Null());
  return result;
#else
  CodedError(env, "ERR_PEERCRED_UNSUPPORTED_PLATFORM", "peer credentials are not supported on this platform yet")
      .ThrowAsJavaScriptException();
  return env.Undefined();
#endif
}

}  // namespace

void InitPeerCredentials(Napi::Env env, Napi::Object exports) {
  exports.Set("peerCredentials", Napi::Function::New(env, PeerCredentials, "peerCredentials"));
}
