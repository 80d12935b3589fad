// The platform-specific half of the helper: each platform file defines InitTun, which adds
// `TunDevice` (a class) and `platformSupported` (a boolean) to the module's exports.
// Linux: src/tun_linux.cc. Everything else: src/tun_unsupported.cc.
#pragma once
#include <napi.h>

Napi::Object InitTun(Napi::Env env, Napi::Object exports);
