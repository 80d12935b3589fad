/**
 * Runs one connection test: resolves the server, opens TCP 1723, then drives a TunnelDriver in
 * 'probe' mode (it negotiates PPP but creates no TUN device and touches no routes or DNS) and
 * feeds everything to the step model (steps.ts), whose records go to `onStep` as they settle.
 * Without credentials it stops once GRE is proven; with them it goes up to IPCP and hangs up.
 * Never reconnects. pptpctl doctor runs it in-process; the service runs it for the app's `test`.
 *
 * Must not: print, or know the CLI or the app (callers pass ConnectOptions and the words for
 * the privilege a probe needs).
 */
import type { DoctorResult, DoctorStepRecord } from '../../../preload/schema/doctor';
import type { ConnectOptions } from '../connect-options';
import { connectControl, resolveServer, TcpConnectError } from '../io/control-socket';
import { TunnelDriver, type TunnelDriverOptions } from '../tunnel-driver';
import { DoctorSteps } from './steps';

/** The user name a probe without credentials offers (it hangs up before authenticating). */
export const PROBE_USER = 'pptp-doctor';

export interface ProbeOptions {
  /** What to test: the server (name or address) and the profile's PPP settings. Routes, DNS and reconnect are ignored. */
  readonly options: ConnectOptions;
  readonly withCredentials: boolean;
  readonly onStep?: (record: DoctorStepRecord) => void;
  /** Whether this process may open the raw GRE socket; without, the test stops after TCP. */
  readonly privileged: boolean;
  /** Words for what the GRE and PPP steps need, to follow "need " (e.g. "root"). */
  readonly privilegeRequirement: string;
  /** Test seam: engine timeouts. */
  readonly greSilenceTimeoutMs?: number;
  /** Test seam: how the driver is built (a fake, or another configurator). */
  readonly createDriver?: (o: TunnelDriverOptions) => Pick<TunnelDriver, 'connect' | 'disconnect' | 'waitForEnd'>;
  readonly tcpTimeoutMs?: number;
}

export async function runProbe(o: ProbeOptions): Promise<DoctorResult> {
  const model = new DoctorSteps({ withCredentials: o.withCredentials, ...(o.onStep ? { onStep: o.onStep } : {}) });
  const done = () => model.result!;
  const server = o.options.server;
  let ip: string;
  try {
    ip = await resolveServer(server);
    model.resolved(server, ip);
  } catch (e) {
    model.resolveFailed((e as Error).message);
    return done();
  }
  try {
    const sock = await connectControl(ip, o.tcpTimeoutMs ?? 5_000);
    sock.destroy();
    model.tcpOk(ip);
  } catch (e) {
    model.tcpFailed((e as Error).message, e instanceof TcpConnectError && (e.kind === 'refused' || e.kind === 'timeout') ? e.kind : 'other');
    return done();
  }
  if (!o.privileged) {
    model.notPrivileged(o.privilegeRequirement);
    return done();
  }

  const options: ConnectOptions = {
    ...o.options,
    server: ip,
    routes: 'none',
    dns: false,
    reconnect: { enabled: false, maxAttempts: 0 },
    ...(o.withCredentials ? {} : { username: o.options.username || PROBE_USER, password: '' }),
  };
  let stopping = false;
  const create = o.createDriver ?? ((d: TunnelDriverOptions) => new TunnelDriver(d));
  const driver = create({
    mode: 'probe',
    ...(o.greSilenceTimeoutMs ? { session: { greSilenceTimeoutMs: o.greSilenceTimeoutMs } } : {}),
    onEvent: (e) => {
      if (model.onEvent(e) === 'stop' && !stopping) {
        stopping = true;
        void driver.disconnect().catch(() => undefined);
      }
    },
  });
  await driver.connect(options);
  await driver.waitForEnd();
  model.finish();
  return done();
}
