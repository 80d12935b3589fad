// Argument readers shared by the helper's two packet classes, the TUN device (tun_device.cc) and
// the raw GRE socket (gre_port.cc): the reader options both start() methods take, packet offsets
// and counts, and the (buffers, starts, ends, count) regions both batched writes take. Each
// throws the JavaScript error itself (TypeError for a wrong type, RangeError for a value out of
// range; ReadIndex leaves the wording to its caller) and returns false, so a caller writes
// nothing on a bad argument. Must not: do I/O or hold the regions beyond the call (JavaScript
// owns the bytes).
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "packet_span.h"

// An integer 0 <= n <= 2^32 - 1 (a packet offset or count); false, throwing nothing, otherwise:
// the caller words the error.
inline bool ReadIndex(Napi::Value value, uint32_t* out) {
  if (!value.IsNumber()) return false;
  double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= 0 && number <= 4294967295.0) || number != static_cast<double>(static_cast<uint32_t>(number))) return false;
  *out = static_cast<uint32_t>(number);
  return true;
}

inline bool IsUint32Array(Napi::Value value) {
  return value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == napi_uint32_array;
}

// Argument `index` of start(callback, batchSize?, queueLimit?): `fallback` when absent, else a
// whole number in 1..max (TypeError when not a number, RangeError when out of range).
inline uint32_t ReadBound(const Napi::CallbackInfo& info, size_t index, uint32_t fallback, uint32_t max) {
  if (info.Length() <= index || info[index].IsUndefined()) return fallback;
  if (!info[index].IsNumber()) {
    Napi::TypeError::New(info.Env(), "batchSize and queueLimit must be numbers").ThrowAsJavaScriptException();
    return fallback;
  }
  double value = info[index].As<Napi::Number>().DoubleValue();
  if (!(value >= 1 && value <= max) || value != static_cast<double>(static_cast<uint32_t>(value))) {
    Napi::RangeError::New(info.Env(), "batchSize/queueLimit out of range (1.." + std::to_string(max) + ")").ThrowAsJavaScriptException();
    return fallback;
  }
  return static_cast<uint32_t>(value);
}

// Packets i < count as spans: packet i is buffers[i][starts[i]..ends[i]). `usage` prefixes the
// messages. RangeError when an array is shorter than count or a range is not inside its buffer;
// TypeError when buffers[i] is not a Uint8Array. The caller has checked the three arrays' types
// and read `count`.
inline bool ReadRegions(Napi::Env env, const char* usage, Napi::Array buffers, Napi::Uint32Array starts, Napi::Uint32Array ends,
                        uint32_t count, std::vector<PacketSpan>* out) {
  if (count > buffers.Length() || count > starts.ElementLength() || count > ends.ElementLength()) {
    Napi::RangeError::New(env, std::string(usage) + ": an array is shorter than count").ThrowAsJavaScriptException();
    return false;
  }
  if (out->size() < count) out->resize(count);
  for (uint32_t i = 0; i < count; i++) {
    Napi::Value value = buffers.Get(i);
    if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      Napi::TypeError::New(env, std::string(usage) + ": buffers[" + std::to_string(i) + "] is not a Uint8Array").ThrowAsJavaScriptException();
      return false;
    }
    Napi::Uint8Array bytes = value.As<Napi::Uint8Array>();
    uint32_t start = starts[i];
    uint32_t end = ends[i];
    if (start > end || end > bytes.ByteLength()) {
      Napi::RangeError::New(env, std::string(usage) + ": packet " + std::to_string(i) + " needs starts[i] <= ends[i] <= buffers[i].length")
          .ThrowAsJavaScriptException();
      return false;
    }
    (*out)[i] = PacketSpan{bytes.Data() + start, end - start};
  }
  return true;
}
