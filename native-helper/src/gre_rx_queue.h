// The batches waiting between the GRE reader thread and the JS thread (gre_port.cc).
//
// Why not one ThreadSafeFunction call per received batch, as the TUN reader does: when the JS
// thread is busy (say, in a long sendBatch), a reader that keeps pace with the sender receives
// one datagram per recvmmsg(2), and a queue of `queueLimit` one-datagram batches filled up and
// dropped the rest (seen on loopback: 136 of 200 dropped). Here the reader appends to the last
// waiting batch until it holds `batchSize` datagrams, so a slow JS thread gets fuller batches
// rather than drops, and only one call is ever scheduled: JS takes every waiting batch at once.
//
// Owns: the waiting batches and the "a call is scheduled" flag, under one mutex. Must not: touch
// N-API (the reader thread appends) or count anything but what it returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "raw_gre_socket.h"

// Datagrams back to back in `bytes`, datagram i spanning [ends[i-1] (or 0), ends[i]).
struct GreBatch {
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> ends;
};

class GreRxQueue {
 public:
  GreRxQueue(uint32_t batch_size, uint32_t queue_limit) : batch_size_(batch_size), queue_limit_(queue_limit) {}

  struct AppendResult {
    uint32_t appended = 0;
    uint64_t appended_bytes = 0;
    uint32_t dropped = 0;      // no room: `queueLimit` full batches are waiting
    uint32_t new_batches = 0;  // batches started (each reaches JS as one callback)
    bool schedule = false;     // the caller must schedule a JS call (none is pending)
  };

  // Reader thread: appends the datagrams of `slots` (already checked) to the waiting batches.
  AppendResult Append(const GreReceiveSlot* const* slots, size_t count) {
    AppendResult result;
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < count; i++) {
      if (waiting_.empty() || waiting_.back()->ends.size() >= batch_size_) {
        if (waiting_.size() >= queue_limit_) {
          result.dropped++;
          continue;
        }
        waiting_.push_back(std::make_unique<GreBatch>());
        waiting_.back()->ends.reserve(batch_size_);
        result.new_batches++;
      }
      GreBatch& batch = *waiting_.back();
      batch.bytes.insert(batch.bytes.end(), slots[i]->data, slots[i]->data + slots[i]->length);
      batch.ends.push_back(static_cast<uint32_t>(batch.bytes.size()));
      result.appended++;
      result.appended_bytes += slots[i]->length;
    }
    if (!waiting_.empty() && !call_scheduled_) {
      call_scheduled_ = true;
      result.schedule = true;
    }
    return result;
  }

  // JS thread: takes every waiting batch, oldest first; the next Append schedules a new call.
  void TakeAll(std::deque<std::unique_ptr<GreBatch>>* out) {
    std::lock_guard<std::mutex> lock(mutex_);
    out->swap(waiting_);
    call_scheduled_ = false;
  }

  // Reader thread, when scheduling failed (closing): the next Append may try again.
  void Unschedule() {
    std::lock_guard<std::mutex> lock(mutex_);
    call_scheduled_ = false;
  }

 private:
  const uint32_t batch_size_;
  const uint32_t queue_limit_;
  std::mutex mutex_;
  std::deque<std::unique_ptr<GreBatch>> waiting_;
  bool call_scheduled_ = false;
};
