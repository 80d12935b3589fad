/** SettingsStore: defaults, validated round trip, corrupt file moved aside, unknown keys dropped. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SETTINGS } from '../../../../preload/contract';
import { SettingsStore, SETTINGS_FILE_NAME } from '../../../../main/app/settings/settings-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pptp-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SettingsStore', () => {
  it('noFile_givesDefaults_andWritesNothing', async () => {
    const s = await SettingsStore.open(dir);
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(existsSync(path.join(dir, SETTINGS_FILE_NAME))).toBe(false);
  });

  it('set_persistsAtomically_andNotifies', async () => {
    const s = await SettingsStore.open(dir);
    const seen: unknown[] = [];
    s.onChange((x) => seen.push(x));
    await s.set({ theme: 'dark', startMinimised: true });
    expect(seen).toHaveLength(1);
    const reopened = await SettingsStore.open(dir);
    expect(reopened.get()).toMatchObject({ theme: 'dark', startMinimised: true, autoReconnect: true });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('invalidPatch_isRejected_andNothingChanges', async () => {
    const s = await SettingsStore.open(dir);
    await expect(s.set({ theme: 'neon' } as never)).rejects.toThrow();
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('corruptFile_movedAside_defaultsUsed_problemReported', async () => {
    writeFileSync(path.join(dir, SETTINGS_FILE_NAME), '{"theme": "dark",');
    const s = await SettingsStore.open(dir, () => new Date('2026-01-02T03:04:05Z'));
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(s.problem).toMatch(/not JSON/);
    expect(readdirSync(dir)).toContain('settings.corrupt-2026-01-02T03-04-05-000Z.json');
  });

  it('wrongTypes_areCorrupt; unknownKeys_areDropped', async () => {
    writeFileSync(path.join(dir, SETTINGS_FILE_NAME), JSON.stringify({ autoReconnect: 'yes' }));
    expect((await SettingsStore.open(dir)).problem).toMatch(/autoReconnect/);
    writeFileSync(path.join(dir, SETTINGS_FILE_NAME), JSON.stringify({ theme: 'light', futureKey: 1 }));
    const s = await SettingsStore.open(dir);
    expect(s.problem).toBeUndefined();
    await s.set({ notifications: false });
    const text = readFileSync(path.join(dir, SETTINGS_FILE_NAME), 'utf8');
    expect(JSON.parse(text)).toEqual({ ...DEFAULT_SETTINGS, theme: 'light', notifications: false });
  });
});
