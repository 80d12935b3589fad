// Adds `utunFraming` (utun_frame.h exposed for tests, on every OS) to the module's exports.
#pragma once
#include <napi.h>

void InitUtunFraming(Napi::Env env, Napi::Object exports);
