/**
 * Two sans-I/O endpoints on a virtual clock (after quinn-proto's test `Pair`): a lossy datagram
 * link in each direction (GRE), a reliable in-order stream in each direction (the PPTP control
 * connection), test-scripted actions at given times, and an optional pcap capture. Whole
 * PPTP + PPP sessions run here without real time. Owns the clock, the links and the event loop;
 * it knows nothing about any protocol.
 *
 * The endpoint contract (implement only the channels you use):
 *
 *   interface SimEndpoint {
 *     nextTimeout(): number | undefined;          // earliest timer, absolute ms
 *     handleTimeout(now): void;                   // called when the clock reaches it
 *     handleDatagram?(now, bytes): void;          // a datagram from the peer (e.g. a GRE packet)
 *     pollDatagram?(): Uint8Array | undefined;    // datagrams to send, drained after every input
 *     handleStreamBytes?(now, bytes): void;       // stream bytes from the peer, in order
 *     pollStreamBytes?(): Uint8Array | undefined; // stream bytes to send
 *     pollStreamClose?(): boolean;                // true once: close our side of the stream
 *     handleStreamClosed?(now): void;             // the peer closed its side
 *     afterInput?(now): void;                     // after every input: drain app outputs
 *   }
 *
 * The Pair API:
 *
 *   const pair = new Pair(a, b, {
 *     datagrams: { aToB: { dropRate: 0.05, seed: 1 }, bToA: { delayMs: 15, seed: 2 } },
 *     stream: { aToB: { delayMs: 5, maxSegment: 100 }, bToA: {} },
 *     capture: new PcapWriter(),                  // optional: every datagram as sent
 *     start: 0, maxSteps: 1_000_000,
 *   });
 *   pair.clock.now                                // virtual ms
 *   pair.links.aToB / bToA                        // LossyLink (stats, setImpairment)
 *   pair.streams.aToB / bToA                      // StreamLink
 *   pair.schedule(at, (now) => a.call.sendPayload(now, f));  // scripted input at a time
 *   pair.flush();                                 // move endpoint outputs into the links now
 *   pair.step();                                  // one instant: false when nothing is pending
 *   pair.drive(untilMs);                          // every event up to untilMs; clock ends there
 *   pair.driveUntil(() => done(), limitMs);       // until the predicate holds (true) or limit (false)
 *   pair.runToIdle(limitMs?);                     // until nothing is pending at all
 *
 * One step: advance the clock to the earliest of the scheduled actions, link deliveries and both
 * endpoints' nextTimeout(); then, at that instant, run due actions, deliver due datagrams and
 * stream bytes (a→b first), fire due timeouts, and after each input call afterInput and move
 * the endpoint's outputs into the links. Outputs sent with zero delay arrive in a later step at
 * the same instant. Steps are capped by maxSteps, so an endpoint whose timer never moves fails
 * the test with an error instead of hanging.
 */
import { VirtualClock } from './virtual-clock';
import type { LinkImpairment } from './lossy-link';
import { LossyLink } from './lossy-link';
import type { StreamImpairment } from './stream-link';
import { StreamLink } from './stream-link';
import type { PcapWriter } from './pcap';
import { SIM_ADDRESS_A, SIM_ADDRESS_B } from './pcap';
import { IP_PROTOCOL_GRE } from '../../../main/engine/gre/ipv4';

export interface SimEndpoint {
  nextTimeout(): number | undefined;
  handleTimeout(now: number): void;
  handleDatagram?(now: number, datagram: Uint8Array): void;
  pollDatagram?(): Uint8Array | undefined;
  handleStreamBytes?(now: number, bytes: Uint8Array): void;
  pollStreamBytes?(): Uint8Array | undefined;
  pollStreamClose?(): boolean;
  handleStreamClosed?(now: number): void;
  afterInput?(now: number): void;
}

export interface PairOptions {
  readonly datagrams?: { readonly aToB?: LinkImpairment; readonly bToA?: LinkImpairment };
  readonly stream?: { readonly aToB?: StreamImpairment; readonly bToA?: StreamImpairment };
  /** Records every datagram when sent, as IPv4 protocol `captureProtocol` (default 47, GRE). */
  readonly capture?: PcapWriter;
  readonly captureProtocol?: number;
  /** Virtual start time in ms. Default 0. */
  readonly start?: number;
  /** Guard against endpoints that never settle. Default 1_000_000. */
  readonly maxSteps?: number;
}

interface Scheduled {
  readonly at: number;
  readonly order: number;
  readonly action: (now: number) => void;
}

export class Pair<A extends SimEndpoint = SimEndpoint, B extends SimEndpoint = SimEndpoint> {
  readonly clock: VirtualClock;
  readonly links: { readonly aToB: LossyLink; readonly bToA: LossyLink };
  readonly streams: { readonly aToB: StreamLink; readonly bToA: StreamLink };
  private readonly scheduled: Scheduled[] = [];
  private scheduleOrder = 0;
  private readonly maxSteps: number;
  private steps = 0;

  constructor(
    readonly a: A,
    readonly b: B,
    private readonly options: PairOptions = {},
  ) {
    this.clock = new VirtualClock(options.start ?? 0);
    this.links = {
      aToB: new LossyLink({ seed: 1, ...options.datagrams?.aToB }),
      bToA: new LossyLink({ seed: 2, ...options.datagrams?.bToA }),
    };
    this.streams = {
      aToB: new StreamLink({ seed: 3, ...options.stream?.aToB }),
      bToA: new StreamLink({ seed: 4, ...options.stream?.bToA }),
    };
    this.maxSteps = options.maxSteps ?? 1_000_000;
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** Runs `action(now)` when the clock reaches `at` (actions at the same time run in the order scheduled). */
  schedule(at: number, action: (now: number) => void): void {
    const item = { at, order: this.scheduleOrder++, action };
    let i = this.scheduled.length;
    while (i > 0 && this.scheduled[i - 1]!.at > at) i--;
    this.scheduled.splice(i, 0, item);
  }

  /** Moves both endpoints' pending outputs into the links at the current time. */
  flush(): void {
    this.flushFrom(this.a, this.links.aToB, this.streams.aToB, SIM_ADDRESS_A, SIM_ADDRESS_B);
    this.flushFrom(this.b, this.links.bToA, this.streams.bToA, SIM_ADDRESS_B, SIM_ADDRESS_A);
  }

  /** The earliest pending event, or undefined when the simulation is idle. */
  nextEventTime(): number | undefined {
    let t: number | undefined;
    const consider = (x: number | undefined) => {
      if (x !== undefined && (t === undefined || x < t)) t = x;
    };
    consider(this.scheduled[0]?.at);
    consider(this.links.aToB.nextDelivery());
    consider(this.links.bToA.nextDelivery());
    consider(this.streams.aToB.nextDelivery());
    consider(this.streams.bToA.nextDelivery());
    consider(this.a.nextTimeout());
    consider(this.b.nextTimeout());
    return t;
  }

  /** Processes the next instant with something due. Returns false when nothing is pending. */
  step(): boolean {
    this.flush();
    const t = this.nextEventTime();
    if (t === undefined) return false;
    if (++this.steps > this.maxSteps) throw new Error(`simulation did not settle within ${this.maxSteps} steps (t=${this.clock.now})`);
    this.clock.advanceTo(t);
    const now = this.clock.now;

    while (this.scheduled.length > 0 && this.scheduled[0]!.at <= now) {
      this.scheduled.shift()!.action(now);
      this.flush();
    }
    this.deliver(now, this.links.aToB, this.streams.aToB, this.b);
    this.deliver(now, this.links.bToA, this.streams.bToA, this.a);
    for (const ep of [this.a, this.b] as SimEndpoint[]) {
      const due = ep.nextTimeout();
      if (due !== undefined && due <= now) {
        ep.handleTimeout(now);
        ep.afterInput?.(now);
        this.flush();
      }
    }
    return true;
  }

  /** Processes every event at or before `until`, then leaves the clock at `until`. Returns steps taken. */
  drive(until: number): number {
    const before = this.steps;
    for (;;) {
      this.flush();
      const t = this.nextEventTime();
      if (t === undefined || t > until) break;
      this.step();
    }
    this.clock.advanceTo(until);
    return this.steps - before;
  }

  /** Steps until `done()` holds (true) or the clock would pass `limitMs` (false). */
  driveUntil(done: () => boolean, limitMs: number): boolean {
    for (;;) {
      if (done()) return true;
      this.flush();
      const t = this.nextEventTime();
      if (t === undefined || t > limitMs) {
        this.clock.advanceTo(limitMs);
        return done();
      }
      this.step();
    }
  }

  /** Steps until nothing is pending anywhere (or `limitMs`). Returns true when idle. */
  runToIdle(limitMs = Number.POSITIVE_INFINITY): boolean {
    for (;;) {
      this.flush();
      const t = this.nextEventTime();
      if (t === undefined) return true;
      if (t > limitMs) return false;
      this.step();
    }
  }

  private deliver(now: number, link: LossyLink, stream: StreamLink, to: SimEndpoint): void {
    for (let d = link.pollDelivery(now); d !== undefined; d = link.pollDelivery(now)) {
      to.handleDatagram?.(now, d);
      to.afterInput?.(now);
      this.flush();
    }
    for (let s = stream.pollDelivery(now); s !== undefined; s = stream.pollDelivery(now)) {
      if (s === 'closed') to.handleStreamClosed?.(now);
      else to.handleStreamBytes?.(now, s);
      to.afterInput?.(now);
      this.flush();
    }
  }

  /** Stream bytes first, then datagrams: the order the service's driver writes them (connect-attempt.ts). */
  private flushFrom(ep: SimEndpoint, link: LossyLink, stream: StreamLink, src: number, dst: number): void {
    const now = this.clock.now;
    if (ep.pollStreamBytes) {
      for (let s = ep.pollStreamBytes(); s !== undefined; s = ep.pollStreamBytes()) stream.write(now, s);
    }
    if (ep.pollDatagram) {
      for (let d = ep.pollDatagram(); d !== undefined; d = ep.pollDatagram()) {
        this.options.capture?.addIpv4(now, src, dst, this.options.captureProtocol ?? IP_PROTOCOL_GRE, d);
        link.send(now, d);
      }
    }
    if (ep.pollStreamClose?.()) stream.close(now);
  }
}
