/**
 * A DOUBLE of the tunnel service, for the GUI suite's screenshots of states a real server cannot
 * be made to produce on demand: it speaks the real RPC (main/service/rpc/server.ts) over stdio,
 * and what it does is chosen by the profile's SERVER NAME, "<reason>.fail.test" failing a connect
 * (and a test) with that failure reason at the step where it really happens, with the words the
 * real engine uses; any other name connects (and tests) fine. Connection tests go through the
 * real step model (main/service/doctor/steps.ts), so the test view shows what the doctor would.
 * The real path is test/gui/connect.test.ts (the real service against pptpd); this file is
 * never used outside test/gui.
 */
import { RpcServer, RpcError, type TunnelController } from '../../../main/service/rpc/server';
import type { ConnectOptions } from '../../../main/service/connect-options';
import type { ServiceStatus } from '../../../main/service/rpc/protocol';
import { DoctorSteps } from '../../../main/service/doctor/steps';
import { mschapFailure } from '../../../main/engine/ppp/auth/mschap-failure';
import { dataPathRejectedFailure } from '../../../main/engine/ppp/link-failures';
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import { FAILURE_REASONS, TUNNEL_PHASES, type FailureReason, type TunnelPhase } from '../../../preload/vocabulary';

/**
 * Where each failure happens (the phase that fails; 'up' after connecting) and the engine's words:
 * built by the engine's own functions where they are pure, else copied from what the real service
 * printed (the soak suite's failure list, test/soak).
 */
export const SCRIPTED_FAILURES: Readonly<Record<Exclude<FailureReason, 'local-disconnect'>, { at: TunnelPhase | 'up'; message: string; detail?: Record<string, string> }>> = {
  'server-not-found': { at: 'tcp', message: 'the server name "server-not-found.fail.test" does not exist (check its spelling)' },
  'tcp-unreachable': { at: 'tcp', message: '192.0.2.10:1723 refused the connection (nothing listens there, or a firewall rejects it)' },
  'control-refused': { at: 'control', message: 'the server refused the control connection: result 2 (General error), error 0' },
  'protocol-error': { at: 'control', message: 'Start-Control-Connection-Reply with protocol version 2.0' },
  'gre-blocked': { at: 'lcp', message: 'the call is up and TCP 1723 works, but no GRE packet came from the server within 8 s' },
  'negotiation-failed': { at: 'lcp', message: 'LCP: no agreement after 10 Configure-Requests (the server keeps Naking MRU)' },
  'auth-method-refused': {
    at: 'lcp',
    message: 'the server requires PAP, which this profile does not allow',
    detail: { refusal: 'auth-method', serverMethod: 'pap', serverOffer: 'PAP', allowedMethods: 'mschapv2' },
  },
  'auth-failed': { at: 'auth', message: mschapFailure('MS-CHAPv2', { errorCode: 691 }, '').message },
  'encryption-refused': { at: 'ccp', message: 'the server rejected MPPE (CCP Configure-Reject)' },
  'data-path-dead': { at: 'up', message: dataPathRejectedFailure('mppe').message },
  'peer-disconnected': { at: 'up', message: 'the server closed the call: Call-Disconnect-Notify result 3 (Admin shutdown)' },
  'keepalive-timeout': { at: 'up', message: 'The server stopped answering LCP Echo-Requests (3 Echo-Requests, 10 s apart).' },
  'network-config-failed': { at: 'routes', message: 'tunnel-route 0.0.0.0/1 dev pptp0 failed: RTNETLINK answers: File exists' },
  'internal-error': { at: 'tcp', message: 'TypeError: cannot read properties of undefined (reading "peerCallId")' },
};

/** The failure a server name asks for, if any. */
export function scriptedFailureOf(server: string): Exclude<FailureReason, 'local-disconnect'> | undefined {
  const m = /^([a-z-]+)\.fail\.test$/.exec(server);
  const reason = FAILURE_REASONS.find((r) => r === m?.[1]);
  return reason && reason !== 'local-disconnect' ? reason : undefined;
}

const DONE_DETAIL: Readonly<Record<TunnelPhase, Record<string, string | number | string[]>>> = {
  tcp: { server: '192.0.2.10:1723' },
  control: { server: 'local', vendor: 'linux', firmware: 1, version: '1.0' },
  call: { callId: 55900, peerCallId: 384, window: 64 },
  lcp: { mru: 1400, peerMru: 1500, auth: 'MS-CHAPv2', pfc: 'true', acfc: 'true' },
  auth: { method: 'MS-CHAPv2', server: 'Access granted' },
  ccp: { mppe: '128-bit', mode: 'stateless' },
  ipcp: { local: '192.168.77.10', remote: '192.168.77.1', dns: ['192.168.77.1'], mtu: 1396 },
  routes: { tun: 'pptp0', routes: 'all traffic', dns: '192.168.77.1' },
};

let state: ServiceStatus['state'] = 'idle';
let timers: NodeJS.Timeout[] = [];
const sink: { server?: RpcServer } = {};
const push = (e: TunnelEvent) => sink.server?.pushEvent(e);
const later = (ms: number, f: () => void) => timers.push(setTimeout(f, ms));

function end(reason: FailureReason): void {
  state = 'idle';
  push({ event: 'disconnected', reason, restored: true });
}

function connect(o: ConnectOptions): void {
  const failure = scriptedFailureOf(o.server);
  const script = failure ? SCRIPTED_FAILURES[failure] : undefined;
  let t = 0;
  for (const phase of TUNNEL_PHASES) {
    const at = t;
    later(t, () => push({ event: 'phase', phase, status: 'started', at }));
    t += 20;
    if (script && script.at === phase) {
      later(t, () => {
        push({ event: 'phase', phase, status: 'failed', at: at + 20, durationMs: 20, detail: { reason: failure! } });
        push({ event: 'error', reason: failure!, message: script.message, phase, ...(script.detail ? { detail: script.detail } : {}) });
        end(failure!);
      });
      return;
    }
    later(t, () => push({ event: 'phase', phase, status: 'done', at: at + 20, durationMs: 20, detail: DONE_DETAIL[phase] }));
  }
  later(t, () => {
    state = 'connected';
    push({ event: 'connected', server: o.server, localIp: '192.168.77.10', remoteIp: '192.168.77.1', dns: ['192.168.77.1'], mtu: 1396, auth: 'mschapv2', mppe: { bits: 128, stateful: false }, tunName: 'pptp0', elapsedMs: t });
  });
  if (script) {
    later(t + 1500, () => {
      push({ event: 'error', reason: failure!, message: script.message });
      end(failure!);
    });
    return;
  }
  // Traffic for the graph: a download ramping up and an upload beside it, once a second.
  for (let i = 1; i <= 600; i++) {
    later(t + i * 1000, () => {
      if (state !== 'connected') return;
      const rx = 40_000 + 30_000 * Math.sin(i / 3) + 5_000 * i;
      push({ event: 'stats', uptimeMs: i * 1000, rxBytes: 60_000 * i, txBytes: 9_000 * i, rxPackets: 50 * i, txPackets: 30 * i, rxRate: Math.max(0, rx), txRate: 9_000 + 3_000 * Math.cos(i / 2) });
    });
  }
}

const controller: TunnelController = {
  async connect(o) {
    if (state !== 'idle') throw new RpcError('busy', 'already connecting or connected');
    state = 'connecting';
    connect(o);
  },
  async disconnect() {
    if (state === 'idle') throw new RpcError('not-connected', 'no tunnel');
    for (const t of timers) clearTimeout(t);
    timers = [];
    later(30, () => end('local-disconnect'));
  },
  status: () => ({ state }),
  async test(o, credentials, onStep) {
    if (state !== 'idle') throw new RpcError('busy', 'a tunnel is up or connecting');
    const failure = scriptedFailureOf(o.server);
    const script = failure ? SCRIPTED_FAILURES[failure] : undefined;
    const model = new DoctorSteps({ withCredentials: credentials, onStep });
    if (failure === 'server-not-found') {
      model.resolveFailed(script!.message);
      return model.result!;
    }
    model.resolved(o.server, '192.0.2.10');
    if (failure === 'tcp-unreachable') {
      model.tcpFailed(script!.message, 'refused');
      return model.result!;
    }
    model.tcpOk('192.0.2.10');
    for (const phase of ['control', 'call', 'lcp', 'auth', 'ccp', 'ipcp'] as const) {
      if (script && script.at === phase) {
        model.onEvent({ event: 'error', reason: failure!, message: script.message, phase, ...(script.detail ? { detail: script.detail } : {}) });
        break;
      }
      if (model.onEvent({ event: 'phase', phase, status: 'done', at: 1, durationMs: 1, detail: DONE_DETAIL[phase] }) === 'stop') break;
    }
    model.finish();
    return model.result!;
  },
  async shutdown() {
    setTimeout(() => process.exit(0), 10);
  },
};

sink.server = new RpcServer(process.stdin, process.stdout, controller, { name: 'fake-service-screens', version: '0.0.0', privileged: true });
void sink.server.run().then(() => process.exit(0));
