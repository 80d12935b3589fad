/* darwin-shim: XNU bsd/sys/sys_domain.h (xnu-11417.101.15), the constants the utun code uses;
 * for the Linux syntax check of the macOS sources only. */
#ifndef PPTP_DARWIN_SHIM_SYS_SYS_DOMAIN_H
#define PPTP_DARWIN_SHIM_SYS_SYS_DOMAIN_H
#if !defined(__linux__)
#error "darwin-shim is only for the syntax check on Linux; on macOS use the SDK"
#endif
#include <sys/socket.h>

#define SYSPROTO_EVENT 1   /* kernel events protocol */
#define SYSPROTO_CONTROL 2 /* kernel control protocol */
#define AF_SYS_CONTROL 2   /* the matching sub address type (sockaddr_ctl.ss_sysaddr) */

#endif
