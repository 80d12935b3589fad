// `tcpCoalesce` on every OS: the exact C++ that plans Linux TUN writes (tcp_coalesce.h),
// exposed so unit tests check its decisions and bytes without a TUN. Not used by the tunnel,
// which plans inside tun_linux.cc without crossing into JavaScript.
//
//   plan(packets: Uint8Array[]): { first, count, bytes: Buffer }[]
//     -- the write(2)s a batch becomes, in order; `bytes` is exactly what the write would carry
//        (virtio_net_hdr, in the host's byte order, then the packet or the super-packet)
//   virtioNetHdrLength: 10, maxSegments: 64
#include "tcp_coalesce_binding.h"

#include <cstring>
#include <vector>

#include "tcp_coalesce.h"

namespace {

Napi::Value Plan(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) {
    Napi::TypeError::New(env, "plan(packets) needs an array of Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array input = info[0].As<Napi::Array>();
  std::vector<PacketSpan> packets;
  for (uint32_t i = 0; i < input.Length(); i++) {
    Napi::Value value = input.Get(i);
    if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      Napi::TypeError::New(env, "plan(packets): every packet must be a Uint8Array").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Uint8Array bytes = value.As<Napi::Uint8Array>();
    packets.push_back(PacketSpan{bytes.Data(), bytes.ByteLength()});
  }
  Napi::Array writes = Napi::Array::New(env);
  tcp_coalesce::Write write;
  for (size_t start = 0; start < packets.size(); start += write.count) {
    tcp_coalesce::PlanWrite(packets.data(), packets.size(), start, &write);
    std::vector<uint8_t> bytes(write.header, write.header + write.header_length);
    for (size_t i = write.first; i < write.first + write.count; i++) {
      const uint8_t* from = packets[i].data + write.payload_offset;
      bytes.insert(bytes.end(), from, packets[i].data + packets[i].length);
    }
    Napi::Object entry = Napi::Object::New(env);
    entry.Set("first", Napi::Number::New(env, static_cast<double>(write.first)));
    entry.Set("count", Napi::Number::New(env, static_cast<double>(write.count)));
    entry.Set("bytes", Napi::Buffer<uint8_t>::Copy(env, bytes.data(), bytes.size()));
    writes.Set(writes.Length(), entry);
  }
  return writes;
}

}  // namespace

void InitTcpCoalesce(Napi::Env env, Napi::Object exports) {
  Napi::Object coalesce = Napi::Object::New(env);
  coalesce.Set("plan", Napi::Function::New(env, Plan, "plan"));
  coalesce.Set("virtioNetHdrLength", Napi::Number::New(env, static_cast<double>(tcp_coalesce::kVirtioNetHdrLength)));
  coalesce.Set("maxSegments", Napi::Number::New(env, static_cast<double>(tcp_coalesce::kMaxSegments)));
  exports.Set("tcpCoalesce", coalesce);
}
