/**
 * PPP protocol numbers the link knows (RFC 1661 §2, and the assigned numbers in each protocol's
 * RFC), and their names for logs and failure messages. Owns nothing else: framing is frame.ts,
 * control packets are packet.ts.
 */
import { PPP_PROTO_CHAP, PPP_PROTO_EAP, PPP_PROTO_PAP } from './auth/auth-client';

export const PPP_PROTO_IP = 0x0021; // RFC 1332 §3: Internet Protocol datagrams
export const PPP_PROTO_IPV6 = 0x0057; // RFC 5072 §3: IPv6 datagrams (we do not run it)
export const PPP_PROTO_COMPRESSED = 0x00fd; // RFC 1962 §1: compressed/MPPE-encrypted datagram (RFC 3078 §3)
export const PPP_PROTO_LCP = 0xc021; // RFC 1661 §5
export const PPP_PROTO_IPCP = 0x8021; // RFC 1332 §2
export const PPP_PROTO_CCP = 0x80fd; // RFC 1962 §2
export const PPP_PROTO_IPV6CP = 0x8057; // RFC 5072 §4 (we Protocol-Reject it, see receive-gate.ts)
export const PPP_PROTO_SPAP = 0xc027; // Shiva PAP: proprietary, never spoken
export { PPP_PROTO_CHAP, PPP_PROTO_EAP, PPP_PROTO_PAP };

const NAMES: Readonly<Record<number, string>> = {
  [PPP_PROTO_IP]: 'IP',
  [PPP_PROTO_IPV6]: 'IPv6',
  [PPP_PROTO_COMPRESSED]: 'CCP datagram',
  [PPP_PROTO_LCP]: 'LCP',
  [PPP_PROTO_IPCP]: 'IPCP',
  [PPP_PROTO_CCP]: 'CCP',
  [PPP_PROTO_IPV6CP]: 'IPV6CP',
  [PPP_PROTO_PAP]: 'PAP',
  [PPP_PROTO_CHAP]: 'CHAP',
  [PPP_PROTO_EAP]: 'EAP',
  [PPP_PROTO_SPAP]: 'SPAP',
};

export function protocolName(protocol: number): string {
  return NAMES[protocol] ?? `protocol 0x${protocol.toString(16).padStart(4, '0')}`;
}
