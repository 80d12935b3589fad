/**
 * A first-in first-out queue on a ring that only grows (doubling, rarely): push and shift
 * allocate nothing in steady state, unlike Array#push/#shift (shifting trims the array's backing
 * store, so later pushes grow it again) or resetting `length = 0` (which frees it). For the
 * engine's per-packet output queues (issue 12). Must not: hold anything after it is shifted out.
 */
export class Fifo<T> {
  private ring: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(capacity = 16) {
    this.ring = new Array<T | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.count;
  }

  push(value: T): void {
    if (this.count === this.ring.length) this.grow();
    this.ring[(this.head + this.count) % this.ring.length] = value;
    this.count++;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const value = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.count--;
    return value;
  }

  /** The value `shift` would return, left in place. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.ring[this.head];
  }

  private grow(): void {
    const bigger = new Array<T | undefined>(this.ring.length * 2).fill(undefined);
    for (let n = 0; n < this.count; n++) bigger[n] = this.ring[(this.head + n) % this.ring.length];
    this.ring = bigger;
    this.head = 0;
  }
}

/**
 * A FIFO of frames that each start at an offset inside their buffer (the octets before it are
 * headroom a lower layer may write its header into). `shiftAt` hands out the buffer without a
 * view and leaves the offset in `lastStart`; `shift` returns the frame as a view (none when the
 * offset is 0). One home for the GRE receiver's ready queue and the PPP link's output queue.
 */
export class OffsetFrameFifo {
  private readonly buffers = new Fifo<Uint8Array>();
  private readonly starts = new Fifo<number>();
  /** Where the frame last returned by `shiftAt` starts in its buffer. */
  lastStart = 0;

  get length(): number {
    return this.buffers.length;
  }

  push(buffer: Uint8Array, start: number): void {
    this.buffers.push(buffer);
    this.starts.push(start);
  }

  /** The next frame's buffer; the frame is `buffer[lastStart..]`. */
  shiftAt(): Uint8Array | undefined {
    const buffer = this.buffers.shift();
    this.lastStart = this.starts.shift() ?? 0;
    return buffer;
  }

  /** The next frame as its own view. */
  shift(): Uint8Array | undefined {
    const buffer = this.shiftAt();
    if (buffer === undefined) return undefined;
    return this.lastStart === 0 ? buffer : buffer.subarray(this.lastStart);
  }
}
