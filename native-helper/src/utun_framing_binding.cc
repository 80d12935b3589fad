// `utunFraming` on every OS: the exact C++ that frames macOS utun packets (utun_frame.h),
// exposed so the unit tests on Linux exercise it. Not used by the tunnel itself, which frames
// inside tun_darwin.cc without crossing into JavaScript.
//
//   encapsulate(packet: Uint8Array): Buffer            -- prefix + packet; throws ERR_UTUN_FRAME_*
//   decapsulate(frame: Uint8Array): {ok: true, family, packet} | {ok: false, reason, family}
//   AF_INET: 2, AF_INET6: 30, headerLength: 4        -- Darwin's values
#include <cstring>

#include "errno_name.h"
#include "utun_framing_binding.h"
#include "utun_frame.h"

namespace {

bool BytesOf(Napi::Value value, const uint8_t** data, size_t* length) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) return false;
  Napi::Uint8Array bytes = value.As<Napi::Uint8Array>();
  *data = bytes.Data();
  *length = bytes.ByteLength();
  return true;
}

Napi::Value Encapsulate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint8_t* data = nullptr;
  size_t length = 0;
  if (info.Length() < 1 || !BytesOf(info[0], &data, &length)) {
    Napi::TypeError::New(env, "encapsulate(packet) needs a Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  uint8_t header[utun_frame::kHeaderLength];
  switch (utun_frame::EncodeHeader(data, length, header)) {
    case utun_frame::EncapsulateStatus::kOk: break;
    case utun_frame::EncapsulateStatus::kEmpty:
      CodedError(env, "ERR_UTUN_FRAME_EMPTY", "an empty packet has no IP version").ThrowAsJavaScriptException();
      return env.Undefined();
    case utun_frame::EncapsulateStatus::kUnknownVersion:
      CodedError(env, "ERR_UTUN_FRAME_IP_VERSION", "the packet is neither IPv4 nor IPv6 (version nibble " +
                                                       std::to_string(data[0] >> 4) + ")")
          .ThrowAsJavaScriptException();
      return env.Undefined();
  }
  Napi::Buffer<uint8_t> frame = Napi::Buffer<uint8_t>::New(env, utun_frame::kHeaderLength + length);
  std::memcpy(frame.Data(), header, utun_frame::kHeaderLength);
  if (length > 0) std::memcpy(frame.Data() + utun_frame::kHeaderLength, data, length);
  return frame;
}

const char* ReasonName(utun_frame::DecapsulateStatus status) {
  switch (status) {
    case utun_frame::DecapsulateStatus::kTooShort: return "too-short";
    case utun_frame::DecapsulateStatus::kUnknownFamily: return "unknown-family";
    case utun_frame::DecapsulateStatus::kVersionMismatch: return "version-mismatch";
    case utun_frame::DecapsulateStatus::kOk: break;
  }
  return "ok";
}

Napi::Value Decapsulate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint8_t* data = nullptr;
  size_t length = 0;
  if (info.Length() < 1 || !BytesOf(info[0], &data, &length)) {
    Napi::TypeError::New(env, "decapsulate(frame) needs a Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  utun_frame::Decapsulated frame = utun_frame::Decapsulate(data, length);
  Napi::Object result = Napi::Object::New(env);
  bool ok = frame.status == utun_frame::DecapsulateStatus::kOk;
  result.Set("ok", Napi::Boolean::New(env, ok));
  result.Set("family", Napi::Number::New(env, frame.family));
  if (ok) {
    result.Set("packet", Napi::Buffer<uint8_t>::Copy(env, data + frame.packetOffset, frame.packetLength));
  } else {
    result.Set("reason", Napi::String::New(env, ReasonName(frame.status)));
  }
  return result;
}

}  // namespace

void InitUtunFraming(Napi::Env env, Napi::Object exports) {
  Napi::Object framing = Napi::Object::New(env);
  framing.Set("encapsulate", Napi::Function::New(env, Encapsulate, "encapsulate"));
  framing.Set("decapsulate", Napi::Function::New(env, Decapsulate, "decapsulate"));
  framing.Set("AF_INET", Napi::Number::New(env, utun_frame::kDarwinAfInet));
  framing.Set("AF_INET6", Napi::Number::New(env, utun_frame::kDarwinAfInet6));
  framing.Set("headerLength", Napi::Number::New(env, static_cast<double>(utun_frame::kHeaderLength)));
  exports.Set("utunFraming", framing);
}
