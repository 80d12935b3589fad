/**
 * GetNewKeyFromSHA's fixed two-block SHA-1 (RFC 3079 §7, FIPS 180-4) as a hand-written
 * WebAssembly module, for the A/B against the TypeScript GetNewKeyHasher (mppe-keys.ts) in
 * bench/mppe.bench.ts. Same shape: the two padded blocks live in the module's memory as 32
 * words, built once from the start key; `hash` writes the session-key words and runs two
 * compressions. Memory (one 64 KiB page):
 *
 *   [0, 320)     the message schedule W[0..79]
 *   [512, 640)   the two message blocks, as host-order i32 words (written through an Int32Array)
 *   [640, 660)   the hash value H[0..4]
 *
 * Owns: the WebAssembly SHA-1 compression. Must not: be used beyond the legacy key derivation
 * that mandates SHA-1.
 */
import { mppeMessageWords, writeSessionWords } from './get-new-key-input';
import { SHA1_INITIAL_HASH } from './sha1';
import { EMPTY_BLOCK, buildModule, i32, mem, op } from './wasm-module';

const W_AT = 0;
const BLOCKS_AT = 512;
const H_AT = 640;

const { localGet: get, localSet: set, localTee: tee } = op;
// compress(block) locals: 0 block, 1 p, 2 a, 3 b, 4 c, 5 d, 6 e, 7 temp.
const A = 2;
const B = 3;
const C = 4;
const D = 5;
const E = 6;

/** One group of 20 rounds (FIPS 180-4 §6.1.2 step 3) with round function `f` and constant `k`. */
function rounds(f: readonly number[], k: number, endByte: number): number[] {
  return [
    op.loop, EMPTY_BLOCK,
    // temp = rotl(a, 5) + f(b, c, d) + e + k + W[t]
    get, A, ...i32(5), op.i32Rotl, ...f, op.i32Add, get, E, op.i32Add, ...i32(k | 0), op.i32Add,
    get, 1, op.i32Load, ...mem(W_AT), op.i32Add, set, 7,
    // e = d; d = c; c = rotl(b, 30); b = a; a = temp
    get, D, set, E, get, C, set, D, get, B, ...i32(30), op.i32Rotl, set, C, get, A, set, B, get, 7, set, A,
    get, 1, ...i32(4), op.i32Add, tee, 1, ...i32(endByte), op.i32Ne, op.brIf, 0,
    op.end,
  ];
}

// FIPS 180-4 §4.1.1: Ch = d ^ (b & (c ^ d)); Parity = b ^ c ^ d; Maj = (b & c) | (d & (b | c)).
const CH = [get, D, get, B, get, C, get, D, op.i32Xor, op.i32And, op.i32Xor];
const PARITY = [get, B, get, C, op.i32Xor, get, D, op.i32Xor];
const MAJ = [get, B, get, C, op.i32And, get, D, get, B, get, C, op.i32Or, op.i32And, op.i32Or];

const COMPRESS = [
  // W[0..15] = block words
  op.loop, EMPTY_BLOCK,
  get, 1, get, 0, get, 1, op.i32Add, op.i32Load, ...mem(0), op.i32Store, ...mem(W_AT),
  get, 1, ...i32(4), op.i32Add, tee, 1, ...i32(64), op.i32Ne, op.brIf, 0,
  op.end,
  // W[t] = rotl(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16], 1) for t in 16..79; p = 4 (t - 16)
  ...i32(0), set, 1,
  op.loop, EMPTY_BLOCK,
  get, 1,
  get, 1, op.i32Load, ...mem(W_AT + 52), get, 1, op.i32Load, ...mem(W_AT + 32), op.i32Xor,
  get, 1, op.i32Load, ...mem(W_AT + 8), op.i32Xor, get, 1, op.i32Load, ...mem(W_AT), op.i32Xor,
  ...i32(1), op.i32Rotl, op.i32Store, ...mem(W_AT + 64),
  get, 1, ...i32(4), op.i32Add, tee, 1, ...i32(256), op.i32Ne, op.brIf, 0,
  op.end,
  ...[A, B, C, D, E].flatMap((local, n) => [...i32(H_AT + 4 * n), op.i32Load, ...mem(0), set, local]),
  ...i32(0), set, 1,
  ...rounds(CH, 0x5a827999, 80),
  ...rounds(PARITY, 0x6ed9eba1, 160),
  ...rounds(MAJ, 0x8f1bbcdc, 240),
  ...rounds(PARITY, 0xca62c1d6, 320),
  ...[A, B, C, D, E].flatMap((local, n) => [
    ...i32(H_AT + 4 * n), ...i32(H_AT + 4 * n), op.i32Load, ...mem(0), get, local, op.i32Add, op.i32Store, ...mem(0),
  ]),
];

/** hash(): H = the initial value, then the two blocks. */
const HASH = [
  ...SHA1_INITIAL_HASH.flatMap((v, n) => [...i32(H_AT + 4 * n), ...i32(v), op.i32Store, ...mem(0)]),
  ...i32(BLOCKS_AT), op.call, 0,
  ...i32(BLOCKS_AT + 64), op.call, 0,
];

export const SHA1_WASM_BYTES = buildModule({
  pages: 1,
  globals: 0,
  functions: [
    { name: 'compress', params: 1, locals: 7, body: COMPRESS },
    { name: 'hash', params: 0, locals: 0, body: HASH },
  ],
});

interface Sha1Exports {
  readonly memory: WebAssembly.Memory;
  hash(): void;
}

let compiled: WebAssembly.Module | undefined;

/** True when this runtime can run the module (WebAssembly present and the module valid). */
export function wasmSha1Available(): boolean {
  try {
    compiled ??= new WebAssembly.Module(SHA1_WASM_BYTES);
    return true;
  } catch {
    return false;
  }
}

/** GetNewKeyFromSHA (RFC 3079 §7) for one start key, in WebAssembly; the API of GetNewKeyHasher. */
export class WasmGetNewKeyHasher {
  readonly keyLength: number;
  private readonly wasm: Sha1Exports;
  private readonly message: Int32Array;
  private readonly h: Int32Array;
  private readonly sessionWord: number;

  constructor(startKey: Uint8Array, keyLength: 8 | 16) {
    compiled ??= new WebAssembly.Module(SHA1_WASM_BYTES);
    this.wasm = new WebAssembly.Instance(compiled).exports as unknown as Sha1Exports;
    this.keyLength = keyLength;
    this.message = new Int32Array(this.wasm.memory.buffer, BLOCKS_AT, 32);
    this.h = new Int32Array(this.wasm.memory.buffer, H_AT, 5);
    const { words, sessionWord } = mppeMessageWords(startKey, keyLength);
    this.message.set(words);
    this.sessionWord = sessionWord;
  }

  hash(sessionKey: Uint8Array, out: Uint8Array): void {
    writeSessionWords(this.message, this.sessionWord, sessionKey, this.keyLength);
    this.wasm.hash();
    const h = this.h;
    for (let k = 0; k < 5; k++) {
      const v = h[k]!;
      out[k * 4] = v >>> 24;
      out[k * 4 + 1] = (v >>> 16) & 0xff;
      out[k * 4 + 2] = (v >>> 8) & 0xff;
      out[k * 4 + 3] = v & 0xff;
    }
  }
}
