/**
 * The main process's IPC handlers: one async function per invoke channel of preload/contract.ts,
 * typed by the contract's `Handlers` (a channel added to the contract without a handler here is a
 * compile error). Transport-neutral: each takes an already validated request and a context, and
 * is called by the Electron ipcMain module (register.ts) and by the GUI tests' HTTP transport alike.
 *
 * Rules kept here:
 *  - a password goes renderer -> main -> keychain or service pipe; no return value or error
 *    message carries one (errors are redacted with the request's password before they leave);
 *  - every change to profiles is announced (`profilesChanged`), every action is logged (redacted).
 * Owns no Electron: the save dialog comes in as `saveFile`.
 */
import {
  type AppInfo,
  type Handlers,
  type HandlerContext,
  type IpcError,
  type LogLine as WireLogLine,
  type ProfileList,
  type Res,
  type TextFile,
  toIpcError,
} from '../../../preload/contract';
import type { FieldIssue, Profile } from '../../../preload/schema/profile';
import { exportFileName, exportProfiles } from '../../profiles/export/export';
import { importFile } from '../../profiles/import';
import type { LogBuffer, LogLine } from '../log/log-buffer';
import { nameKey, uniqueName } from '../../profiles/names';
import type { ProfileService } from '../../profiles/profile-service';
import type { SettingsStore } from '../settings/settings-store';
import { connectOptionsFor } from '../../profiles/connect-options';
import type { TunnelSupervisor } from '../supervisor/tunnel-supervisor';

/** An error with a stable code; crosses IPC as {code, message, issues?}. */
export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues?: readonly FieldIssue[],
  ) {
    super(message);
    this.name = 'HandlerError';
  }
}

export interface AppServices {
  readonly profiles: ProfileService;
  readonly settings: SettingsStore;
  readonly log: LogBuffer;
  readonly supervisor: TunnelSupervisor;
  readonly info: () => AppInfo;
  /** Electron's save dialog; absent outside Electron ('unsupported'). */
  readonly saveFile?: (fileName: string, text: string) => Promise<Res<'dialog.saveExport'>>;
  /** Called after any profile change with the new list (events.ts forwards it). */
  readonly profilesChanged?: (list: ProfileList) => void;
  readonly now?: () => Date;
  /** The diagnostic report (core.ts builds it from the stores, the attempt tracker and the log). */
  readonly createReport?: (profileId?: string) => Promise<TextFile>;
}

export function toWireLogLine(l: LogLine): WireLogLine {
  return {
    seq: l.seq,
    time: l.time,
    level: l.level,
    source: l.source,
    message: l.message,
    ...(l.profileId !== undefined ? { profileId: l.profileId } : {}),
    ...(l.attemptId !== undefined ? { attemptId: l.attemptId } : {}),
  };
}

export async function profileList(profiles: ProfileService): Promise<ProfileList> {
  const list = await profiles.list();
  return {
    profiles: list,
    readOnly: profiles.store.readOnly,
    problems: profiles.store.problems.map((p) => ({ kind: p.kind, message: p.message })),
  };
}

function base64ToBytes(b64: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new HandlerError('invalid-request', 'contentBase64 is not base64');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export function createHandlers(services: AppServices): Handlers {
  const { profiles, settings, log, supervisor } = services;
  const now = services.now ?? (() => new Date());

  const changed = async () => {
    if (!services.profilesChanged) return;
    try {
      services.profilesChanged(await profileList(profiles));
    } catch (error) {
      log.warn(`Could not read the profile list after a change: ${(error as Error).message}`);
    }
  };

  const mustGet = async (id: string): Promise<Profile> => {
    const p = await profiles.get(id);
    if (!p) throw new HandlerError('not-found', 'No such profile.');
    return p;
  };

  const handlers: Handlers = {
    'app.info': async () => services.info(),

    'profiles.list': async () => profileList(profiles),
    'profiles.get': async ({ id }) => mustGet(id),
    'profiles.create': async ({ profile, password }) => {
      const created = await profiles.create(profile, password);
      log.info(`Profile "${created.name}" created${password !== undefined && !created.askPasswordEveryTime ? ' (password saved in the keychain)' : ''}.`);
      await changed();
      return created;
    },
    'profiles.update': async ({ id, patch, password }) => {
      const updated = await profiles.update(id, patch, password);
      log.info(`Profile "${updated.name}" updated${typeof password === 'string' ? ' (new password saved)' : password === null ? ' (password removed)' : ''}.`);
      await changed();
      return updated;
    },
    'profiles.remove': async ({ id }) => {
      const s = supervisor.state;
      if (s.state !== 'idle' && s.state !== 'error' && s.profileId === id) {
        throw new HandlerError('busy', 'Disconnect this profile before removing it.');
      }
      const result = await profiles.remove(id);
      log.info(`Profile "${result.profile.name}" removed.`);
      if (result.secretError) log.warn(`Its keychain entry could not be deleted: ${result.secretError.message}`);
      await changed();
      return result.secretError ? { profile: result.profile, secretError: result.secretError } : { profile: result.profile };
    },
    'profiles.duplicate': async ({ id, name }) => {
      const source = await mustGet(id);
      const { id: _id, createdAt: _c, updatedAt: _u, ...settingsOnly } = source;
      const taken = new Set((await profiles.list()).map((p) => nameKey(p.name)));
      const copy = await profiles.create({ ...settingsOnly, name: name ?? uniqueName(`${source.name} (copy)`, taken) });
      log.info(`Profile "${source.name}" duplicated as "${copy.name}" (without the password).`);
      await changed();
      return copy;
    },
    'profiles.importPreview': async ({ fileName, text, contentBase64 }) => {
      const bytes = text !== undefined ? new TextEncoder().encode(text) : base64ToBytes(contentBase64 ?? '');
      const report = importFile(fileName, bytes);
      log.info(
        `Import preview of "${fileName}": ${report.format}, ${report.entries.length} entries${report.fileError ? `, ${report.fileError.code}` : ''}.`,
      );
      return {
        format: report.format,
        entries: report.entries.map((e) => ({
          sourceName: e.sourceName,
          status: e.status,
          ...(e.profile ? { profile: e.profile } : {}),
          warnings: [...e.warnings],
          ...(e.error ? { error: { ...e.error } } : {}),
        })),
        ...(report.fileError ? { fileError: { ...report.fileError } } : {}),
        fileWarnings: [...report.fileWarnings],
      };
    },
    'profiles.importApply': async ({ profiles: inputs, onConflict }) => {
      const outcomes = await profiles.importMany(inputs, { onConflict });
      const created = outcomes.filter((o) => o.status === 'created' || o.status === 'replaced').length;
      log.info(`Imported ${created} of ${inputs.length} profiles (on conflict: ${onConflict}).`);
      await changed();
      return {
        outcomes: outcomes.map((o) =>
          o.status === 'failed'
            ? {
                status: 'failed' as const,
                ...(o.name !== undefined ? { name: o.name } : {}),
                error: { code: o.error.code, message: o.error.message, ...(o.error.issues ? { issues: o.error.issues.map((i) => ({ ...i })) } : {}) },
              }
            : { ...o },
        ),
      };
    },
    'profiles.export': async ({ ids }) => {
      const chosen: Profile[] = [];
      for (const id of ids) chosen.push(await mustGet(id));
      log.info(`Exported ${chosen.length} profile(s) (no passwords).`);
      return { fileName: exportFileName(chosen, now()), text: exportProfiles(chosen, now()) };
    },
    'dialog.saveExport': async ({ fileName, text }) => {
      if (!services.saveFile) throw new HandlerError('unsupported', 'Saving files is only available in the desktop app.');
      const base = fileName.replace(/[/\\]/g, '_');
      return services.saveFile(base, text);
    },

    'secrets.set': async ({ profileId, password }) => {
      await profiles.setPassword(profileId, password);
      log.info('A password was saved in the keychain.');
      return null;
    },
    'secrets.clear': async ({ profileId }) => {
      await mustGet(profileId);
      await profiles.secrets.delete(profileId);
      log.info('A password was removed from the keychain.');
      return null;
    },
    'secrets.has': async ({ profileId }) => ({ has: (await profiles.getPassword(profileId)) !== null }),

    'tunnel.connect': async ({ profileId, password }) => {
      const profile = await mustGet(profileId);
      let secret = password;
      if (secret === undefined) {
        if (profile.askPasswordEveryTime) throw new HandlerError('password-required', `"${profile.name}" asks for the password at every connect.`);
        secret = (await profiles.getPassword(profileId)) ?? undefined;
        if (secret === undefined) throw new HandlerError('no-password', `No password is saved for "${profile.name}".`);
      }
      const release = log.secrets.hold(secret);
      try {
        const built = connectOptionsFor(profile, secret, { autoReconnect: settings.get().autoReconnect });
        if (!built.ok) throw new HandlerError('invalid-profile', built.problem.message);
        log.info(`Connecting "${profile.name}" to ${profile.server} as ${profile.username}.`, 'app', profileId);
        await supervisor.connect(profileId, built.options);
        return null;
      } finally {
        release(); // the supervisor holds its own reference for the session
      }
    },
    'tunnel.test': async ({ profileId, password, credentials }) => {
      const profile = await mustGet(profileId);
      let secret = '';
      if (credentials) {
        const given = password ?? (profile.askPasswordEveryTime ? undefined : ((await profiles.getPassword(profileId)) ?? undefined));
        if (given === undefined) {
          if (profile.askPasswordEveryTime) throw new HandlerError('password-required', `"${profile.name}" asks for the password every time.`);
          throw new HandlerError('no-password', `No password is saved for "${profile.name}".`);
        }
        secret = given;
      }
      const release = credentials ? log.secrets.hold(secret) : () => undefined;
      try {
        // Without credentials the probe hangs up before authenticating: any user name will do.
        const subject = credentials || profile.username ? profile : { ...profile, username: 'pptp-doctor' };
        const built = connectOptionsFor(subject, secret, { autoReconnect: false });
        if (!built.ok) throw new HandlerError('invalid-profile', built.problem.message);
        log.info(`Testing "${profile.name}" (${profile.server})${credentials ? ` as ${profile.username}` : ' without credentials'}.`, 'app', profileId);
        const result = await supervisor.test(profileId, built.options, credentials);
        const v = result.verdict;
        log.info(`Test of "${profile.name}": ${v.kind === 'failed' ? v.advice.title : v.summary}`, 'app', profileId);
        return result;
      } finally {
        release();
      }
    },
    'tunnel.disconnect': async () => {
      if (supervisor.state.state !== 'idle') log.info('Disconnecting.');
      await supervisor.disconnect();
      return null;
    },
    'tunnel.status': async () => ({ ...supervisor.view, events: [...supervisor.events] }),

    'settings.get': async () => settings.get(),
    'settings.set': async ({ patch }) => {
      if (patch.autoConnectProfileId) await mustGet(patch.autoConnectProfileId);
      const next = await settings.set(patch);
      log.info(`Settings changed: ${Object.keys(patch).join(', ') || 'nothing'}.`);
      return next;
    },

    'logs.get': async ({ limit }) => ({ lines: log.snapshot(0, limit).map(toWireLogLine) }),
    'logs.export': async () => {
      const lines = log
        .snapshot()
        .map((l) => `${new Date(l.time).toISOString()} ${l.level.toUpperCase().padEnd(5)} [${[l.source, l.attemptId && `attempt ${l.attemptId}`].filter(Boolean).join(' · ')}] ${l.message}`);
      return { fileName: `pptp-manager-log-${now().toISOString().slice(0, 10)}.txt`, text: lines.join('\n') + (lines.length ? '\n' : '') };
    },
    'logs.clear': async () => {
      log.clear();
      return null;
    },
    'report.create': async ({ profileId }) => {
      if (!services.createReport) throw new HandlerError('unsupported', 'Diagnostic reports are not available here.');
      if (profileId !== undefined) await mustGet(profileId);
      const report = await services.createReport(profileId);
      log.info(`Diagnostic report created${profileId !== undefined ? ' for one profile' : ''}.`);
      return report;
    },
  };

  return guardSecrets(handlers, log);
}

/**
 * Wraps every handler so that, while it runs, the password in its request (if any) is a known
 * secret, and a failure leaves as a plain {code, message, issues} with that password and every
 * other held secret redacted from the message.
 */
function guardSecrets(handlers: Handlers, log: LogBuffer): Handlers {
  const wrapped: Record<string, (req: unknown, ctx: HandlerContext) => Promise<unknown>> = {};
  for (const [channel, handler] of Object.entries(handlers) as [string, (req: unknown, ctx: HandlerContext) => Promise<unknown>][]) {
    wrapped[channel] = async (req, ctx) => {
      const pw = (req as { password?: unknown } | null)?.password;
      const release = typeof pw === 'string' ? log.secrets.hold(pw) : () => undefined;
      try {
        return await handler(req, ctx);
      } catch (error) {
        const e: IpcError = toIpcError(error);
        const message = log.secrets.redact(e.message);
        if (e.code === 'internal') log.error(`${channel} failed: ${log.secrets.redact(error instanceof Error ? error.message : String(error))}`);
        throw new HandlerError(e.code, message, e.issues?.map((i) => ({ path: i.path, message: log.secrets.redact(i.message) })));
      } finally {
        release();
      }
    };
  }
  return wrapped as unknown as Handlers;
}
