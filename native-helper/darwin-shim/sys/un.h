/* darwin-shim: glibc's <sys/un.h> plus the SOL_LOCAL options of XNU bsd/sys/un.h
 * (xnu-11417.101.15); for the Linux syntax check of the macOS sources only. */
#ifndef PPTP_DARWIN_SHIM_SYS_UN_H
#define PPTP_DARWIN_SHIM_SYS_UN_H
#if !defined(__linux__)
#error "darwin-shim is only for the syntax check on Linux; on macOS use the SDK"
#endif
#include_next <sys/un.h>

#define SOL_LOCAL 0         /* getsockopt level for local (Unix-domain) sockets */
#define LOCAL_PEERCRED 0x001 /* struct xucred of the peer */
#define LOCAL_PEERPID 0x002  /* pid_t of the peer */

#endif
