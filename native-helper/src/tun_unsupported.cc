// Platforms without a TUN implementation yet (Windows Wintun comes later; Linux and macOS have one).
// The module loads; constructing a TunDevice throws a typed "not supported" error.
#include "tun.h"

namespace {

class TunDevice : public Napi::ObjectWrap<TunDevice> {
 public:
  static Napi::Function Define(Napi::Env env) { return DefineClass(env, "TunDevice", {}); }

  explicit TunDevice(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TunDevice>(info) {
    Napi::Error error = Napi::Error::New(info.Env(), "TUN devices are not supported on this platform yet");
    error.Set("code", Napi::String::New(info.Env(), "ERR_TUN_UNSUPPORTED_PLATFORM"));
    error.ThrowAsJavaScriptException();
  }
};

}  // namespace

Napi::Object InitTun(Napi::Env env, Napi::Object exports) {
  exports.Set("platformSupported", Napi::Boolean::New(env, false));
  exports.Set("TunDevice", TunDevice::Define(env));
  return exports;
}
