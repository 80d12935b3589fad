/**
 * SHA-1 and MD5 over a list of parts, through node:crypto (allowed in the pure engine: hashing
 * is computation, not I/O). Used by the handshake-time code (CHAP-MD5 RFC 1994 §4.1, MS-CHAPv2
 * RFC 2759 §8, MPPE start keys RFC 3079 §3). The per-packet MPPE rekey uses the allocation-free
 * Sha1 in sha1.ts instead.
 *
 * Owns: convenience digests returning fresh Uint8Arrays. Must not: be called per data packet.
 */
import { createHash } from 'node:crypto';
import { copyBytes } from '../wire/bytes';

function digest(algorithm: 'sha1' | 'md5', parts: readonly Uint8Array[]): Uint8Array {
  const h = createHash(algorithm);
  for (const p of parts) h.update(p);
  const buf = h.digest();
  // digest() returns a Buffer that may sit in Node's shared pool: copy it out.
  return copyBytes(buf);
}

/** SHA-1 (20 octets) of the concatenation of `parts`. */
export function sha1(...parts: Uint8Array[]): Uint8Array {
  return digest('sha1', parts);
}

/** MD5 (16 octets) of the concatenation of `parts`. */
export function md5(...parts: Uint8Array[]): Uint8Array {
  return digest('md5', parts);
}
