/**
 * Where profiles live when there is no Electron userData directory (pptpctl, scripts):
 * $PPTP_CONFIG_DIR if set, else $XDG_CONFIG_HOME/pptp-manager, else ~/.config/pptp-manager.
 * Pure: the caller passes the environment and home directory.
 */
import path from 'node:path';

export const CONFIG_DIR_ENV = 'PPTP_CONFIG_DIR';

export function defaultConfigDir(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const explicit = env[CONFIG_DIR_ENV];
  if (explicit) return path.resolve(explicit);
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.config');
  return path.join(base, 'pptp-manager');
}
