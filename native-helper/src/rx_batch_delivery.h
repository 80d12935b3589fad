// The JS-thread half of rx_batch_queue.h, for both readers (gre_port.cc, tun_device.cc): what
// their thread-safe function carries, and handing the waiting batches to JavaScript.
//
// Owns: turning each waiting RxBatch into (null, bytes: Buffer, ends: Uint32Array) and calling
// the reader's callback once per batch, oldest first. Must not: run on a reader thread (it calls
// into JavaScript) or decide what an error means (each reader words its own).
#pragma once

#include <napi.h>

#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>

#include "rx_batch_queue.h"

// What a reader thread passes through its thread-safe function: nullptr means "take the waiting
// batches"; a ReaderError reports why the reader stopped (an errno).
struct ReaderError {
  int err = 0;
};

// Hands every waiting batch to `callback` as (null, bytes, ends), oldest first; returns how many
// packets it handed over.
inline uint32_t DeliverWaitingBatches(Napi::Env env, Napi::Function callback, RxBatchQueue* queue) {
  std::deque<std::unique_ptr<RxBatch>> batches;
  queue->TakeAll(&batches);
  uint32_t packets = 0;
  for (const std::unique_ptr<RxBatch>& batch : batches) {
    Napi::Buffer<uint8_t> bytes = Napi::Buffer<uint8_t>::Copy(env, batch->bytes.data(), batch->bytes.size());
    Napi::Uint32Array ends = Napi::Uint32Array::New(env, batch->ends.size());
    std::memcpy(ends.Data(), batch->ends.data(), batch->ends.size() * sizeof(uint32_t));
    packets += static_cast<uint32_t>(batch->ends.size());
    callback.Call({env.Null(), bytes, ends});
  }
  return packets;
}

// The queue belongs to the thread-safe function: freed once its last call has run, so a call
// still queued when close() released it never reads freed memory.
inline void FinalizeQueue(Napi::Env /*env*/, void* /*data*/, RxBatchQueue* queue) { delete queue; }
