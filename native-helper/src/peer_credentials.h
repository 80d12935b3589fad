// Adds `peerCredentials(fd)` (who is on the other end of a connected Unix socket) to the
// module's exports.
#pragma once
#include <napi.h>

void InitPeerCredentials(Napi::Env env, Napi::Object exports);
