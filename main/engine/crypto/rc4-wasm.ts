/**
 * RC4 (RFC 3078 §2's "ARCFOUR", tested by RFC 6229) as a hand-written WebAssembly module, the
 * same algorithm as rc4.ts with the same interface (`Rc4Cipher`). The module is built from the
 * reviewed instruction lists below by wasm-module.ts (no assembler, no dependency), compiled once
 * per process and instantiated per cipher: each instance owns one 64 KiB page laid out as
 *
 *   [0, 1024)       the state table S: 256 little-endian 32-bit words, each holding 4 * S[n]
 *   [1024, 1280)    the key, written by setKey before the key schedule runs
 *   [1280, 4096)    scratch: octets in front of a copied-in range (see crypt)
 *   [4096, 65536)   the data a crypt() call works on, in place
 *
 * Why words scaled by 4, not octets: an entry's value is then already the byte offset of the
 * entry it indexes, so i, j and the output index need no shift, and every table access is a
 * word load or store (OpenSSL's x86-64 RC4 keeps its table in ints too). Measured on an AMD EPYC
 * bench machine, 1400 octets, quiet, alternating runs: octet table 0.57-0.60x OpenSSL's C, word
 * table 0.80-0.82x. The keystream octet is the word's value shifted right by 2 (or left by 6,
 * 14, 22 into its place in a little-endian data word).
 *
 * The keystream loop runs eight octets per step (two little-endian word loads and stores), see
 * WORDS_PER_STEP. Data crosses the boundary by copy (TypedArray#set, a memcpy): in, then the keystream XOR in
 * WebAssembly, then out. To copy in without a view object, the whole input array is copied so
 * that `input[inputOffset]` lands at 4096 when the octets before the range fit the scratch area
 * (a packet's headers do); copy-out uses one cached view of the data area per length. So a
 * packet costs no allocation after the first of each length.
 *
 * Owns: the WebAssembly RC4 instructions and the copies across the boundary. Must not: be used
 * outside the legacy protocols that mandate RC4 (RC4 is broken).
 */
import { checkCryptRange, type Rc4Cipher } from './rc4';
import { EMPTY_BLOCK, buildModule, i32, mem, op } from './wasm-module';

const S_AT = 0;
const KEY_AT = 1024;
const SCRATCH_AT = 1280;
const DATA_AT = 4096;
const PAGE = 65536;
/** The most octets one crypt step handles (the data area). */
const MAX_DATA = PAGE - DATA_AT;
/** Lengths up to this get a cached copy-out view (MTU-sized packets and smaller). */
const CACHED_VIEW_LIMIT = 2048;

const { localGet: get, localSet: set, localTee: tee } = op;

/** setKey(keyLength): the key schedule (KSA) over the key at KEY_AT. Locals: 1 n, 2 j, 3 k, 4 t. */
const SET_KEY = [
  // S4[n] = 4n for n in 0..255: one 32-bit word per entry, the value scaled by 4 (see KEYSTREAM_OCTET)
  op.loop, EMPTY_BLOCK,
  get, 1, get, 1, op.i32Store, ...mem(S_AT),
  get, 1, ...i32(4), op.i32Add, tee, 1, ...i32(1024), op.i32LtU, op.brIf, 0,
  op.end,
  ...i32(0), set, 1,
  op.loop, EMPTY_BLOCK,
  // t = S4[n]; j4 = (j4 + t + 4 key[k]) & 1020
  get, 1, op.i32Load, ...mem(S_AT), set, 4,
  get, 2, get, 4, op.i32Add, get, 3, op.i32Load8U, ...mem(KEY_AT), ...i32(2), op.i32Shl, op.i32Add, ...i32(1020), op.i32And, set, 2,
  // S4[n] = S4[j]; S4[j] = t
  get, 1, get, 2, op.i32Load, ...mem(S_AT), op.i32Store, ...mem(S_AT),
  get, 2, get, 4, op.i32Store, ...mem(S_AT),
  // k = k + 1 != keyLength ? k + 1 : 0
  get, 3, ...i32(1), op.i32Add, tee, 3, ...i32(0), get, 3, get, 0, op.i32Ne, op.select, set, 3,
  get, 1, ...i32(4), op.i32Add, tee, 1, ...i32(1024), op.i32LtU, op.brIf, 0,
  op.end,
  // i = j = 0
  ...i32(0), op.globalSet, 0, ...i32(0), op.globalSet, 1,
];

/**
 * One keystream octet (RFC 6229 / the PRGA) on the scaled table: i4 = (i4 + 4) & 1020;
 * si4 = S4[i4]; j4 = (j4 + si4) & 1020; sj4 = S4[j4]; swap S4[i4], S4[j4]; leaves
 * S4[(si4 + sj4) & 1020] (4x the keystream octet) on the stack. Locals: 2 i4, 3 j4, 4 si4, 5 sj4.
 * (Loading S4[i4 + 4] before the swap's stores, with a fix-up when j4 hits it, as OpenSSL's
 * assembly does, measured slower here: 0.55-0.60x.)
 */
const KEYSTREAM_OCTET = [
  get, 2, ...i32(4), op.i32Add, ...i32(1020), op.i32And, tee, 2, op.i32Load, ...mem(S_AT), set, 4,
  get, 3, get, 4, op.i32Add, ...i32(1020), op.i32And, tee, 3, op.i32Load, ...mem(S_AT), set, 5,
  get, 2, get, 5, op.i32Store, ...mem(S_AT),
  get, 3, get, 4, op.i32Store, ...mem(S_AT),
  get, 4, get, 5, op.i32Add, ...i32(1020), op.i32And, op.i32Load, ...mem(S_AT),
];

/**
 * Little-endian words per step of crypt's main loop. Measured with the octet table on an earlier
 * session's bench machine (another CPU model; 1400 octets, quiet): 1 word 720 MB/s, 2 words 776, 4 words 765, 8 words 778;
 * with the word table on an AMD EPYC one, as ratios to OpenSSL's C in the same run: 2 words
 * 0.80-0.82x, 4 words 0.72-0.84x, 8 words 0.73-0.78x. 2 is as fast as any and keeps the module small.
 */
const WORDS_PER_STEP = 2;
const STEP_OCTETS = 4 * WORDS_PER_STEP;

/** One word at ptr + at: four keystream octets shifted into place, XORed over it. */
function cryptWord(at: number): number[] {
  return [
    get, 0,
    get, 0, op.i32Load, ...mem(at),
    ...KEYSTREAM_OCTET, ...i32(2), op.i32ShrU,
    ...KEYSTREAM_OCTET, ...i32(6), op.i32Shl, op.i32Or,
    ...KEYSTREAM_OCTET, ...i32(14), op.i32Shl, op.i32Or,
    ...KEYSTREAM_OCTET, ...i32(22), op.i32Shl, op.i32Or,
    op.i32Xor, op.i32Store, ...mem(at),
  ];
}

/**
 * crypt(ptr, length): XORs the keystream over [ptr, ptr + length) in place. STEP_OCTETS per step
 * while that many remain (word loads and stores instead of one of each per octet), then one octet
 * per step. Locals: 2 i, 3 j, 4 si, 5 sj, 6 end, 7 end of the whole steps.
 */
const CRYPT = [
  op.block, EMPTY_BLOCK,
  get, 1, op.i32Eqz, op.brIf, 0,
  op.globalGet, 0, set, 2, op.globalGet, 1, set, 3,
  get, 0, get, 1, op.i32Add, set, 6,
  get, 0, get, 1, ...i32(-STEP_OCTETS), op.i32And, op.i32Add, set, 7,
  op.block, EMPTY_BLOCK,
  get, 0, get, 7, op.i32Eq, op.brIf, 0,
  op.loop, EMPTY_BLOCK,
  ...Array.from({ length: WORDS_PER_STEP }, (_, w) => cryptWord(4 * w)).flat(),
  get, 0, ...i32(STEP_OCTETS), op.i32Add, tee, 0, get, 7, op.i32Ne, op.brIf, 0,
  op.end,
  op.end,
  op.block, EMPTY_BLOCK,
  get, 0, get, 6, op.i32Eq, op.brIf, 0,
  op.loop, EMPTY_BLOCK,
  get, 0,
  get, 0, op.i32Load8U, ...mem(0),
  ...KEYSTREAM_OCTET, ...i32(2), op.i32ShrU,
  op.i32Xor, op.i32Store8, ...mem(0),
  get, 0, ...i32(1), op.i32Add, tee, 0, get, 6, op.i32Ne, op.brIf, 0,
  op.end,
  op.end,
  get, 2, op.globalSet, 0, get, 3, op.globalSet, 1,
  op.end,
];

/** The module's octets (exported for the tests and the benchmark's size note). */
export const RC4_WASM_BYTES = buildModule({
  pages: 1,
  globals: 2, // 0: i4, 1: j4 (the PRGA's i and j, scaled by 4)
  functions: [
    { name: 'setKey', params: 1, locals: 4, body: SET_KEY },
    { name: 'crypt', params: 2, locals: 6, body: CRYPT },
  ],
});

interface Rc4Exports {
  readonly memory: WebAssembly.Memory;
  setKey(keyLength: number): void;
  crypt(ptr: number, length: number): void;
}

let compiled: WebAssembly.Module | undefined;

/** True when this runtime can run the module (WebAssembly present and the module valid). */
export function wasmRc4Available(): boolean {
  try {
    compiled ??= new WebAssembly.Module(RC4_WASM_BYTES);
    return true;
  } catch {
    return false;
  }
}

export class WasmRc4 implements Rc4Cipher {
  private readonly wasm: Rc4Exports;
  private readonly heap: Uint8Array;
  private readonly views: (Uint8Array | undefined)[] = [];

  constructor(key: Uint8Array, keyLength = key.length) {
    compiled ??= new WebAssembly.Module(RC4_WASM_BYTES);
    this.wasm = new WebAssembly.Instance(compiled).exports as unknown as Rc4Exports;
    this.heap = new Uint8Array(this.wasm.memory.buffer);
    this.setKey(key, keyLength);
  }

  setKey(key: Uint8Array, keyLength = key.length): void {
    if (keyLength < 1 || keyLength > 256 || keyLength > key.length) {
      throw new RangeError(`RC4 key length must be 1..256 octets and within the key buffer (got ${keyLength})`);
    }
    const heap = this.heap;
    for (let k = 0; k < keyLength; k++) heap[KEY_AT + k] = key[k]!;
    this.wasm.setKey(keyLength);
  }

  crypt(input: Uint8Array, inputOffset: number, length: number, output: Uint8Array, outputOffset: number): void {
    checkCryptRange(input, inputOffset, length, output, outputOffset);
    const heap = this.heap;
    for (let done = 0; done < length; ) {
      const n = Math.min(length - done, MAX_DATA);
      const from = inputOffset + done;
      // The whole input array, placed so input[from] lands at DATA_AT (no view object), when the
      // octets before `from` fit the scratch area and the rest fits the data area.
      if (from <= DATA_AT - SCRATCH_AT && input.length - from <= MAX_DATA) heap.set(input, DATA_AT - from);
      else heap.set(input.subarray(from, from + n), DATA_AT);
      this.wasm.crypt(DATA_AT, n);
      output.set(this.dataView(n), outputOffset + done);
      done += n;
    }
  }

  process(input: Uint8Array, output: Uint8Array = new Uint8Array(input.length)): Uint8Array {
    this.crypt(input, 0, input.length, output, 0);
    return output;
  }

  skip(length: number): void {
    for (let done = 0; done < length; ) {
      const n = Math.min(length - done, MAX_DATA);
      this.wasm.crypt(DATA_AT, n);
      done += n;
    }
  }

  /** The first `n` octets of the data area, as a view cached per length (MTU-sized and below). */
  private dataView(n: number): Uint8Array {
    if (n > CACHED_VIEW_LIMIT) return new Uint8Array(this.wasm.memory.buffer, DATA_AT, n);
    let view = this.views[n];
    if (view === undefined) {
      view = new Uint8Array(this.wasm.memory.buffer, DATA_AT, n);
      this.views[n] = view;
    }
    return view;
  }
}
