/**
 * LCP Configuration Option types (RFC 1661 §6 and the later RFCs that assigned them) and their
 * names for messages. Only the ones with a handler in option-table.ts are negotiated; every other
 * type the peer sends is Configure-Rejected (RFC 1661 §5.4).
 */
export const LCP_OPT_MRU = 1; // RFC 1661 §6.1 Maximum-Receive-Unit
export const LCP_OPT_ACCM = 2; // RFC 1662 §7.1 Async-Control-Character-Map
export const LCP_OPT_AUTH_PROTOCOL = 3; // RFC 1661 §6.2 Authentication-Protocol
export const LCP_OPT_QUALITY_PROTOCOL = 4; // RFC 1661 §6.3 (rejected)
export const LCP_OPT_MAGIC_NUMBER = 5; // RFC 1661 §6.4
export const LCP_OPT_PFC = 7; // RFC 1661 §6.5 Protocol-Field-Compression
export const LCP_OPT_ACFC = 8; // RFC 1661 §6.6 Address-and-Control-Field-Compression
export const LCP_OPT_CALLBACK = 13; // RFC 1570 §2.3 (rejected: a VPN client never calls back)
export const LCP_OPT_MRRU = 17; // RFC 1990 §5.1.1 multilink (rejected)
export const LCP_OPT_SHORT_SEQ = 18; // RFC 1990 §5.1.2 multilink (rejected)
export const LCP_OPT_ENDPOINT_DISC = 19; // RFC 1990 §5.1.3 multilink (rejected)

const NAMES: Readonly<Record<number, string>> = {
  [LCP_OPT_MRU]: 'MRU',
  [LCP_OPT_ACCM]: 'ACCM',
  [LCP_OPT_AUTH_PROTOCOL]: 'Authentication-Protocol',
  [LCP_OPT_QUALITY_PROTOCOL]: 'Quality-Protocol',
  [LCP_OPT_MAGIC_NUMBER]: 'Magic-Number',
  [LCP_OPT_PFC]: 'Protocol-Field-Compression',
  [LCP_OPT_ACFC]: 'Address-and-Control-Field-Compression',
  [LCP_OPT_CALLBACK]: 'Callback',
  [LCP_OPT_MRRU]: 'Multilink-MRRU',
  [LCP_OPT_SHORT_SEQ]: 'Multilink-Short-Sequence',
  [LCP_OPT_ENDPOINT_DISC]: 'Endpoint-Discriminator',
};

export function lcpOptionName(type: number): string {
  return NAMES[type] ?? `option ${type}`;
}
