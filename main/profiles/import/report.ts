/**
 * The per-entry import report every importer returns, and the one place an importer's draft
 * becomes a validated profile (`finishEntry`): the name is cleaned, routes normalised, the
 * schema applied and the profile's security warnings appended, so all formats report alike.
 *
 * An entry can be imported exactly when it has a `profile`. A skipped entry (for example an
 * L2TP connection in a phonebook) is status 'warning' without a profile; a broken one is
 * status 'error' with `error`. A problem with the file as a whole is `fileError`. The report's
 * shape and codes are preload/schema/profile-store.ts's (the wire checks the same schema).
 */
import { ProfileSettingsSchema, securityWarnings, toFieldIssues } from '../../../preload/schema/profile';
import { normalizeCidr, routeProblem } from '../../../preload/schema/routes';
import type { ImportEntry, ImportErrorCode, ImportReport } from '../../../preload/schema/profile-store';
import { cleanImportedName } from '../names';
import { printable, shown } from './printable';

/** Per-entry warning lists are capped so a hostile file cannot make a report of millions. */
export const MAX_WARNINGS_PER_ENTRY = 25;

export function fileFailure(format: ImportReport['format'], code: ImportErrorCode, message: string): ImportReport {
  return { format, entries: [], fileError: { code, message }, fileWarnings: [] };
}

/** The entry's name as the report shows it: file text, so never a raw control character. */
function reportName(sourceName: string): string {
  return printable(sourceName, 128);
}

export function skippedEntry(sourceName: string, reason: string): ImportEntry {
  return { sourceName: reportName(sourceName), status: 'warning', warnings: [`skipped: ${reason}`] };
}

export function failedEntry(sourceName: string, code: ImportErrorCode, message: string, warnings: readonly string[] = []): ImportEntry {
  return { sourceName: reportName(sourceName), status: 'error', warnings: capWarnings([...warnings]), error: { code, message } };
}

function capWarnings(warnings: string[]): string[] {
  if (warnings.length <= MAX_WARNINGS_PER_ENTRY) return warnings;
  const rest = warnings.length - (MAX_WARNINGS_PER_ENTRY - 1);
  return [...warnings.slice(0, MAX_WARNINGS_PER_ENTRY - 1), `... and ${rest} more warnings.`];
}

/** What an importer collected for one entry, before validation. */
export interface EntryDraft {
  name: string;
  server?: string;
  username?: string;
  domain?: string;
  auth?: string[];
  mppe?: string;
  allowStateful?: boolean;
  routes?: { mode: 'full' } | { mode: 'split'; cidrs: string[] };
  usePeerDns?: boolean;
  mtu?: number;
  keepalive?: { lcpEchoIntervalS?: number; lcpEchoFailures?: number };
  reconnect?: { enabled?: boolean; maxAttempts?: number };
  askPasswordEveryTime?: boolean;
}

/**
 * Validates a draft into an entry. Host bits in split routes are cleared (with a warning),
 * invalid routes and 0.0.0.0/0 dropped (with a warning), and the profile's security warnings
 * appended.
 */
export function finishEntry(sourceName: string, draft: EntryDraft, warnings: string[]): ImportEntry {
  const cleaned = cleanImportedName(draft.name);
  warnings.push(...cleaned.warnings);
  let name = cleaned.name;
  if (name === '') {
    name = draft.server ? `Imported ${draft.server}`.slice(0, 64) : 'Imported profile';
    warnings.push(`The entry had no usable name; it was named "${name}".`);
  }
  if (!draft.server) return failedEntry(sourceName, 'no-server', 'The entry names no server.', warnings);
  let routes = draft.routes;
  // Only a well-formed list is normalised; anything else goes to the schema, which says why.
  if (routes?.mode === 'split' && Array.isArray(routes.cidrs) && routes.cidrs.every((c) => typeof c === 'string')) {
    const cidrs: string[] = [];
    for (const raw of routes.cidrs) {
      const n = normalizeCidr(raw);
      if (n === undefined) {
        warnings.push(`The route ${shown(raw)} is not an IPv4 network and was left out.`);
      } else if (routeProblem(n)?.code === 'whole-internet') {
        warnings.push(`The route ${shown(raw)} is the whole Internet and was left out: choose "All traffic" (the full tunnel) instead.`);
      } else {
        if (n !== raw.trim()) warnings.push(`The route ${shown(raw)} was read as the network ${n}.`);
        if (!cidrs.includes(n)) cidrs.push(n);
      }
    }
    routes = { mode: 'split', cidrs };
  }
  const parsed = ProfileSettingsSchema.safeParse({ ...draft, name, routes });
  if (!parsed.success) {
    const message = toFieldIssues(parsed.error)
      .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
      .join('; ');
    return failedEntry(sourceName, 'invalid-profile', message, warnings);
  }
  warnings.push(...securityWarnings(parsed.data));
  return {
    sourceName: reportName(sourceName),
    status: warnings.length ? 'warning' : 'ok',
    profile: parsed.data,
    warnings: capWarnings(warnings),
  };
}
