// Platforms without a raw GRE socket implementation (Windows has no usable raw IP sockets for
// GRE yet; Linux and macOS have one). The module loads; constructing a GrePort throws a typed
// "not supported" error.
#include "errno_name.h"
#include "gre.h"

namespace {

class GrePort : public Napi::ObjectWrap<GrePort> {
 public:
  static Napi::Function Define(Napi::Env env) { return DefineClass(env, "GrePort", {}); }

  explicit GrePort(const Napi::CallbackInfo& info) : Napi::ObjectWrap<GrePort>(info) {
    CodedError(info.Env(), "ERR_GRE_UNSUPPORTED_PLATFORM", "raw GRE sockets are not supported on this platform yet")
        .ThrowAsJavaScriptException();
  }
};

}  // namespace

Napi::Object InitGre(Napi::Env env, Napi::Object exports) {
  exports.Set("greSupported", Napi::Boolean::New(env, false));
  exports.Set("GrePort", GrePort::Define(env));
  return exports;
}
