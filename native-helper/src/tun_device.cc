// The TunDevice JavaScript class, shared by every OS that has a TUN implementation (Linux
// /dev/net/tun, macOS utun): read packets on a native reader thread and hand them to
// JavaScript in batches; write packets synchronously, one at a time or as a batch that the
// port may turn into fewer system calls (Linux: TCP GSO super-packets, tcp_coalesce.h).
//
// Owns: the reader thread, its stop signal, the thread-safe function that carries batches to
// the JS thread, argument checking and the packet counters. The OS file (tun_port.h) owns the
// fd and any framing. Must not: configure addresses, routes or DNS (main/service/net does), or
// block the JS thread on reads.
//
// Reader thread (as gre_port.cc's): poll() on {tun fd, stop signal}; when the tun fd is readable
// it reads non-blocking until EAGAIN or `batchSize` packets into one batch (one contiguous byte
// block + end offsets). One read may yield several packets (Linux TSO: the segments of a GSO
// super-packet, which the port appends straight into the batch); those that do not fit wait in
// the port and start the next batch without a poll(). The batch joins those waiting for
// JavaScript (rx_batch_queue.h): moved in whole when no batch waits (no copy), else appended to
// the last waiting batch up to `batchSize` packets, so a busy JS thread later gets fuller batches
// instead of the reader dropping packets the kernel already gave it. Only one ThreadSafeFunction
// call is ever scheduled; it hands JS every waiting batch, one callback each. With `queueLimit`
// full batches waiting, packets are dropped and counted (rxDrops) instead of blocking: a VPN
// must not build an unbounded backlog.
//
// Writes: write(packet), writeAt(buffer, start, end) and writeBatch/writeBatchAt. The *At forms
// take a region of a caller's buffer, so JavaScript needs no subarray view per packet. Every
// batch argument is checked before the first packet is written: a bad argument writes nothing.
#include <poll.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "errno_name.h"
#include "napi_args.h"
#include "rx_batch_delivery.h"
#include "rx_batch_queue.h"
#include "stop_signal.h"
#include "thread_name.h"
#include "tun.h"
#include "tun_port.h"

namespace {

constexpr uint32_t kDefaultBatchSize = 64;
constexpr uint32_t kMaxBatchSize = 4096;
constexpr uint32_t kDefaultQueueLimit = 64;
constexpr uint32_t kMaxQueueLimit = 65536;

void CallJs(Napi::Env env, Napi::Function callback, RxBatchQueue* queue, ReaderError* error) {
  if (env == nullptr || callback.IsEmpty()) {  // the environment is shutting down
    delete error;
    return;
  }
  if (error != nullptr) {
    Napi::Error js_error = ErrnoError(env, error->err, "read", "TUN read failed");
    delete error;
    callback.Call({js_error.Value()});
    return;
  }
  DeliverWaitingBatches(env, callback, queue);
}

using ReaderTsfn = Napi::TypedThreadSafeFunction<RxBatchQueue, ReaderError, CallJs>;

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
                           InstanceMethod<&TunDevice::WriteAt>("writeAt"),
                           InstanceMethod<&TunDevice::WriteBatchAt>("writeBatchAt"),
                           InstanceMethod<&TunDevice::Stats>("stats"),
                           InstanceMethod<&TunDevice::Ref>("ref"),
                           InstanceMethod<&TunDevice::Unref>("unref"),
                           InstanceMethod<&TunDevice::Close>("close"),
                       });
  }

  // new TunDevice(name: string, offload?: boolean) -- "" lets the kernel pick; what a name may be
  // is up to the OS (Linux: "pptp0" or the template "pptp%d"; macOS: "utunN"). offload (default
  // true): use the OS's offloads when the kernel has them (stats().offload says which).
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
    bool offload = true;
    if (info.Length() > 1 && !info[1].IsUndefined()) {
      if (!info[1].IsBoolean()) {
        Napi::TypeError::New(env, "TUN offload must be a boolean").ThrowAsJavaScriptException();
        return;
      }
      offload = info[1].As<Napi::Boolean>().Value();
    }
    TunOpenError open_error;
    std::unique_ptr<TunPort> port = OpenTunPort(requested, offload, &open_error);
    if (!port) {
      if (open_error.err != 0) {
        ErrnoError(env, open_error.err, open_error.syscall, open_error.message).ThrowAsJavaScriptException();
      } else {
        CodedError(env, open_error.code, open_error.message).ThrowAsJavaScriptException();
      }
      return;
    }
    int stop_err = stop_.Open();
    if (stop_err != 0) {
      ErrnoError(env, stop_err, StopSignal::kSyscall, "cannot create the reader's stop event").ThrowAsJavaScriptException();
      return;  // `port` closes its fd
    }
    fd_ = port->fd();
    name_ = port->name();
    offload_ = port->offload();
    port_ = std::move(port);
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
    rx_queue_ = new RxBatchQueue(batch_size, queue_limit);
    // Unlimited TSFN queue: it never holds more than one "take" call and one error (see above).
    tsfn_ = ReaderTsfn::New(env, info[0].As<Napi::Function>(), "pptp-tun-reader", 0, 1, rx_queue_, FinalizeQueue);
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

  // writeBatch(packets: Uint8Array[]): number -- how many the kernel took.
  Napi::Value WriteBatch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return ThrowClosed(env);
    if (info.Length() < 1 || !info[0].IsArray()) {
      Napi::TypeError::New(env, "writeBatch(packets) needs an array of Uint8Array").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Array packets = info[0].As<Napi::Array>();
    uint32_t count = packets.Length();
    spans_.resize(count);
    for (uint32_t i = 0; i < count; i++) {
      if (!BytesOf(packets.Get(i), &spans_[i].data, &spans_[i].length)) {
        Napi::TypeError::New(env, "writeBatch(packets): every packet must be a Uint8Array").ThrowAsJavaScriptException();
        return env.Undefined();
      }
    }
    return Napi::Number::New(env, static_cast<double>(WriteSpans(count)));
  }

  // writeAt(buffer: Uint8Array, start: number, end: number): boolean -- write(buffer[start..end))
  // without a JavaScript view; false (and txErrors+1) if the kernel refused it.
  Napi::Value WriteAt(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return ThrowClosed(env);
    const uint8_t* data = nullptr;
    size_t length = 0;
    if (info.Length() < 3 || !BytesOf(info[0], &data, &length)) {
      Napi::TypeError::New(env, "writeAt(buffer, start, end) needs a Uint8Array").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    uint32_t start = 0;
    uint32_t end = 0;
    if (!ReadIndex(info[1], &start) || !ReadIndex(info[2], &end)) {
      Napi::TypeError::New(env, "writeAt(buffer, start, end): start and end must be integers").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (start > end || end > length) {
      Napi::RangeError::New(env, "writeAt(buffer, start, end): need 0 <= start <= end <= buffer.length").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    return Napi::Boolean::New(env, WriteOne(data + start, end - start));
  }

  // writeBatchAt(buffers: Uint8Array[], starts: Uint32Array, ends: Uint32Array, count: number):
  // number -- packet i is buffers[i][starts[i]..ends[i]); returns how many the kernel took.
  Napi::Value WriteBatchAt(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return ThrowClosed(env);
    const char* usage = "writeBatchAt(buffers: Uint8Array[], starts: Uint32Array, ends: Uint32Array, count: number)";
    if (info.Length() < 4 || !info[0].IsArray() || !IsUint32Array(info[1]) || !IsUint32Array(info[2])) {
      Napi::TypeError::New(env, usage).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Array buffers = info[0].As<Napi::Array>();
    Napi::Uint32Array starts = info[1].As<Napi::Uint32Array>();
    Napi::Uint32Array ends = info[2].As<Napi::Uint32Array>();
    uint32_t count = 0;
    if (!ReadIndex(info[3], &count)) {
      Napi::TypeError::New(env, std::string(usage) + ": count must be an integer").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (!ReadRegions(env, usage, buffers, starts, ends, count, &spans_)) return env.Undefined();
    return Napi::Number::New(env, static_cast<double>(WriteSpans(count)));
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object stats = Napi::Object::New(env);
    stats.Set("rxPackets", Napi::Number::New(env, static_cast<double>(rx_packets_.load())));
    stats.Set("rxBytes", Napi::Number::New(env, static_cast<double>(rx_bytes_.load())));
    stats.Set("rxBatches", Napi::Number::New(env, static_cast<double>(rx_batches_.load())));
    stats.Set("rxDrops", Napi::Number::New(env, static_cast<double>(rx_drops_.load())));
    stats.Set("rxFramingDrops", Napi::Number::New(env, static_cast<double>(rx_framing_drops_.load())));
    stats.Set("rxReads", Napi::Number::New(env, static_cast<double>(rx_reads_.load())));
    stats.Set("rxSegmented", Napi::Number::New(env, static_cast<double>(rx_segmented_.load())));
    stats.Set("txPackets", Napi::Number::New(env, static_cast<double>(tx_packets_)));
    stats.Set("txBytes", Napi::Number::New(env, static_cast<double>(tx_bytes_)));
    stats.Set("txErrors", Napi::Number::New(env, static_cast<double>(tx_errors_)));
    stats.Set("txWrites", Napi::Number::New(env, static_cast<double>(tx_writes_)));
    stats.Set("txCoalesced", Napi::Number::New(env, static_cast<double>(tx_coalesced_)));
    stats.Set("offload", Napi::String::New(env, offload_));
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
      stop_.Raise();
      reader_.join();
    }
    if (tsfn_active_) {
      tsfn_active_ = false;
      tsfn_.Release();
    }
    if (fd_ >= 0) {
      port_.reset();  // closes the fd
      fd_ = -1;
    }
    stop_.Close();
  }

  void ReadLoop() {
    NameThisThread("pptp-tun-rx");
    RxBatch batch;  // the batch being read; the queue moves it out or copies from it, leaving it empty
    while (!stopping_.load()) {
      if (!port_->HasPendingPackets()) {
        struct pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_.poll_fd(), POLLIN, 0}};
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
      }
      TunReadBatch into{&batch.bytes, &batch.ends};
      TunReadTally tally;
      int read_error = 0;
      while (batch.ends.size() < batch_size_) {
        int err = 0;
        TunReadStatus status = port_->ReadPackets(into, batch_size_ - batch.ends.size(), &tally, &err);
        if (status == TunReadStatus::kDropped) {
          rx_framing_drops_ += 1;
          continue;
        }
        if (status == TunReadStatus::kError) read_error = err;
        if (status != TunReadStatus::kPackets) break;
      }
      rx_reads_ += tally.reads;
      rx_segmented_ += tally.segmented;
      if (!batch.ends.empty()) {
        RxBatchQueue::AppendResult result = rx_queue_->AppendBatch(&batch);
        rx_packets_ += result.appended;
        rx_bytes_ += result.appended_bytes;
        rx_batches_ += result.new_batches;
        rx_drops_ += result.dropped;  // `queueLimit` full batches wait (JS far behind)
        if (result.schedule) {
          napi_status status = tsfn_.NonBlockingCall(nullptr);
          if (status != napi_ok) {
            rx_queue_->Unschedule();
            if (status == napi_closing) return;
          }
        }
      }
      if (read_error != 0) {
        ReportError(read_error);
        return;
      }
    }
  }

  void ReportError(int err) {
    if (stopping_.load()) return;
    ReaderError* error = new ReaderError{err};
    if (tsfn_.BlockingCall(error) != napi_ok) delete error;
  }

  // The first `count` entries of spans_, through the port's batch write; returns packets taken.
  uint64_t WriteSpans(size_t count) {
    TunWriteTally tally;
    port_->WritePackets(spans_.data(), count, &tally);
    tx_packets_ += tally.packets;
    tx_bytes_ += tally.bytes;
    tx_writes_ += tally.writes;
    tx_coalesced_ += tally.coalesced;
    tx_errors_ += tally.errors;
    if (tally.last_errno != 0) last_tx_errno_ = tally.last_errno;
    return tally.packets;
  }

  bool WriteOne(const uint8_t* data, size_t length) {
    tx_writes_++;
    int err = port_->WritePacket(data, length);
    if (err == 0) {
      tx_packets_++;
      tx_bytes_ += static_cast<uint64_t>(length);
      return true;
    }
    tx_errors_++;
    last_tx_errno_ = err;
    return false;
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

  Napi::Value ThrowClosed(Napi::Env env) {
    CodedError(env, "ERR_TUN_CLOSED", "the TUN device is closed").ThrowAsJavaScriptException();
    return env.Undefined();
  }

  napi_env env_ = nullptr;
  std::unique_ptr<TunPort> port_;
  int fd_ = -1;  // port_->fd() while open, -1 after close
  StopSignal stop_;
  std::string name_;
  bool cleanup_hook_added_ = false;
  uint32_t batch_size_ = kDefaultBatchSize;
  ReaderTsfn tsfn_;
  bool tsfn_active_ = false;
  RxBatchQueue* rx_queue_ = nullptr;  // owned by tsfn_ (FinalizeQueue); used by the reader thread
  std::thread reader_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> rx_packets_{0};  // packets queued for JavaScript
  std::atomic<uint64_t> rx_bytes_{0};
  std::atomic<uint64_t> rx_batches_{0};  // batches handed to JavaScript (one callback each)
  std::atomic<uint64_t> rx_drops_{0};    // packets dropped: `queueLimit` full batches were waiting
  std::atomic<uint64_t> rx_framing_drops_{0};  // frames the port refused (utun: bad family / too short)
  std::atomic<uint64_t> rx_reads_{0};          // read(2) calls that returned a frame
  std::atomic<uint64_t> rx_segmented_{0};      // packets split out of GSO super-packets (Linux TSO)
  uint64_t tx_packets_ = 0;  // written on the JS thread only
  uint64_t tx_bytes_ = 0;
  uint64_t tx_errors_ = 0;
  uint64_t tx_writes_ = 0;     // write(2)/writev(2) calls
  uint64_t tx_coalesced_ = 0;  // packets that went up inside a GSO super-packet
  int last_tx_errno_ = 0;
  const char* offload_ = "none";  // the port's offload(): "gro+tso", "gro" or "none"
  std::vector<PacketSpan> spans_;  // the batch being written; kept to reuse its capacity
};

}  // namespace

Napi::Object InitTun(Napi::Env env, Napi::Object exports) {
  exports.Set("platformSupported", Napi::Boolean::New(env, true));
  exports.Set("TunDevice", TunDevice::Define(env));
  return exports;
}
