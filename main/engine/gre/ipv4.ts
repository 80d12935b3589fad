/**
 * Finds the GRE packet inside an IPv4 datagram as a raw socket for protocol 47 delivers it on
 * receive. Owns only that slicing and the sanity checks on the header the kernel hands over: it
 * must not parse GRE (gre-packet.ts does) nor build IPv4 headers (the kernel does on send).
 *
 * What a raw IPv4 socket delivers differs by kernel, and the caller says which one it runs on
 * (`RawIpv4Delivery`; main/service/io/gre-socket.ts picks it from process.platform):
 *
 * - Linux (raw(7): "For receiving, the IP header is always included in the packet"): the header
 *   exactly as on the wire, so tot_len and frag_off are in network byte order and tot_len counts
 *   the header. ip_rcv_core() trims the skb to tot_len and ip_local_deliver() reassembles before
 *   raw_local_deliver(), so the buffer is one whole datagram, tot_len === buffer length, and MF
 *   and the fragment offset are 0 (only DF may be set).
 *
 * - macOS / XNU (apple-oss-distributions/xnu, tag xnu-11417.101.15): the header is included
 *   (rip_inp_input() strips it only for the private IP_STRIPHDR option, bsd/netinet/raw_ip.c
 *   l.227-237), but it is NOT as on the wire. ip_input() converts the fields in place before any
 *   protocol sees them: `NTOHS(ip->ip_len)` (bsd/netinet/ip_input.c l.1152 and l.1930) and
 *   `NTOHS(ip->ip_off)` (l.1165, l.1941), so both are in HOST byte order (little-endian on x64
 *   and arm64); then, once the datagram is ours, `ip->ip_len -= hlen` (l.1580, l.2091) so ip_len
 *   no longer counts the header. Fragments are reassembled first (`if (ip->ip_off & ~(IP_DF |
 *   IP_RF)) m = ip_reass(m)`, l.2077), and ip_reass() leaves ip_off shifted by 3 (l.2369), which
 *   pushes MF out of the 16-bit field. GRE goes gre_input() → rip_input(m, hlen) (ip_input.c
 *   l.4083-4101; in_proto.c registers gre_input for IPPROTO_GRE) unless a PPTP kext claimed the
 *   packet first. FreeBSD did the same until 10.0 (header length subtracted) and 11.0 (host
 *   order); see FreeBSD ip(4), HISTORY. So on darwin ip_len is neither network order nor the
 *   total length, and a check against it would silently drop every packet on a kernel that
 *   changed its mind; it is not used at all there.
 *
 * So on every OS: the header length comes from IHL, the GRE packet runs from the end of the
 * header to the end of the buffer (a raw socket delivers exactly one datagram per read), and
 * the fragment field is read in the byte order that kernel leaves it in.
 */
import type { Result } from '../wire/result';
import { err, ok } from '../wire/result';
import type { WireError } from '../wire/wire-error';
import { wireError } from '../wire/wire-error';
import { readU16, readU32 } from '../wire/bytes';

/** RFC 791: the minimum header (IHL = 5 words). */
export const IPV4_MIN_HEADER_LENGTH = 20;
/** RFC 1700 / IANA: IP protocol number 47 is GRE. */
export const IP_PROTOCOL_GRE = 47;
/** RFC 791 §3.1 flags in the 16-bit flags+offset word (XNU bsd/netinet/ip.h: IP_MF, IP_OFFMASK). */
export const IPV4_FLAG_MORE_FRAGMENTS = 0x2000;
export const IPV4_FRAGMENT_OFFSET_MASK = 0x1fff;

/**
 * How the kernel hands a received datagram to a raw IPv4 socket.
 * - 'wire-order': the header as on the wire (Linux; FreeBSD 11 and later).
 * - 'xnu-host-order': ip_len and ip_off converted to host byte order, ip_len without the header
 *   (macOS). `hostLittleEndian` is true on every Mac Node and Electron run on (x64, arm64).
 */
export type RawIpv4Delivery =
  | { readonly kind: 'wire-order' }
  | { readonly kind: 'xnu-host-order'; readonly hostLittleEndian: boolean };

export const LINUX_RAW_IPV4_DELIVERY: RawIpv4Delivery = { kind: 'wire-order' };

export interface Ipv4GreDatagram {
  /** Source address as an unsigned 32-bit number (addresses are never converted, on any OS). */
  readonly source: number;
  readonly destination: number;
  /** A view (no copy) of the bytes after the IPv4 header. */
  readonly gre: Uint8Array;
}

/** A 16-bit header field the kernel left in host order. */
function readHostU16(b: Uint8Array, off: number, littleEndian: boolean): number {
  return littleEndian ? b[off]! | (b[off + 1]! << 8) : readU16(b, off);
}

export function greFromIpv4Datagram(
  datagram: Uint8Array,
  delivery: RawIpv4Delivery = LINUX_RAW_IPV4_DELIVERY,
): Result<Ipv4GreDatagram, WireError> {
  if (datagram.length < IPV4_MIN_HEADER_LENGTH) {
    return err(wireError('truncated', `IPv4 header needs ${IPV4_MIN_HEADER_LENGTH} bytes, got ${datagram.length}`));
  }
  const versionIhl = datagram[0]!;
  // RFC 791 §3.1: Version 4; IHL in 32-bit words, at least 5. A single byte: no byte-order question.
  if (versionIhl >> 4 !== 4) return err(wireError('bad-version', `IP version ${versionIhl >> 4}, expected 4`));
  const headerLength = (versionIhl & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH) return err(wireError('bad-length', `IPv4 IHL ${headerLength / 4} words < 5`));
  if (datagram.length < headerLength) {
    return err(wireError('truncated', `IPv4 header length ${headerLength}, only ${datagram.length} bytes`));
  }
  const protocol = datagram[9]!;
  if (protocol !== IP_PROTOCOL_GRE) return err(wireError('unknown-type', `IP protocol ${protocol}, expected 47 (GRE)`));

  let flagsOffset: number;
  if (delivery.kind === 'wire-order') {
    // Linux delivers tot_len as on the wire and trims the buffer to it (ip_rcv_core).
    const totalLength = readU16(datagram, 2);
    if (totalLength > datagram.length) {
      return err(wireError('truncated', `IPv4 total length ${totalLength}, only ${datagram.length} bytes delivered`));
    }
    if (totalLength !== datagram.length) {
      return err(wireError('bad-length', `IPv4 total length ${totalLength} but the socket delivered ${datagram.length} bytes`));
    }
    flagsOffset = readU16(datagram, 6);
  } else {
    // XNU: ip_len is host order and excludes the header (see the top of this file): not used.
    flagsOffset = readHostU16(datagram, 6, delivery.hostLittleEndian);
  }
  // Both kernels reassemble before raw delivery, so a fragment here is a bug or a forgery.
  if ((flagsOffset & (IPV4_FLAG_MORE_FRAGMENTS | IPV4_FRAGMENT_OFFSET_MASK)) !== 0) {
    return err(wireError('bad-field', `IPv4 fragment (flags+offset 0x${flagsOffset.toString(16).padStart(4, '0')}) on a raw socket`));
  }
  return ok({ source: readU32(datagram, 12), destination: readU32(datagram, 16), gre: datagram.subarray(headerLength) });
}
