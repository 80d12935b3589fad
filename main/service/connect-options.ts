/**
 * What a connect needs, as one validated value: built by `pptpctl` from flags or a profile,
 * sent by the app's supervisor over the service RPC, and handed to the tunnel driver. The
 * password is part of it only in memory and on the RPC pipe (never argv, env, disk or logs).
 */
import { z } from 'zod';
import { isHostname, isIPv4, parseCidr } from '../../preload/schema/profile';
import { AUTH_METHODS } from '../../preload/vocabulary';

// The address rules and the method list are the ones profiles use (one definition each).
const ipv4 = z.string().refine(isIPv4, 'not an IPv4 address');
const cidr = z.string().refine((s) => parseCidr(s) !== undefined, 'not an IPv4 CIDR (a.b.c.d/n)');
const hostname = z.string().refine(isHostname, 'not a host name or IPv4 address');

export const mppeOptionSchema = z.object({
  /** required: no data without MPPE; optional: MPPE if the server offers it; none: refuse MPPE. */
  policy: z.enum(['required', 'optional', 'none']),
  /** Key lengths we accept, strongest preferred. */
  bits: z.array(z.union([z.literal(40), z.literal(56), z.literal(128)])).min(1),
  allowStateful: z.boolean(),
});
export type MppeOption = z.infer<typeof mppeOptionSchema>;

export const connectOptionsSchema = z.object({
  server: z.union([ipv4, hostname]),
  username: z.string().min(1).max(256),
  password: z.string().max(256),
  domain: z.string().max(256).optional(),
  auth: z.array(z.enum(AUTH_METHODS)).min(1),
  mppe: mppeOptionSchema,
  /** 'default': all traffic through the tunnel; 'none': no routes but the tunnel peer; else split CIDRs. */
  routes: z.union([z.literal('default'), z.literal('none'), z.array(cidr).min(1).max(256)]),
  dns: z.boolean(),
  mtu: z.number().int().min(576).max(1500).optional(),
  lcpEcho: z
    .object({ intervalS: z.number().int().min(0).max(3600), failures: z.number().int().min(1).max(100) })
    .optional(),
  reconnect: z.object({ enabled: z.boolean(), maxAttempts: z.number().int().min(0).max(1000) }).optional(),
  /** Name shown in logs and the status (profile name or the server). */
  label: z.string().max(128).optional(),
});
export type ConnectOptions = z.infer<typeof connectOptionsSchema>;

/** The strongest settings: MS-CHAPv2 + MPPE-128 required, stateless (DESIGN.md §1). */
export const DEFAULT_MPPE: MppeOption = { policy: 'required', bits: [128], allowStateful: false };
