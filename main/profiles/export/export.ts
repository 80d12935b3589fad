/**
 * Profile export to our JSON exchange format (format.ts). Each profile is re-parsed through the
 * settings schema, so only schema fields leave the app: no id, no timestamps, and no password
 * or any other stray field, whatever object is handed in. Pure; the caller writes the file.
 */
import { ProfileSettingsSchema, type Profile, type ProfileSettings } from '../../../preload/schema/profile';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION } from './format';

export interface ExportDocument {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: typeof EXPORT_FORMAT_VERSION;
  readonly exportedAt: string;
  readonly profiles: readonly ProfileSettings[];
}

export function buildExportDocument(profiles: readonly (Profile | ProfileSettings)[], now: Date = new Date()): ExportDocument {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_FORMAT_VERSION,
    exportedAt: now.toISOString(),
    profiles: profiles.map((p) => ProfileSettingsSchema.parse(p)),
  };
}

/** The export file's text (UTF-8 JSON, two-space indented, newline at the end). */
export function exportProfiles(profiles: readonly (Profile | ProfileSettings)[], now: Date = new Date()): string {
  return JSON.stringify(buildExportDocument(profiles, now), null, 2) + '\n';
}

/** A file name for the export: the profile's name for one, a dated name for many. */
export function exportFileName(profiles: readonly { name: string }[], now: Date = new Date()): string {
  const only = profiles.length === 1 ? profiles[0] : undefined;
  const base = only ? only.name.replace(/[^A-Za-z0-9._ -]+/g, '_').trim() || 'profile' : `pptp-profiles-${now.toISOString().slice(0, 10)}`;
  return `${base}.pptp.json`;
}
