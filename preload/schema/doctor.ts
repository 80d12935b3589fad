/**
 * The connection doctor's words, as the edges carry them: the steps a test (`pptpctl doctor`,
 * the GUI's "Test connection", the service's `test` RPC) walks through, what became of each,
 * and the verdict. main/service/doctor/steps.ts builds these records from tunnel events (the one
 * step model); the CLI prints them, the service streams them, the renderer shows them.
 *
 * Pure: zod and the vocabulary only (the renderer bundles this file).
 */
import * as z from 'zod';
import { FAILURE_REASONS } from '../vocabulary';

/** The steps in order: DNS, TCP 1723, the PPTP control connection and call, GRE, then PPP auth, MPPE and addresses. */
export const DOCTOR_STEPS = ['resolve', 'tcp', 'control', 'call', 'gre', 'auth', 'encryption', 'ipcp'] as const;
export type DoctorStep = (typeof DOCTOR_STEPS)[number];

/**
 * ok: it worked; failed: this step broke (reason + advice say why and what to do);
 * not-reached: an earlier step failed or stopped the test; not-tested: the test chose not to try
 * it (no credentials, or no privileges for the raw GRE socket).
 */
export const DOCTOR_STEP_STATUSES = ['ok', 'failed', 'not-reached', 'not-tested'] as const;
export type DoctorStepStatus = (typeof DOCTOR_STEP_STATUSES)[number];

export const doctorAdviceSchema = z.object({ title: z.string(), fix: z.string() });

export const doctorStepRecordSchema = z.object({
  step: z.enum(DOCTOR_STEPS),
  status: z.enum(DOCTOR_STEP_STATUSES),
  /** Plain words for people ("the server accepted the call"). */
  message: z.string(),
  /** The protocol-level line (call ids, window, vendor), when it says more than `message`: pptpctl prints it, the GUI behind "Details". */
  technical: z.string().optional(),
  reason: z.enum(FAILURE_REASONS).optional(),
  advice: doctorAdviceSchema.optional(),
});
export type DoctorStepRecord = z.infer<typeof doctorStepRecordSchema>;

/**
 * works: every tested step passed (credentialsTested says whether auth, MPPE and IPCP were among
 * them); failed: the failing step's reason and advice; incomplete: the test could not run its
 * later steps here (not privileged).
 */
export const doctorVerdictSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('works'), credentialsTested: z.boolean(), summary: z.string() }),
  z.object({ kind: z.literal('failed'), reason: z.enum(FAILURE_REASONS), advice: doctorAdviceSchema }),
  z.object({ kind: z.literal('incomplete'), why: z.literal('not-privileged'), summary: z.string() }),
]);
export type DoctorVerdict = z.infer<typeof doctorVerdictSchema>;

/** A whole test: every step once, in DOCTOR_STEPS order, and the verdict. */
export const doctorResultSchema = z.object({
  steps: z.array(doctorStepRecordSchema).max(DOCTOR_STEPS.length),
  verdict: doctorVerdictSchema,
});
export type DoctorResult = z.infer<typeof doctorResultSchema>;
