// The GRE half of the helper: InitGre adds `GrePort` (a class: a raw GRE socket with a batched
// reader thread and batched sends) and `greSupported` (a boolean) to the module's exports.
// Linux and macOS: gre_port.cc over their RawGreSocket (raw_gre_socket_linux.cc,
// raw_gre_socket_darwin.cc). Everything else: gre_unsupported.cc.
#pragma once
#include <napi.h>

Napi::Object InitGre(Napi::Env env, Napi::Object exports);
