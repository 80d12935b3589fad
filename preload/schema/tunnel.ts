/**
 * The tunnel's public event objects: the one vocabulary shared by `pptpctl --json` (one object
 * per line), the service RPC (events pushed to the app) and the IPC contract (the renderer's
 * live state). DESIGN.md §6 fixes their shape; these zod schemas validate them at every edge
 * (the app never trusts what the privileged service prints, nor the renderer what main sends).
 *
 * The words inside them (failure reasons, phases, key lengths, log levels) are the shared
 * vocabulary's (preload/vocabulary.ts); this file only wraps them in zod.
 *
 * Pure: zod and the vocabulary only, no node or electron imports (the renderer bundles this file).
 */
import * as z from 'zod';
import { FAILURE_REASONS, LOG_LEVELS, MPPE_KEY_BITS, TUNNEL_PHASES } from '../vocabulary';

/** The failure reasons and phases are the shared vocabulary's (preload/vocabulary.ts); these wrap them for the edges. */
export const failureReasonSchema = z.enum(FAILURE_REASONS);
export const phaseSchema = z.enum(TUNNEL_PHASES);


const detailValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

export const phaseEventSchema = z.object({
  event: z.literal('phase'),
  phase: phaseSchema,
  status: z.enum(['started', 'done', 'failed']),
  /** Milliseconds since the connect attempt began. */
  at: z.number().nonnegative(),
  /** For done/failed: how long the phase took. */
  durationMs: z.number().nonnegative().optional(),
  /** Negotiated values worth showing (e.g. {auth:'mschapv2'}, {mru:1400}). */
  detail: z.record(z.string(), detailValue).optional(),
});

export const mppeInfoSchema = z.object({
  bits: z.literal(MPPE_KEY_BITS),
  stateful: z.boolean(),
});

export const connectedEventSchema = z.object({
  event: z.literal('connected'),
  server: z.string(),
  localIp: z.string(),
  remoteIp: z.string(),
  dns: z.array(z.string()),
  wins: z.array(z.string()).optional(),
  mtu: z.number().int().positive(),
  auth: z.string(),
  /** null when the profile allowed an unencrypted session and the server gave one. */
  mppe: mppeInfoSchema.nullable(),
  tunName: z.string().optional(),
  /** Milliseconds from the connect command to "connected". */
  elapsedMs: z.number().nonnegative(),
});

export const statsEventSchema = z.object({
  event: z.literal('stats'),
  /** Milliseconds since connected. */
  uptimeMs: z.number().nonnegative(),
  rxBytes: z.number().nonnegative(),
  txBytes: z.number().nonnegative(),
  rxPackets: z.number().nonnegative(),
  txPackets: z.number().nonnegative(),
  /** Bytes per second over the last interval. */
  rxRate: z.number().nonnegative(),
  txRate: z.number().nonnegative(),
  gre: z.record(z.string(), z.number()).optional(),
  rttMs: z.number().nonnegative().nullable().optional(),
});

export const errorEventSchema = z.object({
  event: z.literal('error'),
  reason: failureReasonSchema,
  message: z.string(),
  /** The doctor's advice for this reason, one or two sentences. */
  hint: z.string().optional(),
  phase: phaseSchema.optional(),
  detail: z.record(z.string(), detailValue).optional(),
});

export const disconnectedEventSchema = z.object({
  event: z.literal('disconnected'),
  reason: failureReasonSchema,
  /** True when routes and DNS were restored to exactly what they were. */
  restored: z.boolean(),
  uptimeMs: z.number().nonnegative().optional(),
});

export const logEventSchema = z.object({
  event: z.literal('log'),
  level: z.enum(LOG_LEVELS),
  message: z.string(),
  /** Milliseconds since the connect attempt began, when known. */
  at: z.number().nonnegative().optional(),
});

export const reconnectingEventSchema = z.object({
  event: z.literal('reconnecting'),
  attempt: z.number().int().positive(),
  delayMs: z.number().nonnegative(),
  reason: failureReasonSchema,
});

export const tunnelEventSchema = z.discriminatedUnion('event', [
  phaseEventSchema,
  connectedEventSchema,
  statsEventSchema,
  errorEventSchema,
  disconnectedEventSchema,
  logEventSchema,
  reconnectingEventSchema,
]);

export type PhaseEvent = z.infer<typeof phaseEventSchema>;
export type ConnectedEvent = z.infer<typeof connectedEventSchema>;
export type StatsEvent = z.infer<typeof statsEventSchema>;
export type ErrorEvent = z.infer<typeof errorEventSchema>;
export type DisconnectedEvent = z.infer<typeof disconnectedEventSchema>;
export type LogEvent = z.infer<typeof logEventSchema>;
export type ReconnectingEvent = z.infer<typeof reconnectingEventSchema>;
export type TunnelEvent = z.infer<typeof tunnelEventSchema>;
