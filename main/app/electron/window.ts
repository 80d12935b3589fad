/**
 * The main window: hardened webPreferences (security-policy.ts), shown when ready (or kept hidden
 * when starting minimised to the tray), hidden instead of closed while the tray lives. Its size,
 * position and maximised state come from window-state.ts (remembered in userData, brought back
 * onto a display) and are saved when they change and when the window closes. Unsaved editor
 * changes are asked about before a close or quit (unload-guard.ts).
 */
import { app, BrowserWindow, dialog, screen } from 'electron';
import { secureWebPreferences } from '../security-policy';
import type { AppPaths } from './paths';
import { UNLOAD_GUARD_DIALOG, unloadProceeds } from './unload-guard';
import { loadWindowState, MIN_WINDOW_SIZE, placeWindow, saveWindowState, type DisplayArea } from './window-state';

export interface WindowOptions {
  readonly paths: AppPaths;
  readonly devTools: boolean;
  readonly show: boolean;
  readonly icon?: Electron.NativeImage;
  /** While true, closing the window hides it (the app lives on in the tray). */
  readonly hideOnClose: () => boolean;
}

/** Moves and resizes come in bursts: the state is written this long after the last one. */
const SAVE_DELAY_MS = 500;

function displayAreas(): DisplayArea[] {
  const primaryId = screen.getPrimaryDisplay().id;
  return screen.getAllDisplays().map((d) => ({ workArea: d.workArea, primary: d.id === primaryId }));
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const stateDir = app.getPath('userData');
  const placement = placeWindow(loadWindowState(stateDir), displayAreas());
  const win = new BrowserWindow({
    width: placement.width,
    height: placement.height,
    ...(placement.x !== undefined && placement.y !== undefined ? { x: placement.x, y: placement.y } : {}),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'PPTP Manager',
    backgroundColor: '#1e1f22',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: secureWebPreferences(options.paths.preload, options.devTools),
  });
  win.removeMenu();
  // Maximised on its first showing (also when it starts in the tray and is opened later).
  if (placement.maximised) win.once('show', () => win.maximize());

  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    saveWindowState(stateDir, { bounds: win.getNormalBounds(), maximised: win.isMaximized() });
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
    timer.unref();
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', save);
  win.on('unmaximize', save);

  win.once('ready-to-show', () => {
    if (options.show) win.show();
  });
  win.on('close', (event) => {
    save();
    if (options.hideOnClose()) {
      event.preventDefault();
      win.hide();
    }
  });
  // The editor refuses to unload while a profile has unsaved changes: ask, instead of silently
  // ignoring the close or the tray's Quit (unload-guard.ts).
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, { ...UNLOAD_GUARD_DIALOG, buttons: [...UNLOAD_GUARD_DIALOG.buttons] });
    if (unloadProceeds(choice)) event.preventDefault();
  });
  if (options.paths.devServerUrl) void win.loadURL(options.paths.devServerUrl);
  else void win.loadFile(options.paths.rendererIndex);
  if (options.devTools) win.webContents.openDevTools({ mode: 'detach' });
  return win;
}
