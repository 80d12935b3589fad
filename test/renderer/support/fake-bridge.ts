/**
 * An in-memory PptpBridge for renderer tests: a Handlers implementation of the contract (so
 * the type system checks it against the same table main implements), run through the
 * contract's dispatchInvoke (so requests are validated exactly as main validates them), plus
 * `emit` to push events. Every call is recorded. It is a test double for units only; the real
 * main handlers are exercised end to end elsewhere.
 *
 * The tunnel is NOT faked: tests feed service events (`serviceEvent`) and supervisor inputs
 * (`tunnelInput`) to main's own reducer (main/app/tunnel/tunnel-view.ts), and the fake pushes
 * on tunnel.state exactly what main would push. Only the advice table is the fake's own
 * (`advice`), so tests can name the words they expect.
 */
import {
  DEFAULT_SETTINGS,
  dispatchInvoke,
  validateEvent,
  validateResponse,
  type EventChannel,
  type EventPayload,
  type Handlers,
  type ImportReport,
  type InvokeChannel,
  type LogLine,
  type PptpBridge,
  type Settings,
  type TunnelState,
  type Advice,
} from '../../../preload/contract';
import { ProfileSettingsSchema, type Profile, type ProfileInput } from '../../../preload/schema/profile';
import type { TunnelEvent } from '../../../preload/schema/tunnel';
import type { DoctorResult } from '../../../preload/schema/doctor';
import type { FailureReason } from '../../../preload/vocabulary';
import { foldTunnel, INITIAL_TUNNEL_STATUS, viewOf, type TunnelInput, type TunnelStatus } from '../../../main/app/tunnel/tunnel-view';

export interface RecordedCall {
  channel: string;
  request: unknown;
}

class FakeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let idCounter = 0;
export function fakeId(): string {
  idCounter += 1;
  return `00000000-0000-4000-8000-${idCounter.toString(16).padStart(12, '0')}`;
}

export function makeProfile(input: ProfileInput & { id?: string }): Profile {
  const settings = ProfileSettingsSchema.parse(input);
  return { ...settings, id: input.id ?? fakeId(), createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z' };
}

export class FakeMain {
  profiles: Profile[] = [];
  passwords = new Map<string, string>();
  settings: Settings = { ...DEFAULT_SETTINGS };
  logs: LogLine[] = [];
  /** Main's fold of the tunnel; read `tunnel` for its state. */
  tunnelStatus: TunnelStatus = INITIAL_TUNNEL_STATUS;
  /** The doctor's words per reason (default: "Advice title for <reason>" / "Advice fix for <reason>"). */
  advice: Partial<Record<FailureReason, Advice>> = {};
  calls: RecordedCall[] = [];
  /** Set to make profiles.importPreview answer this report. */
  importReport: ImportReport = { format: 'unknown', entries: [], fileWarnings: [] };
  /** Per-channel forced failures: { code, message }. */
  failures = new Map<InvokeChannel, { code: string; message: string; issues?: { path: string; message: string }[] }>();
  canSaveFiles = true;
  /** What tunnel.test answers: its steps are pushed one by one on tunnel.testStep first. */
  testResult: DoctorResult = { steps: [], verdict: { kind: 'works', credentialsTested: true, summary: 'the server works.' } };
  savedFiles: { fileName: string; text: string }[] = [];
  private listeners = new Map<string, Set<(payload: unknown) => void>>();

  readonly handlers: Handlers<unknown> = {
    'app.info': async () => ({
      name: 'PPTP Manager',
      version: '0.1.0-test',
      platform: 'linux',
      arch: 'x64',
      privilegeMode: 'in-process',
      canSaveFiles: this.canSaveFiles,
    }),
    'profiles.list': async () => ({ profiles: this.profiles, readOnly: false, problems: [] }),
    'profiles.get': async ({ id }) => this.find(id),
    'profiles.create': async ({ profile, password }) => {
      this.assertNameFree(profile.name);
      const created = makeProfile(profile);
      this.profiles = [...this.profiles, created];
      if (password !== undefined && !created.askPasswordEveryTime) this.passwords.set(created.id, password);
      this.changed();
      return created;
    },
    'profiles.update': async ({ id, patch, password }) => {
      const current = this.find(id);
      if (patch.name !== undefined) this.assertNameFree(patch.name, id);
      const { id: _i, createdAt: _c, updatedAt: _u, ...settings } = current;
      const next = { ...makeProfile({ ...settings, ...patch, id }), createdAt: current.createdAt };
      this.profiles = this.profiles.map((p) => (p.id === id ? next : p));
      if (password === null || next.askPasswordEveryTime) this.passwords.delete(id);
      else if (typeof password === 'string') this.passwords.set(id, password);
      this.changed();
      return next;
    },
    'profiles.remove': async ({ id }) => {
      const profile = this.find(id);
      this.profiles = this.profiles.filter((p) => p.id !== id);
      this.passwords.delete(id);
      this.changed();
      return { profile };
    },
    'profiles.duplicate': async ({ id, name }) => {
      const { id: _i, createdAt: _c, updatedAt: _u, ...settings } = this.find(id);
      const copy = makeProfile({ ...settings, name: name ?? `${settings.name} (copy)` });
      this.profiles = [...this.profiles, copy];
      this.changed();
      return copy;
    },
    'profiles.importPreview': async () => this.importReport,
    'profiles.importApply': async ({ profiles, onConflict }) => {
      const outcomes = profiles.map((p) => {
        const clash = this.profiles.find((q) => q.name.toLowerCase() === p.name.toLowerCase());
        if (clash && onConflict === 'skip') return { status: 'skipped' as const, name: p.name, reason: 'A profile with this name exists' };
        if (clash && onConflict === 'replace') {
          const replaced = makeProfile({ ...p, id: clash.id });
          this.profiles = this.profiles.map((q) => (q.id === clash.id ? replaced : q));
          return { status: 'replaced' as const, profile: replaced };
        }
        const name = clash ? `${p.name} (2)` : p.name;
        const created = makeProfile({ ...p, name });
        this.profiles = [...this.profiles, created];
        return clash ? { status: 'created' as const, profile: created, renamedFrom: p.name } : { status: 'created' as const, profile: created };
      });
      this.changed();
      return { outcomes };
    },
    'profiles.export': async ({ ids }) => {
      const chosen = ids.map((id) => this.find(id));
      const text = JSON.stringify({ format: 'pptp-manager', version: 1, profiles: chosen.map((p) => ProfileSettingsSchema.parse(p)) });
      return { fileName: chosen.length === 1 ? `${chosen[0]?.name}.pptp.json` : 'pptp-profiles.pptp.json', text };
    },
    'dialog.saveExport': async ({ fileName, text }) => {
      this.savedFiles.push({ fileName, text });
      return { saved: true, path: `/home/user/${fileName}` };
    },
    'secrets.set': async ({ profileId, password }) => {
      this.find(profileId);
      this.passwords.set(profileId, password);
      return null;
    },
    'secrets.clear': async ({ profileId }) => {
      this.passwords.delete(profileId);
      return null;
    },
    'secrets.has': async ({ profileId }) => ({ has: this.passwords.has(profileId) }),
    'tunnel.connect': async ({ profileId, password }) => {
      const profile = this.find(profileId);
      if (profile.askPasswordEveryTime && password === undefined) throw new FakeError('password-required', 'This profile needs a password.');
      if (!profile.askPasswordEveryTime && password === undefined && !this.passwords.has(profileId)) {
        throw new FakeError('no-password', 'No password is stored for this profile.');
      }
      if (this.tunnel.state === 'connecting' || this.tunnel.state === 'connected' || this.tunnel.state === 'disconnecting') {
        throw new FakeError('busy', 'A tunnel is already up or connecting; disconnect it first.');
      }
      this.tunnelInput({ kind: 'connect-requested', profileId });
      return null;
    },
    'tunnel.disconnect': async () => {
      if (this.tunnel.state === 'idle') throw new FakeError('not-connected', 'Not connected');
      if (this.tunnel.state === 'error') {
        this.tunnelInput({ kind: 'ended' });
        return null;
      }
      // As the supervisor and the service do: disconnecting, then the service reports the end.
      this.tunnelInput({ kind: 'disconnect-requested' });
      this.serviceEvent({ event: 'disconnected', reason: 'local-disconnect', restored: true });
      return null;
    },
    'tunnel.test': async ({ profileId, password, credentials }) => {
      const profile = this.find(profileId);
      if (credentials && password === undefined) {
        if (profile.askPasswordEveryTime) throw new FakeError('password-required', 'This profile needs a password.');
        if (!this.passwords.has(profileId)) throw new FakeError('no-password', 'No password is stored for this profile.');
      }
      if (this.tunnel.state === 'connecting' || this.tunnel.state === 'connected' || this.tunnel.state === 'disconnecting') {
        throw new FakeError('busy', 'A tunnel is up or connecting: disconnect it before testing.');
      }
      for (const step of this.testResult.steps) this.emit('tunnel.testStep', { profileId, step });
      return this.testResult;
    },
    'tunnel.status': async () => ({ ...viewOf(this.tunnelStatus), events: this.tunnelStatus.events }),
    'settings.get': async () => this.settings,
    'settings.set': async ({ patch }) => {
      this.settings = { ...this.settings, ...patch };
      return this.settings;
    },
    'logs.get': async ({ limit }) => ({ lines: limit ? this.logs.slice(-limit) : this.logs }),
    'logs.export': async () => ({ fileName: 'pptp-manager.log', text: this.logs.map((l) => l.message).join('\n') }),
    'logs.clear': async () => {
      this.logs = [];
      return null;
    },
    'report.create': async ({ profileId }) => ({
      fileName: 'pptp-manager-report.txt',
      text: `PPTP Manager diagnostic report\nprofile: ${profileId ?? 'all'}\n${this.logs.map((l) => l.message).join('\n')}\n`,
    }),
  };

  readonly bridge: PptpBridge = {
    invoke: async (channel, request) => {
      this.calls.push({ channel, request });
      const forced = this.failures.get(channel);
      if (forced) return { ok: false, error: forced };
      const reply = await dispatchInvoke(this.handlers, channel, request, undefined);
      if (reply.ok) {
        // The fake must honour the contract it stands in for.
        const checked = validateResponse(channel, reply.value);
        if (!checked.ok) throw new Error(`fake answered ${channel} outside the contract: ${checked.error.message}`);
      }
      return reply as never;
    },
    on: (channel, listener) => {
      const set = this.listeners.get(channel) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      this.listeners.set(channel, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };

  /** Pushes an event, validated against the contract first. */
  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void {
    const checked = validateEvent(channel, payload);
    if (!checked.ok) throw new Error(`test emitted an invalid ${channel}: ${checked.error.message}`);
    for (const l of this.listeners.get(channel) ?? []) l(checked.value);
  }

  listenerCount(channel: EventChannel): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  callsTo(channel: InvokeChannel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request);
  }

  get tunnel(): TunnelState {
    return this.tunnelStatus.state;
  }

  /** Folds one supervisor input with main's reducer and pushes the view when it changed. */
  tunnelInput(input: TunnelInput): void {
    const prev = this.tunnelStatus;
    this.tunnelStatus = foldTunnel(prev, input, { adviceFor: (reason) => this.advice[reason] ?? { title: `Advice title for ${reason}`, fix: `Advice fix for ${reason}` } });
    if (this.tunnelStatus.state !== prev.state || this.tunnelStatus.attempt !== prev.attempt) this.emit('tunnel.state', viewOf(this.tunnelStatus));
  }

  /** An event from the tunnel service, for the tunnel of the current profile. */
  serviceEvent(event: TunnelEvent): void {
    this.tunnelInput({ kind: 'service-event', event });
  }

  /** A connect main accepted for this profile (without the handler's checks). */
  startAttempt(profileId: string): void {
    this.tunnelInput({ kind: 'connect-requested', profileId });
  }

  addProfile(input: ProfileInput & { id?: string }, password?: string): Profile {
    const p = makeProfile(input);
    this.profiles = [...this.profiles, p];
    if (password) this.passwords.set(p.id, password);
    return p;
  }

  private find(id: string): Profile {
    const p = this.profiles.find((q) => q.id === id);
    if (!p) throw new FakeError('not-found', `No profile with id ${id}`);
    return p;
  }

  private assertNameFree(name: string, exceptId?: string): void {
    if (this.profiles.some((p) => p.id !== exceptId && p.name.toLowerCase() === name.trim().toLowerCase())) {
      throw new FakeError('name-taken', `A profile named "${name}" already exists`);
    }
  }

  private changed(): void {
    this.emit('profiles.changed', { profiles: this.profiles, readOnly: false, problems: [] });
  }
}
