/**
 * FramePool: a bounded pool of fixed-size buffers for outgoing GRE packets, so the send path
 * allocates nothing per packet in steady state (issue 12). Owns the slots, who holds each one,
 * and the counts of what went wrong; it must not know what a frame contains.
 *
 * All slots are views of one ArrayBuffer (the slab), made once. A frame of `length` octets is
 * placed at the END of its slot (`slot.length - length` onward), so the engine's "frame =
 * buffer[start..] to the buffer's end" convention (OffsetFrameFifo) holds for pooled buffers too,
 * and the octets before `start` stay free headroom for the GRE header.
 *
 * Ownership, in order:
 *  1. free: in the pool;
 *  2. `acquire` → the engine (PPP link / GRE call) fills it;
 *  3. the session hands it out from pollGrePacketAt() → the DRIVER owns it while the socket
 *     sends it (the GRE socket's flush copies it into the kernel with sendmmsg, then hands it back);
 *  4. the driver gives it back with PptpSession.releaseGrePacket (→ `release`) → free again.
 *  A frame the engine keeps no longer (copied into the send queue, dropped) is released by the
 *  engine itself. A buffer never given back simply leaves the pool: when every slot is out
 *  (a driver that never releases, or a kernel slow to complete sends) `acquire` falls back to a
 *  fresh exactly-sized buffer and counts it (`exhausted`), as the engine did before the pool.
 *  `release` takes any view inside a slot (pollGrePacket's views too); anything else is
 *  'not-pooled' and ignored (ack-only packets of the past, control frames, fallbacks); a slot
 *  given back twice is 'already-free' and ignored, so no slot ever has two owners.
 */

/** Slot size: a 1500-octet MRU frame + PPP/MPPE headers + the 16-octet GRE headroom fits with room to spare. */
export const DEFAULT_FRAME_SLOT_OCTETS = 2048;
/**
 * Slots per session: the peer's window (64 by default) plus a TUN batch (64) in the GRE socket's
 * send queue, twice over. 256 x 2 KiB = 512 KiB per connected session.
 */
export const DEFAULT_FRAME_SLOTS = 256;

export type FrameReleaseVerdict = 'released' | 'not-pooled' | 'already-free';

export interface FramePoolCounters {
  /** Buffers handed out from the pool. */
  acquired: number;
  /** Fresh buffers because every slot was out. */
  exhausted: number;
  /** Fresh buffers because the frame was larger than a slot. */
  oversize: number;
  released: number;
  /** Releases of a slot that was already free (a driver bug; ignored). */
  doubleReleases: number;
  /** Releases of buffers that are not the pool's (ignored: harmless). */
  notPooled: number;
}

export class FramePool {
  readonly slotOctets: number;
  readonly slotCount: number;
  readonly counters: FramePoolCounters = { acquired: 0, exhausted: 0, oversize: 0, released: 0, doubleReleases: 0, notPooled: 0 };
  private readonly slab: ArrayBuffer;
  private readonly slots: Uint8Array[] = [];
  /** Stack of free slot indices; `freeCount` of them are valid. */
  private readonly freeStack: Int32Array;
  private freeCount: number;
  /** 1 = slot is free (in the stack), 0 = out with an owner. */
  private readonly isFree: Uint8Array;

  constructor(slotCount = DEFAULT_FRAME_SLOTS, slotOctets = DEFAULT_FRAME_SLOT_OCTETS) {
    if (!Number.isInteger(slotCount) || slotCount < 1 || !Number.isInteger(slotOctets) || slotOctets < 1) {
      throw new RangeError(`FramePool needs a positive whole number of slots and octets, got ${slotCount} x ${slotOctets}`);
    }
    this.slotCount = slotCount;
    this.slotOctets = slotOctets;
    this.slab = new ArrayBuffer(slotCount * slotOctets);
    this.freeStack = new Int32Array(slotCount);
    this.isFree = new Uint8Array(slotCount).fill(1);
    for (let i = 0; i < slotCount; i++) {
      this.slots.push(new Uint8Array(this.slab, i * slotOctets, slotOctets));
      // Lowest index on top, so a quiet session keeps reusing the same few slots (warm in cache).
      this.freeStack[i] = slotCount - 1 - i;
    }
    this.freeCount = slotCount;
  }

  /** Slots in the pool now. */
  get free(): number {
    return this.freeCount;
  }

  /**
   * A buffer for a frame of `length` octets, to be placed at `buffer.length - length`: a pool
   * slot, or (exhausted, or too large for a slot) a fresh buffer of exactly `length` octets.
   */
  acquire(length: number): Uint8Array {
    if (length > this.slotOctets) {
      this.counters.oversize++;
      return new Uint8Array(length);
    }
    if (this.freeCount === 0) {
      this.counters.exhausted++;
      return new Uint8Array(length);
    }
    const index = this.freeStack[--this.freeCount]!;
    this.isFree[index] = 0;
    this.counters.acquired++;
    return this.slots[index]!;
  }

  /** Whether `bytes` lies inside one of this pool's slots. */
  owns(bytes: Uint8Array): boolean {
    return this.slotOf(bytes) >= 0;
  }

  /** Gives back the slot `bytes` lies in (see the ownership rules above). Never throws. */
  release(bytes: Uint8Array): FrameReleaseVerdict {
    const index = this.slotOf(bytes);
    if (index < 0) {
      this.counters.notPooled++;
      return 'not-pooled';
    }
    if (this.isFree[index] === 1) {
      this.counters.doubleReleases++;
      return 'already-free';
    }
    this.isFree[index] = 1;
    this.freeStack[this.freeCount++] = index;
    this.counters.released++;
    return 'released';
  }

  /** The slot index `bytes` lies in, or -1. */
  private slotOf(bytes: Uint8Array): number {
    if (bytes.buffer !== this.slab) return -1;
    const index = Math.floor(bytes.byteOffset / this.slotOctets);
    if (index >= this.slotCount) return -1;
    // A view spilling into the next slot is not one the pool handed out.
    if (bytes.byteOffset + bytes.length > (index + 1) * this.slotOctets) return -1;
    return index;
  }
}
