/**
 * SettingsStore: the app's settings (preload/contract.ts settingsSchema) in `<userData>/settings.json`.
 * Reads validate with zod: a missing file gives the defaults; a file that is not JSON or not valid
 * settings is moved aside to settings.corrupt-<time>.json and the defaults are used (reported
 * through `problem`); unknown keys from a newer version are dropped on the next write. Writes are
 * atomic (profiles/atomic-write.ts) and serialised. Holds no secrets.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, settingsSchema, type Settings, type SettingsPatch } from '../../../preload/contract';
import { writeFileAtomic } from '../../profiles/store/atomic-write';
import { Mutex } from '../../profiles/store/mutex';

export const SETTINGS_FILE_NAME = 'settings.json';
/** A settings file is a few hundred bytes; anything this big is not ours. */
export const SETTINGS_MAX_BYTES = 64 * 1024;

export class SettingsStore {
  private current: Settings;
  private readonly listeners = new Set<(s: Settings) => void>();
  private readonly mutex = new Mutex();
  /** Set when the file on disk could not be used at open (moved aside). */
  problem: string | undefined;

  private constructor(
    readonly filePath: string,
    initial: Settings,
  ) {
    this.current = initial;
  }

  static async open(dir: string, now: () => Date = () => new Date()): Promise<SettingsStore> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, SETTINGS_FILE_NAME);
    let text: string | undefined;
    try {
      const stat = await fs.stat(file);
      text = stat.size > SETTINGS_MAX_BYTES ? '' : await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text === undefined) return new SettingsStore(file, { ...DEFAULT_SETTINGS });
    const parsed = parseSettingsText(text);
    if (parsed.ok) return new SettingsStore(file, parsed.settings);
    const aside = path.join(dir, `settings.corrupt-${now().toISOString().replace(/[:.]/g, '-')}.json`);
    await fs.rename(file, aside).catch(() => undefined);
    const store = new SettingsStore(file, { ...DEFAULT_SETTINGS });
    store.problem = `The settings file could not be read (${parsed.why}); it was moved to ${aside} and the defaults are used.`;
    return store;
  }

  get(): Settings {
    return { ...this.current };
  }

  /** Applies the patch, validates the result, writes it; listeners hear the new settings. */
  set(patch: SettingsPatch): Promise<Settings> {
    return this.mutex.run(async () => {
      const next = settingsSchema.parse({ ...this.current, ...stripUndefined(patch) });
      await writeFileAtomic(this.filePath, JSON.stringify(next, null, 2) + '\n');
      this.current = next;
      for (const l of this.listeners) {
        try {
          l({ ...next });
        } catch {
          // ignore listener failures
        }
      }
      return { ...next };
    });
  }

  onChange(listener: (s: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function parseSettingsText(text: string): { ok: true; settings: Settings } | { ok: false; why: string } {
  if (text.length === 0) return { ok: false, why: 'empty or too large' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, why: 'not an object' };
  const parsed = settingsSchema.safeParse(json);
  if (!parsed.success) return { ok: false, why: `invalid: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}` };
  return { ok: true, settings: parsed.data };
}
