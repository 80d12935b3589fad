/**
 * The limits every edge applies alike — the profile schema (editor, store, import), pptpctl's
 * flags and the service RPC (main/service/connect-options.ts): one number each, so a value one
 * surface accepts is never refused by the next. Pure constants (the renderer bundles this file).
 */

/** RFC 2759 §4 (MS-CHAPv2) and RFC 2433 (MS-CHAPv1): the password is 0..256 Unicode characters. */
export const PASSWORD_MAX_LENGTH = 256;
export const USERNAME_MAX_LENGTH = 256;
export const DOMAIN_MAX_LENGTH = 255;
/** Split routes per profile and per connect: each one is a route the service installs and undoes. */
export const MAX_SPLIT_ROUTES = 256;
export const MTU_MIN = 576; // RFC 791: every host must accept 576-octet datagrams
export const MTU_MAX = 1500; // Ethernet payload; the tunnel's own MTU is lower still
