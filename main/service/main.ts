/**
 * The privileged tunnel service (DESIGN.md §3), in one of two modes chosen by argv only
 * (rpc/listen-args.ts; never by the environment):
 *  - stdio (no arguments): started by the desktop app (through pkexec, or directly when the app is
 *    already privileged) with the RPC on stdin/stdout. It serves until stdin closes or `shutdown`,
 *    then tears the tunnel down and exits. stdout carries only RPC lines.
 *  - socket (`--listen <path> [--allow-uid N]... [--allow-group NAME]... [--state-dir DIR]`): a
 *    root daemon (launchd's org.pptpmanager.service on macOS) serving the same RPC on a Unix
 *    socket to the peers the policy allows (rpc/socket-daemon.ts). It outlives its clients; a
 *    client's `shutdown` ends that client's session; when the last session ends the tunnel is
 *    torn down (as when the app quits in stdio mode); SIGTERM (launchctl bootout) tears down,
 *    restores the network, removes the socket and exits.
 * Both first recover the network a crashed run left (the journal). Logs go to stderr.
 */
import { RpcServer } from './rpc/server';
import { ListenArgsError, parseServiceArgs, SERVICE_USAGE, type ServiceArgs } from './rpc/listen-args';
import { peerReader } from './rpc/peer-credentials';
import { PeerGroups } from './rpc/peer-groups';
import { SocketDaemon } from './rpc/socket-daemon';
import { TunnelDriver } from './tunnel-driver';
import { isPrivileged, privilegeRequirement } from './privileges';
import { TestRunner } from './doctor/test-runner';
import type { TunnelEvent } from '../../preload/schema/tunnel';
import { missingNodeFlags } from './node-flags';

const INFO = { name: 'pptp-manager-service', version: '0.1.0', privileged: isPrivileged() };

function log(line: string): void {
  process.stderr.write(`pptp-service: ${line}\n`);
}

/** Builds the driver and recovers what a crashed run left in the journal. */
async function startDriver(stateDir: string | undefined, onEvent: (event: TunnelEvent) => void) {
  // Started some other way than the launchers (a hand-run `node dist/service.mjs`): say so, as
  // memory under load then differs from what docs/memory.md measured.
  const missing = missingNodeFlags(process.execArgv);
  if (missing.length > 0) log(`note: started without ${missing.join(' ')} (node-flags.ts): the young generation may grow by up to 48 MB under load`);
  const driver = new TunnelDriver({ onEvent, statsIntervalMs: 1000, ...(stateDir !== undefined ? { stateDir } : {}) });
  const recovery = await driver.recover();
  if (recovery !== 'nothing to recover') log(recovery);
  return driver;
}

/** Connection tests beside the driver's tunnel: never both at once. */
function testsBeside(driver: TunnelDriver): TestRunner {
  return new TestRunner({ tunnelState: () => driver.status().state, privileged: INFO.privileged, privilegeRequirement: privilegeRequirement() });
}

async function runStdio(): Promise<void> {
  // The driver exists before the RPC server it reports to; events before that have no reader.
  const sink: { server?: RpcServer } = {};
  // stdio mode is started by the app (pkexec clears the environment; a direct child is already ours).
  const driver = await startDriver(process.env.PPTP_STATE_DIR || undefined, (event) => sink.server?.pushEvent(event));
  const tests = testsBeside(driver);
  let shuttingDown = false;
  const stop = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    await driver.shutdown();
    process.exit(code);
  };
  const server = new RpcServer(
    process.stdin,
    process.stdout,
    {
      connect: tests.guardConnect((o) => driver.connect(o)),
      disconnect: () => driver.disconnect(),
      status: () => driver.status(),
      test: (o, credentials, onStep) => tests.test(o, credentials, onStep),
      shutdown: async () => {
        setImmediate(() => void stop(0));
      },
    },
    INFO,
  );
  sink.server = server;
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  await server.run();
  await stop(0);
}

async function runSocket(args: Extract<ServiceArgs, { mode: 'socket' }>): Promise<void> {
  const euid = typeof process.geteuid === 'function' ? process.geteuid() : -1;
  if (euid !== 0) log(`warning: socket mode is meant to run as root (euid ${euid}); peers' groups and the tunnel may fail`);
  const groups = new PeerGroups();
  const allowGids = new Set<number>();
  for (const name of args.policy.allowGroups) {
    const gid = await groups.gidOf(name);
    if (gid === null) log(`--allow-group ${name}: no such group; its members are not allowed`);
    else allowGids.add(gid);
  }
  const sink: { daemon?: SocketDaemon } = {};
  const driver = await startDriver(args.stateDir, (event) => sink.daemon?.pushEvent(event));
  const tests = testsBeside(driver);
  const daemon = new SocketDaemon({
    socketPath: args.socketPath,
    policy: { allowUids: new Set(args.policy.allowUids), allowGids },
    readPeer: peerReader(),
    groupsOf: (uid) => groups.groupsOf(uid),
    tunnel: {
      connect: tests.guardConnect((o) => driver.connect(o)),
      disconnect: () => driver.disconnect(),
      status: () => driver.status(),
      test: (o, credentials, onStep) => tests.test(o, credentials, onStep),
    },
    info: INFO,
    log,
    euid,
    onLastSessionEnded: () => {
      if (driver.status().state === 'idle') return;
      log('the last client went away: tearing the tunnel down');
      void driver.shutdown();
    },
  });
  sink.daemon = daemon;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping: tearing the tunnel down and restoring the network');
    await daemon.close();
    await driver.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  await daemon.start();
  log(`listening on ${args.socketPath} (root${args.policy.allowUids.map((u) => `, uid ${u}`).join('')}${args.policy.allowGroups.map((g) => `, group ${g}`).join('')})`);
}

async function main(): Promise<void> {
  let args: ServiceArgs;
  try {
    args = parseServiceArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ListenArgsError)) throw error;
    process.stderr.write(`pptp-service: ${error.code}: ${error.message}\n${SERVICE_USAGE}`);
    process.exit(2);
  }
  if (args.mode === 'stdio') await runStdio();
  else await runSocket(args);
}

main().catch((e: unknown) => {
  const code = (e as { code?: unknown } | null)?.code;
  const detail = typeof code === 'string' ? `(${code}): ${(e as Error).message}` : e instanceof Error ? e.stack : String(e);
  process.stderr.write(`pptp-service: fatal ${detail}\n`);
  process.exit(1);
});
