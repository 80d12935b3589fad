/**
 * The GRE layer's public surface (RFC 2637 §4): the enhanced GRE codec, the per-call sequencing
 * machine and the IPv4 slicing helper for what a raw IPv4 socket delivers. Re-exports only.
 */
export * from './gre-packet';
export * from './gre-call';
export { greFromIpv4Datagram, IP_PROTOCOL_GRE, IPV4_MIN_HEADER_LENGTH } from './ipv4';
export type { Ipv4GreDatagram } from './ipv4';
export type { PeerAckStyle } from './gre-sender';
export { seqAdd, seqDiff, seqGt, seqLt, seqLte } from './serial';
