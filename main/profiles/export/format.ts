/**
 * The exchange format for profiles (export and import): `{ format, version, exportedAt,
 * profiles }`. Profiles are schema settings only (no ids, no timestamps, never a password), so
 * a file can be shared and imported anywhere. Constants only; no I/O.
 */
export const EXPORT_FORMAT = 'pptp-manager-profiles';
export const EXPORT_FORMAT_VERSION = 1;
