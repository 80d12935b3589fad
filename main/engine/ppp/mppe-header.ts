/**
 * The 2-octet MPPE header (RFC 3078 §3): four flag bits A B C D and a 12-bit coherency count,
 * in front of the encrypted PPP protocol field + information, carried in protocol 0x00FD.
 *
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 *   |A|B|C|D|   Coherency Count     |
 *
 * Owns: the bit constants and count arithmetic. Must not: hold state (mppe.ts does).
 */

/** RFC 3078 §3: A, the "flushed" bit: the sender re-initialised (rekeyed) its RC4 state. */
export const MPPE_FLAG_FLUSHED = 0x80;
/** RFC 3078 §3 / RFC 2118: B, MPPC "packet at the front of the history" (compression only). */
export const MPPE_FLAG_COMPRESSION_FRONT = 0x40;
/** RFC 3078 §3 / RFC 2118: C, MPPC "compressed" bit. */
export const MPPE_FLAG_COMPRESSED = 0x20;
/** RFC 3078 §3: D, the "encrypted" bit (the E bit of some texts). */
export const MPPE_FLAG_ENCRYPTED = 0x10;
/** Mask of the four flag bits in the first octet. */
export const MPPE_FLAGS_MASK = 0xf0;

/** RFC 3078 §3: the header is 2 octets. */
export const MPPE_HEADER_LENGTH = 2;
/** RFC 3078 §3: the coherency count is 12 bits: 4096 values, wrapping to 0. */
export const MPPE_COHERENCY_SPACE = 0x1000;
export const MPPE_COHERENCY_MASK = 0x0fff;
/** RFC 3078 §7.2: in stateful mode the key changes on the "flag" packet whose count's low octet is 0xFF. */
export const MPPE_FLAG_PACKET_LOW_OCTET = 0xff;

/** The coherency count of a packet whose header starts at `packet[0]` (length already checked). */
export function readCoherencyCount(packet: Uint8Array): number {
  return ((packet[0]! & 0x0f) << 8) | packet[1]!;
}

/** Writes the header: `flags` (any of the MPPE_FLAG_* bits) and the 12-bit `count`. */
export function writeMppeHeader(out: Uint8Array, offset: number, flags: number, count: number): void {
  out[offset] = (flags & MPPE_FLAGS_MASK) | ((count >>> 8) & 0x0f);
  out[offset + 1] = count & 0xff;
}

/** The forward distance from `from` to `to` on the 12-bit circle (0..4095). */
export function coherencyDistance(from: number, to: number): number {
  return (to - from) & MPPE_COHERENCY_MASK;
}

/** True for a stateful-mode "flag" packet (count low octet 0xFF, RFC 3078 §7.2). */
export function isFlagPacket(count: number): boolean {
  return (count & 0xff) === MPPE_FLAG_PACKET_LOW_OCTET;
}
