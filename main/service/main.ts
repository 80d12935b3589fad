/**
 * The privileged tunnel service (DESIGN.md §3): started by the desktop app (through pkexec, or
 * directly when the app is already privileged) with the RPC on stdin/stdout. It recovers the
 * network a crashed run left, then serves requests until stdin closes or `shutdown`, and on the
 * way out always tears the tunnel down and restores routes and DNS. Logs go to stderr; stdout
 * carries only RPC lines.
 */
import { RpcServer } from './rpc/server';
import { TunnelDriver } from './tunnel-driver';
import { isPrivileged } from './privileges';

async function main(): Promise<void> {
  // The driver exists before the RPC server it reports to; events before that have no reader.
  const sink: { server?: RpcServer } = {};
  const driver = new TunnelDriver({
    onEvent: (event) => sink.server?.pushEvent(event),
    statsIntervalMs: 1000,
    ...(process.env.PPTP_STATE_DIR ? { stateDir: process.env.PPTP_STATE_DIR } : {}),
  });
  const recovery = await driver.recover();
  if (recovery !== 'nothing to recover') process.stderr.write(`pptp-service: ${recovery}\n`);
  let shuttingDown = false;
  const stop = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    await driver.shutdown();
    process.exit(code);
  };
  const server = new RpcServer(process.stdin, process.stdout, {
    connect: (o) => driver.connect(o),
    disconnect: () => driver.disconnect(),
    status: () => driver.status(),
    shutdown: async () => {
      setImmediate(() => void stop(0));
    },
  }, { name: 'pptp-manager-service', version: '0.1.0', privileged: isPrivileged() });
  sink.server = server;
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  await server.run();
  await stop(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`pptp-service: fatal: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
