/**
 * Writes the app and tray icons (drawn in code by main/app/icons/draw.ts) as PNG files:
 *   icon.png (1024, electron-builder derives .icns/.ico from it), NxN.png for Linux desktops,
 *   tray-{disconnected,connecting,connected,error}.png (+ @2x).
 * Run: node --import tsx packaging/icons/generate.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { appIconPixels, trayIconPixels } from '../../main/app/icons/draw';
import { encodePng } from '../../main/app/icons/png';

const dir = path.dirname(fileURLToPath(import.meta.url));
const write = (name: string, size: number, px: Uint8Array) => writeFileSync(path.join(dir, name), encodePng(size, size, px));

write('icon.png', 1024, appIconPixels(1024));
for (const size of [16, 32, 48, 64, 128, 256, 512]) write(`${size}x${size}.png`, size, appIconPixels(size));
for (const state of ['disconnected', 'connecting', 'connected', 'error'] as const) {
  write(`tray-${state}.png`, 16, trayIconPixels(state, 16));
  write(`tray-${state}@2x.png`, 32, trayIconPixels(state, 32));
}
console.log(`icons written to ${dir}`);
