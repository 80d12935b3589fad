/**
 * SessionEndpoint: the client PptpSession (main/engine/session.ts) as a harness endpoint
 * (test/sim/harness/pair.ts), driven exactly in the order the session's doc comment gives:
 * stream = the PPTP control connection's bytes, datagrams = GRE packets (GRE header onward),
 * and after every input the outputs are drained: control bytes and GRE packets to the links,
 * IP packets to a simulated TUN (`tun`), events to `events` (with any throw recorded in
 * `thrown` rather than lost). Once the session reports 'closed' its remaining control bytes go
 * out and the stream is closed, as the service closes TCP.
 *
 *   const client = new SessionEndpoint(config);
 *   client.start(now)                 TCP connected (the server's handleConnected at the same instant)
 *   client.sendIp(now, ip)            an IP packet read from the TUN; false when the session dropped it
 *   client.disconnect(now)
 *   client.events / eventsOf('phase') / closed / upEvent / tun
 *   client.wire                       every control segment and GRE packet as it left, in order
 * Test code only.
 */
import type { SimEndpoint } from '../harness/pair';
import { PptpSession, type PptpSessionConfig, type SessionEvent } from '../../../main/engine/session';
import type { Failure } from '../../../main/engine/failure';

export class SessionEndpoint implements SimEndpoint {
  readonly session: PptpSession;
  /** Every event the session reported, in order, with its virtual time in `at`. */
  readonly events: SessionEvent[] = [];
  /** IP packets the session handed to the TUN. */
  readonly tun: Uint8Array[] = [];
  /** Anything the session threw (a correct engine leaves this empty). */
  readonly thrown: unknown[] = [];
  /**
   * What the client put on the wire, in the order the harness took it (the service's order:
   * control bytes, then GRE packets, after each input), with the virtual time of that input.
   */
  readonly wire: { readonly at: number; readonly channel: 'control' | 'gre'; readonly bytes: Uint8Array }[] = [];
  /** Control bytes written after 'closed' (the final flush). */
  private closeRequested = false;
  private lastNow = 0;
  private closeSent = false;

  constructor(config: PptpSessionConfig) {
    this.session = new PptpSession(config);
  }

  // ---- commands (tests call these from pair.schedule or between drives) ---------------------

  start(now: number): void {
    this.lastNow = now;
    this.guard(() => this.session.start(now));
  }

  disconnect(now: number): void {
    this.lastNow = now;
    this.guard(() => this.session.disconnect(now));
  }

  sendIp(now: number, ip: Uint8Array): boolean {
    this.lastNow = now;
    const before = this.session.counters.ipTxPackets;
    this.guard(() => this.session.handleTunPacket(now, ip));
    return this.session.counters.ipTxPackets > before;
  }

  // ---- views --------------------------------------------------------------------------------

  eventsOf<T extends SessionEvent['type']>(type: T): Extract<SessionEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
  }

  /** The 'closed' event's failure once the session has ended. */
  get closed(): Failure | undefined {
    return this.eventsOf('closed')[0]?.failure;
  }

  get upEvent(): Extract<SessionEvent, { type: 'up' }> | undefined {
    return this.eventsOf('up')[0];
  }

  /** "phase:status" strings in order, e.g. ['control:started', 'control:done', …]. */
  get phaseLog(): string[] {
    return this.eventsOf('phase').map((e) => `${e.phase}:${e.status}`);
  }

  // ---- SimEndpoint --------------------------------------------------------------------------

  nextTimeout(): number | undefined {
    return this.session.nextTimeout();
  }

  handleTimeout(now: number): void {
    this.lastNow = now;
    this.guard(() => this.session.handleTimeout(now));
  }

  handleDatagram(now: number, datagram: Uint8Array): void {
    this.lastNow = now;
    this.guard(() => this.session.handleGre(now, datagram));
  }

  pollDatagram(): Uint8Array | undefined {
    this.drain();
    const p = this.session.pollGrePacket();
    if (p) this.wire.push({ at: this.lastNow, channel: 'gre', bytes: p.slice() });
    return p;
  }

  handleStreamBytes(now: number, bytes: Uint8Array): void {
    this.lastNow = now;
    this.guard(() => this.session.handleControlBytes(now, bytes));
  }

  pollStreamBytes(): Uint8Array | undefined {
    this.drain();
    const b = this.session.pollControlBytes();
    if (b) this.wire.push({ at: this.lastNow, channel: 'control', bytes: b.slice() });
    return b;
  }

  pollStreamClose(): boolean {
    this.drain();
    if (!this.closeRequested || this.closeSent) return false;
    this.closeSent = true;
    return true;
  }

  handleStreamClosed(now: number): void {
    this.lastNow = now;
    this.guard(() => this.session.handleControlClosed(now));
  }

  afterInput(): void {
    this.drain();
  }

  private drain(): void {
    for (let e = this.session.pollEvent(); e; e = this.session.pollEvent()) {
      this.events.push(e);
      if (e.type === 'closed') this.closeRequested = true;
    }
    for (let ip = this.session.pollTunPacket(); ip; ip = this.session.pollTunPacket()) this.tun.push(ip);
  }

  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.thrown.push(e);
    }
    this.drain();
  }
}
