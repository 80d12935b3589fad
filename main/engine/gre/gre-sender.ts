/**
 * The send half of one GRE call's sequencing (RFC 2637 §4.2, §4.4): sequence numbers from 0
 * with 32-bit wrap-around, the peer's receive window, acknowledgement processing and the RTT
 * estimate. Owns the send sequence state; it must not encode bytes (gre-call.ts does), arm
 * timers or read a clock.
 *
 * Window policy (RFC 2637 §4.2: do not send more than the peer's window beyond its last ack):
 * - Frames that do not fit wait in a FIFO of at most `maxSendQueue` frames and go out as acks
 *   open the window. Beyond that they are dropped and counted. Dropping, not unbounded queueing,
 *   is deliberate: PPP above is built for a lossy link (LCP/CCP retransmit, TCP inside the tunnel
 *   recovers), while a deep queue only adds latency.
 * - GRE never retransmits, so a window whose packets were all lost would never be acknowledged.
 *   When the window stays full for the adaptive acknowledgement timeout (RFC 2637 §4.4: average
 *   RTT + 4 deviations, clamped), the outstanding packets are written off (`windowStalls`) and
 *   the window reopens.
 * - Peers that never acknowledge alone. The Linux kernel's PPTP data path
 *   (drivers/net/ppp/pptp.c, behind accel-ppp and VyOS) puts its acknowledgement only on its own
 *   data packets and never sends an ack-only packet; neither it nor pptp-linux (pptp_gre.c)
 *   holds its own sends to the peer's window: both record the peer's ack and send. Held to such
 *   a peer's window, one-way traffic (a UDP upload) would stall every `window` packets for the
 *   acknowledgement timeout. So the sender learns which kind of peer it has (`PeerAckStyle`):
 *   'alone' once any ack-only packet arrived (pptpd, RRAS, our own GreCall: they acknowledge an
 *   unanswered burst within their ack delay); 'piggyback-only' when the window filled, no
 *   ack-only packet had ever arrived and none came within a short probe (`probeTimeoutMs`: two
 *   round trips, which any acking peer's ack delay fits into). A 'piggyback-only' peer's window
 *   is not enforced: frames go out at once and the oldest tracked packet ages out of the RTT
 *   ring as a new one enters (`beyondWindow` counts them). Its first ack-only packet, if one ever
 *   comes, makes it 'alone' and the window is enforced again.
 * - The probe holds frames, it does not drop them. It lasts two round trips, and everything the
 *   sender offers meanwhile waits: at 1,000 packets/s behind a 190 ms round trip (a loaded host
 *   and a slow server) that is about 380 frames, and a queue of `maxSendQueue` (64) dropped the
 *   rest (a one-way upload to accel-ppp lost 16 %). So while the peer's style is 'unknown' the
 *   queue may hold up to `maxProbeSendQueue` frames. If an ack-only packet ends the probe
 *   ('alone'), they go out as the acks open the window (a one-time delay, no loss) and the queue
 *   is held to `maxSendQueue` again as it drains. If the probe expires ('piggyback-only'), they
 *   are replayed at twice the pace they arrived (frame i at `from + (queuedAt[i] - origin) / 2`),
 *   not in one burst: 380 frames in one sendmmsg overflowed the server VM's socket backlog on a
 *   loaded host (2-8 % lost in the kernel's pptp receive path). The replay keeps the large bound
 *   until the queue is empty, which at twice the arrival rate takes about as long as the probe.
 * Acknowledgements ahead of what we sent are ignored and counted (`badAcks`); ones behind the
 * window base are old news and ignored silently.
 */
import { RttEstimator } from './rtt';
import { seqAdd, seqDiff } from './serial';

export type GreSendVerdict = 'sent' | 'queued' | 'dropped';

/** Queue slots data frames may not use: kept for PPP control frames (see `canAccept`). */
export const CONTROL_FRAME_RESERVE = 8;

/**
 * How the peer acknowledges: not known yet, with ack-only packets when it has no data of its
 * own, or only piggy-backed on its data (the Linux kernel's pptp module).
 */
export type PeerAckStyle = 'unknown' | 'alone' | 'piggyback-only';

export interface GreSenderConfig {
  /** Peer's receive window from OCRP/OCRQ; clamped to 1 .. 65535. */
  readonly peerReceiveWindow: number;
  readonly maxSendQueue: number;
  /** The queue bound while the peer's acknowledgement style is 'unknown' (see the probe above). */
  readonly maxProbeSendQueue: number;
  /** The first sequence number we send. 0 in production (what pptp-linux sends first). */
  readonly initialSequence: number;
}

export interface GreSenderCounters {
  packets: number;
  bytes: number;
  windowDrops: number;
  windowStalls: number;
  badAcks: number;
  /** Packets sent past the window of a 'piggyback-only' peer. */
  beyondWindow: number;
}

/** RFC 2637 §4.4 leaves the bounds to implementations: these keep a stall short but not hasty. */
export const ACK_TIMEOUT_INITIAL_MS = 1000;
export const ACK_TIMEOUT_MIN_MS = 200;
export const ACK_TIMEOUT_MAX_MS = 3000;
/**
 * The probe for an ack-only packet when the window first fills: two smoothed round trips, at
 * least this long (an acking peer answers a full window at once: pptpd when two or more acks are
 * pending, our GreCall at half its window), at most the acknowledgement timeout.
 */
export const ACK_ONLY_PROBE_MIN_MS = 50;

export interface SendNow {
  readonly sequence: number;
  readonly payload: Uint8Array;
}

export class GreSender {
  private nextSequence: number;
  /** The oldest unacknowledged sequence number (== nextSequence when nothing is in flight). */
  private base: number;
  /**
   * Send times of the packets in flight, indexed by sequence number modulo the ring size (a power
   * of two >= the window, so the at most `window` packets in flight never collide). A typed ring
   * instead of a Map: nothing is allocated per packet. NaN = no time recorded.
   */
  private readonly sentAt: Float64Array;
  private readonly sentAtMask: number;
  /** The sequence number `take` assigned last. */
  lastTakenSequence = 0;
  private readonly queue: Uint8Array[] = [];
  /** When each queued frame was offered (parallel to `queue`): the replay after a probe paces by it. */
  private readonly queuedAt: number[] = [];
  /** After a probe that expired: frame i of the queue is due at `from + (queuedAt[i] - origin) / 2`. */
  private replay: { readonly from: number; readonly origin: number } | undefined;
  readonly window: number;
  readonly rtt = new RttEstimator();
  readonly counters: GreSenderCounters = { packets: 0, bytes: 0, windowDrops: 0, windowStalls: 0, badAcks: 0, beyondWindow: 0 };
  private ackStyle: PeerAckStyle = 'unknown';

  constructor(private readonly config: GreSenderConfig) {
    const w = Math.floor(config.peerReceiveWindow);
    this.window = Number.isFinite(w) ? Math.min(0xffff, Math.max(1, w)) : 1;
    let ring = 64;
    while (ring < this.window) ring *= 2;
    this.sentAt = new Float64Array(ring).fill(Number.NaN);
    this.sentAtMask = ring - 1;
    this.nextSequence = seqAdd(config.initialSequence, 0);
    this.base = this.nextSequence;
  }

  /** Packets sent and not yet acknowledged (nor written off). */
  get inFlight(): number {
    return seqDiff(this.nextSequence, this.base);
  }

  get queued(): number {
    return this.queue.length;
  }

  get windowFull(): boolean {
    return this.ackStyle !== 'piggyback-only' && this.inFlight >= this.window;
  }

  /** What the sender has learnt about how the peer acknowledges. */
  get peerAckStyle(): PeerAckStyle {
    return this.ackStyle;
  }

  /** The peer sent an acknowledgement with no data: its acks open a full window, which is enforced. */
  peerSentAckOnly(): void {
    this.ackStyle = 'alone';
    this.replay = undefined;
  }

  /**
   * Whether a DATA frame (an IP packet, asked before MPPE encrypts it) may be offered now: the
   * window is open, or the queue has room beyond the CONTROL_FRAME_RESERVE slots kept for PPP
   * control frames. `offer` itself takes any frame while the whole queue has room, so LCP
   * Echo-Requests and -Replies, CCP Reset-Requests and Terminate packets still go out when a
   * saturating upload keeps the data share of the queue full (without the reserve they were
   * dropped with the data, and three lost echoes ended a busy link as a keepalive timeout).
   */
  get canAccept(): boolean {
    if (!this.windowFull && this.queue.length === 0) return true;
    return this.queue.length < Math.max(0, this.queueLimit - CONTROL_FRAME_RESERVE);
  }

  /** How many frames may wait: more while the probe for an ack-only packet may be running. */
  private get queueLimit(): number {
    const probing = this.ackStyle === 'unknown' || this.replay !== undefined;
    return probing ? Math.max(this.config.maxSendQueue, this.config.maxProbeSendQueue) : this.config.maxSendQueue;
  }

  /** When the replay after a probe releases its next frame (undefined: no replay, or nothing waits). */
  get nextReleaseAt(): number | undefined {
    return this.replay === undefined || this.queue.length === 0 ? undefined : this.dueAt(0);
  }

  private dueAt(index: number): number {
    return this.replay!.from + (this.queuedAt[index]! - this.replay!.origin) / 2;
  }

  /** Counts a frame the caller dropped itself because `canAccept` was false. */
  countDrop(): void {
    this.counters.windowDrops++;
  }

  /**
   * Offers a frame at `now`. 'sent' means the caller must transmit `take(now)`'s result now; the
   * frame is returned through `take` in every case where it is not dropped.
   */
  offer(now: number, frame: Uint8Array): GreSendVerdict {
    if (!this.windowFull && this.queue.length === 0) {
      this.queue.push(frame);
      this.queuedAt.push(now);
      return 'sent';
    }
    if (this.queue.length >= this.queueLimit) {
      this.counters.windowDrops++;
      return 'dropped';
    }
    this.queue.push(frame);
    this.queuedAt.push(now);
    return 'queued';
  }

  /** The next frame the window allows, with its sequence number, recorded as sent at `now`. */
  take(now: number): SendNow | undefined {
    const payload = this.takePayload(now);
    return payload === undefined ? undefined : { sequence: this.lastTakenSequence, payload };
  }

  /** `take` without the result object: the sequence number is then `lastTakenSequence`. */
  takePayload(now: number): Uint8Array | undefined {
    if (this.windowFull || this.queue.length === 0) return undefined;
    if (this.replay !== undefined && this.dueAt(0) > now) return undefined;
    const payload = this.queue.shift()!;
    this.queuedAt.shift();
    if (this.queue.length === 0) this.replay = undefined;
    this.recordSent(now, payload.length);
    return payload;
  }

  /**
   * Sends a frame past the queue: only when `canSendNow` (window open, nothing queued). Assigns
   * and returns its sequence number, recorded as sent at `now`.
   */
  sendDirect(now: number, length: number): number {
    this.recordSent(now, length);
    return this.lastTakenSequence;
  }

  /** The window is open and nothing waits in the queue: a frame may go out at once. */
  get canSendNow(): boolean {
    return this.queue.length === 0 && !this.windowFull;
  }

  private recordSent(now: number, length: number): void {
    if (this.inFlight >= this.window) {
      // Only a 'piggyback-only' peer gets here: the oldest tracked packet ages out, so the RTT
      // ring (>= window) never holds two packets in one slot.
      this.sentAt[this.base & this.sentAtMask] = Number.NaN;
      this.base = seqAdd(this.base, 1);
      this.counters.beyondWindow++;
    }
    const sequence = this.nextSequence;
    this.nextSequence = seqAdd(sequence, 1);
    this.sentAt[sequence & this.sentAtMask] = now;
    this.lastTakenSequence = sequence;
    this.counters.packets++;
    this.counters.bytes += length;
  }

  /** An acknowledgement number from the peer. Returns true when it opened the window. */
  onAck(now: number, ack: number): boolean {
    const newestSent = seqAdd(this.nextSequence, -1);
    if (seqDiff(ack, newestSent) > 0) {
      this.counters.badAcks++;
      return false;
    }
    if (seqDiff(ack, this.base) < 0) return false;
    const sentTime = this.sentAt[ack & this.sentAtMask]!;
    if (!Number.isNaN(sentTime)) this.rtt.addSample(now - sentTime);
    for (let s = this.base; seqDiff(s, ack) <= 0; s = seqAdd(s, 1)) this.sentAt[s & this.sentAtMask] = Number.NaN;
    this.base = seqAdd(ack, 1);
    return true;
  }

  /** How long a full window may wait for an acknowledgement before it is written off. */
  ackTimeoutMs(): number {
    return this.rtt.timeoutMs(ACK_TIMEOUT_INITIAL_MS, ACK_TIMEOUT_MIN_MS, ACK_TIMEOUT_MAX_MS);
  }

  /**
   * How long a full window waits before anything is decided: the acknowledgement timeout for a
   * peer known to ack alone; for a peer not known yet, the shorter probe for its first ack-only.
   */
  stallTimeoutMs(): number {
    const ato = this.ackTimeoutMs();
    const srtt = this.rtt.smoothedMs;
    if (this.ackStyle !== 'unknown' || srtt === undefined) return ato;
    return Math.min(ato, Math.max(ACK_ONLY_PROBE_MIN_MS, 2 * srtt));
  }

  /**
   * A full window waited `stallTimeoutMs` with no acknowledgement. A peer never heard to ack
   * alone is taken to be 'piggyback-only' (its window is not enforced from now on); otherwise
   * the packets in flight are written off as lost (`windowStalls`). Either way the window reopens.
   */
  windowTimedOut(now: number): void {
    if (this.ackStyle === 'unknown') {
      this.ackStyle = 'piggyback-only';
      if (this.queue.length > 0) this.replay = { from: now, origin: this.queuedAt[0]! };
    } else this.counters.windowStalls++;
    this.sentAt.fill(Number.NaN);
    this.base = this.nextSequence;
  }
}
