/**
 * The app's icons, drawn in code: a padlock on a coloured disc for the four tray states and on a
 * rounded square for the application icon. Shapes are tested per pixel with 4x4 supersampling
 * for smooth edges. Pure (returns RGBA pixels); png.ts encodes them.
 */
import type { TrayIconState } from '../tray-model';

type Rgb = readonly [number, number, number];

export const TRAY_COLOURS: Readonly<Record<TrayIconState, Rgb>> = {
  disconnected: [128, 128, 128],
  connecting: [230, 160, 20],
  connected: [40, 160, 70],
  error: [210, 45, 45],
};
const APP_BLUE: Rgb = [43, 108, 176];
const WHITE: Rgb = [255, 255, 255];

/** The padlock in unit coordinates (0..1). */
function inLock(x: number, y: number): boolean {
  const body = x >= 0.3 && x <= 0.7 && y >= 0.46 && y <= 0.78 && roundedCorner(x, y, 0.3, 0.46, 0.7, 0.78, 0.05);
  const dx = x - 0.5;
  const dy = y - 0.46;
  const r = Math.hypot(dx, dy);
  const shackle = y <= 0.46 && r >= 0.1 && r <= 0.16;
  const legs = y > 0.4 && y <= 0.48 && ((x >= 0.34 && x <= 0.4) || (x >= 0.6 && x <= 0.66));
  const keyhole = Math.hypot(x - 0.5, y - 0.59) <= 0.045 || (Math.abs(x - 0.5) <= 0.018 && y >= 0.59 && y <= 0.69);
  return (body || shackle || legs) && !keyhole;
}

function roundedCorner(x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number): boolean {
  const cx = x < x0 + r ? x0 + r : x > x1 - r ? x1 - r : x;
  const cy = y < y0 + r ? y0 + r : y > y1 - r ? y1 - r : y;
  return Math.hypot(x - cx, y - cy) <= r;
}

function render(size: number, background: (x: number, y: number) => boolean, bg: Rgb): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let cover = 0;
      let white = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          if (background(x, y)) {
            cover++;
            if (inLock(x, y)) white++;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (cover === 0) continue;
      const w = white / cover;
      out[i] = Math.round(bg[0] * (1 - w) + WHITE[0] * w);
      out[i + 1] = Math.round(bg[1] * (1 - w) + WHITE[1] * w);
      out[i + 2] = Math.round(bg[2] * (1 - w) + WHITE[2] * w);
      out[i + 3] = Math.round((255 * cover) / (S * S));
    }
  }
  return out;
}

export function trayIconPixels(state: TrayIconState, size = 32): Uint8Array {
  return render(size, (x, y) => Math.hypot(x - 0.5, y - 0.5) <= 0.48, TRAY_COLOURS[state]);
}

export function appIconPixels(size = 512): Uint8Array {
  return render(size, (x, y) => x >= 0.04 && x <= 0.96 && y >= 0.04 && y <= 0.96 && roundedCorner(x, y, 0.04, 0.04, 0.96, 0.96, 0.18), APP_BLUE);
}
