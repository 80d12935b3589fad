/**
 * The service RPC (DESIGN.md §3, §6): JSON lines over the privileged service's stdin/stdout, or
 * over one connection to its Unix socket in daemon mode (socket-daemon.ts).
 * Every line carries the protocol version. Requests have ids; replies echo them; events are
 * pushed unprompted and carry the same objects `pptpctl --json` prints. Each side validates
 * every line it reads with these schemas: a malformed or unknown request gets an error reply
 * with a stable code, never a crash; lines over MAX_LINE_BYTES are refused.
 *
 * `test` (a connection test, the doctor's probe: no TUN, routes or DNS) is the one long request:
 * while it runs the service writes progress lines `{v, id, step}` (one settled step record each,
 * main/service/doctor/steps.ts) with the request's id, then the reply carries the whole result.
 * Adding it kept RPC_VERSION at 1: progress lines only ever answer a `test`, which an older app
 * never sends, and an older service answers `test` with 'bad-request', which the app reports as
 * "the tunnel service is too old to test connections".
 */
import * as z from 'zod';
import { doctorStepRecordSchema } from '../../../preload/schema/doctor';
import { tunnelEventSchema } from '../../../preload/schema/tunnel';
import { SERVICE_TUNNEL_STATES } from '../../../preload/vocabulary';
import { connectOptionsSchema } from '../connect-options';

export const RPC_VERSION = 1;
/** A request line is small; a connect with 256 split routes stays far below this. */
export const MAX_LINE_BYTES = 64 * 1024;

export const rpcRequestSchema = z.discriminatedUnion('method', [
  z.object({ v: z.literal(RPC_VERSION), id: z.number().int().nonnegative(), method: z.literal('hello') }),
  z.object({
    v: z.literal(RPC_VERSION),
    id: z.number().int().nonnegative(),
    method: z.literal('connect'),
    params: connectOptionsSchema,
  }),
  z.object({ v: z.literal(RPC_VERSION), id: z.number().int().nonnegative(), method: z.literal('disconnect') }),
  z.object({ v: z.literal(RPC_VERSION), id: z.number().int().nonnegative(), method: z.literal('status') }),
  z.object({ v: z.literal(RPC_VERSION), id: z.number().int().nonnegative(), method: z.literal('shutdown') }),
  z.object({
    v: z.literal(RPC_VERSION),
    id: z.number().int().nonnegative(),
    method: z.literal('test'),
    params: z.object({
      options: connectOptionsSchema,
      /** false: stop once GRE is proven (auth, MPPE and IPCP not tested; the password is not used). */
      credentials: z.boolean(),
    }),
  }),
]);
export type RpcRequest = z.infer<typeof rpcRequestSchema>;
export type RpcMethod = RpcRequest['method'];

export const RPC_ERROR_CODES = [
  'bad-json', // the line is not JSON
  'bad-version', // v is missing or not RPC_VERSION
  'bad-request', // JSON, right version, but not a valid request (unknown method, bad params)
  'line-too-long',
  'busy', // connect while a tunnel is up or connecting or a test runs; test while either runs
  'not-connected', // disconnect with no tunnel
  'internal',
  'unsupported', // a request this endpoint does not serve (a `test` to pptpctl's control socket)
  // Socket mode (docs/privileged-helper.md): the one line a refused connection gets before it is closed.
  'peer-not-allowed', // the connecting user is not root, an allowed uid or in an allowed group
  'peer-unverified', // the kernel's peer credentials could not be read: refused (fail closed)
  'too-many-clients', // the daemon already serves MAX_SOCKET_CLIENTS connections
] as const;
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

/**
 * What the service's `status` request returns: its one tunnel's state (the shared vocabulary's
 * SERVICE_TUNNEL_STATES) and, when up, the negotiated addresses. Not the app's tunnel.status IPC
 * reply (preload/contract.ts tunnelStatusSchema), which is what the app folds for the renderer.
 */
export const serviceStatusSchema = z.object({
  state: z.enum(SERVICE_TUNNEL_STATES),
  label: z.string().optional(),
  since: z.number().optional(),
  connected: z
    .object({ localIp: z.string(), remoteIp: z.string(), dns: z.array(z.string()), mtu: z.number(), auth: z.string() })
    .optional(),
});
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

export const rpcResponseSchema = z.union([
  z.object({ v: z.literal(RPC_VERSION), id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    v: z.literal(RPC_VERSION),
    id: z.number().nullable(),
    ok: z.literal(false),
    error: z.object({ code: z.enum(RPC_ERROR_CODES), message: z.string() }),
  }),
]);
export type RpcResponse = z.infer<typeof rpcResponseSchema>;

export const rpcEventLineSchema = z.object({ v: z.literal(RPC_VERSION), event: tunnelEventSchema });
export type RpcEventLine = z.infer<typeof rpcEventLineSchema>;

/** A settled step of the running `test` request `id`. */
export const rpcTestProgressLineSchema = z.object({ v: z.literal(RPC_VERSION), id: z.number().int().nonnegative(), step: doctorStepRecordSchema });
export type RpcTestProgressLine = z.infer<typeof rpcTestProgressLineSchema>;

/** A line from the service is a response (has `id` and `ok`), a test's progress (`id` and `step`) or an event (has `event`). */
export const rpcServiceLineSchema = z.union([rpcResponseSchema, rpcTestProgressLineSchema, rpcEventLineSchema]);

export type ParsedRequest =
  | { ok: true; request: RpcRequest }
  | { ok: false; id: number | null; code: RpcErrorCode; message: string };

/** Validates one request line; never throws. */
export function parseRequestLine(line: string): ParsedRequest {
  if (line.length > MAX_LINE_BYTES) return { ok: false, id: null, code: 'line-too-long', message: `request line over ${MAX_LINE_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, id: null, code: 'bad-json', message: 'request is not valid JSON' };
  }
  const id = typeof json === 'object' && json !== null && typeof (json as { id?: unknown }).id === 'number' ? (json as { id: number }).id : null;
  if (typeof json !== 'object' || json === null || (json as { v?: unknown }).v !== RPC_VERSION) {
    return { ok: false, id, code: 'bad-version', message: `expected protocol version ${RPC_VERSION}` };
  }
  const parsed = rpcRequestSchema.safeParse(json);
  if (!parsed.success) {
    // Never echo params back: they may hold the password.
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').slice(0, 5).join(', ');
    return { ok: false, id, code: 'bad-request', message: `invalid request at: ${where}` };
  }
  return { ok: true, request: parsed.data };
}
