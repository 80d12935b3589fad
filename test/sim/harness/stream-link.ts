/**
 * One direction of a reliable, in-order byte stream (what the PPTP control connection rides on,
 * TCP 1723): bytes arrive exactly once and in order after a fixed delay, optionally re-cut into
 * segments of seeded random size (to exercise framers on split and coalesced reads), and the
 * stream can be closed (a FIN after the last byte). Owns only the bytes in flight.
 *
 *   const s = new StreamLink({ delayMs: 5, maxSegment: 7, coalesce: true, seed: 3 });
 *   s.write(now, bytes); s.close(now);
 *   s.nextDelivery(); s.pollDelivery(now);   // Uint8Array chunk, 'closed' once, or undefined
 */
import { SimRandom } from './sim-random';
import { concatBytes } from '../../../main/engine/wire/bytes';

export interface StreamImpairment {
  /** One-way delay in ms. Default 10. */
  readonly delayMs?: number;
  /** Re-cut writes into segments of 1 .. maxSegment bytes (seeded). Default: writes kept whole. */
  readonly maxSegment?: number;
  /** Deliver everything due at once as one chunk (a read that coalesces segments). Default false. */
  readonly coalesce?: boolean;
  readonly seed?: number;
}

interface Segment {
  readonly at: number;
  readonly bytes: Uint8Array | 'closed';
}

export class StreamLink {
  private readonly queue: Segment[] = [];
  private readonly random: SimRandom;
  private closed = false;
  private lastAt = -Infinity;
  bytesWritten = 0;
  bytesDelivered = 0;

  constructor(private readonly impairment: StreamImpairment = {}) {
    this.random = new SimRandom(impairment.seed ?? 1);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  write(now: number, bytes: Uint8Array): void {
    if (this.closed || bytes.length === 0) return;
    this.bytesWritten += bytes.length;
    const at = this.arrival(now);
    const max = this.impairment.maxSegment;
    if (max === undefined || max <= 0) {
      this.queue.push({ at, bytes: bytes.slice() });
      return;
    }
    for (let off = 0; off < bytes.length; ) {
      const n = Math.min(bytes.length - off, this.random.int(1, max));
      this.queue.push({ at, bytes: bytes.slice(off, off + n) });
      off += n;
    }
  }

  /** A FIN after everything written so far; later writes are ignored. */
  close(now: number): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.push({ at: this.arrival(now), bytes: 'closed' });
  }

  nextDelivery(): number | undefined {
    return this.queue[0]?.at;
  }

  pollDelivery(now: number): Uint8Array | 'closed' | undefined {
    const head = this.queue[0];
    if (head === undefined || head.at > now) return undefined;
    this.queue.shift();
    if (head.bytes === 'closed') return 'closed';
    if (!this.impairment.coalesce) {
      this.bytesDelivered += head.bytes.length;
      return head.bytes;
    }
    const parts = [head.bytes];
    for (let next = this.queue[0]; next !== undefined && next.at <= now && next.bytes !== 'closed'; next = this.queue[0]) {
      parts.push(next.bytes);
      this.queue.shift();
    }
    const out = concatBytes(parts);
    this.bytesDelivered += out.length;
    return out;
  }

  /** In order: never earlier than what was written before. */
  private arrival(now: number): number {
    const at = Math.max(now + (this.impairment.delayMs ?? 10), this.lastAt);
    this.lastAt = at;
    return at;
  }
}
