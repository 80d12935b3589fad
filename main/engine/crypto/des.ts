/**
 * Single-block DES encryption (FIPS 46-3) with the 7-octet key expansion MS-CHAP uses
 * (RFC 2759 §8.6 DesEncrypt, RFC 2433 Appendix A). Written here because OpenSSL 3 keeps DES
 * behind its legacy provider; MS-CHAP encrypts just three blocks per authentication, so this
 * favours a table-driven, readable implementation over speed.
 *
 * Owns: DES key schedule and one-block encryption, 56-bit -> 64-bit key expansion with odd parity.
 * Must not: offer modes of operation or decryption (MS-CHAP never needs them) or be used as a
 * general-purpose cipher (DES is broken).
 */

// FIPS 46-3: permutation tables, 1-based bit positions counted from the most significant bit.
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
// FIPS 46-3: left shifts of C and D per round.
const KEY_SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];
// FIPS 46-3: the final permutation is the inverse of IP; derived rather than typed in.
const FP: number[] = (() => {
  const inv = new Array<number>(64).fill(0);
  IP.forEach((src, dst) => {
    inv[src - 1] = dst + 1;
  });
  return inv;
})();
const E = [
  32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17,
  16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
];
const P = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];
// FIPS 46-3: S-boxes S1..S8, each 4 rows of 16, indexed [row * 16 + column].
const SBOXES = [
  [
    14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
    4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
  ],
  [
    15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
    0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
  ],
  [
    10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
    13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
  ],
  [
    7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
    10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
  ],
  [
    2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
    4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
  ],
  [
    12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
    9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
  ],
  [
    4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
    1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
  ],
  [
    13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
    7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
  ],
];

/** Unpacks octets into an array of bits, most significant bit first. */
function toBits(bytes: Uint8Array): Uint8Array {
  const bits = new Uint8Array(bytes.length * 8);
  for (let i = 0; i < bits.length; i++) bits[i] = (bytes[i >> 3]! >> (7 - (i & 7))) & 1;
  return bits;
}

function fromBits(bits: Uint8Array): Uint8Array {
  const out = new Uint8Array(bits.length >> 3);
  for (let i = 0; i < bits.length; i++) out[i >> 3]! |= bits[i]! << (7 - (i & 7));
  return out;
}

function permute(bits: Uint8Array, table: readonly number[]): Uint8Array {
  const out = new Uint8Array(table.length);
  for (let i = 0; i < table.length; i++) out[i] = bits[table[i]! - 1]!;
  return out;
}

function rotateLeft28(half: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(28);
  for (let i = 0; i < 28; i++) out[i] = half[(i + n) % 28]!;
  return out;
}

/** The 16 48-bit round keys for a 64-bit DES key (parity bits ignored by PC-1). */
function keySchedule(key8: Uint8Array): Uint8Array[] {
  const cd = permute(toBits(key8), PC1);
  let c = cd.subarray(0, 28);
  let d = cd.subarray(28, 56);
  const keys: Uint8Array[] = [];
  for (const shift of KEY_SHIFTS) {
    c = rotateLeft28(c, shift);
    d = rotateLeft28(d, shift);
    const joined = new Uint8Array(56);
    joined.set(c, 0);
    joined.set(d, 28);
    keys.push(permute(joined, PC2));
  }
  return keys;
}

/** The cipher function f(R, K): expansion, key mixing, S-boxes, permutation P. */
function feistel(right: Uint8Array, roundKey: Uint8Array): Uint8Array {
  const expanded = permute(right, E);
  for (let i = 0; i < 48; i++) expanded[i]! ^= roundKey[i]!;
  const sboxOut = new Uint8Array(32);
  for (let box = 0; box < 8; box++) {
    const b = expanded.subarray(box * 6, box * 6 + 6);
    const row = (b[0]! << 1) | b[5]!;
    const column = (b[1]! << 3) | (b[2]! << 2) | (b[3]! << 1) | b[4]!;
    const v = SBOXES[box]![row * 16 + column]!;
    for (let k = 0; k < 4; k++) sboxOut[box * 4 + k] = (v >> (3 - k)) & 1;
  }
  return permute(sboxOut, P);
}

/** DES-encrypts one 8-octet block under an 8-octet key (parity bits ignored). */
export function desEncryptBlock8(key8: Uint8Array, block8: Uint8Array): Uint8Array {
  if (key8.length !== 8 || block8.length !== 8) throw new RangeError('DES needs an 8-octet key and an 8-octet block');
  const roundKeys = keySchedule(key8);
  const ip = permute(toBits(block8), IP);
  let left = ip.slice(0, 32);
  let right = ip.slice(32, 64);
  for (const k of roundKeys) {
    const f = feistel(right, k);
    const next = new Uint8Array(32);
    for (let i = 0; i < 32; i++) next[i] = left[i]! ^ f[i]!;
    left = right;
    right = next;
  }
  // FIPS 46-3: the preoutput is R16 L16 (the halves swapped), then the inverse of IP.
  const preoutput = new Uint8Array(64);
  preoutput.set(right, 0);
  preoutput.set(left, 32);
  return fromBits(permute(preoutput, FP));
}

/**
 * RFC 2759 §8.6 / RFC 2433 Appendix A (MakeKey): spreads 56 key bits over 8 octets, 7 bits each in
 * the high bits, and sets the low bit of each octet for odd parity.
 */
export function expandDesKey(key7: Uint8Array): Uint8Array {
  if (key7.length !== 7) throw new RangeError('a 56-bit DES key is 7 octets');
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) {
    // Bits 7i .. 7i+6 of the 56-bit string, as the high 7 bits of octet i.
    const hi = i === 0 ? 0 : key7[i - 1]! << (8 - i);
    const lo = i === 7 ? 0 : key7[i]! >> i;
    const seven = (hi | lo) & 0xfe;
    let ones = 0;
    for (let b = 1; b < 8; b++) ones += (seven >> b) & 1;
    out[i] = seven | (ones % 2 === 0 ? 1 : 0);
  }
  return out;
}

/** RFC 2759 §8.6 DesEncrypt: DES-encrypts an 8-octet block under a 7-octet (56-bit) key. */
export function desEncryptBlock(key7: Uint8Array, block8: Uint8Array): Uint8Array {
  return desEncryptBlock8(expandDesKey(key7), block8);
}
