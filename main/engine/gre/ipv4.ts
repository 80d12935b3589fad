/**
 * Finds the GRE packet inside an IPv4 datagram as a raw socket for protocol 47 delivers it
 * (Linux raw sockets include the IPv4 header on receive, not on send). Owns only that slicing:
 * it must not parse GRE (gre-packet.ts does) nor build IPv4 headers (the kernel does on send).
 *
 * The IPv4 total-length field is deliberately not used to trim: BSD-derived raw sockets hand it
 * over in host order and without the header, and a raw socket delivers exactly one datagram,
 * so the GRE packet runs from the end of the IPv4 header to the end of the buffer. Fragment
 * fields are not checked either (same byte-order caveat; kernels reassemble before raw delivery).
 */
import type { Result } from '../wire/result';
import { err, ok } from '../wire/result';
import type { WireError } from '../wire/wire-error';
import { wireError } from '../wire/wire-error';
import { readU32 } from '../wire/bytes';

/** RFC 791: the minimum header (IHL = 5 words). */
export const IPV4_MIN_HEADER_LENGTH = 20;
/** RFC 1700 / IANA: IP protocol number 47 is GRE. */
export const IP_PROTOCOL_GRE = 47;

export interface Ipv4GreDatagram {
  /** Source address as an unsigned 32-bit number. */
  readonly source: number;
  readonly destination: number;
  /** A view (no copy) of the bytes after the IPv4 header. */
  readonly gre: Uint8Array;
}

export function greFromIpv4Datagram(datagram: Uint8Array): Result<Ipv4GreDatagram, WireError> {
  if (datagram.length < IPV4_MIN_HEADER_LENGTH) {
    return err(wireError('truncated', `IPv4 header needs ${IPV4_MIN_HEADER_LENGTH} bytes, got ${datagram.length}`));
  }
  const versionIhl = datagram[0]!;
  // RFC 791 §3.1: Version 4; IHL in 32-bit words, at least 5.
  if (versionIhl >> 4 !== 4) return err(wireError('bad-version', `IP version ${versionIhl >> 4}, expected 4`));
  const headerLength = (versionIhl & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH) return err(wireError('bad-length', `IPv4 IHL ${headerLength / 4} words < 5`));
  if (datagram.length < headerLength) {
    return err(wireError('truncated', `IPv4 header length ${headerLength}, only ${datagram.length} bytes`));
  }
  const protocol = datagram[9]!;
  if (protocol !== IP_PROTOCOL_GRE) return err(wireError('unknown-type', `IP protocol ${protocol}, expected 47 (GRE)`));
  return ok({ source: readU32(datagram, 12), destination: readU32(datagram, 16), gre: datagram.subarray(headerLength) });
}
