/**
 * The input of GetNewKeyFromSHA (RFC 3079 §7), the SHA-1 stateless MPPE runs once per packet:
 * the SHSpad constants and, for one start key, the two padded message blocks as words. One home
 * for the TypeScript hasher (mppe-keys.ts GetNewKeyHasher) and the WebAssembly one (sha1-wasm.ts).
 */

// RFC 3079 §3.4 / §7: SHSpad1 is 40 octets of 0x00, SHSpad2 40 octets of 0xF2.
export const SHS_PAD_LENGTH = 40;
export const SHS_PAD1_OCTET = 0x00;
export const SHS_PAD2_OCTET = 0xf2;

/**
 * GetNewKeyFromSHA's SHA-1 input for one start key as two padded blocks (32 big-endian words),
 * and the index of the first session-key word (written per call). RFC 3079 §7: StartKey[0..n] ‖
 * SHSpad1 ‖ SessionKey[0..n] ‖ SHSpad2, 80 + 2n octets (96 or 112), then FIPS 180-4 §5.1.1
 * padding: 0x80, zeros, the 64-bit big-endian bit length at the end: always exactly two blocks.
 */
export function mppeMessageWords(startKey: Uint8Array, keyLength: 8 | 16): { words: Int32Array; sessionWord: number } {
  const n = keyLength;
  if (startKey.length < n) throw new RangeError(`GetNewKeyFromSHA needs a start key of at least ${n} octets`);
  const bytes = new Uint8Array(128);
  bytes.set(startKey.subarray(0, n), 0);
  bytes.fill(SHS_PAD1_OCTET, n, n + SHS_PAD_LENGTH);
  bytes.fill(SHS_PAD2_OCTET, 2 * n + SHS_PAD_LENGTH, 2 * n + 2 * SHS_PAD_LENGTH);
  const messageLength = 2 * n + 2 * SHS_PAD_LENGTH;
  bytes[messageLength] = 0x80;
  const bitLength = messageLength * 8;
  bytes[126] = bitLength >>> 8;
  bytes[127] = bitLength & 0xff;
  const words = new Int32Array(32);
  for (let k = 0; k < 32; k++) {
    words[k] = (bytes[k * 4]! << 24) | (bytes[k * 4 + 1]! << 16) | (bytes[k * 4 + 2]! << 8) | bytes[k * 4 + 3]!;
  }
  return { words, sessionWord: (n + SHS_PAD_LENGTH) / 4 };
}

/**
 * Writes the session key's n octets as big-endian words into the message at `sessionWord`: the
 * only part of GetNewKeyFromSHA's input that changes per packet.
 */
export function writeSessionWords(message: Int32Array, sessionWord: number, sessionKey: Uint8Array, keyLength: number): void {
  for (let k = 0; k < keyLength / 4; k++) {
    message[sessionWord + k] =
      (sessionKey[k * 4]! << 24) | (sessionKey[k * 4 + 1]! << 16) | (sessionKey[k * 4 + 2]! << 8) | sessionKey[k * 4 + 3]!;
  }
}
