/**
 * The connection doctor's step model: the ONE place that turns what a test saw (the server name
 * resolved or not, TCP 1723 open or not, the probe tunnel's events) into step records — resolve,
 * tcp, control, call, gre, auth, encryption, ipcp — each ok / failed / not-reached / not-tested,
 * with plain words, the protocol-level line, and for a failure its reason and the advice.
 * pptpctl doctor prints these records (main/cli/doctor.ts), the service streams them over the
 * RPC (`test`), and the GUI shows them (the step view).
 *
 * Rules kept here:
 *  - each step is settled once; `onStep` hears every record as it settles, in the test's order;
 *  - a failure lands on the step its reason names (GRE blocked -> gre, bad password -> auth,
 *    encryption refused -> encryption), else on the phase that failed, else on the first step
 *    not yet passed;
 *  - when the test ends, steps after a failure (or after a stop for lack of privileges) read
 *    not-reached; without credentials, auth, encryption and addresses read not-tested;
 *  - a stop the test asked for itself (local-disconnect) is no failure.
 *
 * Pure: no I/O, no clock, no timers. The caller (probe.ts) does the resolving, the TCP check and
 * drives the tunnel; it asks `onEvent` whether to stop the probe.
 */
import { DOCTOR_STEPS, type DoctorResult, type DoctorStep, type DoctorStepRecord, type DoctorVerdict } from '../../../preload/schema/doctor';
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import { AUTH_METHOD_LABELS, type FailureReason } from '../../../preload/vocabulary';
import { adviceFor } from './advice';
import type { FailureDetail } from './refusal-advice';

export { DOCTOR_STEPS, type DoctorStep };

/** The step each phase's success or failure belongs to (LCP needs GRE both ways, so it proves GRE). */
const STEP_FOR_PHASE: Readonly<Record<string, DoctorStep>> = { tcp: 'tcp', control: 'control', call: 'call', lcp: 'gre', auth: 'auth', ccp: 'encryption', ipcp: 'ipcp' };

/** Which step a failure reason points at when the phase alone does not say. */
const STEP_FOR_REASON: Partial<Readonly<Record<FailureReason, DoctorStep>>> = {
  'gre-blocked': 'gre',
  'auth-failed': 'auth',
  // Refused while LCP negotiated (phase lcp) or inside EAP: either way the authentication step.
  'auth-method-refused': 'auth',
  'encryption-refused': 'encryption',
  'data-path-dead': 'encryption',
};

export const NO_CREDENTIALS_NOTE = 'not tested: give --user and --password-stdin to test authentication and encryption';
export const NO_CREDENTIALS_PLAIN = 'Not tested: the test ran without a password.';

export type TcpFailureKind = 'refused' | 'timeout' | 'other';

interface Failure {
  readonly reason: FailureReason;
  readonly message: string;
  readonly phase?: string | undefined;
  readonly detail?: FailureDetail | undefined;
}

function str(v: unknown): string {
  return v === undefined ? '?' : Array.isArray(v) ? v.join(' ') : String(v);
}

export class DoctorSteps {
  private readonly settled = new Map<DoctorStep, DoctorStepRecord>();
  private failure: Failure | undefined;
  private verdictValue: DoctorVerdict | undefined;

  constructor(
    private readonly options: {
      /** With credentials the probe goes on through auth, MPPE and IPCP; without, it stops once GRE is proven. */
      readonly withCredentials: boolean;
      readonly onStep?: (record: DoctorStepRecord) => void;
    },
  ) {}

  get withCredentials(): boolean {
    return this.options.withCredentials;
  }

  /** The records so far, in DOCTOR_STEPS order, and the verdict once the test ended. */
  get result(): DoctorResult | undefined {
    if (!this.verdictValue) return undefined;
    return { steps: this.records(), verdict: this.verdictValue };
  }

  records(): DoctorStepRecord[] {
    return DOCTOR_STEPS.flatMap((s) => {
      const r = this.settled.get(s);
      return r ? [r] : [];
    });
  }

  resolved(server: string, ip: string): void {
    this.settle({ step: 'resolve', status: 'ok', message: ip === server ? `${ip} (an address)` : `${server} is ${ip}` });
  }

  resolveFailed(message: string): DoctorVerdict {
    return this.fail('resolve', { reason: 'server-not-found', message });
  }

  tcpOk(ip: string): void {
    this.settle({ step: 'tcp', status: 'ok', message: 'The server accepts PPTP connections (TCP port 1723).', technical: `${ip}:1723 accepts connections` });
  }

  tcpFailed(message: string, kind: TcpFailureKind): DoctorVerdict {
    const suffix = kind === 'refused' ? ' [refused]' : kind === 'timeout' ? ' [timed out]' : '';
    return this.fail('tcp', { reason: 'tcp-unreachable', message }, `${message}${suffix}`);
  }

  /** The GRE and PPP steps need a raw socket: without privileges the test stops after TCP. */
  notPrivileged(requirement: string): DoctorVerdict {
    const text = `not tested: the GRE and PPP steps need ${requirement}`;
    this.settle({ step: 'control', status: 'not-tested', message: `Not tested: the GRE and PPP steps need ${requirement}.`, technical: text });
    this.fillRemaining('not-reached', 'Not reached: the test stopped before this step.');
    return this.end({ kind: 'incomplete', why: 'not-privileged', summary: 'TCP works; run as root for the remaining steps.' });
  }

  /**
   * One event of the probe tunnel. Returns 'stop' when the test has seen enough and the caller
   * should end the probe (GRE proven without credentials, or the whole way up with them).
   */
  onEvent(e: TunnelEvent): 'continue' | 'stop' {
    if (e.event === 'phase' && e.status === 'done') return this.phaseDone(e.phase, e.detail ?? {});
    if (e.event === 'phase' && e.status === 'failed' && !this.failure) {
      this.failure = { reason: (e.detail?.reason as FailureReason | undefined) ?? 'protocol-error', message: '', phase: e.phase };
    } else if (e.event === 'error') {
      this.failure = { reason: e.reason, message: e.message, phase: e.phase ?? this.failure?.phase, ...(e.detail ? { detail: e.detail } : {}) };
    } else if (e.event === 'connected') {
      return 'stop';
    }
    return 'continue';
  }

  /** The probe tunnel ended: settles the failing step (if any) and every step left; returns the verdict. */
  finish(): DoctorVerdict {
    const f = this.failure;
    if (f && f.reason !== 'local-disconnect') {
      const where = STEP_FOR_REASON[f.reason] ?? STEP_FOR_PHASE[f.phase ?? ''] ?? DOCTOR_STEPS.find((s) => !this.settled.has(s)) ?? 'ipcp';
      return this.fail(where, f);
    }
    if (!this.options.withCredentials) {
      for (const s of ['auth', 'encryption', 'ipcp'] as const) {
        if (!this.settled.has(s)) this.settle({ step: s, status: 'not-tested', message: NO_CREDENTIALS_PLAIN, technical: NO_CREDENTIALS_NOTE });
      }
      this.fillRemaining('not-reached', 'Not reached.');
      return this.end({ kind: 'works', credentialsTested: false, summary: 'the server is reachable and GRE works; credentials not tested.' });
    }
    // With credentials every step must have passed: a probe that ended early without saying why is no success.
    const missing = DOCTOR_STEPS.find((s) => !this.settled.has(s));
    if (missing) return this.fail(missing, { reason: 'internal-error', message: 'The test ended before this step without saying why.' });
    return this.end({ kind: 'works', credentialsTested: true, summary: 'the server works.' });
  }

  private phaseDone(phase: string, d: Readonly<Record<string, unknown>>): 'continue' | 'stop' {
    switch (phase) {
      case 'control':
        this.settle({
          step: 'control',
          status: 'ok',
          message: 'The PPTP server accepted the control connection.',
          technical: `the server (${str(d.server)}, ${str(d.vendor)}) accepted the control connection`,
        });
        return 'continue';
      case 'call':
        this.settle({ step: 'call', status: 'ok', message: 'The server accepted the call.', technical: `call set up (server call id ${String(d.peerCallId)}, window ${String(d.window)})` });
        return 'continue';
      case 'lcp':
        this.settle({
          step: 'gre',
          status: 'ok',
          message: 'Tunnel packets (GRE) pass both ways.',
          technical: `GRE flows both ways (LCP negotiated; the server asks for ${String(d.auth)})`,
        });
        return this.options.withCredentials ? 'continue' : 'stop';
      case 'auth': {
        const proved = d.method === AUTH_METHOD_LABELS.mschapv2;
        this.settle({
          step: 'auth',
          status: 'ok',
          message: `The server accepted the user name and password${proved ? ' and proved it knows the password' : ''}.`,
          technical: `${String(d.method)} accepted${proved ? '; the server proved it knows the password' : ''}`,
        });
        return 'continue';
      }
      case 'ccp':
        this.settle({
          step: 'encryption',
          status: 'ok',
          message: d.mppe === 'none' ? 'No encryption (the profile allows it).' : `Traffic is encrypted (MPPE ${String(d.mppe)}).`,
          technical: d.mppe === 'none' ? 'no encryption (allowed by --mppe)' : `MPPE ${String(d.mppe)} ${String(d.mode)}`,
        });
        return 'continue';
      case 'ipcp': {
        const dns = Array.isArray(d.dns) && d.dns.length ? d.dns.join(' ') : '';
        this.settle({
          step: 'ipcp',
          status: 'ok',
          message: `The server gives this computer the address ${String(d.local)}${dns ? ` and DNS server ${dns}` : ''}.`,
          technical: `address ${String(d.local)}, server ${String(d.remote)}${dns ? `, DNS ${dns}` : ''}`,
        });
        return 'continue';
      }
      default:
        return 'continue';
    }
  }

  private fail(step: DoctorStep, f: Failure, technical?: string): DoctorVerdict {
    const advice = { ...adviceFor({ reason: f.reason, detail: f.detail }) };
    const message = f.message || advice.title;
    this.settle({ step, status: 'failed', message, ...(technical ? { technical } : {}), reason: f.reason, advice });
    this.fillRemaining('not-reached', 'Not reached: an earlier step failed.');
    return this.end({ kind: 'failed', reason: f.reason, advice });
  }

  private fillRemaining(status: 'not-reached', message: string): void {
    for (const s of DOCTOR_STEPS) if (!this.settled.has(s)) this.settle({ step: s, status, message });
  }

  private settle(record: DoctorStepRecord): void {
    if (this.verdictValue || this.settled.has(record.step)) return;
    this.settled.set(record.step, record);
    this.options.onStep?.(record);
  }

  private end(verdict: DoctorVerdict): DoctorVerdict {
    this.verdictValue ??= verdict;
    return this.verdictValue;
  }
}
