/**
 * The per-OS facts pptpctl prints or relies on: where its control socket lives and what
 * privilege a tunnel needs. Owns only these small tables; what "privileged" means is decided in
 * main/service/privileges.ts.
 *
 * - Runtime directory. Linux: /run (FHS 3.0 §3.15, a tmpfs cleared at boot). macOS has no /run
 *   (the sealed system volume is read-only, so it cannot be created either): /var/run, a link
 *   to /private/var/run that is emptied at boot (hier(7) on macOS lists /var/run). On both the
 *   directory is pptpctl's own (/run/pptpctl, /var/run/pptpctl), not the service daemon's
 *   pptp-manager/: the daemon keeps its socket in a 0755 directory the GUI user must traverse,
 *   and pptpctl creates its directory 0700 (only root may reach a running pptpctl), so the two
 *   must not share one.
 * - Privilege. Linux: root, or CAP_NET_ADMIN (TUN, routes) + CAP_NET_RAW (the GRE socket),
 *   capabilities(7). macOS has no capabilities: opening a utun control socket, a raw socket
 *   (XNU rip_attach: EPERM without SS_PRIV) and changing routes need euid 0.
 */

export function defaultRuntimeDir(platform: NodeJS.Platform = process.platform): string {
  return platform === 'darwin' ? '/var/run/pptpctl' : '/run/pptpctl';
}

/** Words for "what this needs", to follow "needs ": the service's (a test run by the service says the same). */
export { privilegeRequirement } from '../service/privileges';
