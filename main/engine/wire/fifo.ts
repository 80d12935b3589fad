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
