/**
 * The main window: hardened webPreferences (security-policy.ts), shown when ready (or kept hidden
 * when starting minimised to the tray), hidden instead of closed while the tray lives.
 */
import { BrowserWindow } from 'electron';
import { secureWebPreferences } from '../security-policy';
import type { AppPaths } from './paths';

export interface WindowOptions {
  readonly paths: AppPaths;
  readonly devTools: boolean;
  readonly show: boolean;
  readonly icon?: Electron.NativeImage;
  /** While true, closing the window hides it (the app lives on in the tray). */
  readonly hideOnClose: () => boolean;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1040,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'PPTP Manager',
    backgroundColor: '#1e1f22',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: secureWebPreferences(options.paths.preload, options.devTools),
  });
  win.removeMenu();
  win.once('ready-to-show', () => {
    if (options.show) win.show();
  });
  win.on('close', (event) => {
    if (options.hideOnClose()) {
      event.preventDefault();
      win.hide();
    }
  });
  if (options.paths.devServerUrl) void win.loadURL(options.paths.devServerUrl);
  else void win.loadFile(options.paths.rendererIndex);
  if (options.devTools) win.webContents.openDevTools({ mode: 'detach' });
  return win;
}
