/**
 * Where the main window goes: its size, position and maximised state are remembered across
 * restarts in `<userData>/window-state.json`, and a remembered place that is no longer on any
 * display (a monitor unplugged, a resolution changed) is brought back onto one.
 *
 * Decisions:
 *  - the window goes on the display it overlapped most; if it overlaps none, it is centred on
 *    the primary display; it is then moved (and shrunk when needed) to lie wholly inside that
 *    display's work area, so the title bar can always be grabbed (what macOS does for every app,
 *    and electron-window-state's "visible on some display" check, made stricter);
 *  - the default size is DEFAULT_WINDOW_SIZE (1100×800), enough for the connection view's
 *    values, graph, statistics and timeline, shrunk to the work area of a smaller screen
 *    (a 1366×768 laptop gets 1100×728) and centred;
 *  - the file holds the un-maximised bounds plus `maximised`, so un-maximising returns to the
 *    remembered size; an unreadable or invalid file means the defaults, never an error.
 * `placeWindow` is pure (tests feed it display lists); the file helpers are synchronous so the
 * last state is written even when the app exits right after (quit from the tray).
 *
 * Must not: import electron (window.ts adapts Electron's displays and events to this).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface DisplayArea {
  /** The display's work area (without task bars, docks, panels), in screen coordinates. */
  readonly workArea: Rect;
  readonly primary: boolean;
}

export interface WindowState {
  readonly bounds: Rect;
  readonly maximised: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW_SIZE: Size = { width: 1100, height: 800 };
export const MIN_WINDOW_SIZE: Size = { width: 720, height: 480 };

const intSchema = z.number().int().min(-100_000).max(100_000);
const windowStateSchema = z.object({
  bounds: z.object({ x: intSchema, y: intSchema, width: intSchema.min(1), height: intSchema.min(1) }),
  maximised: z.boolean().default(false),
});

/** Where to open the window: `x`/`y` absent means "centre it" (Electron's default). */
export interface Placement {
  readonly width: number;
  readonly height: number;
  readonly x?: number;
  readonly y?: number;
  readonly maximised: boolean;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/** The size fitted into an area: at most the area, at least the minimum (unless the area is smaller). */
function fitSize(size: Size, area: Rect, min: Size): Size {
  return {
    width: Math.min(area.width, Math.max(min.width, size.width)),
    height: Math.min(area.height, Math.max(min.height, size.height)),
  };
}

export function placeWindow(saved: WindowState | undefined, displays: readonly DisplayArea[], defaults: Size = DEFAULT_WINDOW_SIZE, min: Size = MIN_WINDOW_SIZE): Placement {
  const primary = displays.find((d) => d.primary) ?? displays[0];
  if (!primary) return { ...(saved ? { width: saved.bounds.width, height: saved.bounds.height } : defaults), maximised: saved?.maximised ?? false };
  if (!saved) {
    const size = fitSize(defaults, primary.workArea, min);
    return { ...size, ...centred(size, primary.workArea), maximised: false };
  }
  let best: DisplayArea | undefined;
  let bestArea = 0;
  for (const d of displays) {
    const a = overlap(saved.bounds, d.workArea);
    if (a > bestArea) {
      best = d;
      bestArea = a;
    }
  }
  if (!best) {
    const size = fitSize(saved.bounds, primary.workArea, min);
    return { ...size, ...centred(size, primary.workArea), maximised: saved.maximised };
  }
  const area = best.workArea;
  const size = fitSize(saved.bounds, area, min);
  return {
    ...size,
    x: clamp(saved.bounds.x, area.x, area.x + area.width - size.width),
    y: clamp(saved.bounds.y, area.y, area.y + area.height - size.height),
    maximised: saved.maximised,
  };
}

function centred(size: Size, area: Rect): { x: number; y: number } {
  return { x: Math.round(area.x + (area.width - size.width) / 2), y: Math.round(area.y + (area.height - size.height) / 2) };
}

/** The remembered state, or undefined when there is none or it cannot be used. */
export function loadWindowState(dir: string): WindowState | undefined {
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(readFileSync(path.join(dir, WINDOW_STATE_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the state (temp file + rename, 0600). Failures are returned, not thrown. */
export function saveWindowState(dir: string, state: WindowState): Error | undefined {
  const file = path.join(dir, WINDOW_STATE_FILE);
  const temp = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const rounded = { bounds: { x: Math.round(state.bounds.x), y: Math.round(state.bounds.y), width: Math.round(state.bounds.width), height: Math.round(state.bounds.height) }, maximised: state.maximised };
    writeFileSync(temp, JSON.stringify(rounded) + '\n', { mode: 0o600 });
    renameSync(temp, file);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}
