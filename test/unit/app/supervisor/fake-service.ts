/**
 * A FAKE tunnel service for the supervisor's unit tests (the real one is used by test/gui).
 * Speaks the real RPC through main/service/rpc/server.ts with a scripted controller. The
 * behaviour comes from FAKE_SERVICE_MODE; FAKE_SERVICE_RECORD names a file where it writes what
 * it received (connect params, its argv and environment) so tests can check where the password went.
 *
 * Modes: ok | die-on-connect | malformed | auth-fail | reconnect | stubborn | echo-password | die-after-connected
 */
import { appendFileSync } from 'node:fs';
import { RpcServer, RpcError, type TunnelController } from '../../../../main/service/rpc/server';
import type { ConnectOptions } from '../../../../main/service/connect-options';
import type { ServiceStatus } from '../../../../main/service/rpc/protocol';
import { DoctorSteps } from '../../../../main/service/doctor/steps';

const mode = process.env.FAKE_SERVICE_MODE ?? 'ok';
const recordFile = process.env.FAKE_SERVICE_RECORD;
function record(obj: unknown): void {
  if (recordFile) appendFileSync(recordFile, JSON.stringify(obj) + '\n');
}
record({ kind: 'start', argv: process.argv, env: process.env });

let state: ServiceStatus['state'] = 'idle';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const controller: TunnelController = {
  async connect(options: ConnectOptions) {
    record({ kind: 'connect', options });
    if (state !== 'idle') throw new RpcError('busy', 'already connecting');
    if (mode === 'die-on-connect') process.exit(3);
    if (mode === 'echo-password') process.stderr.write(`debug: login with password=${options.password} user ${options.username}\nraw ${options.password}\n`);
    state = 'connecting';
    void run(options);
  },
  async disconnect() {
    if (state === 'idle') throw new RpcError('not-connected', 'no tunnel');
    // Like the real service: the reply comes when the teardown starts, the event when it is done.
    setTimeout(() => {
      state = 'idle';
      server.pushEvent({ event: 'disconnected', reason: 'local-disconnect', restored: true, uptimeMs: 5 });
    }, 50);
  },
  status: () => ({ state }),
  // A connection test through the real step model: the server answers up to GRE; with
  // credentials, mode auth-fail fails authentication (echoing the password, to prove redaction).
  async test(options, credentials, onStep) {
    record({ kind: 'test', options, credentials });
    if (state !== 'idle') throw new RpcError('busy', 'a tunnel is up');
    const model = new DoctorSteps({ withCredentials: credentials, onStep });
    model.resolved(options.server, options.server);
    model.tcpOk(options.server);
    model.onEvent({ event: 'phase', phase: 'control', status: 'done', at: 1, detail: { server: 'fake', vendor: 'fake' } });
    model.onEvent({ event: 'phase', phase: 'call', status: 'done', at: 2, detail: { peerCallId: 7, window: 64 } });
    model.onEvent({ event: 'phase', phase: 'lcp', status: 'done', at: 3, detail: { auth: 'MS-CHAPv2' } });
    if (credentials && mode === 'auth-fail') model.onEvent({ event: 'error', reason: 'auth-failed', message: `E=691 for password ${options.password}`, phase: 'auth' });
    else if (credentials) {
      model.onEvent({ event: 'phase', phase: 'auth', status: 'done', at: 4, detail: { method: 'MS-CHAPv2' } });
      model.onEvent({ event: 'phase', phase: 'ccp', status: 'done', at: 5, detail: { mppe: '128-bit', mode: 'stateless' } });
      model.onEvent({ event: 'phase', phase: 'ipcp', status: 'done', at: 6, detail: { local: '192.168.77.10', remote: '192.168.77.1', dns: ['192.168.77.1'] } });
    }
    model.finish();
    return model.result!;
  },
  async shutdown() {
    if (mode === 'stubborn') return;
    setTimeout(() => process.exit(0), 10);
  },
};

async function run(options: ConnectOptions): Promise<void> {
  server.pushEvent({ event: 'phase', phase: 'tcp', status: 'started', at: 0 });
  await wait(10);
  server.pushEvent({ event: 'phase', phase: 'tcp', status: 'done', at: 5, durationMs: 5 });
  server.pushEvent({ event: 'phase', phase: 'auth', status: 'started', at: 6 });
  server.pushEvent({ event: 'log', level: 'info', message: `authenticating as ${options.username}`, at: 6 });
  await wait(10);
  if (mode === 'auth-fail') {
    state = 'idle';
    server.pushEvent({ event: 'error', reason: 'auth-failed', message: 'E=691 bad credentials', phase: 'auth' });
    server.pushEvent({ event: 'disconnected', reason: 'auth-failed', restored: true });
    return;
  }
  state = 'connected';
  const connected = {
    event: 'connected' as const,
    server: options.server,
    localIp: '192.168.77.10',
    remoteIp: '192.168.77.1',
    dns: ['192.168.77.1'],
    mtu: 1400,
    auth: 'mschapv2',
    mppe: { bits: 128 as const, stateful: false },
    elapsedMs: 30,
  };
  server.pushEvent(connected);
  server.pushEvent({ event: 'stats', uptimeMs: 1, rxBytes: 1, txBytes: 1, rxPackets: 1, txPackets: 1, rxRate: 0, txRate: 0 });
  server.pushEvent({ event: 'stats', uptimeMs: 2, rxBytes: 2, txBytes: 2, rxPackets: 2, txPackets: 2, rxRate: 0, txRate: 0 });
  if (mode === 'die-after-connected') {
    await wait(30);
    process.kill(process.pid, 'SIGKILL');
  }
  if (mode === 'reconnect') {
    await wait(30);
    server.pushEvent({ event: 'error', reason: 'peer-disconnected', message: 'the server hung up' });
    server.pushEvent({ event: 'reconnecting', attempt: 1, delayMs: 10, reason: 'peer-disconnected' });
    await wait(20);
    server.pushEvent({ event: 'phase', phase: 'tcp', status: 'started', at: 0 });
    await wait(20);
    server.pushEvent({ ...connected, localIp: '192.168.77.11' });
  }
}

const server = new RpcServer(process.stdin, process.stdout, controller, { name: 'fake-service', version: '0.0.0', privileged: false });

if (mode === 'malformed') {
  // Garbage before anything else: the client must log and ignore it, then work normally.
  process.stdout.write('this is not json\n');
  process.stdout.write('{"v":1,"event":{"event":"bogus"}}\n');
  process.stdout.write('{"v":1,"id":999,"ok":true,"result":null}\n');
  process.stdout.write('{"v":2,"id":1,"ok":true,"result":null}\n');
  process.stdout.write('x'.repeat(70 * 1024) + '\n');
}
if (mode === 'stubborn') {
  process.on('SIGTERM', () => record({ kind: 'sigterm-ignored' }));
  setInterval(() => undefined, 1000);
}
process.stderr.write(`fake service up (${mode})\n`);
await server.run();
record({ kind: 'stdin-closed' });
if (mode !== 'stubborn') process.exit(0);
