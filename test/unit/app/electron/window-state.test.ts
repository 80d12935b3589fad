/** Window placement with fake display lists, and the remembered state's file (round trip, bad files). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_WINDOW_SIZE,
  loadWindowState,
  MIN_WINDOW_SIZE,
  placeWindow,
  saveWindowState,
  WINDOW_STATE_FILE,
  type DisplayArea,
} from '../../../../main/app/electron/window-state';

const laptop: DisplayArea = { workArea: { x: 0, y: 0, width: 1366, height: 728 }, primary: true };
const big: DisplayArea = { workArea: { x: 0, y: 0, width: 1920, height: 1050 }, primary: true };
const rightMonitor: DisplayArea = { workArea: { x: 1920, y: 0, width: 2560, height: 1400 }, primary: false };
const state = (x: number, y: number, width = 1000, height = 700, maximised = false) => ({ bounds: { x, y, width, height }, maximised });

describe('placeWindow', () => {
  it('firstRun_defaultSize_centredOnThePrimary_shrunkOnASmallScreen', () => {
    expect(placeWindow(undefined, [big, rightMonitor])).toEqual({ ...DEFAULT_WINDOW_SIZE, x: 410, y: 125, maximised: false });
    expect(placeWindow(undefined, [laptop])).toEqual({ width: 1100, height: 728, x: 133, y: 0, maximised: false });
  });

  it('aRememberedPlaceOnADisplay_isKept', () => {
    expect(placeWindow(state(100, 50), [big, rightMonitor])).toEqual({ width: 1000, height: 700, x: 100, y: 50, maximised: false });
    expect(placeWindow(state(2500, 300, 1200, 900, true), [big, rightMonitor])).toEqual({ width: 1200, height: 900, x: 2500, y: 300, maximised: true });
  });

  it('aWindowHalfOffItsDisplay_isPulledBackInside_onTheDisplayItOverlapsMost', () => {
    // Mostly on the right monitor, hanging off its bottom edge.
    expect(placeWindow(state(3900, 1000), [big, rightMonitor])).toEqual({ width: 1000, height: 700, x: 3480, y: 700, maximised: false });
    // Straddling both, more on the left one.
    expect(placeWindow(state(1300, 100), [big, rightMonitor])).toMatchObject({ x: 920, y: 100 });
    expect(placeWindow(state(1500, 100), [big, rightMonitor])).toMatchObject({ x: 1920, y: 100 });
    // Title bar above the top of the screen.
    expect(placeWindow(state(200, -300), [big])).toMatchObject({ x: 200, y: 0 });
  });

  it('aWindowOnAnUnpluggedMonitor_comesBackCentredOnThePrimary', () => {
    expect(placeWindow(state(2500, 300, 1200, 900, true), [big])).toEqual({ width: 1200, height: 900, x: 360, y: 75, maximised: true });
    expect(placeWindow(state(-5000, -5000), [laptop])).toEqual({ width: 1000, height: 700, x: 183, y: 14, maximised: false });
  });

  it('tooBig_isShrunkToTheWorkArea; tooSmall_growsToTheMinimum', () => {
    expect(placeWindow(state(0, 0, 3000, 2000), [laptop])).toEqual({ width: 1366, height: 728, x: 0, y: 0, maximised: false });
    expect(placeWindow(state(10, 10, 100, 100), [big])).toMatchObject({ ...MIN_WINDOW_SIZE, x: 10, y: 10 });
  });

  it('noDisplaysReported_keepsTheSizeAndLetsTheSystemPlaceIt', () => {
    expect(placeWindow(state(5, 5), [])).toEqual({ width: 1000, height: 700, maximised: false });
    expect(placeWindow(undefined, [])).toEqual({ ...DEFAULT_WINDOW_SIZE, maximised: false });
  });
});

describe('window state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pptp-winstate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('roundTrips_privately', () => {
    expect(loadWindowState(dir)).toBeUndefined();
    expect(saveWindowState(dir, state(12.4, 30.6, 1001.2, 699.9, true))).toBeUndefined();
    expect(loadWindowState(dir)).toEqual(state(12, 31, 1001, 700, true));
    expect(statSync(path.join(dir, WINDOW_STATE_FILE)).mode & 0o777).toBe(0o600);
  });

  it('aBadFile_meansTheDefaults', () => {
    for (const text of ['not json', '{"bounds":{"x":"a"}}', JSON.stringify(state(0, 0, 0, 0)), JSON.stringify(state(1e9, 0))]) {
      writeFileSync(path.join(dir, WINDOW_STATE_FILE), text);
      expect(loadWindowState(dir), text).toBeUndefined();
    }
    expect(readFileSync(path.join(dir, WINDOW_STATE_FILE), 'utf8')).toContain('1000000000');
  });

  it('anUnwritableDirectory_returnsTheError', () => {
    writeFileSync(path.join(dir, 'file'), '');
    expect(saveWindowState(path.join(dir, 'file'), state(0, 0))).toBeInstanceOf(Error);
  });
});
