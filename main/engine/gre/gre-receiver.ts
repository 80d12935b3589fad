/**
 * The receive half of one GRE call's sequencing (RFC 2637 §4.2-4.3): in-order delivery of data
 * packets by sequence number, a bounded reorder buffer with a timeout, and the classification
 * of everything else (duplicate, stale, over the window). Owns the receive sequence state and
 * its counters; it must not decode bytes, build acknowledgements or read a clock (`now` comes in).
 *
 * Rules (all comparisons are 32-bit serial arithmetic, serial.ts):
 * - The first data packet sets the base: peers start anywhere (pptp-linux at 0, the Linux
 *   kernel's pptp module at 1), so no starting number is assumed.
 * - `expected` is the next sequence number to pass up. A packet equal to it is delivered at once,
 *   followed by any buffered packets that are now consecutive.
 * - `highest` is the highest sequence number received (passed up or held): what we acknowledge
 *   (RFC 2637 §4.1: "the highest numbered GRE packet received"), so the peer's window keeps
 *   sliding while we wait for a gap.
 * - A packet ahead of `expected` and at most `window` beyond `highest` is held (RFC 2637 §4.3 lets
 *   a receiver discard out-of-order packets; like pptp-linux we hold them briefly because PPP and
 *   MPPE above prefer order). When the oldest held packet has waited `reorderTimeoutMs`, the gap before the lowest held packet is
 *   given up: its sequence numbers count as lost and delivery resumes there. A full buffer gives
 *   up the lowest gap at once, so memory stays bounded.
 * - A packet more than `window` beyond `highest` is over the window: a peer that honours our
 *   window (RFC 2637 §4.2) cannot send it, as it may only run `window` past our last ack, which
 *   is at most `highest`. One such packet is dropped and remembered; if the next
 *   over-window packet lies within a window after it, the peer has really moved on (a peer that
 *   ignores windows, or a long outage), so we resync: pass up what is buffered, count the gap as
 *   lost and continue from that packet. A single wild sequence number therefore cannot derail us.
 * - A packet behind `expected` is a duplicate if it was delivered recently (a history of the last
 *   HISTORY_SIZE numbers) or is already buffered; otherwise stale (it arrived after we gave up on
 *   it, or too old to tell).
 * Invariant: accepted + lost == the count of sequence numbers passed (delivered or given up).
 */
import { seqAdd, seqDiff } from './serial';
import { copyBytes } from '../wire/bytes';
import { OffsetFrameFifo } from '../wire/fifo';

export type GreRxDataVerdict = 'accepted' | 'buffered' | 'duplicate' | 'stale' | 'over-window' | 'resync';

export interface GreReceiverConfig {
  /** The window we advertised in OCRQ (packets ahead of our acknowledgement the peer may send). */
  readonly window: number;
  readonly reorderTimeoutMs: number;
  readonly maxReorderBuffer: number;
  /** Pass in-order payloads up without a copy (see onData). Default false. */
  readonly uncopiedInOrder?: boolean;
}

export interface GreReceiverCounters {
  accepted: number;
  lost: number;
  reordered: number;
  duplicate: number;
  stale: number;
  overWindow: number;
  resyncs: number;
  bytes: number;
}

/** Delivered sequence numbers remembered to tell duplicates from stale packets. */
const HISTORY_SIZE = 1024;

interface Held {
  readonly payload: Uint8Array;
  readonly arrivedAt: number;
}

export class GreReceiver {
  private expected: number | undefined;
  private highest: number | undefined;
  private first: number | undefined;
  private readonly held = new Map<number, Held>();
  private readonly history = new Float64Array(HISTORY_SIZE).fill(-1);
  private overWindowCandidate: number | undefined;
  /** Frames ready to pass up, each as a buffer and the offset its frame starts at. */
  private readonly ready = new OffsetFrameFifo();
  readonly counters: GreReceiverCounters = {
    accepted: 0,
    lost: 0,
    reordered: 0,
    duplicate: 0,
    stale: 0,
    overWindow: 0,
    resyncs: 0,
    bytes: 0,
  };

  constructor(private readonly config: GreReceiverConfig) {}

  /** The highest sequence number received (passed up or held): the acknowledgement number. */
  get highestReceived(): number | undefined {
    return this.highest;
  }

  /** The first sequence number ever received (the base). */
  get firstSequence(): number | undefined {
    return this.first;
  }

  get heldCount(): number {
    return this.held.size;
  }

  /**
   * One data packet. The payload is copied when kept, so the caller may reuse its buffer; with
   * `uncopiedInOrder`, one passed up at once (in order) is not copied: the frame from
   * pollReady() is then a view of the caller's buffer, to be polled before that buffer is reused.
   */
  onData(now: number, sequence: number, input: Uint8Array, payloadStart = 0): GreRxDataVerdict {
    // `input[payloadStart..]` is the payload; a copy is made only where it is kept.
    if (this.expected === undefined || this.highest === undefined) {
      this.expected = sequence;
      this.highest = sequence;
      this.first = sequence;
    }
    const ahead = seqDiff(sequence, this.expected);

    if (ahead === 0) {
      if (this.config.uncopiedInOrder) this.deliver(sequence, input, payloadStart);
      else this.deliver(sequence, ownCopy(input, payloadStart), 0);
      this.drainConsecutive();
      this.overWindowCandidate = undefined;
      return 'accepted';
    }
    if (ahead < 0) {
      const back = -ahead;
      if (back <= HISTORY_SIZE && this.history[sequence % HISTORY_SIZE] === sequence) {
        this.counters.duplicate++;
        return 'duplicate';
      }
      this.counters.stale++;
      return 'stale';
    }
    if (seqDiff(sequence, this.highest) <= this.config.window) {
      this.overWindowCandidate = undefined;
      if (seqDiff(sequence, this.highest) > 0) this.highest = sequence;
      if (this.held.has(sequence)) {
        this.counters.duplicate++;
        return 'duplicate';
      }
      if (this.held.size >= this.config.maxReorderBuffer) {
        // Full: give up the lowest gap, which ends at this packet if it is below everything held.
        const lowest = this.lowestHeld();
        if (lowest !== undefined && seqDiff(sequence, lowest) < 0) {
          this.counters.lost += seqDiff(sequence, this.expected);
          this.expected = sequence;
        } else {
          this.giveUpLowestGap();
        }
        // Giving up may have moved `expected` up to this very packet.
        if (seqDiff(sequence, this.expected) === 0) {
          this.deliver(sequence, ownCopy(input, payloadStart), 0);
          this.drainConsecutive();
          return 'accepted';
        }
      }
      this.held.set(sequence, { payload: ownCopy(input, payloadStart), arrivedAt: now });
      this.counters.reordered++;
      return 'buffered';
    }

    const candidate = this.overWindowCandidate;
    if (candidate !== undefined) {
      const fromCandidate = seqDiff(sequence, candidate);
      if (fromCandidate > 0 && fromCandidate < this.config.window) {
        this.resyncTo(sequence);
        this.deliver(sequence, ownCopy(input, payloadStart), 0);
        this.drainConsecutive();
        this.counters.resyncs++;
        this.overWindowCandidate = undefined;
        return 'resync';
      }
    }
    this.overWindowCandidate = sequence;
    this.counters.overWindow++;
    return 'over-window';
  }

  /** When the oldest held packet's reorder wait ends, or undefined when nothing is held. */
  nextDeadline(): number | undefined {
    let oldest: number | undefined;
    for (const h of this.held.values()) if (oldest === undefined || h.arrivedAt < oldest) oldest = h.arrivedAt;
    return oldest === undefined ? undefined : oldest + this.config.reorderTimeoutMs;
  }

  /** Gives up gaps whose reorder wait has ended. Returns how many sequence numbers were lost. */
  expire(now: number): number {
    const before = this.counters.lost;
    for (let guard = this.held.size; guard > 0; guard--) {
      const deadline = this.nextDeadline();
      if (deadline === undefined || deadline > now) break;
      this.giveUpLowestGap();
    }
    return this.counters.lost - before;
  }

  /** The next in-order PPP frame for the layer above. */
  pollReady(): Uint8Array | undefined {
    return this.ready.shift();
  }

  /** pollReady without the view: the frame is `buffer[lastReadyStart..]`. */
  pollReadyAt(): Uint8Array | undefined {
    return this.ready.shiftAt();
  }

  /** Where the frame pollReadyAt() returned last starts in its buffer. */
  get lastReadyStart(): number {
    return this.ready.lastStart;
  }

  /** `payload[start..]` must be owned (copied), or the caller's if `uncopiedInOrder`. */
  private deliver(sequence: number, payload: Uint8Array, start: number): void {
    this.ready.push(payload, start);
    this.history[sequence % HISTORY_SIZE] = sequence;
    this.counters.accepted++;
    this.counters.bytes += payload.length - start;
    this.expected = seqAdd(sequence, 1);
    if (this.highest === undefined || seqDiff(sequence, this.highest) > 0) this.highest = sequence;
  }

  private drainConsecutive(): void {
    for (;;) {
      const next = this.expected!;
      const h = this.held.get(next);
      if (h === undefined) return;
      this.held.delete(next);
      this.deliver(next, h.payload, 0);
    }
  }

  private lowestHeld(): number | undefined {
    let lowest: number | undefined;
    for (const seq of this.held.keys()) if (lowest === undefined || seqDiff(seq, lowest) < 0) lowest = seq;
    return lowest;
  }

  /** Counts the gap before the lowest held packet as lost and delivers from there. */
  private giveUpLowestGap(): void {
    const lowest = this.lowestHeld();
    if (lowest === undefined || this.expected === undefined) return;
    this.counters.lost += seqDiff(lowest, this.expected);
    this.expected = lowest;
    this.drainConsecutive();
  }

  /** Passes up everything held (in order, gaps lost) and moves `expected` to `sequence`. */
  private resyncTo(sequence: number): void {
    for (let guard = this.held.size; guard > 0 && this.held.size > 0; guard--) this.giveUpLowestGap();
    this.counters.lost += seqDiff(sequence, this.expected!);
    this.expected = sequence;
    this.highest = sequence;
  }
}

/** An owned copy of `input[start..]`. */
function ownCopy(input: Uint8Array, start: number): Uint8Array {
  return start === 0 ? copyBytes(input) : input.slice(start);
}
