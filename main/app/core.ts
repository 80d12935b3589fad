/**
 * The app's main-process core, without Electron: opens the stores, builds the log, the tunnel
 * supervisor and the IPC handlers, and wires push events to a publisher. The Electron adapter
 * (main.ts) and the GUI tests' server (test/gui/support/server.ts) both call createAppCore, so
 * the end-to-end tests drive exactly the handlers the app registers.
 *
 * Log wiring (main/app/log): the lines of earlier runs are read back from `<userData>/logs` first,
 * every new (already redacted) line is appended there, and each line is tagged with the
 * connection attempt it belongs to by an AttemptTracker that watches the supervisor's states.
 * The same tracker keeps the last attempts' timelines for the diagnostic report (report.create).
 */
import type { AppInfo, EventChannel, EventPayload, ProfileList } from '../../preload/contract';
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { createHandlers, profileList, type AppServices } from './ipc/handlers';
import { wireEvents, type Publisher } from './ipc/events';
import { AttemptTracker } from './log/attempt-tracker';
import { buildReport, reportFileName } from './log/diagnostic-report';
import { DEFAULT_LOG_CAPACITY, LogBuffer } from './log/log-buffer';
import { LogFile } from './log/log-file';
import { systemFacts } from './log/system-facts';
import { RedactingSecretStore } from './log/redacting-secret-store';
import { ProfileStore } from '../profiles/store/profile-store';
import { ProfileService } from '../profiles/profile-service';
import { KeytarSecretStore } from '../profiles/keychain/keytar-secret-store';
import type { SecretStore } from '../profiles/keychain/secret-store';
import { SettingsStore } from './settings/settings-store';
import type { ServiceCommand } from './supervisor/launch';
import { TunnelSupervisor, type TunnelSupervisorOptions } from './supervisor/tunnel-supervisor';

export interface AppCoreOptions {
  /** Where profiles.json and settings.json live (Electron: app.getPath('userData')). */
  readonly userDataDir: string;
  /** Default: the OS keychain through keytar. */
  readonly secrets?: SecretStore;
  readonly serviceCommand: ServiceCommand | (() => ServiceCommand);
  readonly info: () => AppInfo;
  readonly saveFile?: AppServices['saveFile'];
  readonly log?: LogBuffer;
  readonly supervisor?: Partial<Omit<TunnelSupervisorOptions, 'command' | 'log'>>;
}

export interface AppCore {
  readonly services: AppServices;
  readonly handlers: ReturnType<typeof createHandlers>;
  readonly log: LogBuffer;
  readonly supervisor: TunnelSupervisor;
  readonly settings: SettingsStore;
  readonly profiles: ProfileService;
  /** The log on disk (its directory, its files). */
  readonly logFile: LogFile;
  /** Connection attempts as the log knows them. */
  readonly attempts: AttemptTracker;
  /** Subscribes to profile-list changes made through the handlers. */
  onProfilesChanged(listener: (list: ProfileList) => void): () => void;
  /** Starts pushing events to `publish`; returns the function that stops it. */
  wire(publish: Publisher): () => void;
  /** Connects settings.autoConnectProfileId, if any (launch). Failures are logged, not thrown. */
  autoConnect(): Promise<void>;
  /** Quit: disconnect cleanly and stop the service. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** Changes to profiles.json by another process (pptpctl, a second app) are announced after this pause. */
export const PROFILE_WATCH_DEBOUNCE_MS = 250;

export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const log = options.log ?? new LogBuffer();
  const logFile = new LogFile(options.userDataDir);
  log.restore(logFile.readLast(DEFAULT_LOG_CAPACITY));
  log.onLine((line) => {
    const failedBefore = logFile.failure;
    logFile.append(line);
    if (logFile.failure !== undefined && failedBefore === undefined) log.warn(logFile.failure);
  });
  log.onClear(() => logFile.clear());
  const attempts = new AttemptTracker();
  log.setTagger((line) => attempts.tag(line));
  log.info(`PPTP Manager ${options.info().version} started.`);
  const store = await ProfileStore.open(options.userDataDir);
  for (const p of store.problems) log.warn(`Profiles: ${p.message}`);
  store.onProblem((p) => log.warn(`Profiles: ${p.message}`));
  const secrets = new RedactingSecretStore(options.secrets ?? new KeytarSecretStore(), log.secrets);
  const profiles = new ProfileService(store, secrets);
  const settings = await SettingsStore.open(options.userDataDir);
  if (settings.problem) log.warn(settings.problem);
  const supervisor = new TunnelSupervisor({ ...(options.supervisor ?? {}), command: options.serviceCommand, log });
  supervisor.onState((state) => attempts.onState(state));
  supervisor.onView((view) => attempts.onAttempt(view.attempt));
  const listeners = new Set<(list: ProfileList) => void>();
  const services: AppServices = {
    profiles,
    settings,
    log,
    supervisor,
    info: options.info,
    ...(options.saveFile ? { saveFile: options.saveFile } : {}),
    createReport: async (profileId) => {
      const now = new Date();
      const text = buildReport({
        now,
        info: options.info(),
        system: systemFacts(),
        settings: settings.get(),
        profiles: await profiles.list(),
        ...(profileId !== undefined ? { only: profileId } : {}),
        attempts: attempts.attempts(),
        lines: log.snapshot(),
        redact: (t) => log.secrets.redact(t),
      });
      return { fileName: reportFileName(now), text };
    },
    profilesChanged: (list) => {
      for (const l of listeners) l(list);
    },
  };
  const handlers = createHandlers(services);
  // pptpctl edits the same file: watch the directory and announce outside changes too.
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  try {
    watcher = watch(options.userDataDir, { persistent: false }, (_event, name) => {
      if (name !== path.basename(store.filePath)) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        void profileList(profiles)
          .then((list) => services.profilesChanged?.(list))
          .catch(() => undefined);
      }, PROFILE_WATCH_DEBOUNCE_MS);
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined; // no file watching here: changes from other processes show on the next reload
  }
  const core: AppCore = {
    services,
    handlers,
    log,
    supervisor,
    settings,
    profiles,
    logFile,
    attempts,
    onProfilesChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wire(publish) {
      return wireEvents({ supervisor, log, settings, onProfilesChanged: core.onProfilesChanged }, publish);
    },
    async autoConnect() {
      const id = settings.get().autoConnectProfileId;
      if (!id) return;
      try {
        await handlers['tunnel.connect']({ profileId: id }, {});
      } catch (error) {
        log.warn(`Auto-connect at launch failed: ${(error as Error).message}`);
      }
    },
    async shutdown(timeoutMs) {
      clearTimeout(debounce);
      watcher?.close();
      await supervisor.stop(timeoutMs !== undefined ? { timeoutMs } : {});
      logFile.close();
    },
  };
  return core;
}

export type { Publisher, EventChannel, EventPayload };
