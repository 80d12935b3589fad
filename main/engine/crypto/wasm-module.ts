/**
 * A minimal WebAssembly binary writer (WebAssembly Core Specification 1.0, §5 "Binary Format"),
 * enough to emit the few small, hand-written modules the crypto hot path uses (rc4-wasm.ts)
 * without an assembler or a runtime dependency: i32 functions, one exported memory, mutable i32
 * globals, and the handful of instructions below. Each function body is written as a list of
 * opcodes (`op.*`) and immediates, so a reviewer can read it like the text format.
 *
 * Owns: section layout, LEB128 encoding, the opcode table. Must not: know any algorithm.
 */

/** §5.4: the instruction opcodes used by this project's modules. */
export const op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  globalGet: 0x23,
  globalSet: 0x24,
  i32Load: 0x28,
  i32Load8U: 0x2d,
  i32Store: 0x36,
  i32Store8: 0x3a,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  i32Rotl: 0x77,
  select: 0x1b,
} as const;

/** §5.3.1 / §5.4.1: the i32 value type and the empty block type. */
export const I32 = 0x7f;
export const EMPTY_BLOCK = 0x40;

/** §5.2.2: unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** §5.2.2: signed LEB128 (for i32.const). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** `i32.const n`. */
export function i32(n: number): number[] {
  return [op.i32Const, ...sleb(n)];
}

/** A memory access's immediate (§5.4.6): alignment exponent 0 (octets) and a constant offset. */
export function mem(offset = 0): number[] {
  return [0, ...uleb(offset)];
}

export interface WasmFunction {
  readonly name: string;
  readonly params: number;
  /** i32 locals beyond the parameters. */
  readonly locals: number;
  /** The body's instructions, without the final `end`. */
  readonly body: readonly number[];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

/**
 * A module with one exported memory ("memory", `pages` of 64 KiB), `globals` mutable i32 globals
 * starting at 0, and the given functions exported by name, each `(i32 × params) -> ()`.
 */
export function buildModule(options: { pages: number; globals: number; functions: readonly WasmFunction[] }): Uint8Array<ArrayBuffer> {
  const fns = options.functions;
  const types = fns.map((f) => [0x60, ...uleb(f.params), ...Array<number>(f.params).fill(I32), 0]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // §5.5.16: magic "\0asm", version 1
    ...section(1, vector(types)), // type section: one type per function
    ...section(3, vector(fns.map((_, k) => uleb(k)))), // function section
    ...section(5, vector([[0x00, ...uleb(options.pages)]])), // memory section: min pages, no max
    ...section(6, vector(Array.from({ length: options.globals }, () => [I32, 0x01, ...i32(0), op.end]))),
    ...section(
      7, // export section
      vector([[...name('memory'), 0x02, 0], ...fns.map((f, k) => [...name(f.name), 0x00, ...uleb(k)])]),
    ),
    ...section(
      10, // code section
      vector(
        fns.map((f) => {
          const body = [...(f.locals > 0 ? vector([[...uleb(f.locals), I32]]) : [0]), ...f.body, op.end];
          return [...uleb(body.length), ...body];
        }),
      ),
    ),
  ];
  return new Uint8Array(bytes);
}
