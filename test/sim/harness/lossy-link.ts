/**
 * One direction of an unreliable datagram path (what GRE rides on): every datagram sent is
 * dropped, delayed (base + uniform jitter), held back extra to force reordering, or duplicated,
 * decided by a seeded PRNG, so a run replays exactly. Datagrams are copied on send, so an
 * endpoint cannot change what is in flight. Owns only the datagrams in flight and its stats.
 *
 *   const link = new LossyLink({ dropRate: 0.05, delayMs: 20, jitterMs: 5, seed: 7 });
 *   link.send(now, bytes);                  // at the sender's time
 *   link.nextDelivery();                     // earliest arrival time, or undefined
 *   link.pollDelivery(now);                  // next datagram due at or before now, or undefined
 *   link.setImpairment({ dropRate: 1 });     // change conditions mid-run (a black hole)
 *
 * Datagrams due at the same instant arrive in the order they were scheduled.
 */
import { SimRandom } from './sim-random';

export type LinkEvent = 'sent' | 'dropped' | 'duplicated' | 'delivered';

export interface LinkImpairment {
  /** Probability a datagram is lost. Default 0. */
  readonly dropRate?: number;
  /** Probability a (not dropped) datagram is delivered twice. Default 0. */
  readonly duplicateRate?: number;
  /** Base one-way delay in ms. Default 10. */
  readonly delayMs?: number;
  /** Extra delay, uniform in [0, jitterMs). Default 0. */
  readonly jitterMs?: number;
  /** Probability a datagram is held back an extra `reorderExtraMs` (so later ones overtake it). Default 0. */
  readonly reorderRate?: number;
  /** Default 20. */
  readonly reorderExtraMs?: number;
  /** Seed of the PRNG; the same seed and inputs give the same run. Default 1. */
  readonly seed?: number;
  /** Scripted loss on top of the random one: return true to drop. `index` counts sends from 0. */
  readonly dropIf?: (datagram: Uint8Array, index: number) => boolean;
  /** Sees every datagram event (for tests that classify what was lost). */
  readonly observe?: (event: LinkEvent, datagram: Uint8Array, now: number) => void;
}

export interface LinkStats {
  sent: number;
  dropped: number;
  duplicated: number;
  delivered: number;
  /** Deliveries that overtook an earlier-sent datagram still in flight or already delivered later. */
  reordered: number;
}

interface InFlight {
  readonly at: number;
  readonly order: number;
  readonly sendIndex: number;
  readonly datagram: Uint8Array;
}

type ResolvedImpairment = Required<Omit<LinkImpairment, 'dropIf' | 'observe' | 'seed'>> &
  Pick<LinkImpairment, 'dropIf' | 'observe'>;

function resolve(i: LinkImpairment): ResolvedImpairment {
  return {
    dropRate: i.dropRate ?? 0,
    duplicateRate: i.duplicateRate ?? 0,
    delayMs: i.delayMs ?? 10,
    jitterMs: i.jitterMs ?? 0,
    reorderRate: i.reorderRate ?? 0,
    reorderExtraMs: i.reorderExtraMs ?? 20,
    dropIf: i.dropIf,
    observe: i.observe,
  };
}

export class LossyLink {
  private impairment: ResolvedImpairment;
  private readonly random: SimRandom;
  private readonly queue: InFlight[] = [];
  private order = 0;
  private sendIndex = 0;
  private highestDelivered = -1;
  readonly stats: LinkStats = { sent: 0, dropped: 0, duplicated: 0, delivered: 0, reordered: 0 };

  constructor(impairment: LinkImpairment = {}) {
    this.impairment = resolve(impairment);
    this.random = new SimRandom(impairment.seed ?? 1);
  }

  /** Changes conditions for datagrams sent from now on (the PRNG stream continues). */
  setImpairment(change: Omit<LinkImpairment, 'seed'>): void {
    this.impairment = resolve({ ...this.impairment, ...change });
  }

  get inFlight(): number {
    return this.queue.length;
  }

  send(now: number, datagram: Uint8Array): void {
    const imp = this.impairment;
    const index = this.sendIndex++;
    const copy = datagram.slice();
    this.stats.sent++;
    imp.observe?.('sent', copy, now);
    // Draw every random number for every datagram, so one knob does not shift the others' stream.
    const dropDraw = this.random.chance(imp.dropRate);
    const dupDraw = this.random.chance(imp.duplicateRate);
    const reorderDraw = this.random.chance(imp.reorderRate);
    const jitter = this.random.between(0, imp.jitterMs);
    const dupJitter = this.random.between(0, imp.jitterMs);
    if (dropDraw || (imp.dropIf?.(copy, index) ?? false)) {
      this.stats.dropped++;
      imp.observe?.('dropped', copy, now);
      return;
    }
    const at = now + imp.delayMs + jitter + (reorderDraw ? imp.reorderExtraMs : 0);
    this.enqueue({ at, order: this.order++, sendIndex: index, datagram: copy });
    if (dupDraw) {
      this.stats.duplicated++;
      imp.observe?.('duplicated', copy, now);
      this.enqueue({ at: now + imp.delayMs + dupJitter, order: this.order++, sendIndex: index, datagram: copy.slice() });
    }
  }

  nextDelivery(): number | undefined {
    return this.queue[0]?.at;
  }

  pollDelivery(now: number): Uint8Array | undefined {
    const head = this.queue[0];
    if (head === undefined || head.at > now) return undefined;
    this.queue.shift();
    this.stats.delivered++;
    if (head.sendIndex < this.highestDelivered) this.stats.reordered++;
    else this.highestDelivered = head.sendIndex;
    this.impairment.observe?.('delivered', head.datagram, now);
    return head.datagram;
  }

  /** Sorted by (at, order): binary search for the insertion point. */
  private enqueue(item: InFlight): void {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.queue[mid]!;
      if (m.at < item.at || (m.at === item.at && m.order < item.order)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, item);
  }
}
