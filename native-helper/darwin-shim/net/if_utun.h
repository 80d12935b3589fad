/* darwin-shim: XNU bsd/net/if_utun.h (xnu-11417.101.15), the user-space names the utun code
 * uses; for the Linux syntax check of the macOS sources only. */
#ifndef PPTP_DARWIN_SHIM_NET_IF_UTUN_H
#define PPTP_DARWIN_SHIM_NET_IF_UTUN_H
#if !defined(__linux__)
#error "darwin-shim is only for the syntax check on Linux; on macOS use the SDK"
#endif
#include <sys/kern_control.h>

#define UTUN_CONTROL_NAME "com.apple.net.utun_control"
#define UTUN_OPT_FLAGS 1
#define UTUN_OPT_IFNAME 2 /* getsockopt(SYSPROTO_CONTROL, UTUN_OPT_IFNAME): "utunN" */

#endif
