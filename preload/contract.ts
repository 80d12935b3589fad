/**
 * The IPC contract between the renderer and the main process (DESIGN.md §3, §6): ONE table of
 * every channel, after Mullvad's typed IPC schema. Both sides are derived from it:
 *  - main implements `Handlers` (one async function per invoke channel) and runs every incoming
 *    payload through `validateRequest` (or `dispatchInvoke`, which also catches and wraps errors);
 *  - the preload exposes `PptpBridge` (`invoke` + `on`) and allows only `INVOKE_CHANNELS` and
 *    `EVENT_CHANNELS`; the renderer reaches it only through renderer/src/services/bridge.ts.
 *
 * Wire rules:
 *  - Channel names are the wire names. Invoke channels are request/response (ipcRenderer.invoke);
 *    event channels are pushed by main (webContents.send). No name is used for both.
 *  - Every request is a JSON object (`{}` when there are no arguments), validated strictly
 *    (unknown keys refused). Every response is an envelope: `{ok:true, value}` or
 *    `{ok:false, error:{code, message, issues?}}`; nothing is thrown across the boundary.
 *    Values are JSON: `null` stands for "nothing to return".
 *  - Passwords go renderer -> main only (secrets.set, profiles.create/update, tunnel.connect for
 *    ask-every-time profiles). No response or event ever carries one; `secrets.has` says boolean.
 *  - Log lines and tunnel events are redacted by main before they are sent.
 *
 * Must not: import node:*, electron or anything from main/ (the renderer and the sandboxed
 * preload bundle this file). zod, the shared vocabulary (preload/vocabulary.ts) and the schemas
 * in preload/schema only.
 */
import { z } from 'zod';
import {
  fieldIssueSchema,
  ProfileSchema,
  ProfileSettingsSchema,
  type FieldIssue,
} from './schema/profile';
import {
  CONFLICT_POLICIES,
  conflictPolicySchema,
  IMPORT_FORMATS,
  importOutcomeSchema,
  importReportSchema,
  profileRemovalSchema,
  storeProblemSummarySchema,
  type ConflictPolicy,
  type ImportFormat,
  type ImportOutcome,
  type ImportReport,
} from './schema/profile-store';
import { BRIDGE_GLOBAL, EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES, type EventChannelName, type InvokeChannelName } from './channels';
import {
  connectedEventSchema,
  disconnectedEventSchema,
  failureReasonSchema,
  phaseEventSchema,
  phaseSchema,
  reconnectingEventSchema,
  statsEventSchema,
  tunnelEventSchema,
} from './schema/tunnel';
import { LOG_LEVELS, type LogLevel } from './vocabulary';
import { doctorResultSchema, doctorStepRecordSchema, type DoctorResult, type DoctorStepRecord } from './schema/doctor';
import { PASSWORD_MAX_LENGTH } from './schema/limits';

// ---------------------------------------------------------------------------------------------
// Shared pieces

export { BRIDGE_GLOBAL };

export const profileIdSchema = z.uuid();

const noArgs = z.strictObject({});
const nothing = z.null();

/**
 * Passwords are bounded so a hostile renderer cannot push megabytes into the keychain; the bound
 * is the one pptpctl and the service RPC apply (schema/limits.ts), so a stored password connects.
 */
export { PASSWORD_MAX_LENGTH };
const passwordSchema = z.string().min(1, 'Password is required').max(PASSWORD_MAX_LENGTH);

/** Imported files are read whole by the renderer; main caps them again (MAX_IMPORT_BYTES). */
export const IMPORT_MAX_CHARS = 2 * 1024 * 1024;
export const IMPORT_MAX_ENTRIES = 256;

const s = ProfileSettingsSchema.shape;
/** null clears an optional field: JSON has no `undefined`, so "remove the domain" must be null. */
function clearable<T extends z.ZodType>(schema: T) {
  return schema.nullable().optional().transform((v) => (v === null ? undefined : v));
}

/**
 * A partial profile for profiles.update: only the fields present change. Defaults are NOT
 * applied here (zod's .partial() would fill them and silently reset stored values). The
 * optional fields (domain, mtu) take null to clear them; the parsed patch then holds the key
 * with `undefined`, so main's `{...current, ...patch}` removes the value.
 */
export const profilePatchSchema = z.strictObject({
  name: s.name.optional(),
  server: s.server.optional(),
  username: s.username.unwrap().optional(),
  domain: clearable(s.domain.unwrap()),
  auth: s.auth.unwrap().optional(),
  mppe: s.mppe.unwrap().optional(),
  allowStateful: s.allowStateful.unwrap().optional(),
  routes: s.routes.unwrap().optional(),
  usePeerDns: s.usePeerDns.unwrap().optional(),
  mtu: clearable(s.mtu.unwrap()),
  keepalive: s.keepalive.unwrap().optional(),
  reconnect: s.reconnect.unwrap().optional(),
  askPasswordEveryTime: s.askPasswordEveryTime.unwrap().optional(),
});

export const profileListSchema = z.object({
  profiles: z.array(ProfileSchema),
  /** The store file is from a newer version: every change fails with 'read-only'. */
  readOnly: z.boolean(),
  /** What the store found in its file (corrupt, invalid entries, newer version), as kind + sentence. */
  problems: z.array(storeProblemSummarySchema),
});

// --- import / export -------------------------------------------------------------------------
// The report, conflict policies and outcomes are preload/schema/profile-store.ts's (main's
// importers and store return exactly those types).

/** A file's content: UTF-8 text, or base64 for bytes the renderer did not decode. */
export const importSourceSchema = z.strictObject({
  fileName: z.string().min(1).max(255),
  text: z.string().max(IMPORT_MAX_CHARS).optional(),
  contentBase64: z.string().max(Math.ceil((IMPORT_MAX_CHARS * 4) / 3) + 4).optional(),
});

export const textFileSchema = z.object({
  /** Suggested file name (no directories). */
  fileName: z.string(),
  text: z.string(),
});

// --- tunnel ----------------------------------------------------------------------------------
// What the app shows about the tunnel is folded ONCE, in main (main/app/tunnel/tunnel-view.ts),
// and pushed whole on tunnel.state; the renderer mirrors it and folds nothing itself.

/** The doctor's words for a failure reason (main/service/doctor/advice.ts, the one advice table). */
export const adviceSchema = z.object({ title: z.string(), fix: z.string() });

export const connectedDetailsSchema = connectedEventSchema.omit({ event: true });

/** Why a tunnel (or one attempt of it) failed: a stable reason, the redacted message, the phase. */
export const tunnelFailureSchema = z.object({ reason: failureReasonSchema, message: z.string(), phase: phaseSchema.optional() });

/**
 * The tunnel's state as the app shows it: a tagged union (Mullvad's TunnelState).
 *  - connecting.attempt is 0 for the first try, n for the n-th automatic reconnect;
 *  - connecting.phase is the phase in progress (null before the first phase event);
 *  - error is sticky until the next connect or an explicit disconnect (which goes to idle).
 */
export const tunnelStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle') }),
  z.object({
    state: z.literal('connecting'),
    profileId: profileIdSchema,
    phase: phaseSchema.nullable(),
    attempt: z.number().int().nonnegative(),
  }),
  z.object({ state: z.literal('connected'), profileId: profileIdSchema, details: connectedDetailsSchema }),
  z.object({ state: z.literal('disconnecting'), profileId: profileIdSchema }),
  z.object({
    state: z.literal('error'),
    profileId: profileIdSchema,
    failure: tunnelFailureSchema,
    advice: adviceSchema,
  }),
]);

/** not-reached: the attempt ended (failed or was cancelled) before this phase began. */
export const PHASE_STATUSES = ['pending', 'started', 'done', 'failed', 'not-reached'] as const;

/** One step of the attempt's timeline. `at`: ms since the attempt began; detail: negotiated values. */
export const phaseRecordSchema = z.object({
  phase: phaseSchema,
  status: z.enum(PHASE_STATUSES),
  at: z.number().optional(),
  durationMs: z.number().nonnegative().optional(),
  detail: phaseEventSchema.shape.detail,
});

/**
 * Whether an attempt got as far as changing routes and DNS (its routes phase began), so that
 * "restored" is said only when something had been changed. One rule for main's log line and
 * the renderer's note.
 */
export function attemptTouchedNetwork(phases: readonly { readonly phase: string; readonly status: (typeof PHASE_STATUSES)[number] }[]): boolean {
  const routes = phases.find((p) => p.phase === 'routes');
  return routes !== undefined && routes.status !== 'pending' && routes.status !== 'not-reached';
}

/**
 * How the current (or last) attempt went, for the profile it belongs to. A new attempt (connect,
 * or a new `tcp started` after a drop) starts a fresh one; it outlives the tunnel going idle, so
 * the failure stays readable after the error is dismissed.
 *  - phases: every TUNNEL_PHASES step in order, 'pending' until its first event;
 *  - stats: the latest counters (null before the first);
 *  - failure + advice: the last failure with the doctor's advice (both null, or both set);
 *  - reconnecting: the pending automatic reconnect, until it succeeds or fails;
 *  - ended: the service's `disconnected` event (reason, whether routes and DNS were restored).
 */
export const tunnelAttemptSchema = z.object({
  profileId: profileIdSchema,
  phases: z.array(phaseRecordSchema),
  stats: statsEventSchema.nullable(),
  failure: tunnelFailureSchema.nullable(),
  advice: adviceSchema.nullable(),
  reconnecting: reconnectingEventSchema.nullable(),
  ended: disconnectedEventSchema.nullable(),
});

/** What tunnel.state pushes after every change: the state and the attempt (null before the first). */
export const tunnelViewSchema = z.object({
  state: tunnelStateSchema,
  attempt: tunnelAttemptSchema.nullable(),
});

/** A connection test's settled step, with the profile tested (tunnel.testStep). */
export const testStepPayloadSchema = z.object({ profileId: profileIdSchema, step: doctorStepRecordSchema });

/** A tunnel event with the profile it belongs to (the event objects of preload/schema/tunnel.ts). */
export const tunnelEventPayloadSchema = z.object({
  profileId: profileIdSchema,
  event: tunnelEventSchema,
});

export const MAX_STATUS_EVENTS = 500;
/**
 * What tunnel.status returns: the same folded view, plus the events of the current (or last)
 * attempt, oldest first (only the latest stats; at most MAX_STATUS_EVENTS), for diagnostics.
 */
export const tunnelStatusSchema = tunnelViewSchema.extend({
  events: z.array(tunnelEventPayloadSchema).max(MAX_STATUS_EVENTS),
});

// --- settings, logs, app ---------------------------------------------------------------------

export const THEMES = ['system', 'light', 'dark'] as const;

export const settingsSchema = z.object({
  /** Profile connected when the app starts; null for none. */
  autoConnectProfileId: profileIdSchema.nullable().default(null),
  /** Reconnect after an unexpected drop (the profile's reconnect.maxAttempts bounds it). */
  autoReconnect: z.boolean().default(true),
  launchAtLogin: z.boolean().default(false),
  /** Start in the tray without showing the window. */
  startMinimised: z.boolean().default(false),
  /** Desktop notifications on connect, disconnect and failure. */
  notifications: z.boolean().default(true),
  theme: z.enum(THEMES).default('system'),
  /** The general "PPTP is weak" note was read and dismissed (it shows once, at first run; About keeps it). */
  securityNoteDismissed: z.boolean().default(false),
});
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

export const settingsPatchSchema = z.strictObject({
  autoConnectProfileId: profileIdSchema.nullable().optional(),
  autoReconnect: z.boolean().optional(),
  launchAtLogin: z.boolean().optional(),
  startMinimised: z.boolean().optional(),
  notifications: z.boolean().optional(),
  theme: z.enum(THEMES).optional(),
  securityNoteDismissed: z.boolean().optional(),
});

/** One log line, already redacted by main (no passwords, hashes or keys). */
export const logLineSchema = z.object({
  /** Increasing per app run; the renderer uses it to drop duplicates. */
  seq: z.number().int().nonnegative(),
  /** Wall-clock time, ms since the epoch. */
  time: z.number(),
  level: z.enum(LOG_LEVELS),
  /** Where it came from: 'app', 'service', 'tunnel', ... */
  source: z.string(),
  message: z.string(),
  profileId: profileIdSchema.optional(),
  /** The connection attempt the line belongs to (an opaque id, the same on disk and after a restart). */
  attemptId: z.string().max(64).optional(),
});

export const MAX_LOG_LINES = 5000;

export const PRIVILEGE_MODES = ['in-process', 'pkexec', 'daemon', 'unavailable'] as const;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** process.platform of main ('linux', 'darwin', 'win32'). */
  platform: z.string(),
  arch: z.string(),
  /** How the tunnel service gets its privileges (DESIGN.md §3). */
  privilegeMode: z.enum(PRIVILEGE_MODES),
  /** Why the service is unavailable, or other notes to show under About. */
  privilegeNote: z.string().optional(),
  /** Whether dialog.saveExport works here (false in a browser shim: the renderer downloads). */
  canSaveFiles: z.boolean(),
});

// ---------------------------------------------------------------------------------------------
// The channel table

/** Request/response channels (renderer -> main -> renderer). */
export const invokeChannels = {
  'app.info': { request: noArgs, response: appInfoSchema },

  'profiles.list': { request: noArgs, response: profileListSchema },
  'profiles.get': { request: z.strictObject({ id: profileIdSchema }), response: ProfileSchema },
  /** Creates a profile; `password` is stored in the keychain unless the profile asks every time. */
  'profiles.create': {
    request: z.strictObject({ profile: ProfileSettingsSchema, password: passwordSchema.optional() }),
    response: ProfileSchema,
  },
  /** `password`: a string stores it, null deletes it, absent leaves it. */
  'profiles.update': {
    request: z.strictObject({ id: profileIdSchema, patch: profilePatchSchema, password: passwordSchema.nullable().optional() }),
    response: ProfileSchema,
  },
  /** Removes the profile and its keychain entry; secretError when only the latter failed. */
  'profiles.remove': {
    request: z.strictObject({ id: profileIdSchema }),
    response: profileRemovalSchema,
  },
  /** Copies the settings under a new unique name ("X (copy)"), without the password. */
  'profiles.duplicate': {
    request: z.strictObject({ id: profileIdSchema, name: s.name.optional() }),
    response: ProfileSchema,
  },
  /** Step 1 of import: parse the file and report per entry. Nothing is stored. */
  'profiles.importPreview': {
    request: importSourceSchema.refine((v) => (v.text === undefined) !== (v.contentBase64 === undefined), {
      message: 'Give exactly one of text and contentBase64',
    }),
    response: importReportSchema,
  },
  /** Step 2 of import: store the chosen entries' profiles (from the preview) with a conflict policy. */
  'profiles.importApply': {
    request: z.strictObject({
      profiles: z.array(ProfileSettingsSchema).min(1).max(IMPORT_MAX_ENTRIES),
      onConflict: conflictPolicySchema,
    }),
    response: z.object({ outcomes: z.array(importOutcomeSchema) }),
  },
  /** Our JSON exchange format, without secrets; main suggests the file name. */
  'profiles.export': {
    request: z.strictObject({ ids: z.array(profileIdSchema).min(1).max(1000) }),
    response: textFileSchema,
  },

  /** Electron: shows the save dialog and writes the file. saved=false when the user cancelled. */
  'dialog.saveExport': {
    request: z.strictObject({ fileName: z.string().min(1).max(255), text: z.string().max(64 * 1024 * 1024) }),
    response: z.object({ saved: z.boolean(), path: z.string().optional() }),
  },

  'secrets.set': { request: z.strictObject({ profileId: profileIdSchema, password: passwordSchema }), response: nothing },
  'secrets.clear': { request: z.strictObject({ profileId: profileIdSchema }), response: nothing },
  'secrets.has': { request: z.strictObject({ profileId: profileIdSchema }), response: z.object({ has: z.boolean() }) },

  /**
   * Starts connecting; progress arrives as tunnel.state events. `password` is used
   * for this connect only and never stored: required for profiles that ask every time (error
   * 'password-required' without it); for other profiles it stands in for a missing keychain
   * entry (error 'no-password' when neither exists).
   */
  'tunnel.connect': {
    request: z.strictObject({ profileId: profileIdSchema, password: passwordSchema.optional() }),
    response: nothing,
  },
  'tunnel.disconnect': { request: noArgs, response: nothing },
  /**
   * Tests the saved profile's connection as pptpctl doctor does (the service runs the probe: no
   * TUN, routes or DNS), resolving with every step and the verdict; steps also arrive one by one
   * on tunnel.testStep. With `credentials` (default) it goes through auth, MPPE and addresses and
   * needs the password like tunnel.connect ('password-required', 'no-password'); without, it
   * stops once GRE works and no password is used. 'busy' while a tunnel is up or connecting or
   * another test runs; 'unsupported' when the service cannot test.
   */
  'tunnel.test': {
    request: z.strictObject({ profileId: profileIdSchema, password: passwordSchema.optional(), credentials: z.boolean().default(true) }),
    response: doctorResultSchema,
  },
  /** The folded view tunnel.state pushes, plus the attempt's events (for a late-opened view). */
  'tunnel.status': { request: noArgs, response: tunnelStatusSchema },

  'settings.get': { request: noArgs, response: settingsSchema },
  /** Changes the given settings; returns them all. */
  'settings.set': { request: z.strictObject({ patch: settingsPatchSchema }), response: settingsSchema },

  /** The most recent lines (up to `limit`, default all kept), oldest first. */
  'logs.get': {
    request: z.strictObject({ limit: z.number().int().positive().max(MAX_LOG_LINES).optional() }),
    response: z.object({ lines: z.array(logLineSchema) }),
  },
  /** All kept lines as text, for saving (redacted like the lines). */
  'logs.export': { request: noArgs, response: textFileSchema },
  /** Removes the kept lines, in memory and on disk. */
  'logs.clear': { request: noArgs, response: nothing },
  /**
   * The diagnostic report for support (main/app/log/diagnostic-report.ts): versions, OS, privilege
   * mode, settings, the profiles without secrets (only `profileId`'s when given), the last attempts'
   * timelines and log lines. Redacted like the log; the renderer copies it or saves it through
   * dialog.saveExport.
   */
  'report.create': { request: z.strictObject({ profileId: profileIdSchema.optional() }), response: textFileSchema },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** Push channels (main -> renderer). */
export const eventChannels = {
  /** The folded tunnel view (state + attempt) after every change; the renderer mirrors it. */
  'tunnel.state': tunnelViewSchema,
  /** The whole list after any change (from this window, another window, the tray or pptpctl). */
  'profiles.changed': profileListSchema,
  'settings.changed': settingsSchema,
  /** One new log line (redacted). */
  'log.line': logLineSchema,
  /** A step of the running connection test settled (redacted), with the profile tested. */
  'tunnel.testStep': testStepPayloadSchema,
} as const satisfies Record<string, z.ZodType>;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;

export const INVOKE_CHANNELS: readonly InvokeChannel[] = INVOKE_CHANNEL_NAMES;
export const EVENT_CHANNELS: readonly EventChannel[] = EVENT_CHANNEL_NAMES;

// The zod-free name lists in channels.ts (used by the preload) must equal the tables' keys.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const invokeNamesMatch: Same<InvokeChannel, InvokeChannelName> = true;
const eventNamesMatch: Same<EventChannel, EventChannelName> = true;
void invokeNamesMatch;
void eventNamesMatch;

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(invokeChannels, name);
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(eventChannels, name);
}

// ---------------------------------------------------------------------------------------------
// Types derived from the table

/** What the renderer sends (defaults may be left out). */
export type ReqInput<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
/** What a main handler receives: validated, defaults filled in. */
export type Req<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['request']>;
/** What a main handler returns and the renderer receives. */
export type Res<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['response']>;
export type EventPayload<E extends EventChannel> = z.output<(typeof eventChannels)[E]>;

/** Stable error codes main uses; handlers may pass through other codes from the stores. */
export const IPC_ERROR_CODES = [
  'unknown-channel', // not in this contract (refused by the preload and by main)
  'invalid-request', // payload failed validation (issues say which field)
  'forbidden', // sender is not the app's own window/frame
  'not-found',
  'name-taken',
  'invalid-profile',
  'read-only',
  'too-many-profiles',
  'keychain-failed',
  'busy', // a tunnel is already up or connecting (or a connection test runs)
  'not-connected',
  'password-required', // ask-every-time profile connected without a password
  'no-password', // no password stored for the profile
  'service-unavailable', // the privileged tunnel service could not be started
  'unsupported', // not available here (e.g. dialog.saveExport outside Electron)
  'internal',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

export const ipcErrorSchema = z.object({
  /** An IpcErrorCode or a store's own stable code. */
  code: z.string(),
  message: z.string(),
  issues: z.array(fieldIssueSchema).optional(),
});
export interface IpcError {
  readonly code: IpcErrorCode | (string & {});
  readonly message: string;
  readonly issues?: readonly FieldIssue[];
}

export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };
export type Response<C extends InvokeChannel> = Envelope<Res<C>>;

export function okEnvelope<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export function errEnvelope(code: IpcErrorCode | (string & {}), message: string, issues?: readonly FieldIssue[]): Envelope<never> {
  return { ok: false, error: issues && issues.length ? { code, message, issues } : { code, message } };
}

/** Whatever the sender is, as main knows it (Electron: the WebContents id and frame URL). */
export interface HandlerContext {
  readonly senderId?: number | string;
  readonly senderUrl?: string;
}

/** Main implements one function per invoke channel; the request is already validated. */
export type Handlers<Ctx = HandlerContext> = {
  [C in InvokeChannel]: (req: Req<C>, ctx: Ctx) => Promise<Res<C>>;
};

/**
 * What `window.pptp` is. `invoke` never rejects: refusals and failures come back as envelopes.
 * `on` returns the function that removes the listener.
 */
export interface PptpBridge {
  invoke<C extends InvokeChannel>(channel: C, request: ReqInput<C>): Promise<Response<C>>;
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
}

// ---------------------------------------------------------------------------------------------
// Validation helpers (main uses them at the edge; tests use them on both sides)

function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Validates a request payload for a channel name taken from the wire. Never throws. */
export function validateRequest<C extends InvokeChannel>(channel: C | (string & {}), payload: unknown): Envelope<Req<C>> {
  if (!isInvokeChannel(channel)) return errEnvelope('unknown-channel', 'Unknown IPC channel');
  const parsed = invokeChannels[channel].request.safeParse(payload ?? {});
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    return errEnvelope('invalid-request', `Invalid request for ${channel}: ${message}`, issues);
  }
  return okEnvelope(parsed.data as Req<C>);
}

/** Checks what a handler returned against the contract (tests, and main in development). */
export function validateResponse<C extends InvokeChannel>(channel: C, value: unknown): Envelope<Res<C>> {
  const parsed = invokeChannels[channel].response.safeParse(value);
  if (!parsed.success) return errEnvelope('internal', `Invalid response for ${channel}`, issuesOf(parsed.error));
  return okEnvelope(parsed.data as Res<C>);
}

export function validateEvent<E extends EventChannel>(channel: E, payload: unknown): Envelope<EventPayload<E>> {
  const parsed = eventChannels[channel].safeParse(payload);
  if (!parsed.success) return errEnvelope('internal', `Invalid event for ${channel}`, issuesOf(parsed.error));
  return okEnvelope(parsed.data as EventPayload<E>);
}

/**
 * An error object as an IpcError: an error with a string `code` (ProfileStoreError,
 * SecretStoreError, ...) keeps its code, message and issues; anything else becomes 'internal'
 * with a generic message (stack traces and unknown texts do not cross the boundary).
 */
export function toIpcError(error: unknown): IpcError {
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown; issues?: unknown };
    if (typeof e.code === 'string' && typeof e.message === 'string') {
      const issues = Array.isArray(e.issues)
        ? (e.issues as unknown[]).filter(
            (i): i is FieldIssue =>
              typeof i === 'object' && i !== null && typeof (i as FieldIssue).path === 'string' && typeof (i as FieldIssue).message === 'string',
          )
        : undefined;
      return issues && issues.length ? { code: e.code, message: e.message, issues } : { code: e.code, message: e.message };
    }
  }
  return { code: 'internal', message: 'Internal error' };
}

/**
 * Validates, calls the handler and wraps the outcome: the whole of an IPC endpoint except the
 * sender check. Never throws. Used by the Electron ipcMain module and by test shims alike.
 */
export async function dispatchInvoke<Ctx>(
  handlers: Handlers<Ctx>,
  channel: string,
  payload: unknown,
  ctx: Ctx,
  mapError: (error: unknown) => IpcError = toIpcError,
): Promise<Envelope<unknown>> {
  const req = validateRequest(channel, payload);
  if (!req.ok) return req;
  const name = channel as InvokeChannel;
  try {
    const handler = handlers[name] as (r: unknown, c: Ctx) => Promise<unknown>;
    const value = await handler(req.value, ctx);
    return okEnvelope(value === undefined ? null : value);
  } catch (error) {
    return { ok: false, error: mapError(error) };
  }
}

// ---------------------------------------------------------------------------------------------
// Re-exported types the renderer needs (so it imports the contract, not the schema files, for IPC)

export type ProfileList = Res<'profiles.list'>;
export type ProfilePatchInput = z.input<typeof profilePatchSchema>;
export type TextFile = z.output<typeof textFileSchema>;
export type Advice = z.output<typeof adviceSchema>;
export type TunnelState = z.output<typeof tunnelStateSchema>;
export type TunnelFailure = z.output<typeof tunnelFailureSchema>;
export type PhaseStatus = (typeof PHASE_STATUSES)[number];
export type PhaseRecord = z.output<typeof phaseRecordSchema>;
export type TunnelAttempt = z.output<typeof tunnelAttemptSchema>;
export type TunnelView = z.output<typeof tunnelViewSchema>;
export type ConnectedDetails = z.output<typeof connectedDetailsSchema>;
export type TunnelEventPayload = z.output<typeof tunnelEventPayloadSchema>;
export type TunnelStatusWire = z.output<typeof tunnelStatusSchema>;
export type TestStepPayload = z.output<typeof testStepPayloadSchema>;
export type { DoctorResult, DoctorStepRecord };
export type Settings = z.output<typeof settingsSchema>;
export type SettingsPatch = z.output<typeof settingsPatchSchema>;
export type Theme = (typeof THEMES)[number];
export type LogLine = z.output<typeof logLineSchema>;
export type AppInfo = z.output<typeof appInfoSchema>;
export type PrivilegeMode = (typeof PRIVILEGE_MODES)[number];
export { LOG_LEVELS, type LogLevel };
export { CONFLICT_POLICIES, IMPORT_FORMATS, type ConflictPolicy, type ImportFormat, type ImportOutcome, type ImportReport };
