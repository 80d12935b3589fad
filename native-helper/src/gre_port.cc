// The GrePort JavaScript class, shared by every OS that has a raw GRE socket (Linux, macOS):
// receive GRE datagrams on a native reader thread and hand them to JavaScript in batches; send a
// batch of packets in one synchronous call.
//
// Why not one send/receive per packet from JavaScript: a CPU profile of the service moving data
// had one sendto(2) per packet (one libuv poll event and one JS completion callback each) at 30 %
// of busy time, and one 'message' event with a fresh Buffer and source string per datagram.
// Here a batch costs one system call on Linux (recvmmsg/sendmmsg) and one JS callback.
//
// Owns: the reader thread, its stop signal, the thread-safe function that carries batches to
// the JS thread, the source check, argument checking and the counters. The OS file
// (raw_gre_socket.h) owns the fd and the system calls. Must not: strip or parse headers (the
// datagrams go to JavaScript as the kernel delivered them, IPv4 header included), or block the
// JS thread on reads.
//
// Reader thread (as tun_device.cc's): poll() on {socket, stop signal}; when readable, one
// ReceiveBatch of up to `batchSize` datagrams into 4096-octet slots; datagrams the kernel
// truncated (MSG_TRUNC) or from another source are dropped and counted; the rest are appended to
// the batches waiting for JavaScript (rx_batch_queue.h: each one contiguous byte block + end
// offsets, at most `batchSize` datagrams and `queueLimit` batches), and one ThreadSafeFunction
// call hands JS every waiting batch, one callback each. With `queueLimit` full batches waiting,
// datagrams are dropped and counted (rxDrops): a VPN must not build an unbounded backlog.
#include <arpa/inet.h>
#include <poll.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "errno_name.h"
#include "gre.h"
#include "napi_args.h"
#include "packet_span.h"
#include "raw_gre_socket.h"
#include "rx_batch_delivery.h"
#include "rx_batch_queue.h"
#include "stop_signal.h"
#include "thread_name.h"

namespace {

constexpr uint32_t kDefaultBatchSize = 64;
// Linux's UIO_MAXIOV: one recvmmsg(2) takes at most 1024 messages (raw_gre_socket_linux.cc).
constexpr uint32_t kMaxBatchSize = 1024;
constexpr uint32_t kDefaultQueueLimit = 64;
constexpr uint32_t kMaxQueueLimit = 65536;

void CallJs(Napi::Env env, Napi::Function callback, RxBatchQueue* queue, ReaderError* error) {
  if (env == nullptr || callback.IsEmpty()) {  // the environment is shutting down
    delete error;
    return;
  }
  if (error != nullptr) {
    Napi::Error js_error = ErrnoError(env, error->err, "recvmmsg", "GRE receive failed");
    delete error;
    callback.Call({js_error.Value()});
    return;
  }
  DeliverWaitingBatches(env, callback, queue);
}

using ReaderTsfn = Napi::TypedThreadSafeFunction<RxBatchQueue, ReaderError, CallJs>;

// Errors after which the socket cannot be read again; anything else (a pending ICMP error such
// as ECONNREFUSED that Linux reports once on a connected raw socket, raw_err(); ENOMEM) is
// counted and the reader goes on.
bool IsFatalReceiveError(int err) { return err == EBADF || err == ENOTSOCK || err == EFAULT || err == EINVAL; }

// The kernel had no room for the packet (socket buffer or device queue full): dropped, like a
// full interface queue; the tunnel's TCP recovers.
bool IsCongestion(int err) { return err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS; }

class GrePort : public Napi::ObjectWrap<GrePort> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "GrePort",
                       {
                           InstanceAccessor<&GrePort::GetFd>("fd"),
                           InstanceMethod<&GrePort::Start>("start"),
                           InstanceMethod<&GrePort::SendBatch>("sendBatch"),
                           InstanceMethod<&GrePort::Drain>("drain"),
                           InstanceMethod<&GrePort::Stats>("stats"),
                           InstanceMethod<&GrePort::Ref>("ref"),
                           InstanceMethod<&GrePort::Unref>("unref"),
                           InstanceMethod<&GrePort::Close>("close"),
                       });
  }

  // new GrePort(remote: string) -- the peer's dotted-quad IPv4 address.
  explicit GrePort(const Napi::CallbackInfo& info) : Napi::ObjectWrap<GrePort>(info) {
    Napi::Env env = info.Env();
    struct in_addr remote;
    if (info.Length() < 1 || !info[0].IsString() ||
        ::inet_pton(AF_INET, info[0].As<Napi::String>().Utf8Value().c_str(), &remote) != 1) {
      Napi::TypeError::New(env, "GrePort(remote) needs a dotted-quad IPv4 address").ThrowAsJavaScriptException();
      return;
    }
    GreOpenError open_error;
    std::unique_ptr<RawGreSocket> socket = OpenRawGreSocket(remote.s_addr, &open_error);
    if (!socket) {
      ErrnoError(env, open_error.err, open_error.syscall, "cannot open the raw GRE socket").ThrowAsJavaScriptException();
      return;
    }
    int stop_err = stop_.Open();
    if (stop_err != 0) {
      ErrnoError(env, stop_err, StopSignal::kSyscall, "cannot create the reader's stop event").ThrowAsJavaScriptException();
      return;  // `socket` closes its fd
    }
    remote_ = remote.s_addr;
    fd_ = socket->fd();
    socket_ = std::move(socket);
    env_ = env;
    cleanup_hook_added_ = napi_add_env_cleanup_hook(env, CleanupHook, this) == napi_ok;
  }

  ~GrePort() override {
    Shutdown();
    if (cleanup_hook_added_) napi_remove_env_cleanup_hook(env_, CleanupHook, this);
  }

 private:
  // Environment teardown (process exit, worker end): stop the thread before the env goes away.
  static void CleanupHook(void* arg) {
    GrePort* self = static_cast<GrePort*>(arg);
    self->cleanup_hook_added_ = false;
    self->Shutdown();
  }

  Napi::Value GetFd(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), fd_); }

  // start(callback, batchSize?, queueLimit?): callback(error) or callback(null, bytes, ends).
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return ThrowClosed(env);
    if (reader_.joinable()) {
      CodedError(env, "ERR_GRE_READING", "the GRE reader is already running").ThrowAsJavaScriptException();
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
    slot_bytes_.assign(static_cast<size_t>(batch_size_) * kGreSlotBytes, 0);
    slots_.assign(batch_size_, GreReceiveSlot());
    accepted_.assign(batch_size_, PacketSpan{nullptr, 0});
    callback_ = Napi::Persistent(info[0].As<Napi::Function>());
    rx_queue_ = new RxBatchQueue(batch_size, queue_limit);
    // Unlimited TSFN queue: it never holds more than one "take" call and one error (see above).
    tsfn_ = ReaderTsfn::New(env, info[0].As<Napi::Function>(), "pptp-gre-reader", 0, 1, rx_queue_, FinalizeQueue);
    tsfn_active_ = true;
    stopping_.store(false);
    reader_ = std::thread([this] { ReadLoop(); });
    return env.Undefined();
  }

  // sendBatch(buffers: Uint8Array[], starts: Uint32Array, ends: Uint32Array, count: number): number
  // Sends buffers[i][starts[i]..ends[i]) for i < count, in order, synchronously (the kernel has
  // copied the bytes when it returns); returns how many were sent.
  Napi::Value SendBatch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return ThrowClosed(env);
    const char* usage = "sendBatch(buffers: Uint8Array[], starts: Uint32Array, ends: Uint32Array, count: number)";
    if (info.Length() < 4 || !info[0].IsArray() || !IsUint32Array(info[1]) || !IsUint32Array(info[2]) || !info[3].IsNumber()) {
      Napi::TypeError::New(env, std::string(usage) + ": wrong argument types").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Array buffers = info[0].As<Napi::Array>();
    Napi::Uint32Array starts = info[1].As<Napi::Uint32Array>();
    Napi::Uint32Array ends = info[2].As<Napi::Uint32Array>();
    uint32_t count = 0;
    if (!ReadIndex(info[3], &count)) {
      Napi::RangeError::New(env, std::string(usage) + ": count must be a whole number >= 0").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (!ReadRegions(env, usage, buffers, starts, ends, count, &tx_queue_)) return env.Undefined();
    return Napi::Number::New(env, SendQueued(count));
  }

  // Sends tx_queue_[0..count): a refused packet is skipped (counted) and the rest go on, except
  // that the second congestion refusal in a row without progress drops the rest of the batch
  // (the socket buffer will not drain within this call).
  uint32_t SendQueued(uint32_t count) {
    uint32_t next = 0;
    uint32_t sent_total = 0;
    bool congested = false;
    while (next < count) {
      int err = 0;
      unsigned sent = socket_->SendBatch(tx_queue_.data() + next, count - next, &err);
      for (unsigned i = 0; i < sent; i++) tx_bytes_ += tx_queue_[next + i].length;
      tx_packets_ += sent;
      sent_total += sent;
      next += sent;
      if (next == count) break;
      if (IsCongestion(err)) {
        if (congested && sent == 0) {
          tx_drops_ += count - next;
          break;
        }
        congested = true;
        tx_drops_++;
      } else {
        congested = false;
        tx_errors_++;
        last_tx_errno_ = err;
      }
      next++;  // the refused packet
    }
    return sent_total;
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object stats = Napi::Object::New(env);
    auto number = [&env](uint64_t v) { return Napi::Number::New(env, static_cast<double>(v)); };
    stats.Set("rxDatagrams", number(rx_datagrams_.load()));
    stats.Set("rxBytes", number(rx_bytes_.load()));
    stats.Set("rxBatches", number(rx_batches_.load()));
    stats.Set("rxDrops", number(rx_drops_.load()));
    stats.Set("rxTruncated", number(rx_truncated_.load()));
    stats.Set("rxOtherSource", number(rx_other_source_.load()));
    stats.Set("rxErrors", number(rx_errors_.load()));
    int last_rx = last_rx_errno_.load();
    stats.Set("lastRxError", last_rx == 0 ? env.Null() : Napi::String::New(env, ErrnoName(last_rx)));
    stats.Set("txPackets", number(tx_packets_));
    stats.Set("txBytes", number(tx_bytes_));
    stats.Set("txDrops", number(tx_drops_));
    stats.Set("txErrors", number(tx_errors_));
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

  // close(): stops and joins the reader, releases the thread-safe function, closes the socket.
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
    callback_.Reset();
    if (fd_ >= 0) {
      socket_.reset();  // closes the fd
      fd_ = -1;
    }
    stop_.Close();
  }

  // drain(): number -- on the JS thread, hands over at once, through the start() callback and in
  // arrival order, every datagram the reader holds or the kernel has queued; how many.
  //
  // Why: the control connection (TCP) is read on the JS thread, GRE on the reader thread. The
  // service handles control input only after draining GRE, so a datagram that reached the
  // socket before a control message is handled first, as on the wire: pptpd sends its last PPP
  // words (an MS-CHAP Failure) over GRE just before it clears the call over TCP, and the other
  // order turned a wrong password into "the server cleared the call". `read_mutex_` makes the
  // reader's receive-and-queue one step, so nothing read earlier can be queued after this.
  Napi::Value Drain(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (fd_ < 0) return ThrowClosed(env);
    if (!tsfn_active_ || callback_.IsEmpty()) return Napi::Number::New(env, 0);
    {
      std::lock_guard<std::mutex> lock(read_mutex_);
      // Until the kernel's queue is empty (a short batch). A receive error is the reader's to
      // report (it sees the same error on its next call).
      for (;;) {
        int err = 0;
        int received = ReceiveLocked(&err);
        if (received > 0) Deliver(slots_.data(), static_cast<uint32_t>(received));
        if (received < static_cast<int>(batch_size_)) break;
      }
    }
    return Napi::Number::New(env, DeliverWaitingBatches(env, callback_.Value(), rx_queue_));
  }

  // One non-blocking receive into slots_; read_mutex_ held.
  int ReceiveLocked(int* err) {
    for (uint32_t i = 0; i < batch_size_; i++) {
      slots_[i] = GreReceiveSlot();
      slots_[i].data = slot_bytes_.data() + static_cast<size_t>(i) * kGreSlotBytes;
      slots_[i].capacity = kGreSlotBytes;
    }
    return socket_->ReceiveBatch(slots_.data(), batch_size_, err);
  }

  void ReadLoop() {
    NameThisThread("pptp-gre-rx");
    while (!stopping_.load()) {
      struct pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_.poll_fd(), POLLIN, 0}};
      int ready = ::poll(fds, 2, -1);
      if (ready < 0) {
        if (errno == EINTR) continue;
        ReportError(errno);
        return;
      }
      if (fds[1].revents != 0 || stopping_.load()) return;
      if ((fds[0].revents & POLLNVAL) != 0) {
        ReportError(EBADF);
        return;
      }
      // POLLERR without POLLIN is a pending socket error (an ICMP error on a connected raw
      // socket): the receive call below returns and clears it.
      if ((fds[0].revents & (POLLIN | POLLERR)) == 0) continue;
      int err = 0;
      int received;
      {
        // Receive and queue as one step against drain() (see there).
        std::lock_guard<std::mutex> lock(read_mutex_);
        received = ReceiveLocked(&err);
        if (received >= 0) Deliver(slots_.data(), static_cast<uint32_t>(received));
      }
      if (received < 0) {
        if (err == EAGAIN || err == EWOULDBLOCK) continue;
        if (IsFatalReceiveError(err)) {
          ReportError(err);
          return;
        }
        rx_errors_ += 1;
        last_rx_errno_.store(err);
        continue;
      }
      if (stopping_.load()) return;
    }
  }

  // Checks one received batch and appends what passes to the batches waiting for JavaScript.
  void Deliver(const GreReceiveSlot* slots, uint32_t received) {
    size_t count = 0;
    for (uint32_t i = 0; i < received; i++) {
      const GreReceiveSlot& slot = slots[i];
      if (slot.truncated) {
        rx_truncated_ += 1;
        continue;
      }
      // connect(2) already makes the kernel filter by source; this is the belt to its braces.
      if (slot.source != remote_) {
        rx_other_source_ += 1;
        continue;
      }
      accepted_[count++] = PacketSpan{slot.data, slot.length};
    }
    if (count == 0) return;
    RxBatchQueue::AppendResult result = rx_queue_->AppendCopies(accepted_.data(), count);
    rx_datagrams_ += result.appended;
    rx_drops_ += result.dropped;
    rx_batches_ += result.new_batches;
    rx_bytes_ += result.appended_bytes;
    if (result.schedule && tsfn_.NonBlockingCall(nullptr) != napi_ok) rx_queue_->Unschedule();
  }

  void ReportError(int err) {
    if (stopping_.load()) return;
    ReaderError* error = new ReaderError{err};
    if (tsfn_.BlockingCall(error) != napi_ok) delete error;
  }

  Napi::Value ThrowClosed(Napi::Env env) {
    CodedError(env, "ERR_GRE_CLOSED", "the GRE socket is closed").ThrowAsJavaScriptException();
    return env.Undefined();
  }

  napi_env env_ = nullptr;
  std::unique_ptr<RawGreSocket> socket_;
  int fd_ = -1;  // socket_->fd() while open, -1 after close
  uint32_t remote_ = 0;  // network byte order
  StopSignal stop_;
  bool cleanup_hook_added_ = false;
  uint32_t batch_size_ = kDefaultBatchSize;
  ReaderTsfn tsfn_;
  bool tsfn_active_ = false;
  RxBatchQueue* rx_queue_ = nullptr;  // owned by tsfn_ (FinalizeQueue); used by the reader thread
  // The receive slots and their bytes: used by the reader thread and drain(), under read_mutex_.
  std::mutex read_mutex_;
  std::vector<uint8_t> slot_bytes_;
  std::vector<GreReceiveSlot> slots_;
  std::vector<PacketSpan> accepted_;  // the datagrams of one receive that passed the checks
  Napi::FunctionReference callback_;  // start()'s callback, for drain() (JS thread only)
  std::thread reader_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> rx_datagrams_{0};
  std::atomic<uint64_t> rx_bytes_{0};
  std::atomic<uint64_t> rx_batches_{0};
  std::atomic<uint64_t> rx_drops_{0};
  std::atomic<uint64_t> rx_truncated_{0};
  std::atomic<uint64_t> rx_other_source_{0};
  std::atomic<uint64_t> rx_errors_{0};
  std::atomic<int> last_rx_errno_{0};
  std::vector<PacketSpan> tx_queue_;  // JS thread only, kept between calls
  uint64_t tx_packets_ = 0;  // written on the JS thread only
  uint64_t tx_bytes_ = 0;
  uint64_t tx_drops_ = 0;
  uint64_t tx_errors_ = 0;
  int last_tx_errno_ = 0;
};

}  // namespace

Napi::Object InitGre(Napi::Env env, Napi::Object exports) {
  exports.Set("greSupported", Napi::Boolean::New(env, true));
  exports.Set("GrePort", GrePort::Define(env));
  return exports;
}
