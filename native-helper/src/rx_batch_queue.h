// The batches waiting between a reader thread and the JS thread, for both readers: the GRE
// socket's (gre_port.cc) and the TUN device's (tun_device.cc).
//
// Why not one ThreadSafeFunction call per read batch, with a queue of `queueLimit` calls: when
// the JS thread is busy (a long sendBatch, GC, a loaded host), a reader that keeps pace with its
// sender reads one packet per system call, so the queue filled up with one-packet batches and
// dropped the rest although the kernel had already handed the packets over (GRE on loopback:
// 136 of 200 dropped; TUN, 500 datagrams 0.5 ms apart with JS spinning: 352 of 500). Here the
// reader appends to the last waiting batch until it holds `batchSize` packets, so a slow JS
// thread gets fuller batches rather than drops, and only one call is ever scheduled: JS takes
// every waiting batch at once. The bound is `queueLimit` FULL batches; past it packets are
// dropped (a VPN must not build an unbounded backlog).
//
// Two ways in: AppendCopies copies packets from the caller's memory (the GRE reader's receive
// slots, reused for the next receive); AppendBatch takes a batch the caller read into an
// RxBatch of its own (the TUN reader's), moving it in whole when it can start a batch of its own
// (no batch waiting, or the last one full), so a JS thread that keeps up costs no extra copy.
//
// Owns: the waiting batches and the "a call is scheduled" flag, under one mutex. Must not: touch
// N-API (the reader thread appends) or count anything but what it returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "packet_span.h"

// Packets back to back in `bytes`, packet i spanning [ends[i-1] (or 0), ends[i]).
struct RxBatch {
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> ends;
};

class RxBatchQueue {
 public:
  RxBatchQueue(uint32_t batch_size, uint32_t queue_limit) : batch_size_(batch_size), queue_limit_(queue_limit) {}

  struct AppendResult {
    uint32_t appended = 0;
    uint64_t appended_bytes = 0;
    uint32_t dropped = 0;      // no room: `queueLimit` full batches are waiting
    uint32_t new_batches = 0;  // batches started (each reaches JS as one callback)
    bool schedule = false;     // the caller must schedule a JS call (none is pending)
  };

  // Reader thread: appends copies of packets[0..count) to the waiting batches.
  AppendResult AppendCopies(const PacketSpan* packets, size_t count) {
    AppendResult result;
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < count; i++) AppendCopyLocked(packets[i], &result);
    ScheduleLocked(&result);
    return result;
  }

  // Reader thread: appends the packets of `read` (at most `batchSize`) to the waiting batches
  // and leaves `read` empty. Moved in whole, without a copy, when it can start a batch itself.
  AppendResult AppendBatch(RxBatch* read) {
    AppendResult result;
    const size_t count = read->ends.size();
    if (count == 0) return result;
    std::lock_guard<std::mutex> lock(mutex_);
    bool starts_batch = waiting_.empty() || waiting_.back()->ends.size() >= batch_size_;
    if (starts_batch && count <= batch_size_ && waiting_.size() < queue_limit_) {
      result.appended = static_cast<uint32_t>(count);
      result.appended_bytes = read->bytes.size();
      result.new_batches = 1;
      waiting_.push_back(std::make_unique<RxBatch>(std::move(*read)));
    } else {
      uint32_t start = 0;
      for (uint32_t end : read->ends) {
        AppendCopyLocked(PacketSpan{read->bytes.data() + start, end - start}, &result);
        start = end;
      }
    }
    read->bytes.clear();
    read->ends.clear();
    ScheduleLocked(&result);
    return result;
  }

  // JS thread: takes every waiting batch, oldest first; the next append schedules a new call.
  void TakeAll(std::deque<std::unique_ptr<RxBatch>>* out) {
    std::lock_guard<std::mutex> lock(mutex_);
    out->swap(waiting_);
    call_scheduled_ = false;
  }

  // Reader thread, when scheduling failed (closing): the next append may try again.
  void Unschedule() {
    std::lock_guard<std::mutex> lock(mutex_);
    call_scheduled_ = false;
  }

 private:
  void AppendCopyLocked(PacketSpan packet, AppendResult* result) {
    if (waiting_.empty() || waiting_.back()->ends.size() >= batch_size_) {
      if (waiting_.size() >= queue_limit_) {
        result->dropped++;
        return;
      }
      waiting_.push_back(std::make_unique<RxBatch>());
      waiting_.back()->ends.reserve(batch_size_);
      result->new_batches++;
    }
    RxBatch& batch = *waiting_.back();
    batch.bytes.insert(batch.bytes.end(), packet.data, packet.data + packet.length);
    batch.ends.push_back(static_cast<uint32_t>(batch.bytes.size()));
    result->appended++;
    result->appended_bytes += packet.length;
  }

  void ScheduleLocked(AppendResult* result) {
    if (!waiting_.empty() && !call_scheduled_) {
      call_scheduled_ = true;
      result->schedule = true;
    }
  }

  const uint32_t batch_size_;
  const uint32_t queue_limit_;
  std::mutex mutex_;
  std::deque<std::unique_ptr<RxBatch>> waiting_;
  bool call_scheduled_ = false;
};
