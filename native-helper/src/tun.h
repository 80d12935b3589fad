// The platform half of the helper: InitTun adds `TunDevice` (a class) and `platformSupported`
// (a boolean) to the module's exports. Linux and macOS: tun_device.cc over their TunPort
// (tun_linux.cc, tun_darwin.cc). Everything else: tun_unsupported.cc.
#pragma once
#include <napi.h>

Napi::Object InitTun(Napi::Env env, Napi::Object exports);
