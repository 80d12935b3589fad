// Adds `gsoSplit` (gso_split.h exposed for tests, on every OS) to the module's exports.
#pragma once
#include <napi.h>

void InitGsoSplit(Napi::Env env, Napi::Object exports);
