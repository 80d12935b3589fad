// Adds `tcpCoalesce` (tcp_coalesce.h exposed for tests, on every OS) to the module's exports.
#pragma once
#include <napi.h>

void InitTcpCoalesce(Napi::Env env, Napi::Object exports);
