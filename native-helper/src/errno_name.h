// Errno to stable error code, shared by every part of the addon that reports a failed syscall.
// Owns: the errno-name table and the one way an errno becomes a JavaScript Error
// ({code: "EPERM", errno, syscall, message}). Must not: know about TUN or sockets.
#pragma once
#include <napi.h>

#include <string>

// "EPERM", "EBUSY", ...; "EUNKNOWN" for an errno this table does not name.
const char* ErrnoName(int err);

// An Error whose message is `what: strerror(err)` and whose code is ErrnoName(err).
Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall, const std::string& what);

// An Error with a stable code that is not an errno (ERR_TUN_CLOSED, ERR_PEERCRED_...).
Napi::Error CodedError(Napi::Env env, const char* code, const std::string& message);
