// Entry point of the PPTP Manager native helper. It owns nothing but module registration:
// the TUN device lives in the platform file (tun_linux.cc / tun_unsupported.cc).
#include <napi.h>
#include "tun.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("abiVersion", Napi::Number::New(env, 1));
  return InitTun(env, exports);
}

NODE_API_MODULE(pptp_native_helper, Init)
