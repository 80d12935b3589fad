/**
 * The save dialog's suggested path: the folder the app picks (Documents) joined with a base name
 * only. The name comes over IPC from the renderer, so a separator, "..", a drive prefix or a
 * control character in it must not move the suggestion out of that folder or into a strange file
 * name. Pure (node:path only); main.ts hands the result to Electron's dialog.
 */
import path from 'node:path';
import { stripControlChars } from '../../preload/schema/text';

/** Used when nothing usable is left of the suggested name. */
export const DEFAULT_EXPORT_FILE_NAME = 'pptp-profiles.json';
const MAX_NAME_LENGTH = 120;

/** A file name with no directory part: separators of either OS, control characters and dot-only names are gone. */
export function safeBaseName(fileName: string): string {
  const last = fileName.split(/[/\\]/).pop() ?? '';
  const cleaned = stripControlChars(last.replace(/^[A-Za-z]:/, ''), { replacement: '' }).trim().slice(0, MAX_NAME_LENGTH);
  return /^\.*$/.test(cleaned) ? DEFAULT_EXPORT_FILE_NAME : cleaned;
}

export function saveDialogDefaultPath(folder: string, fileName: string): string {
  return path.join(folder, safeBaseName(fileName));
}
