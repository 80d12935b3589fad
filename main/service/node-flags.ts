/**
 * The V8 flags the tunnel service runs with, however it is started: the app's direct child
 * (main/app/supervisor/launch.ts), the pkexec launcher (packaging/linux/pptp-manager-service) and
 * the launchd daemon (packaging/mac/org.pptpmanager.service.plist). The two packaging files cannot
 * import this list; unit tests hold them to it (test/unit/app/packaging).
 *
 * --max-semi-space-size=2 (MiB): V8 grows the young generation while a transfer keeps objects
 * surviving scavenges, up to 16 MiB per semi-space on 64-bit (three of them resident: 48 MiB),
 * and does not give it back under load. In a 10-minute transfer soak the service's RSS stepped
 * from 80 to 123 MB over the first 6 minutes with its heap in use at 8-15 MB; capped at 2 MiB it
 * stayed flat (docs/memory.md has the runs and what the cap costs in CPU). Setting it at run time
 * (v8.setFlagsFromString) does not work: V8 sizes the heap at start-up, so it must be argv.
 *
 * Owns: the list. Must not: hold anything a caller could use to change what runs as root (no
 * flag here reads a path or the environment).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/** Which of SERVICE_NODE_FLAGS a process was started without (`process.execArgv`): the service logs them. */
export function missingNodeFlags(execArgv: readonly string[]): string[] {
  return SERVICE_NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
}
