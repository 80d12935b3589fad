/**
 * A two-endpoint harness for the control connection (after quinn-proto's Pair): the client
 * ControlConnection and a scripted ControlServer joined by an in-order TCP-like byte pipe on a
 * virtual clock. It owns the clock, the pipe (latency, segmentation, coalescing, close) and the
 * record of client events; it never touches a real socket or timer.
 *
 * TCP semantics modelled: bytes arrive in order after `latencyMs`; a write may be cut into
 * segments (`segment`) and everything due at once may be coalesced into one read (`coalesce`);
 * a close travels behind the bytes written before it; an endpoint that has closed receives
 * nothing more, and an endpoint whose peer's close has arrived sends nothing more.
 *
 * Use: `const pair = new ControlPair(client, server); pair.connect(); pair.settle();` then
 * assert on `pair.events` / `pair.timeline`, `server.received`, `client.state`. `drive(limitMs)`
 * runs until nothing is in flight and no timer is due before the limit; `advance(ms)` moves the
 * clock exactly; `settle()` runs one virtual second.
 */
import type { ControlConnection } from '../../../main/engine/control/connection';
import type { ControlEvent } from '../../../main/engine/control/events';
import { concatBytes } from '../../../main/engine/wire/bytes';
import type { ControlServer } from './control-server';

export interface ControlPairOptions {
  /** One-way delay, ms (default 5). */
  readonly latencyMs?: number;
  /** Cuts each write into the pieces TCP delivers (default: one piece per write). */
  readonly segment?: (bytes: Uint8Array) => Uint8Array[];
  /** Deliver everything due at the same moment as one read (default false). */
  readonly coalesce?: boolean;
}

type InFlight = { readonly at: number; readonly data: Uint8Array | 'close' };

/** Splits into fixed-size pieces (1 = one octet per read). */
export function fixedSegments(size: number): (bytes: Uint8Array) => Uint8Array[] {
  return (bytes) => {
    const out: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
    return out;
  };
}

export class ControlPair {
  now = 0;
  /** Every event the client reported, in order. */
  readonly events: ControlEvent[] = [];
  /** The same events with the virtual time each was reported at. */
  readonly timeline: { readonly at: number; readonly event: ControlEvent }[] = [];

  private readonly toServer: InFlight[] = [];
  private readonly toClient: InFlight[] = [];
  private clientSocketClosed = false;
  private serverSocketClosed = false;
  private readonly latencyMs: number;

  constructor(
    readonly client: ControlConnection,
    readonly server: ControlServer,
    private readonly options: ControlPairOptions = {},
  ) {
    this.latencyMs = options.latencyMs ?? 5;
  }

  /** The client's TCP connect succeeded: both ends learn of it now. */
  connect(): void {
    this.server.handleConnected(this.now);
    this.client.start(this.now);
    this.flush();
  }

  /** True once both ends have closed their sockets or nothing can ever move again. */
  get transportClosed(): boolean {
    return this.clientSocketClosed || this.serverSocketClosed;
  }

  /** The client events of one type. */
  eventsOf<T extends ControlEvent['type']>(type: T): Extract<ControlEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<ControlEvent, { type: T }> => e.type === type);
  }

  /** When the client reported 'closed', if it has. */
  get closedAt(): number | undefined {
    return this.timeline.find((t) => t.event.type === 'closed')?.at;
  }

  /** Runs for a short while (default 1 s of virtual time): enough for replies, too short for keepalives. */
  settle(ms = 1000): void {
    this.drive(this.now + ms);
  }

  /**
   * Runs the simulation until it is quiet or the clock would pass `limitMs` (default ten
   * minutes ahead). An established call with keepalives is never quiet: use `settle()`.
   */
  drive(limitMs = this.now + 600_000): void {
    for (let guard = 0; guard < 100_000; guard++) {
      this.flush();
      if (this.deliverDue()) continue;
      const next = this.nextEventTime();
      if (next === undefined || next > limitMs) return;
      this.now = Math.max(this.now, next);
      this.fireTimers();
    }
    throw new Error('ControlPair.drive: no quiescence after 100000 steps');
  }

  /** Moves the clock forward by `ms`, running everything due on the way. */
  advance(ms: number): void {
    const target = this.now + ms;
    this.drive(target);
    this.now = Math.max(this.now, target);
    this.fireTimers();
    this.drive(target);
  }

  private fireTimers(): void {
    const ct = this.client.nextTimeout();
    if (ct !== undefined && ct <= this.now) this.client.handleTimeout(this.now);
    const st = this.server.nextTimeout();
    if (st !== undefined && st <= this.now) this.server.handleTimeout(this.now);
    this.flush();
  }

  private nextEventTime(): number | undefined {
    const times = [this.toServer[0]?.at, this.toClient[0]?.at, this.client.nextTimeout(), this.server.nextTimeout()];
    let min: number | undefined;
    for (const t of times) if (t !== undefined && (min === undefined || t < min)) min = t;
    return min;
  }

  /** Collects both ends' outputs into the pipe. */
  private flush(): void {
    for (let e = this.client.pollEvent(); e; e = this.client.pollEvent()) {
      this.events.push(e);
      this.timeline.push({ at: this.now, event: e });
    }
    for (let b = this.client.pollTransmit(); b; b = this.client.pollTransmit()) {
      if (!this.clientSocketClosed) this.write(this.toServer, b);
    }
    for (let b = this.server.pollTransmit(); b; b = this.server.pollTransmit()) {
      if (!this.serverSocketClosed) this.write(this.toClient, b);
    }
    if (this.client.state === 'closed' && !this.clientSocketClosed) {
      this.clientSocketClosed = true;
      this.toServer.push({ at: this.now + this.latencyMs, data: 'close' });
    }
    if (this.server.pollClose() && !this.serverSocketClosed) {
      this.serverSocketClosed = true;
      this.toClient.push({ at: this.now + this.latencyMs, data: 'close' });
    }
  }

  private write(queue: InFlight[], bytes: Uint8Array): void {
    const copy = bytes.slice();
    const pieces = this.options.segment ? this.options.segment(copy) : [copy];
    for (const p of pieces) queue.push({ at: this.now + this.latencyMs, data: p });
  }

  /** Delivers what is due in both directions; true when anything moved. */
  private deliverDue(): boolean {
    const a = this.deliver(this.toServer, 'server');
    const b = this.deliver(this.toClient, 'client');
    return a || b;
  }

  private deliver(queue: InFlight[], to: 'client' | 'server'): boolean {
    const due: Uint8Array[] = [];
    let closed = false;
    while (queue.length > 0 && queue[0]!.at <= this.now) {
      const item = queue.shift()!;
      if (item.data === 'close') {
        closed = true;
        break;
      }
      due.push(item.data);
    }
    if (due.length === 0 && !closed) return false;
    const receiverClosed = to === 'client' ? this.clientSocketClosed : this.serverSocketClosed;
    if (!receiverClosed) {
      const reads = this.options.coalesce && due.length > 1 ? [concatBytes(due)] : due;
      for (const r of reads) {
        if (to === 'client') this.client.handleBytes(this.now, r);
        else this.server.handleBytes(this.now, r);
      }
      if (closed) {
        if (to === 'client') {
          this.client.handleTransportClosed(this.now);
          this.clientSocketClosed = true;
        } else {
          this.server.handleTransportClosed(this.now);
          this.serverSocketClosed = true;
        }
      }
    }
    if (closed) queue.length = 0;
    this.flush();
    return true;
  }
}
