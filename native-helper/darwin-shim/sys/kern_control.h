/* darwin-shim: the user-space part of XNU bsd/sys/kern_control.h (xnu-11417.101.15), for the
 * Linux syntax check of the macOS sources only (scripts/check-darwin.mjs). */
#ifndef PPTP_DARWIN_SHIM_SYS_KERN_CONTROL_H
#define PPTP_DARWIN_SHIM_SYS_KERN_CONTROL_H
#if !defined(__linux__)
#error "darwin-shim is only for the syntax check on Linux; on macOS use the SDK"
#endif
#include <sys/types.h>

#define MAX_KCTL_NAME 96 /* bsd/sys/kern_control.h */

struct ctl_info {
  u_int32_t ctl_id;                 /* kernel controller id */
  char ctl_name[MAX_KCTL_NAME];     /* kernel controller name (a C string) */
};

struct sockaddr_ctl {
  u_char sc_len;          /* sizeof(struct sockaddr_ctl) */
  u_char sc_family;       /* AF_SYSTEM */
  u_int16_t ss_sysaddr;   /* AF_SYS_CONTROL */
  u_int32_t sc_id;        /* controller id from CTLIOCGINFO */
  u_int32_t sc_unit;      /* unit; 0: the kernel picks */
  u_int32_t sc_reserved[5];
};

/* CTLIOCGINFO is _IOWR('N', 3, struct ctl_info). Darwin's _IOWR (bsd/sys/ioccom.h) is
 * IOC_INOUT (0xC0000000) | (sizeof & 0x1fff) << 16 | 'N' << 8 | 3, which is not Linux's
 * encoding, so the macOS value is spelled out: 0xC0000000 | 100 << 16 | 0x4E << 8 | 3. */
#define CTLIOCGINFO ((unsigned long)0xC0644E03UL)

#endif
