/**
 * Profile import: one function per format plus detection. Every importer is pure (bytes in,
 * report out), caps what it reads, and never reads or returns a password. The report's shape
 * and the format names are preload/schema/profile-store.ts's.
 */
export { detectFormat, importFile } from './detect';
export { importProfilesJson } from './json';
export { importNmConnection } from './nmconnection';
export { importPppdPeers } from './pppd-peers';
export { importRasphonePbk } from './rasphone';
export { MAX_IMPORT_BYTES, MAX_IMPORT_ENTRIES, MAX_LINE_LENGTH } from './decode';
export { readImportFile } from './read-limited';
