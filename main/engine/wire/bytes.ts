/**
 * Big-endian byte helpers for the codecs: a bounds-checked reader over a Uint8Array (the
 * "checked view" step reads lengths with it before any field is trusted) and a fixed-capacity
 * writer. Network byte order throughout (RFC 1700).
 *
 * The reader never throws: reads past the end return undefined, and callers turn that into a
 * WireError. The writer is given its exact size up front by the encoder, so encoding never
 * reallocates.
 */
export class ByteReader {
  private offset: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.offset = start;
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  u8(): number | undefined {
    if (this.offset + 1 > this.end) return undefined;
    return this.bytes[this.offset++];
  }

  u16(): number | undefined {
    if (this.offset + 2 > this.end) return undefined;
    const v = readU16(this.bytes, this.offset);
    this.offset += 2;
    return v;
  }

  u32(): number | undefined {
    if (this.offset + 4 > this.end) return undefined;
    const v = readU32(this.bytes, this.offset);
    this.offset += 4;
    return v;
  }

  /** A view (no copy) of the next `length` bytes. */
  bytesView(length: number): Uint8Array | undefined {
    if (length < 0 || this.offset + length > this.end) return undefined;
    const v = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return v;
  }

  skip(length: number): boolean {
    if (length < 0 || this.offset + length > this.end) return false;
    this.offset += length;
    return true;
  }
}

export class ByteWriter {
  private readonly bytes: Uint8Array;
  private offset = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  get position(): number {
    return this.offset;
  }

  u8(v: number): this {
    this.bytes[this.offset++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    writeU16(this.bytes, this.offset, v);
    this.offset += 2;
    return this;
  }

  u32(v: number): this {
    writeU32(this.bytes, this.offset, v);
    this.offset += 4;
    return this;
  }

  bytesFrom(src: Uint8Array): this {
    this.bytes.set(src, this.offset);
    this.offset += src.length;
    return this;
  }

  zeros(length: number): this {
    this.bytes.fill(0, this.offset, this.offset + length);
    this.offset += length;
    return this;
  }

  /** An ASCII string in a fixed-width, NUL-padded field (truncated if longer). */
  fixedAscii(text: string, width: number): this {
    const field = this.bytes.subarray(this.offset, this.offset + width);
    field.fill(0);
    const n = Math.min(text.length, width);
    for (let i = 0; i < n; i++) field[i] = text.charCodeAt(i) & 0x7f;
    this.offset += width;
    return this;
  }

  finish(): Uint8Array {
    return this.offset === this.bytes.length ? this.bytes : this.bytes.subarray(0, this.offset);
  }
}

export function readU16(b: Uint8Array, off: number): number {
  return ((b[off]! << 8) | b[off + 1]!) >>> 0;
}

export function readU32(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

export function writeU16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

export function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 24) & 0xff;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

/** A NUL-padded ASCII field read up to its first NUL; non-printable bytes become '?'. */
export function readFixedAscii(field: Uint8Array): string {
  let out = '';
  for (const c of field) {
    if (c === 0) break;
    out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return out;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += c.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A copy of `b` as a plain Uint8Array. Use this, never `b.slice()`: the service hands the engine
 * Node Buffers, and Buffer#slice returns a VIEW into memory that the socket reuses (a real bug:
 * the MS-CHAPv2 authenticator challenge was overwritten by the next packet).
 */
export function copyBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}
