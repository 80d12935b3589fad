/**
 * `pptpctl doctor`: runs the connection steps one by one and says which one breaks, so a user can
 * tell "TCP 1723 unreachable" from "control refused" from "GRE blocked" from "bad password" from
 * "server refuses encryption". The tunnel driver runs in 'probe' mode: it negotiates PPP but
 * creates no TUN device and touches no routes or DNS. Without credentials it stops once GRE is
 * proven (LCP negotiated in both directions) and reports the auth steps as not tested.
 */
import type { TunnelEvent } from '../../preload/schema/tunnel';
import { AUTH_METHOD_LABELS } from '../../preload/vocabulary';
import type { FailureReason } from '../../preload/vocabulary';
import { connectControl, resolveServer, TcpConnectError } from '../service/io/control-socket';
import { TunnelDriver } from '../service/tunnel-driver';
import { isPrivileged } from '../service/privileges';
import { adviceFor } from '../service/doctor/advice';
import type { FailureDetail } from '../service/doctor/refusal-advice';
import { connectOptionsFromFlags, type ConnectFlags } from './connect-flags';
import { EXIT_CODE_BY_REASON, EXIT_NOT_PRIVILEGED, EXIT_OK } from './exit-codes';
import { redactOutput } from './redact';
import { privilegeRequirement } from './platform';

export const DOCTOR_STEPS = ['resolve', 'tcp', 'control', 'call', 'gre', 'auth', 'encryption', 'ipcp'] as const;
export type DoctorStep = (typeof DOCTOR_STEPS)[number];

export interface DoctorOptions {
  readonly server: string;
  readonly user?: string;
  readonly password?: string;
  readonly flags: ConnectFlags;
  readonly json: boolean;
  readonly print: (line: string) => void;
  /** Test seam: engine timeouts. */
  readonly greSilenceTimeoutMs?: number;
}

/** Which step a failure reason points at when the phase alone does not say. */
const STEP_FOR_PHASE: Record<string, DoctorStep> = { tcp: 'tcp', control: 'control', call: 'call', lcp: 'gre', auth: 'auth', ccp: 'encryption', ipcp: 'ipcp' };
const STEP_FOR_REASON: Partial<Record<FailureReason, DoctorStep>> = {
  'gre-blocked': 'gre',
  'auth-failed': 'auth',
  // Refused while LCP negotiated (phase lcp) or inside EAP: either way the authentication step.
  'auth-method-refused': 'auth',
  'encryption-refused': 'encryption',
  'data-path-dead': 'encryption',
};

export async function runDoctor(o: DoctorOptions): Promise<number> {
  const secrets = o.password ? [o.password] : [];
  const step = (name: DoctorStep, ok: boolean | null, message: string, reason?: FailureReason, detail?: FailureDetail) => {
    const hint = reason ? adviceFor({ reason, detail }).fix : undefined;
    if (o.json) {
      o.print(redactOutput(JSON.stringify({ event: 'doctor-step', step: name, ok, message, ...(reason ? { reason, hint } : {}) }), secrets));
    } else {
      const mark = ok === null ? '–' : ok ? '✓' : '✗';
      o.print(redactOutput(`  ${mark} ${name.padEnd(11)} ${message}`, secrets));
      if (hint) o.print(`                ${hint}`);
    }
  };
  const verdict = (ok: boolean, reason?: FailureReason, message?: string, detail?: FailureDetail): number => {
    if (o.json) o.print(JSON.stringify({ event: 'doctor-verdict', ok, ...(reason ? { reason } : {}), ...(message ? { message } : {}) }));
    else o.print(ok ? `Verdict: ${message ?? 'the server works.'}` : `Verdict: ${adviceFor({ reason: reason!, detail }).title}.`);
    return ok ? EXIT_OK : EXIT_CODE_BY_REASON[reason!];
  };

  if (!o.json) o.print(`Diagnosing ${o.server}…`);
  let ip: string;
  try {
    ip = await resolveServer(o.server);
    step('resolve', true, ip === o.server ? `${ip} (an address)` : `${o.server} is ${ip}`);
  } catch (e) {
    step('resolve', false, (e as Error).message, 'server-not-found');
    return verdict(false, 'server-not-found');
  }
  try {
    const sock = await connectControl(ip, 5_000);
    sock.destroy();
    step('tcp', true, `${ip}:1723 accepts connections`);
  } catch (e) {
    const kind = e instanceof TcpConnectError ? e.kind : 'other';
    step('tcp', false, `${(e as Error).message}${kind === 'refused' ? ' [refused]' : kind === 'timeout' ? ' [timed out]' : ''}`, 'tcp-unreachable');
    return verdict(false, 'tcp-unreachable');
  }
  if (!isPrivileged()) {
    step('control', null, `not tested: the GRE and PPP steps need ${privilegeRequirement()}`);
    if (o.json) o.print(JSON.stringify({ event: 'doctor-verdict', ok: false, reason: 'not-privileged' }));
    else o.print('Verdict: TCP works; run as root for the remaining steps.');
    return EXIT_NOT_PRIVILEGED;
  }

  const withCredentials = o.user !== undefined;
  const options = connectOptionsFromFlags({ ...o.flags, server: ip, user: o.user ?? 'pptp-doctor', routes: 'none', dns: 'off' }, o.password ?? '');
  const passed = new Set<DoctorStep>(['resolve', 'tcp']);
  let failure: { reason: FailureReason; message: string; phase?: string; detail?: FailureDetail } | undefined;
  let stopAfterGre = !withCredentials;
  const driver: TunnelDriver = new TunnelDriver({
    mode: 'probe',
    ...(o.greSilenceTimeoutMs ? { session: { greSilenceTimeoutMs: o.greSilenceTimeoutMs } } : {}),
    onEvent: (e: TunnelEvent) => {
      if (e.event === 'phase' && e.status === 'done') {
        const d = e.detail ?? {};
        switch (e.phase) {
          case 'control':
            passed.add('control');
            step('control', true, `the server (${String(d.server ?? '?')}, ${String(d.vendor ?? '?')}) accepted the control connection`);
            break;
          case 'call':
            passed.add('call');
            step('call', true, `call set up (server call id ${String(d.peerCallId)}, window ${String(d.window)})`);
            break;
          case 'lcp':
            passed.add('gre');
            step('gre', true, `GRE flows both ways (LCP negotiated; the server asks for ${String(d.auth)})`);
            if (stopAfterGre) {
              stopAfterGre = false;
              void driver.disconnect().catch(() => undefined);
            }
            break;
          case 'auth':
            passed.add('auth');
            step('auth', true, `${String(d.method)} accepted${d.method === AUTH_METHOD_LABELS.mschapv2 ? '; the server proved it knows the password' : ''}`);
            break;
          case 'ccp':
            passed.add('encryption');
            step('encryption', true, d.mppe === 'none' ? 'no encryption (allowed by --mppe)' : `MPPE ${String(d.mppe)} ${String(d.mode)}`);
            break;
          case 'ipcp':
            passed.add('ipcp');
            step('ipcp', true, `address ${String(d.local)}, server ${String(d.remote)}${Array.isArray(d.dns) && d.dns.length ? `, DNS ${d.dns.join(' ')}` : ''}`);
            break;
        }
      } else if (e.event === 'phase' && e.status === 'failed' && !failure) {
        failure = { reason: (e.detail?.reason as FailureReason) ?? 'protocol-error', message: '', phase: e.phase };
      } else if (e.event === 'error') {
        failure = { reason: e.reason, message: e.message, phase: failure?.phase, ...(e.detail ? { detail: e.detail } : {}) };
      } else if (e.event === 'connected') {
        void driver.disconnect().catch(() => undefined);
      }
    },
  });
  await driver.connect(options);
  await driver.waitForEnd();

  if (failure && failure.reason !== 'local-disconnect') {
    const where = STEP_FOR_REASON[failure.reason] ?? STEP_FOR_PHASE[failure.phase ?? ''] ?? DOCTOR_STEPS.find((s) => !passed.has(s))!;
    step(where, false, failure.message, failure.reason, failure.detail);
    return verdict(false, failure.reason, undefined, failure.detail);
  }
  if (!withCredentials) {
    for (const s of ['auth', 'encryption', 'ipcp'] as const) step(s, null, 'not tested: give --user and --password-stdin to test authentication and encryption');
    return verdict(true, undefined, 'the server is reachable and GRE works; credentials not tested.');
  }
  return verdict(true);
}
