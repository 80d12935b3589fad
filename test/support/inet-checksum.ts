/**
 * The Internet checksum's one's-complement sum (RFC 1071 §4.1), folded to 16 bits but not
 * complemented, written for the tests that check the native helper's TCP coalescing and TSO
 * split against checksums computed independently of the code under test. An odd last octet
 * is padded with zero (RFC 1071 §4.1); `initial` carries a pseudo-header sum in.
 */
export function onesSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (i + 1 < bytes.length ? bytes[i + 1]! : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}
