/**
 * The developer overrides the app reads from its environment, and the one decision about them:
 * in a packaged build (Electron's `app.isPackaged`) none has any effect, and all of them are
 * removed from the environment before anything (the tunnel service included) can inherit them.
 * A packaged app runs the launcher, service and state directory it was installed with, whatever
 * a user's shell, a desktop file or another program put in the environment. Pure: main.ts applies
 * the result. Owns which variables are developer-only; the service reads none of them by itself.
 */

/** Every variable that changes what runs or where state lives, for development and tests only. */
export const DEVELOPER_ENV_VARS = [
  'PPTP_SERVICE_LAUNCHER', // another pkexec launcher path
  'PPTP_SERVICE_COMMAND', // JSON argv of a service to spawn instead of ours
  'PPTP_SERVICE_SOCKET', // a daemon socket started by hand
  'PPTP_STATE_DIR', // the service's journal/state directory (inherited by a directly spawned service)
  'PPTP_RUNTIME_DIR', // where control sockets live
  'PPTP_CONFIG_DIR', // pptpctl's profiles directory (inherited by child processes)
  'PPTP_USER_DATA_DIR', // the app's profile/settings directory
  'PPTP_DEV_SERVER_URL', // load the renderer from a dev server
  'PPTP_DEVTOOLS', // open DevTools
] as const;
export type DeveloperEnvVar = (typeof DEVELOPER_ENV_VARS)[number];

export interface DeveloperOverrides {
  readonly serviceLauncher?: string;
  readonly serviceCommand?: readonly string[];
  readonly serviceSocket?: string;
  readonly userDataDir?: string;
  /** Variables to delete from process.env now (all of them when packaged, so no child inherits one). */
  readonly scrub: readonly DeveloperEnvVar[];
  /** What was set but ignored, for one log line (names only, never values). */
  readonly ignored: readonly DeveloperEnvVar[];
}

/** The overrides in effect: none when packaged; in development, what the environment sets. */
export function developerOverrides(env: Readonly<Record<string, string | undefined>>, isPackaged: boolean): DeveloperOverrides {
  const set = DEVELOPER_ENV_VARS.filter((k) => env[k] !== undefined && env[k] !== '');
  if (isPackaged) return { scrub: [...DEVELOPER_ENV_VARS], ignored: set };
  let serviceCommand: string[] | undefined;
  if (env.PPTP_SERVICE_COMMAND) {
    const parsed: unknown = JSON.parse(env.PPTP_SERVICE_COMMAND);
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((a) => typeof a === 'string')) {
      throw new Error('PPTP_SERVICE_COMMAND must be a JSON array of strings, e.g. ["node","dist/service.mjs"]');
    }
    serviceCommand = parsed as string[];
  }
  return {
    ...(env.PPTP_SERVICE_LAUNCHER ? { serviceLauncher: env.PPTP_SERVICE_LAUNCHER } : {}),
    ...(serviceCommand ? { serviceCommand } : {}),
    ...(env.PPTP_SERVICE_SOCKET ? { serviceSocket: env.PPTP_SERVICE_SOCKET } : {}),
    ...(env.PPTP_USER_DATA_DIR ? { userDataDir: env.PPTP_USER_DATA_DIR } : {}),
    scrub: [],
    ignored: [],
  };
}
