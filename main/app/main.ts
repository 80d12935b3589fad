/**
 * The Electron main process entry (bundled to dist/app/main.js by scripts/build.mjs). A thin
 * adapter: everything testable lives in core.ts (stores, handlers, supervisor) and the pure
 * models (tray-model.ts, notifications-model.ts, security-policy.ts); this file and
 * main/app/electron/* are the only ones that import 'electron'.
 *
 * Startup: single-instance lock (a second launch focuses the first window) -> sandbox for all
 * renderers -> session hardening -> core -> IPC (sender-checked) -> events to windows -> tray ->
 * window (hidden when "start minimised") -> settings applied (launch at login) -> auto-connect.
 * Quit (tray, menu, signal): the tunnel is disconnected cleanly and the service stopped first.
 */
import { app, BrowserWindow, dialog, ipcMain, nativeImage, session } from 'electron';
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { createAppCore, type AppCore } from './core';
import { TrayController } from './electron/tray';
import { createMainWindow } from './electron/window';
import { hardenSession, hardenWebContents } from './electron/hardening';
import { showNotification } from './electron/notifications';
import { appPaths } from './electron/paths';
import { appIconPixels } from './icons/draw';
import { encodePng } from './icons/png';
import { registerIpc } from './ipc/register';
import type { SenderPolicy } from './ipc/sender';
import { notificationFor } from './notifications-model';
import { devToolsAllowed } from './security-policy';
import { developerOverrides } from './dev-overrides';
import { saveDialogDefaultPath } from './save-path';
import { chooseServiceCommand, currentPrivilegeFacts, DEFAULT_LAUNCHER_PATH, isPrivileged, LINUX_SERVICE_SOCKET, privilegeModeOf, type ServiceCommand } from './supervisor/launch';
import type { TrayAction } from './tray-model';
import type { TunnelState } from '../../preload/contract';

const QUIT_TIMEOUT_MS = 8_000;

// Developer overrides (dev-overrides.ts): none has any effect in a packaged build, and there
// they are removed from the environment before a service process could inherit them.
const overrides = developerOverrides(process.env, app.isPackaged);
for (const name of overrides.scrub) delete process.env[name];

function serviceCommand(paths: ReturnType<typeof appPaths>): ServiceCommand {
  // PPTP_SERVICE_SOCKET (development): a daemon started by hand with `--listen <path>`.
  if (overrides.serviceSocket) return { mode: 'socket', socketPath: overrides.serviceSocket };
  // PPTP_SERVICE_COMMAND (development): a JSON array, e.g. ["node","--import","tsx","main/service/main.ts"].
  const custom = overrides.serviceCommand;
  if (custom) return { mode: 'custom', command: custom[0] ?? 'node', args: custom.slice(1) };
  return chooseServiceCommand(
    currentPrivilegeFacts(),
    {
      execPath: process.execPath,
      isElectron: true,
      serviceScript: paths.serviceScript,
      launcherPath: overrides.serviceLauncher ?? DEFAULT_LAUNCHER_PATH,
    },
    process.platform === 'linux' && isSocketFile(LINUX_SERVICE_SOCKET),
  );
}

/** Whether a Linux service daemon's socket is there (then the app uses it instead of pkexec). */
function isSocketFile(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

async function start(): Promise<void> {
  const paths = appPaths(import.meta.url, process.env, app.isPackaged);
  const policy: SenderPolicy = {
    isOurWindow: (id) => BrowserWindow.getAllWindows().some((w) => !w.isDestroyed() && w.webContents.id === id),
    appUrl: paths.rendererUrl,
    ...(paths.devServerUrl ? { devServerOrigin: new URL(paths.devServerUrl).origin } : {}),
  };
  await app.whenReady();
  hardenSession(session.defaultSession);

  const privileged = isPrivileged(currentPrivilegeFacts());
  const core: AppCore = await createAppCore({
    userDataDir: app.getPath('userData'),
    serviceCommand: () => serviceCommand(paths),
    info: () => ({
      name: app.getName(),
      version: app.getVersion(),
      platform: process.platform,
      arch: process.arch,
      privilegeMode: privilegeModeOf(serviceCommand(paths), process.platform),
      ...(process.platform !== 'linux' && process.platform !== 'darwin' && !privileged
        ? { privilegeNote: 'Run the app as administrator: this platform has no pkexec and no helper yet.' }
        : {}),
      canSaveFiles: true,
    }),
    saveFile: async (fileName, text) => {
      const owner = BrowserWindow.getFocusedWindow() ?? undefined;
      const options = { defaultPath: saveDialogDefaultPath(app.getPath('documents'), fileName) };
      const r = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      if (r.canceled || !r.filePath) return { saved: false };
      await fs.writeFile(r.filePath, text, { encoding: 'utf8', mode: 0o600 });
      return { saved: true, path: r.filePath };
    },
  });
  const log = (m: string) => core.log.warn(m);
  if (overrides.ignored.length) log(`Packaged build: developer overrides ignored (${overrides.ignored.join(', ')}).`);
  hardenWebContents(app, policy, log);
  registerIpc(ipcMain, core.handlers, policy, { onRefused: (channel, why) => core.log.warn(`Refused IPC ${channel}: ${why}`) });
  core.wire((channel, payload) => {
    for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(channel, payload);
  });

  let quitting = false;
  let window: BrowserWindow | undefined;
  const devTools = devToolsAllowed(app.isPackaged, process.env);
  const appIcon = nativeImage.createFromBuffer(encodePng(256, 256, appIconPixels(256)));
  const showWindow = () => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow({ paths, devTools, show: true, icon: appIcon, hideOnClose: () => !quitting && tray !== undefined });
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  const onTrayAction = (action: TrayAction) => {
    switch (action.kind) {
      case 'connect':
        void core.handlers['tunnel.connect']({ profileId: action.profileId }, {}).catch((e: Error) => {
          core.log.warn(`Connect from the tray failed: ${e.message}`);
          if ((e as { code?: string }).code === 'password-required' || (e as { code?: string }).code === 'no-password') showWindow();
        });
        break;
      case 'disconnect':
        void core.handlers['tunnel.disconnect']({}, {}).catch(() => undefined);
        break;
      case 'open-window':
        showWindow();
        break;
      case 'quit':
        app.quit();
        break;
    }
  };
  let tray: TrayController | undefined;
  try {
    tray = new TrayController(onTrayAction);
  } catch (error) {
    core.log.warn(`No tray on this desktop: ${(error as Error).message}`);
  }
  let knownProfiles = await core.profiles.list();
  tray?.update({ profiles: knownProfiles });
  core.onProfilesChanged((list) => {
    knownProfiles = list.profiles;
    tray?.update({ profiles: list.profiles });
  });

  // The tray says for how long the tunnel has been up: the latest stats carry the uptime.
  core.supervisor.onView((v) => tray?.updateUptime(v.attempt?.stats?.uptimeMs));

  let prev: TunnelState = core.supervisor.state;
  core.supervisor.onState((next) => {
    tray?.update({ state: next });
    const spec = core.settings.get().notifications ? notificationFor(prev, next, knownProfiles) : undefined;
    prev = next;
    if (spec) showNotification(spec, showWindow);
  });

  // Settings applied now and on every change.
  const applySettings = () => {
    const s = core.settings.get();
    if (process.platform !== 'linux') app.setLoginItemSettings({ openAtLogin: s.launchAtLogin });
    else void applyLinuxAutostart(s.launchAtLogin, core);
  };
  applySettings();
  core.settings.onChange(applySettings);

  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  app.on('window-all-closed', () => {
    if (!tray) app.quit(); // with a tray the app keeps running
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    core.log.info('Quitting: disconnecting the tunnel and stopping the service.');
    void core.shutdown(QUIT_TIMEOUT_MS).finally(() => {
      tray?.destroy();
      app.exit(0);
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  const startHidden = core.settings.get().startMinimised && tray !== undefined;
  window = createMainWindow({ paths, devTools, show: !startHidden, icon: appIcon, hideOnClose: () => !quitting && tray !== undefined });
  await core.autoConnect();
}

/**
 * Linux has no login-item API in Electron: write (or remove) an XDG autostart entry, as
 * desktop environments expect (~/.config/autostart/pptp-manager.desktop).
 */
async function applyLinuxAutostart(enabled: boolean, core: AppCore): Promise<void> {
  const dir = path.join(app.getPath('appData'), 'autostart');
  const file = path.join(dir, 'pptp-manager.desktop');
  try {
    if (!enabled) {
      await fs.rm(file, { force: true });
      return;
    }
    await fs.mkdir(dir, { recursive: true });
    const exec = process.env.APPIMAGE ?? process.execPath;
    await fs.writeFile(file, `[Desktop Entry]\nType=Application\nName=PPTP Manager\nExec="${exec}"\nX-GNOME-Autostart-enabled=true\n`, 'utf8');
  } catch (error) {
    core.log.warn(`Could not change the autostart entry: ${(error as Error).message}`);
  }
}

// Development and tests: a separate profile dir (set before the single-instance lock, which lives there).
if (overrides.userDataDir) app.setPath('userData', overrides.userDataDir);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  start().catch((error: unknown) => {
    dialog.showErrorBox('PPTP Manager could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
