/**
 * Validators for everything that ends up as an argument of `ip` or `resolvectl`: IPv4
 * addresses, CIDRs, interface names, MTUs. Strict on purpose: dotted quads only (no leading
 * zeros, no octal/hex/short forms), canonical CIDRs (host bits zero), Linux interface names.
 * A value that passes can never look like an option (no leading '-') or carry shell syntax.
 *
 * Also `isSafeArgument`, the last guard before execFile. Pure: no I/O.
 */

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** The address as an unsigned 32-bit number, or null when `text` is not a strict dotted quad. */
export function parseIpv4(text: unknown): number | null {
  if (typeof text !== 'string' || text.length > 15) return null;
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

export function isIpv4(text: unknown): text is string {
  return parseIpv4(text) !== null;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}

/** A unicast address a tunnel may use: not 0.0.0.0/8, loopback, multicast/reserved or broadcast. */
export function isUsableHostIpv4(text: unknown): text is string {
  const value = parseIpv4(text);
  if (value === null) return false;
  const first = value >>> 24;
  return first !== 0 && first !== 127 && first < 224;
}

export interface Cidr {
  readonly network: string;
  readonly prefix: number;
  /** "a.b.c.d/n" */
  readonly text: string;
}

/**
 * Parses "a.b.c.d/n" (or a bare address, read as /32). Host bits must be zero: "10.0.0.1/8"
 * is refused rather than silently widened.
 */
export function parseCidr(text: unknown): Cidr | null {
  if (typeof text !== 'string' || text.length > 18) return null;
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? '32' : text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]?)$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > 32) return null;
  const address = parseIpv4(addressText);
  if (address === null) return null;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((address & ~mask) >>> 0 !== 0) return null;
  return { network: addressText, prefix, text: `${addressText}/${prefix}` };
}

/** Linux interface names: 1..15 bytes, no '/', whitespace or ':'; we also refuse a leading '-' and '.'/'..'. */
export function isInterfaceName(text: unknown): text is string {
  return typeof text === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/.test(text);
}

/** RFC 791: every IPv4 host handles 68; 65535 is the IPv4 maximum. */
export function isMtu(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 68 && value <= 65535;
}

/**
 * Last guard before execFile: a token of addresses, names, numbers and the few keywords we
 * pass. No leading '-' (the option flags we pass are constants, checked separately), no
 * whitespace, quotes, '$', ';', '|', '&', '`', newlines.
 */
export function isSafeArgument(arg: unknown): boolean {
  return typeof arg === 'string' && (/^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,63}$/.test(arg) || arg === '~.');
}

/** macOS utun interfaces: `utun` and the unit number the kernel chose (XNU bsd/net/if_utun.c). */
export function isUtunName(text: unknown): text is string {
  return typeof text === 'string' && /^utun(0|[1-9][0-9]{0,3})$/.test(text);
}

/** BSD interface names as route(8) prints them (en0, bridge100, utun3, lo0). */
export function isBsdInterfaceName(text: unknown): text is string {
  return typeof text === 'string' && /^[a-z][a-z0-9]{0,14}$/.test(text);
}

/**
 * A DNS name for search / match domains: RFC 1035 §2.3.1 letters, digits and hyphens, labels of
 * 1..63 characters not starting or ending with '-', at most 253 characters, no trailing dot;
 * lower case only (we compare and store them canonically). Nothing else can reach a scutil script.
 */
export function isDomainName(text: unknown): text is string {
  if (typeof text !== 'string' || text.length === 0 || text.length > 253) return false;
  return text.split('.').every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
}
