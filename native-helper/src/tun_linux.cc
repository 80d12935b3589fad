// Linux TUN device: open /dev/net/tun with TUNSETIFF (IFF_TUN | IFF_NO_PI), read packets on a
// native reader thread and hand them to JavaScript in batches; write packets synchronously.
//
// Owns: the TUN file descriptor, the reader thread, its stop eventfd, the thread-safe function
// that carries batches to the JS thread, and the packet counters.
// Must not: configure addresses, routes or DNS (main/service/net does that with iproute2), or
// block the JS thread on reads.
//
// Reader thread: poll() on {tun fd, stop eventfd}; when the tun fd is readable it reads
// non-blocking until EAGAIN or `batchSize` packets, then queues the batch (one contiguous byte
// block + end offsets) on a ThreadSafeFunction whose queue holds at most `queueLimit` batches.
// When JavaScript falls behind and the queue is full, the batch is dropped and counted
// (rxDrops) instead of blocking: a VPN must not build an unbounded backlog.
#include "tun.h"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

// Largest packet a TUN read can return (IPv4 total length is 16 bits); reading into a
// smaller buffer would silently truncate.
constexpr size_t kMaxPacket = 65536;
constexpr uint32_t kDefaultBatchSize = 64;
constexpr uint32_t kMaxBatchSize = 4096;
constexpr uint32_t kDefaultQueueLimit = 64;
constexpr uint32_t kMaxQueueLimit = 65536;

const char* ErrnoName(int err) {
  switch (err) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case ENODEV: return "ENODEV";
    case EINVAL: return "EINVAL";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case ENOSPC: return "ENOSPC";
    case EMSGSIZE: return "EMSGSIZE";
    case ENOBUFS: return "ENOBUFS";
    case ENOTSUP: return "ENOTSUP";
    default: return "EUNKNOWN";
  }
}

Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall, const std::string& what) {
  Napi::Error error = Napi::Error::New(env, what + ": " + std::strerror(err));
  error.Set("code", Napi::String::New(env, ErrnoName(err)));
  error.Set("errno", Napi::Number::New(env, err));
  error.Set("syscall", Napi::String::New(env, syscall));
  return error;
}

// One batch of packets read by the reader thread: the packets back to back in `bytes`,
// packet i spanning [ends[i-1] (or 0), ends[i]). A batch with `error` != 0 carries no packets
// and reports why the reader stopped.
struct Batch {
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> ends;
  int error = 0;
};

void CallJs(Napi::Env env, Napi::Function callback, std::nullptr_t* /*context*/, Batch* batch) {
  if (env == nullptr || callback.IsEmpty()) {  // the environment is shutting down
    delete batch;
    return;
  }
  if (batch->error != 0) {
    Napi::Error error = ErrnoError(env, batch->error, "read", "TUN read failed");
    delete batch;
    callback.Call({error.Value()});
    return;
  }
  Napi::Buffer<uint8_t> bytes = Napi::Buffer<uint8_t>::Copy(env, batch->bytes.data(), batch->bytes.size());
  Napi::Uint32Array ends = Napi::Uint32Array::New(env, batch->ends.size());
  std::memcpy(ends.Data(), batch->ends.data(), batch->ends.size() * sizeof(uint32_t));
  delete batch;
  callback.Call({env.Null(), bytes, ends});
}

using ReaderTsfn = Napi::TypedThreadSafeFunction<std::nullptr_t, Batch, CallJs>;

class TunDevice : public Napi::ObjectWrap<TunDevice> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "TunDevice",
                       {
                           InstanceAccessor<&TunDevice::GetFd>("fd"),
                           InstanceAccessor<&TunDevice::GetName>("name"),
                           InstanceMethod<&TunDevice::Start>("start"),
                           InstanceMethod<&TunDevice::Write>("write"),
                           InstanceMethod<&TunDevice::WriteBatch>("writeBatch"),
                           InstanceMethod<&TunDevice::Stats>("stats"),
                           InstanceMethod<&TunDevice::Ref>("ref"),
                           InstanceMethod<&TunDevice::Unref>("unref"),
                           InstanceMethod<&TunDevice::Close>("close"),
                       });
  }

  // new TunDevice(name: string) -- "" lets the kernel pick (tun0, tun1, ...); a name with
  // "%d" is a kernel template ("pptp%d").
  explicit TunDevice(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TunDevice>(info) {
    Napi::Env env = info.Env();
    std::string requested;
    if (info.Length() > 0 && !info[0].IsUndefined() && !info[0].IsNull()) {
      if (!info[0].IsString()) {
        Napi::TypeError::New(env, "TUN name must be a string").ThrowAsJavaScriptException();
        return;
      }
      requested = info[0].As<Napi::String>().Utf8Value();
    }
    if (requested.size() >= IFNAMSIZ) {
      Napi::Error error = Napi::Error::New(env, "TUN name is longer than 15 bytes");
      error.Set("code", Napi::String::New(env, "EINVAL"));
      error.ThrowAsJavaScriptException();
      return;
    }
    int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      ErrnoError(env, errno, "open", "cannot open /dev/net/tun").ThrowAsJavaScriptException();
      return;
    }
    struct ifreq ifr;
    std::memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;  // layer 3, no 4-byte packet-information prefix
    std::memcpy(ifr.ifr_name, requested.data(), requested.size());
    if (::ioctl(fd, TUNSETIFF, &ifr) < 0) {
      int err = errno;
      ::close(fd);
      ErrnoError(env, err, "ioctl", "TUNSETIFF failed").ThrowAsJavaScriptException();
      return;
    }
    int stop = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stop < 0) {
      int err = errno;
      ::close(fd);
      ErrnoError(env, err, "eventfd", "cannot create the reader's stop event").ThrowAsJavaScriptException();
      return;
    }
    fd_ = fd;
    stop_fd_ = stop;
    name_.assign(ifr.ifr_name, strnlen(ifr.ifr_name, IFNAMSIZ));
    env_ = env;
    cleanup_hook_added_ = napi_add_env_cleanup_hook(env, CleanupHook, this) == napi_ok;
  }

  ~TunDevice() override {
    Shutdown();
    if (cleanup_hook_added_) {
      napi_remove_env_cleanup_hook(env_, CleanupHook, this);
    }
  }

 private:
  // Environment teardown (process exit, worker end): stop the thread before the env goes away.
  static void CleanupHook(void* arg) {
    TunDevice* self = static_cast<TunDevice*>(arg);
    self->cleanup_hook_added_ = false;
    self->Shutdown();
  }

  Napi::Value GetFd(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), fd_); }
  Napi::Value GetName(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), name_); }

  // start(callback, batchSize?, queueLimit?): callback(error) or callback(null, bytes, ends).
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return ThrowClosed(env);
    if (reader_.joinable()) {
      Napi::Error::New(env, "the TUN reader is already running").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (info.Length() < 1 || !info[0].IsFunction()) {
      Napi::TypeError::New(env, "start(callback, batchSize?, queueLimit?) needs a callback").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    uint32_t batch_size = ReadBound(info, 1, kDefaultBatchSize, kMaxBatchSize);
    uint32_t queue_limit = ReadBound(info, 2, kDefaultQueueLimit, kMaxQueueLimit);
    if (env.IsExceptionPending()) return env.Undefined();
    batch_size_ = batch_size;
    tsfn_ = ReaderTsfn::New(env, info[0].As<Napi::Function>(), "pptp-tun-reader", queue_limit, 1);
    tsfn_active_ = true;
    stopping_.store(false);
    reader_ = std::thread([this] { ReadLoop(); });
    return env.Undefined();
  }

  // write(packet: Uint8Array): boolean -- one write(2); false (and txErrors+1) if the kernel refused it.
  Napi::Value Write(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return ThrowClosed(env);
    const uint8_t* data = nullptr;
    size_t length = 0;
    if (!BytesOf(info.Length() > 0 ? info[0] : env.Undefined(), &data, &length)) {
      Napi::TypeError::New(env, "write(packet) needs a Uint8Array").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    return Napi::Boolean::New(env, WriteOne(data, length));
  }

  // writeBatch(packets: Uint8Array[]): number -- how many were written.
  Napi::Value WriteBatch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return ThrowClosed(env);
    if (info.Length() < 1 || !info[0].IsArray()) {
      Napi::TypeError::New(env, "writeBatch(packets) needs an array of Uint8Array").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Array packets = info[0].As<Napi::Array>();
    uint32_t written = 0;
    for (uint32_t i = 0; i < packets.Length(); i++) {
      const uint8_t* data = nullptr;
      size_t length = 0;
      if (!BytesOf(packets.Get(i), &data, &length)) {
        Napi::TypeError::New(env, "writeBatch(packets): every packet must be a Uint8Array").ThrowAsJavaScriptException();
        return env.Undefined();
      }
      if (WriteOne(data, length)) written++;
    }
    return Napi::Number::New(env, written);
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object stats = Napi::Object::New(env);
    stats.Set("rxPackets", Napi::Number::New(env, static_cast<double>(rx_packets_.load())));
    stats.Set("rxBytes", Napi::Number::New(env, static_cast<double>(rx_bytes_.load())));
    stats.Set("rxBatches", Napi::Number::New(env, static_cast<double>(rx_batches_.load())));
    stats.Set("rxDrops", Napi::Number::New(env, static_cast<double>(rx_drops_.load())));
    stats.Set("txPackets", Napi::Number::New(env, static_cast<double>(tx_packets_)));
    stats.Set("txBytes", Napi::Number::New(env, static_cast<double>(tx_bytes_)));
    stats.Set("txErrors", Napi::Number::New(env, static_cast<double>(tx_errors_)));
    stats.Set("lastTxError", last_tx_errno_ == 0 ? env.Null() : Napi::String::New(env, ErrnoName(last_tx_errno_)));
    return stats;
  }

  Napi::Value Ref(const Napi::CallbackInfo& info) {
    if (tsfn_active_) tsfn_.Ref(info.Env());
    return info.Env().Undefined();
  }

  Napi::Value Unref(const Napi::CallbackInfo& info) {
    if (tsfn_active_) tsfn_.Unref(info.Env());
    return info.Env().Undefined();
  }

  // close(): stops and joins the reader, releases the thread-safe function, closes the fd
  // (the kernel then deletes the non-persistent interface and every route through it).
  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  void Shutdown() {
    if (reader_.joinable()) {
      stopping_.store(true);
      uint64_t one = 1;
      ssize_t ignored = ::write(stop_fd_, &one, sizeof(one));
      (void)ignored;
      reader_.join();
    }
    if (tsfn_active_) {
      tsfn_active_ = false;
      tsfn_.Release();
    }
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
    if (stop_fd_ >= 0) {
      ::close(stop_fd_);
      stop_fd_ = -1;
    }
  }

  void ReadLoop() {
    std::vector<uint8_t> scratch(kMaxPacket);
    while (!stopping_.load()) {
      struct pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
      int ready = ::poll(fds, 2, -1);
      if (ready < 0) {
        if (errno == EINTR) continue;
        ReportError(errno);
        return;
      }
      if (fds[1].revents != 0 || stopping_.load()) return;
      if ((fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) != 0 && (fds[0].revents & POLLIN) == 0) {
        ReportError((fds[0].revents & POLLNVAL) != 0 ? EBADF : EIO);
        return;
      }
      if ((fds[0].revents & POLLIN) == 0) continue;
      Batch* batch = new Batch();
      int read_error = 0;
      while (batch->ends.size() < batch_size_) {
        ssize_t n = ::read(fd_, scratch.data(), scratch.size());
        if (n < 0) {
          if (errno == EINTR) continue;
          if (errno != EAGAIN && errno != EWOULDBLOCK) read_error = errno;
          break;
        }
        if (n == 0) break;
        batch->bytes.insert(batch->bytes.end(), scratch.data(), scratch.data() + n);
        batch->ends.push_back(static_cast<uint32_t>(batch->bytes.size()));
      }
      size_t count = batch->ends.size();
      if (count > 0) {
        size_t bytes = batch->bytes.size();
        napi_status status = tsfn_.NonBlockingCall(batch);
        if (status == napi_ok) {
          rx_packets_ += count;
          rx_bytes_ += bytes;
          rx_batches_ += 1;
        } else {
          delete batch;
          rx_drops_ += count;  // queue full (JS behind) or closing
          if (status == napi_closing) return;
        }
      } else {
        delete batch;
      }
      if (read_error != 0) {
        ReportError(read_error);
        return;
      }
    }
  }

  void ReportError(int err) {
    if (stopping_.load()) return;
    Batch* batch = new Batch();
    batch->error = err;
    // Blocking: the error must reach JS even when the packet queue is full.
    if (tsfn_.BlockingCall(batch) != napi_ok) delete batch;
  }

  bool WriteOne(const uint8_t* data, size_t length) {
    for (;;) {
      ssize_t n = ::write(fd_, data, length);
      if (n >= 0) {
        tx_packets_++;
        tx_bytes_ += static_cast<uint64_t>(n);
        return true;
      }
      if (errno == EINTR) continue;
      tx_errors_++;
      last_tx_errno_ = errno;
      return false;
    }
  }

  static bool BytesOf(Napi::Value value, const uint8_t** data, size_t* length) {
    if (!value.IsTypedArray()) return false;
    Napi::TypedArray array = value.As<Napi::TypedArray>();
    if (array.TypedArrayType() != napi_uint8_array) return false;
    Napi::Uint8Array bytes = value.As<Napi::Uint8Array>();
    *data = bytes.Data();
    *length = bytes.ByteLength();
    return true;
  }

  static uint32_t ReadBound(const Napi::CallbackInfo& info, size_t index, uint32_t fallback, uint32_t max) {
    if (info.Length() <= index || info[index].IsUndefined()) return fallback;
    if (!info[index].IsNumber()) {
      Napi::TypeError::New(info.Env(), "batchSize and queueLimit must be numbers").ThrowAsJavaScriptException();
      return fallback;
    }
    double value = info[index].As<Napi::Number>().DoubleValue();
    if (!(value >= 1 && value <= max) || value != static_cast<double>(static_cast<uint32_t>(value))) {
      Napi::RangeError::New(info.Env(), "batchSize/queueLimit out of range").ThrowAsJavaScriptException();
      return fallback;
    }
    return static_cast<uint32_t>(value);
  }

  Napi::Value ThrowClosed(Napi::Env env) {
    Napi::Error error = Napi::Error::New(env, "the TUN device is closed");
    error.Set("code", Napi::String::New(env, "ERR_TUN_CLOSED"));
    error.ThrowAsJavaScriptException();
    return env.Undefined();
  }

  napi_env env_ = nullptr;
  int fd_ = -1;
  int stop_fd_ = -1;
  std::string name_;
  bool cleanup_hook_added_ = false;
  uint32_t batch_size_ = kDefaultBatchSize;
  ReaderTsfn tsfn_;
  bool tsfn_active_ = false;
  std::thread reader_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> rx_packets_{0};
  std::atomic<uint64_t> rx_bytes_{0};
  std::atomic<uint64_t> rx_batches_{0};
  std::atomic<uint64_t> rx_drops_{0};
  uint64_t tx_packets_ = 0;  // written on the JS thread only
  uint64_t tx_bytes_ = 0;
  uint64_t tx_errors_ = 0;
  int last_tx_errno_ = 0;
};

}  // namespace

Napi::Object InitTun(Napi::Env env, Napi::Object exports) {
  exports.Set("platformSupported", Napi::Boolean::New(env, true));
  exports.Set("TunDevice", TunDevice::Define(env));
  return exports;
}
