/**
 * IPCP Configuration Option types (RFC 1332 §3, RFC 1877 §1) and IPv4 address helpers.
 */
export const IPCP_OPT_IP_ADDRESSES = 1; // RFC 1332 §3.1 (deprecated; rejected)
export const IPCP_OPT_IP_COMPRESSION = 2; // RFC 1332 §3.2 (Van Jacobson; rejected)
export const IPCP_OPT_IP_ADDRESS = 3; // RFC 1332 §3.3
export const IPCP_OPT_PRIMARY_DNS = 129; // RFC 1877 §1.1
export const IPCP_OPT_PRIMARY_NBNS = 130; // RFC 1877 §1.2 (WINS)
export const IPCP_OPT_SECONDARY_DNS = 131; // RFC 1877 §1.3
export const IPCP_OPT_SECONDARY_NBNS = 132; // RFC 1877 §1.4 (WINS)

const NAMES: Readonly<Record<number, string>> = {
  [IPCP_OPT_IP_ADDRESSES]: 'IP-Addresses',
  [IPCP_OPT_IP_COMPRESSION]: 'IP-Compression-Protocol',
  [IPCP_OPT_IP_ADDRESS]: 'IP-Address',
  [IPCP_OPT_PRIMARY_DNS]: 'Primary-DNS',
  [IPCP_OPT_PRIMARY_NBNS]: 'Primary-NBNS',
  [IPCP_OPT_SECONDARY_DNS]: 'Secondary-DNS',
  [IPCP_OPT_SECONDARY_NBNS]: 'Secondary-NBNS',
};

export function ipcpOptionName(type: number): string {
  return NAMES[type] ?? `option ${type}`;
}

export function ipv4ToString(value: number): string {
  return `${(value >>> 24) & 0xff}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

/** Parses a dotted quad; undefined unless it is exactly four decimal octets. */
export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}
