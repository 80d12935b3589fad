/**
 * The framer for the PPTP control TCP stream (RFC 2637 §2: every message starts with its own
 * Length and carries the magic cookie at offset 4). Feed it arbitrary chunks — split, coalesced,
 * with garbage — and it returns, in order, each whole message decoded (./decode.ts) or a typed
 * error. It owns only the reassembly buffer; it knows nothing of connection state.
 *
 * Rules:
 *  - The buffer has a fixed capacity (`maxMessageLength`, default 512, at least the 220 octets
 *    of the longest RFC 2637 message). A chunk larger than the free space is consumed piecewise;
 *    memory never grows with input.
 *  - No cookie at offset 4: one 'bad-magic' error, then resynchronise by dropping octets until a
 *    plausible header starts (cookie at offset 4 and, once visible, a Length in range).
 *  - Length field < 12 ('bad-length') or > capacity ('too-large'): reported, then resynchronise
 *    the same way (the length cannot be trusted to skip the message).
 *  - A Length in range is trusted for framing even when wrong for the type or the type is
 *    unknown: that many octets are consumed and the decoder's error ('bad-length',
 *    'unknown-type', 'bad-field') is returned, so the stream stays in step.
 *  - One resynchronisation reports one error, however many octets it drops.
 *  - `end()` (the TCP stream closed) reports 'truncated' when part of a message is buffered.
 */
import { readU16, readU32 } from '../wire/bytes';
import type { Result } from '../wire/result';
import { wireError, type WireError } from '../wire/wire-error';
import {
  CONTROL_HEADER_LENGTH,
  HEADER_OFFSET_LENGTH,
  HEADER_OFFSET_MAGIC,
  MAX_KNOWN_CONTROL_MESSAGE_LENGTH,
  PPTP_MAGIC_COOKIE,
} from './constants';
import { decodeControlMessage } from './decode';
import type { ControlMessage } from './messages';

export type FramerOutput = Result<ControlMessage, WireError>;

export interface ControlFramerOptions {
  /** Largest message the framer buffers (octets). Clamped to at least 220 (RFC 2637 §2.9). */
  readonly maxMessageLength?: number;
}

export const DEFAULT_MAX_CONTROL_MESSAGE_LENGTH = 512;

/** Octets needed to see the magic cookie (offset 4, 4 octets). */
const COOKIE_END = HEADER_OFFSET_MAGIC + 4;

export class ControlFramer {
  private readonly buffer: Uint8Array;
  private length = 0;
  private resynchronising = false;

  constructor(options: ControlFramerOptions = {}) {
    const max = Math.max(
      MAX_KNOWN_CONTROL_MESSAGE_LENGTH,
      Math.floor(options.maxMessageLength ?? DEFAULT_MAX_CONTROL_MESSAGE_LENGTH),
    );
    this.buffer = new Uint8Array(max);
  }

  /** The fixed bound on buffered octets. */
  get capacity(): number {
    return this.buffer.length;
  }

  /** Octets currently held (a message not yet complete, or up to 7 octets being scanned). */
  get buffered(): number {
    return this.length;
  }

  /** Feeds a chunk of the TCP stream; returns every message or error it completes, in order. */
  push(chunk: Uint8Array): FramerOutput[] {
    const out: FramerOutput[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(this.buffer.length - this.length, chunk.length - offset);
      this.buffer.set(chunk.subarray(offset, offset + n), this.length);
      this.length += n;
      offset += n;
      this.drain(out);
    }
    return out;
  }

  /** The stream ended: a 'truncated' error when a partial message was pending. Resets the framer. */
  end(): WireError | undefined {
    const partial = this.length > 0 && !this.resynchronising;
    const held = this.length;
    this.reset();
    return partial ? wireError('truncated', `the stream ended inside a message (${held} octets buffered)`) : undefined;
  }

  reset(): void {
    this.length = 0;
    this.resynchronising = false;
  }

  private drain(out: FramerOutput[]): void {
    // Each pass either returns (needs more input) or consumes at least one octet.
    while (true) {
      if (this.length < COOKIE_END) return;
      const magic = readU32(this.buffer, HEADER_OFFSET_MAGIC);
      if (magic !== PPTP_MAGIC_COOKIE) {
        this.resync(out, wireError('bad-magic', 'no PPTP magic cookie at offset 4; skipping to the next message'));
        continue;
      }
      if (this.length < CONTROL_HEADER_LENGTH) return;
      const length = readU16(this.buffer, HEADER_OFFSET_LENGTH);
      if (length < CONTROL_HEADER_LENGTH) {
        this.resync(out, wireError('bad-length', `length field ${length} is shorter than the 12-octet header`));
        continue;
      }
      if (length > this.buffer.length) {
        this.resync(out, wireError('too-large', `length field ${length} exceeds the ${this.buffer.length}-octet limit`));
        continue;
      }
      if (this.length < length) return;
      out.push(decodeControlMessage(this.buffer.subarray(0, length)));
      this.consume(length);
      this.resynchronising = false;
    }
  }

  /** Reports `error` (once per episode) and drops octets up to the next plausible header. */
  private resync(out: FramerOutput[], error: WireError): void {
    if (!this.resynchronising) out.push({ ok: false, error });
    this.resynchronising = true;
    let drop = this.length - (COOKIE_END - 1); // keep a tail that may begin a cookie
    for (let i = 1; i + COOKIE_END <= this.length; i++) {
      if (this.plausibleHeaderAt(i)) {
        drop = i;
        break;
      }
    }
    this.consume(Math.max(1, drop));
  }

  private plausibleHeaderAt(i: number): boolean {
    if (readU32(this.buffer, i + HEADER_OFFSET_MAGIC) !== PPTP_MAGIC_COOKIE) return false;
    if (i + CONTROL_HEADER_LENGTH > this.length) return true; // decide when the Length is visible
    const length = readU16(this.buffer, i + HEADER_OFFSET_LENGTH);
    return length >= CONTROL_HEADER_LENGTH && length <= this.buffer.length;
  }

  private consume(n: number): void {
    this.buffer.copyWithin(0, n, this.length);
    this.length -= n;
  }
}
