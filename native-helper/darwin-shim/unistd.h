/* darwin-shim: glibc's <unistd.h> plus getpeereid(3), which macOS (like the other BSDs)
 * declares there and glibc does not have; for the Linux syntax check of the macOS sources only. */
#ifndef PPTP_DARWIN_SHIM_UNISTD_H
#define PPTP_DARWIN_SHIM_UNISTD_H
#if !defined(__linux__)
#error "darwin-shim is only for the syntax check on Linux; on macOS use the SDK"
#endif
#include_next <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif
int getpeereid(int socket, uid_t* euid, gid_t* egid);
#ifdef __cplusplus
}
#endif

#endif
