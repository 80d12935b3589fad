/**
 * The tray icon and menu: renders tray-model.ts's template into an Electron Menu and the state
 * icon (drawn in code, icons/draw.ts) into a nativeImage, and rebuilds both on every tunnel state
 * or profile-list change.
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { TunnelState } from '../../../preload/contract';
import type { Profile } from '../../../preload/schema/profile';
import { trayIconPixels } from '../icons/draw';
import { encodePng } from '../icons/png';
import { buildTrayMenu, trayIconState, trayTooltip, type TrayAction, type TrayIconState } from '../tray-model';

const icons = new Map<TrayIconState, NativeImage>();
function iconFor(state: TrayIconState): NativeImage {
  let img = icons.get(state);
  if (!img) {
    img = nativeImage.createFromBuffer(encodePng(16, 16, trayIconPixels(state, 16)));
    img.addRepresentation({ scaleFactor: 2, buffer: encodePng(32, 32, trayIconPixels(state, 32)) });
    icons.set(state, img);
  }
  return img;
}

export class TrayController {
  private readonly tray: Tray;
  private state: TunnelState = { state: 'idle' };
  private profiles: Pick<Profile, 'id' | 'name'>[] = [];
  private uptimeMs: number | undefined;
  private shownLine = '';

  constructor(private readonly onAction: (action: TrayAction) => void) {
    this.tray = new Tray(iconFor('disconnected'));
    this.tray.on('click', () => onAction({ kind: 'open-window' }));
    this.render();
  }

  update(patch: { state?: TunnelState; profiles?: readonly Pick<Profile, 'id' | 'name'>[] }): void {
    if (patch.state) this.state = patch.state;
    if (patch.profiles) this.profiles = patch.profiles.map((p) => ({ id: p.id, name: p.name }));
    this.render();
  }

  /** The tunnel's uptime from its stats: the menu is rebuilt only when the line's words change (once a minute). */
  updateUptime(uptimeMs: number | undefined): void {
    this.uptimeMs = uptimeMs;
    if (trayTooltip(this.state, this.profiles, uptimeMs) !== this.shownLine) this.render();
  }

  destroy(): void {
    this.tray.destroy();
  }

  private render(): void {
    const uptime = this.state.state === 'connected' ? this.uptimeMs : undefined;
    const template: MenuItemConstructorOptions[] = buildTrayMenu(this.state, this.profiles, uptime).map((item) => {
      if (item.type === 'separator') return { type: 'separator' };
      const action = item.action;
      return {
        label: item.label,
        enabled: item.enabled,
        ...(item.checked !== undefined ? { type: 'checkbox' as const, checked: item.checked } : {}),
        ...(action ? { click: () => this.onAction(action) } : {}),
      };
    });
    this.tray.setImage(iconFor(trayIconState(this.state)));
    this.shownLine = trayTooltip(this.state, this.profiles, uptime);
    this.tray.setToolTip(this.shownLine);
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }
}
