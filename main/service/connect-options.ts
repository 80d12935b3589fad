/**
 * What a connect needs, as one validated value: built by `pptpctl` from flags or a profile,
 * sent by the app's supervisor over the service RPC, and handed to the tunnel driver. The
 * password is part of it only in memory and on the RPC pipe (never argv, env, disk or logs).
 *
 * It speaks the shared vocabulary (preload/vocabulary.ts): auth methods, and an `mppe` that IS
 * the engine's MppePolicy (requirement, key lengths, stateful), so neither the driver nor the
 * profile mapping translates encryption words. Only pptpctl's --mppe flag has words of its own.
 */
import * as z from 'zod';
import { DOMAIN_MAX_LENGTH, MAX_SPLIT_ROUTES, MTU_MAX, MTU_MIN, PASSWORD_MAX_LENGTH, USERNAME_MAX_LENGTH } from '../../preload/schema/limits';
import { isHostname, routeCidrSchema } from '../../preload/schema/profile';
import { isIPv4 } from '../../preload/schema/routes';
import { AUTH_METHODS, MPPE_KEY_BITS, MPPE_REQUIREMENTS } from '../../preload/vocabulary';
import type { MppePolicy } from '../engine/ppp/ccp/mppe-option';

// The address and route rules, the limits and the method list are the ones profiles use (one
// definition each: preload/schema/routes.ts, limits.ts, vocabulary.ts), so the RPC refuses
// exactly what the editor and pptpctl's flags refuse, with the same words.
const ipv4 = z.string().refine(isIPv4, 'not an IPv4 address');
const hostname = z.string().refine(isHostname, 'not a host name or IPv4 address');

/** The engine's MppePolicy, validated: the type system checks this schema yields exactly that shape. */
export const mppePolicySchema = z
  .object({
    mppe: z.enum(MPPE_REQUIREMENTS),
    allowStateful: z.boolean(),
    /** Key lengths accepted (default all); only 'require-any' and 'optional' choose among them. */
    allowedBits: z.array(z.literal(MPPE_KEY_BITS)).min(1).readonly().optional(),
  })
  .refine((p) => p.allowedBits === undefined || p.mppe === 'require-any' || p.mppe === 'optional', {
    message: "allowedBits is only meaningful with 'require-any' or 'optional'",
    path: ['allowedBits'],
  }) satisfies z.ZodType<MppePolicy>;

export const connectOptionsSchema = z.object({
  server: z.union([ipv4, hostname]),
  username: z.string().min(1).max(USERNAME_MAX_LENGTH),
  password: z.string().max(PASSWORD_MAX_LENGTH, `The password must be at most ${PASSWORD_MAX_LENGTH} characters (RFC 2759)`),
  domain: z.string().max(DOMAIN_MAX_LENGTH).optional(),
  auth: z.array(z.enum(AUTH_METHODS)).min(1),
  mppe: mppePolicySchema,
  /** 'default': all traffic through the tunnel; 'none': no routes but the tunnel peer; else split CIDRs. */
  routes: z.union([
    z.literal('default'),
    z.literal('none'),
    z.array(routeCidrSchema).min(1).max(MAX_SPLIT_ROUTES, `At most ${MAX_SPLIT_ROUTES} split routes`),
  ]),
  dns: z.boolean(),
  mtu: z.number().int().min(MTU_MIN).max(MTU_MAX).optional(),
  lcpEcho: z
    .object({ intervalS: z.number().int().min(0).max(3600), failures: z.number().int().min(1).max(100) })
    .optional(),
  reconnect: z.object({ enabled: z.boolean(), maxAttempts: z.number().int().min(0).max(1000) }).optional(),
  /** Name shown in logs and the status (profile name or the server). */
  label: z.string().max(128).optional(),
});
export type ConnectOptions = z.infer<typeof connectOptionsSchema>;
