/**
 * Which importer a file needs, from its name and a look at its first bytes, and `importFile`,
 * the one entry point the app and pptpctl call. Detection never throws and reads at most the
 * first 64 KiB; the chosen importer applies its own limits.
 */
import type { ImportFormat, ImportReport } from '../../../preload/schema/profile-store';
import { EXPORT_FORMAT } from '../export/format';
import { importProfilesJson } from './json';
import { importNmConnection } from './nmconnection';
import { importPppdPeers } from './pppd-peers';
import { importRasphonePbk } from './rasphone';
import { decodeImportBytes, MAX_IMPORT_BYTES } from './decode';

const SNIFF_BYTES = 64 * 1024;

function sniffText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, SNIFF_BYTES)).replace(/^\uFEFF/, '');
}

export function detectFormat(fileName: string, bytes: Uint8Array): ImportFormat | 'unknown' {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.pbk')) return 'rasphone-pbk';
  if (lower.endsWith('.nmconnection')) return 'nmconnection';
  if (lower.endsWith('.json')) return 'pptp-manager-json';
  // UTF-16 with a BOM: only Windows tools write that, so a phonebook.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'rasphone-pbk';
  const head = sniffText(bytes);
  if (/^\s*\{/.test(head) && head.includes(EXPORT_FORMAT)) return 'pptp-manager-json';
  if (/^\s*\[connection\]\s*$/m.test(head)) return 'nmconnection';
  if (/^\s*(PhoneNumber|VpnStrategy|DataEncryption|MEDIA)=/m.test(head) && /^\s*\[[^\]\n]+\]\s*$/m.test(head)) return 'rasphone-pbk';
  if (/^\s*pty\s+["']?\S*pptp\b/m.test(head) || /^\s*(require-mppe|refuse-pap|pptp_server)\b/m.test(head)) return 'pppd-peers';
  if (/^\s*\{/.test(head)) return 'pptp-manager-json';
  return 'unknown';
}

/** Imports any supported file; `format` overrides detection (the user picked a type). */
export function importFile(fileName: string, bytes: Uint8Array, format?: ImportFormat): ImportReport {
  if (bytes.length > MAX_IMPORT_BYTES) {
    const decoded = decodeImportBytes(bytes);
    if (!decoded.ok) return { format: format ?? 'unknown', entries: [], fileError: decoded.error, fileWarnings: [] };
  }
  const chosen = format ?? detectFormat(fileName, bytes);
  switch (chosen) {
    case 'pptp-manager-json':
      return importProfilesJson(bytes);
    case 'rasphone-pbk':
      return importRasphonePbk(bytes);
    case 'nmconnection':
      return importNmConnection(bytes, fileName);
    case 'pppd-peers':
      return importPppdPeers(bytes, fileName);
    case 'unknown': {
      const decoded = decodeImportBytes(bytes);
      if (!decoded.ok) return { format: 'unknown', entries: [], fileError: decoded.error, fileWarnings: [] };
      return {
        format: 'unknown',
        entries: [],
        fileError: {
          code: 'unknown-format',
          message: 'The file is not a PPTP Manager export, a Windows phonebook (.pbk), a NetworkManager connection or a pppd peers file.',
        },
        fileWarnings: [],
      };
    }
  }
}
