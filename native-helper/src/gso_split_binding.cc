// `gsoSplit` on every OS: the exact C++ that turns Linux TUN read frames into packets
// (gso_split.h), exposed so unit tests check its packets and refusals without a TUN. Not used
// by the tunnel, whose reader thread splits inside tun_linux.cc without crossing into JavaScript.
//
//   split(frame: Uint8Array, chunk?: number): { ok: true, packets: Buffer[] } | { ok: false, reason }
//     -- frame is {struct virtio_net_hdr (host byte order), packet}, as read(2) returns it;
//        chunk (default: all at once) appends at most that many packets per call, as the reader
//        does when a batch fills up mid-frame; reason is gso_split::StatusName
//   virtioNetHdrLength: 10
#include "gso_split_binding.h"

#include <vector>

#include "gso_split.h"
#include "tcp_coalesce.h"

namespace {

Napi::Value Split(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(env, "split(frame, chunk?) needs a Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  size_t chunk = 0;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    double value = info[1].IsNumber() ? info[1].As<Napi::Number>().DoubleValue() : 0;
    if (!(value >= 1 && value <= 65536) || value != static_cast<double>(static_cast<size_t>(value))) {
      Napi::RangeError::New(env, "split(frame, chunk): chunk is an integer 1..65536").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    chunk = static_cast<size_t>(value);
  }
  Napi::Uint8Array input = info[0].As<Napi::Uint8Array>();
  // A copy, so that the splitter provably reads nothing but these octets.
  std::vector<uint8_t> frame_bytes(input.Data(), input.Data() + input.ByteLength());
  gso_split::Frame frame;
  gso_split::Status status = gso_split::Parse(frame_bytes.data(), frame_bytes.size(), &frame);
  Napi::Object result = Napi::Object::New(env);
  if (status != gso_split::Status::kOk) {
    result.Set("ok", Napi::Boolean::New(env, false));
    result.Set("reason", Napi::String::New(env, gso_split::StatusName(status)));
    return result;
  }
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> ends;
  size_t step = chunk == 0 ? frame.packets : chunk;
  for (size_t first = 0; first < frame.packets; first += step) {
    size_t count = frame.packets - first < step ? frame.packets - first : step;
    gso_split::AppendPackets(frame, first, count, &bytes, &ends);
  }
  Napi::Array packets = Napi::Array::New(env, ends.size());
  uint32_t start = 0;
  for (size_t i = 0; i < ends.size(); i++) {
    packets.Set(static_cast<uint32_t>(i), Napi::Buffer<uint8_t>::Copy(env, bytes.data() + start, ends[i] - start));
    start = ends[i];
  }
  result.Set("ok", Napi::Boolean::New(env, true));
  result.Set("packets", packets);
  return result;
}

}  // namespace

void InitGsoSplit(Napi::Env env, Napi::Object exports) {
  Napi::Object split = Napi::Object::New(env);
  split.Set("split", Napi::Function::New(env, Split, "split"));
  split.Set("virtioNetHdrLength", Napi::Number::New(env, static_cast<double>(tcp_coalesce::kVirtioNetHdrLength)));
  exports.Set("gsoSplit", split);
}
