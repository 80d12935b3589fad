// Names the calling thread, so a profiler, `top -H` or /proc/<pid>/task/<tid>/comm can tell the
// helper's reader threads apart (the end-to-end benchmark reports CPU per thread name).
// Linux only: pthread_setname_np(thread, name), at most 15 characters + NUL (pthread_setname_np(3)).
// Elsewhere the threads stay unnamed (macOS's one-argument pthread_setname_np is not in the
// darwin-shim's glibc headers, and nothing on macOS reads the names). Best effort: a failure is
// ignored.
#pragma once

#include <pthread.h>

inline void NameThisThread(const char* name) {
#if defined(__linux__)
  pthread_setname_np(pthread_self(), name);
#else
  (void)name;
#endif
}
