/**
 * `pptpctl doctor`: the printer of a connection test. The test itself (resolve, TCP 1723, then the
 * tunnel driver in 'probe' mode: PPP negotiated, no TUN, no routes, no DNS) is
 * main/service/doctor/probe.ts, and what each step's outcome is, the step model
 * main/service/doctor/steps.ts — the same the GUI's "Test connection" shows. This file only
 * prints the records as they settle (a human line or a JSON object each) and maps the verdict
 * to the exit code. Steps not reached after a failure are not printed.
 */
import type { DoctorStepRecord, DoctorVerdict } from '../../preload/schema/doctor';
import { DOCTOR_STEPS, type DoctorStep } from '../service/doctor/steps';
import { runProbe } from '../service/doctor/probe';
import { isPrivileged } from '../service/privileges';
import { connectOptionsFromFlags, type ConnectFlags } from './connect-flags';
import { EXIT_CODE_BY_REASON, EXIT_NOT_PRIVILEGED, EXIT_OK } from './exit-codes';
import { redactOutput } from './redact';
import { privilegeRequirement } from './platform';

export { DOCTOR_STEPS, type DoctorStep };

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

const MARK: Readonly<Record<DoctorStepRecord['status'], string>> = { ok: '✓', failed: '✗', 'not-tested': '–', 'not-reached': ' ' };

/** One record as pptpctl prints it (human or JSON); nothing for a step not reached. */
export function formatStep(r: DoctorStepRecord, json: boolean): string[] {
  if (r.status === 'not-reached') return [];
  const message = r.technical ?? r.message;
  const hint = r.advice?.fix;
  const ok = r.status === 'ok' ? true : r.status === 'failed' ? false : null;
  if (json) return [JSON.stringify({ event: 'doctor-step', step: r.step, ok, message, ...(r.reason ? { reason: r.reason, hint } : {}) })];
  return [`  ${MARK[r.status]} ${r.step.padEnd(11)} ${message}`, ...(hint ? [`                ${hint}`] : [])];
}

/** The verdict line (human or JSON) and the exit code. */
export function formatVerdict(v: DoctorVerdict, json: boolean): { line: string; exitCode: number } {
  switch (v.kind) {
    case 'works':
      return {
        line: json ? JSON.stringify({ event: 'doctor-verdict', ok: true, ...(v.credentialsTested ? {} : { message: v.summary }) }) : `Verdict: ${v.summary}`,
        exitCode: EXIT_OK,
      };
    case 'failed':
      return {
        line: json ? JSON.stringify({ event: 'doctor-verdict', ok: false, reason: v.reason }) : `Verdict: ${v.advice.title}.`,
        exitCode: EXIT_CODE_BY_REASON[v.reason],
      };
    case 'incomplete':
      return {
        line: json ? JSON.stringify({ event: 'doctor-verdict', ok: false, reason: 'not-privileged' }) : `Verdict: ${v.summary}`,
        exitCode: EXIT_NOT_PRIVILEGED,
      };
  }
}

export async function runDoctor(o: DoctorOptions): Promise<number> {
  const secrets = o.password ? [o.password] : [];
  if (!o.json) o.print(`Diagnosing ${o.server}…`);
  const withCredentials = o.user !== undefined;
  const result = await runProbe({
    options: connectOptionsFromFlags({ ...o.flags, server: o.server, user: o.user ?? 'pptp-doctor', routes: 'none', dns: 'off' }, o.password ?? ''),
    withCredentials,
    privileged: isPrivileged(),
    privilegeRequirement: privilegeRequirement(),
    ...(o.greSilenceTimeoutMs ? { greSilenceTimeoutMs: o.greSilenceTimeoutMs } : {}),
    onStep: (r) => {
      for (const line of formatStep(r, o.json)) o.print(redactOutput(line, secrets));
    },
  });
  const { line, exitCode } = formatVerdict(result.verdict, o.json);
  o.print(line);
  return exitCode;
}
