/* darwin-shim: glibc's <sys/socket.h> plus what XNU bsd/sys/socket.h (xnu-11417.101.15) has
 * and Linux lacks; for the Linux syntax check of the macOS sources only. */
#ifndef PPTP_DARWIN_SHIM_SYS_SOCKET_H
#define PPTP_DARWIN_SHIM_SYS_SOCKET_H
#if !defined(__linux__)
#error "darwin-shim is only for the syntax check on Linux; on macOS use the SDK"
#endif
#include_next <sys/socket.h>

#define AF_SYSTEM 32 /* kernel event messages and kernel controls */
#define PF_SYSTEM AF_SYSTEM

#endif
