/**
 * One PPTP call's data channel over enhanced GRE (RFC 2637 §4), sans-I/O: PPP frames in and
 * out, GRE packets in and out, sequence and acknowledgement numbers, windows, reorder buffer,
 * delayed acknowledgements and counters. Owns the call's GRE state and its timers; it must not
 * touch sockets, strip IPv4 headers (ipv4.ts, in the driver), or look inside PPP frames.
 *
 * Driver call order (quinn style), for each event:
 *   1. input: `handleGre(now, bytes)` for each received GRE packet (IPv4 header already removed),
 *      `sendPayload(now, frame)` for each PPP frame to send, or `handleTimeout(now)` when the
 *      clock reaches `nextTimeout()`;
 *   2. drain `pollTransmit()` until undefined and send each packet (raw socket, protocol 47);
 *   3. drain `pollReceived()` until undefined and hand each frame to PPP, in order;
 *   4. re-arm the wake-up at `nextTimeout()` (undefined: nothing pending).
 * Output queues grow only by what the inputs since the last drain produced.
 * Buffers: with `uncopiedInOrder`, a frame from `pollReceived()` may be a view of the
 * `handleGre` input (in-order packets are not copied), so drain it before reusing that input
 * buffer (PptpSession does, within the same call). A frame given to
 * `sendPayload` with GRE headroom in front of it (byteOffset >= 16, see FRAME_HEADROOM in
 * ppp/link-data-path.ts) becomes the sent packet in place: the caller hands it over.
 * With a frame pool (the session's, wire/frame-pool.ts), ack-only packets are written into pool
 * slots, and a pooled frame that is copied rather than sent in place goes back to the pool here;
 * a packet from `pollTransmitAt()` that lies in a pool slot belongs to the driver until it gives
 * it back (PptpSession.releaseGrePacket).
 *
 * Acknowledgement policy (RFC 2637 §4.4 lets acks ride on data or go alone; never one per packet):
 * - every data packet we send carries the latest acknowledgement (A bit) once we have received
 *   anything, which costs 4 bytes and repairs lost ack-only packets;
 * - with nothing to send, an ack-only packet (A, no S, no payload) goes out `ackDelayMs` after
 *   the first unacknowledged receipt (default 50 ms: short next to the peer's RTT timeout,
 *   long enough to cover a burst), or at once when half of our receive window is
 *   unacknowledged, so a peer that honours our window never stalls on us.
 * The acknowledgement number is the highest sequence number received, passed up or still held
 * (RFC 2637 §4.1), so a peer that honours our window keeps sending while we wait out a gap; the
 * reorder buffer's size bound (gre-receiver.ts) keeps memory in check meanwhile.
 */
import type { GreDecodeError } from './gre-packet';
import {
  decodeGrePacket,
  encodeGrePacket,
  GRE_BASE_HEADER_LENGTH,
  GRE_FLAG_ACK,
  GRE_FLAG_SEQUENCE,
  GRE_MAX_HEADER_LENGTH,
  GRE_MAX_PAYLOAD,
  readGreU32,
  wellFormedGreHeaderLength,
  writeGreAckOnly,
  writeGreDataHeader,
} from './gre-packet';
import type { GreRxDataVerdict } from './gre-receiver';
import { GreReceiver } from './gre-receiver';
import type { GreSendVerdict, PeerAckStyle } from './gre-sender';
import { GreSender } from './gre-sender';
import { seqDiff } from './serial';
import { TimerTable } from '../timers';
import { copyBytes } from '../wire/bytes';
import { OffsetFrameFifo } from '../wire/fifo';
import type { FramePool } from '../wire/frame-pool';

export interface GreCallConfig {
  /** Our call ID: the key's low 16 bits on packets we accept (RFC 2637 §4.1). */
  readonly localCallId: number;
  /** The peer's call ID: what we put in the key (from OCRP's Call ID). */
  readonly peerCallId: number;
  /** The peer's Packet Recv. Window Size from OCRP; clamped to 1 .. 65535. */
  readonly peerReceiveWindow: number;
  /** The Packet Recv. Window Size we advertised in OCRQ. Default 64. */
  readonly ourReceiveWindow?: number;
  /** How long a packet waits in the reorder buffer for the gap before it. Default 300 (pptp-linux: 0.3 s). */
  readonly reorderTimeoutMs?: number;
  /** Delay before an ack-only packet when there is no data to piggy-back on. Default 50. */
  readonly ackDelayMs?: number;
  /** Reorder buffer capacity in packets. Default: ourReceiveWindow. */
  readonly maxReorderBuffer?: number;
  /** Frames held while the peer's window is full; more are dropped. Default 64. */
  readonly maxSendQueue?: number;
  /**
   * Frames held while the window is full and the peer is not yet known to acknowledge on its
   * own (the probe in gre-sender.ts). Default 1024: about a second at 1,000 packets/s, and under
   * the 2048 coherency counts a stateless MPPE receiver can skip (RFC 3078 §8.1).
   */
  readonly maxProbeSendQueue?: number;
  /**
   * In-order received frames are passed up as views of the handleGre input, not copies (the
   * caller drains pollReceived() before reusing its buffer). Default false.
   */
  readonly uncopiedInOrder?: boolean;
  /** First sequence number we send. Default 0; tests start near 2^32 to cross the wrap. */
  readonly initialSendSequence?: number;
}

export type ResolvedGreCallConfig = Required<GreCallConfig>;

export const DEFAULT_OUR_RECEIVE_WINDOW = 64;
export const DEFAULT_REORDER_TIMEOUT_MS = 300; // pptp-linux's reorder wait (0.3 s)
export const DEFAULT_ACK_DELAY_MS = 50;
export const DEFAULT_MAX_SEND_QUEUE = 64;
export const DEFAULT_MAX_PROBE_SEND_QUEUE = 1024;

/**
 * What became of one received GRE packet. Data verdicts come from gre-receiver.ts; 'ack-only'
 * is an acknowledgement without data; 'wrong-call' carried another call ID; 'malformed' failed
 * to decode (see `lastDecodeError`); 'empty' had neither sequence nor acknowledgement.
 */
export type GreRxVerdict = GreRxDataVerdict | 'ack-only' | 'wrong-call' | 'malformed' | 'empty';

/** 'too-large': the frame does not fit the 16-bit payload length (RFC 2637 §4.1). */
export type GreSendPayloadVerdict = GreSendVerdict | 'too-large';

export interface GreCounters {
  /** Data packets passed up in order. */
  readonly rxAccepted: number;
  /** Sequence numbers given up (never arrived within the reorder wait, or skipped by a resync). */
  readonly rxLost: number;
  /** Data packets that arrived ahead of a gap and were held in the reorder buffer. */
  readonly rxReordered: number;
  readonly rxDuplicate: number;
  /** Packets behind the delivery point that were not duplicates (arrived after being given up). */
  readonly rxStale: number;
  /** Packets dropped for being at or beyond our window ahead. */
  readonly rxOverWindow: number;
  /** Times the receive sequence jumped forward after consistent over-window packets. */
  readonly rxResyncs: number;
  readonly rxWrongCall: number;
  readonly rxMalformed: number;
  readonly rxAckOnly: number;
  /** PPP payload bytes passed up. */
  readonly rxBytes: number;
  /** Data packets sent. */
  readonly txPackets: number;
  /** PPP payload bytes sent. */
  readonly txBytes: number;
  readonly txAcksOnly: number;
  /** Frames dropped because the peer's window and our send queue were full (or too large). */
  readonly txWindowDrops: number;
  /** Times a full window was written off after the acknowledgement timeout. */
  readonly txWindowStalls: number;
  /**
   * Data packets sent past the window of a peer that acknowledges only on its own data (the
   * Linux kernel's pptp module, behind accel-ppp): see gre-sender.ts.
   */
  readonly txBeyondWindow: number;
  /** Acknowledgements for sequence numbers we never sent. */
  readonly rxBadAcks: number;
  /** Smoothed round-trip time in ms (undefined before the first acknowledged packet). */
  readonly rttMs: number | undefined;
}

type GreTimer = 'ack' | 'reorder' | 'window-stall' | 'release';

export class GreCall {
  readonly config: ResolvedGreCallConfig;
  private readonly receiver: GreReceiver;
  private readonly sender: GreSender;
  private readonly timers = new TimerTable<GreTimer>();
  /** GRE packets to send, each `buffer[start..]` to the buffer's end. */
  private readonly transmit = new OffsetFrameFifo();
  private lastAckSent: number | undefined;
  private rxWrongCall = 0;
  private rxMalformed = 0;
  private rxAckOnly = 0;
  private rxEmpty = 0;
  private txAcksOnly = 0;
  private txTooLarge = 0;
  private decodeError: GreDecodeError | undefined;

  /** `framePool`: where ack-only packets get their buffers and pooled frames go back (see above). */
  constructor(
    config: GreCallConfig,
    private readonly framePool?: FramePool,
  ) {
    const ourWindow = positiveInt(config.ourReceiveWindow, DEFAULT_OUR_RECEIVE_WINDOW);
    this.config = {
      localCallId: config.localCallId,
      peerCallId: config.peerCallId,
      peerReceiveWindow: config.peerReceiveWindow,
      ourReceiveWindow: ourWindow,
      reorderTimeoutMs: nonNegative(config.reorderTimeoutMs, DEFAULT_REORDER_TIMEOUT_MS),
      ackDelayMs: nonNegative(config.ackDelayMs, DEFAULT_ACK_DELAY_MS),
      maxReorderBuffer: positiveInt(config.maxReorderBuffer, ourWindow),
      maxSendQueue: nonNegative(config.maxSendQueue, DEFAULT_MAX_SEND_QUEUE),
      maxProbeSendQueue: nonNegative(config.maxProbeSendQueue, DEFAULT_MAX_PROBE_SEND_QUEUE),
      initialSendSequence: config.initialSendSequence ?? 0,
      uncopiedInOrder: config.uncopiedInOrder ?? false,
    };
    this.receiver = new GreReceiver({
      window: ourWindow,
      reorderTimeoutMs: this.config.reorderTimeoutMs,
      maxReorderBuffer: this.config.maxReorderBuffer,
      uncopiedInOrder: this.config.uncopiedInOrder,
    });
    this.sender = new GreSender({
      peerReceiveWindow: config.peerReceiveWindow,
      maxSendQueue: this.config.maxSendQueue,
      maxProbeSendQueue: this.config.maxProbeSendQueue,
      initialSequence: this.config.initialSendSequence,
    });
  }

  // ---- commands -------------------------------------------------------------------------

  /** Sends one PPP frame (queued behind the peer's window if needed). */
  sendPayload(now: number, frame: Uint8Array): GreSendPayloadVerdict {
    if (frame.length > GRE_MAX_PAYLOAD) {
      this.txTooLarge++;
      return 'too-large';
    }
    // Fast path: the window is open and nothing waits, and the frame has room for our header in
    // front (frames from the PPP link own their whole buffer: FRAME_HEADROOM in link-data-path.ts):
    // the header is written in place and the packet goes out with no copy.
    if (this.sender.canSendNow && frame.byteOffset >= GRE_MAX_HEADER_LENGTH) {
      return this.sendInPlace(now, new Uint8Array(frame.buffer, 0, frame.byteOffset + frame.length), frame.byteOffset);
    }
    const verdict = this.sender.offer(now, copyBytes(frame));
    this.flushSendable(now);
    return verdict;
  }

  /**
   * sendPayload for a frame at `buffer[start..]` whose octets before `start` are free headroom
   * (the PPP link's data frames, FRAME_HEADROOM): the header is written in place and, when it
   * fills the headroom exactly, `buffer` itself is the packet (no copy, no view). The caller
   * hands `buffer` over.
   */
  sendPayloadAt(now: number, buffer: Uint8Array, start: number): GreSendPayloadVerdict {
    if (start >= GRE_MAX_HEADER_LENGTH && this.sender.canSendNow && buffer.length - start <= GRE_MAX_PAYLOAD) {
      return this.sendInPlace(now, buffer, start);
    }
    const verdict = this.sendPayload(now, start === 0 ? buffer : buffer.subarray(start));
    // Not sent in place: sendPayload copied the frame (window closed) or refused it (too large).
    // (It cannot have sent a pooled frame in place: pooled frames start at >= 16, so only a
    // closed window or the size brings them here.) The pool may have the slot back.
    if (this.framePool?.owns(buffer)) this.framePool.release(buffer);
    return verdict;
  }

  private sendInPlace(now: number, buffer: Uint8Array, start: number): GreSendPayloadVerdict {
    const length = buffer.length - start;
    const ack = this.receiver.highestReceived;
    const sequence = this.sender.sendDirect(now, length);
    const headerLength = GRE_BASE_HEADER_LENGTH + 4 + (ack !== undefined ? 4 : 0);
    writeGreDataHeader(buffer, start, length, this.config.peerCallId, sequence, ack);
    this.transmit.push(buffer, start - headerLength);
    if (ack !== undefined) this.noteAckSent(ack);
    this.armWindowStall(now);
    return 'sent';
  }

  // ---- inputs ---------------------------------------------------------------------------

  /** One received GRE packet, from the GRE header onward. */
  handleGre(now: number, bytes: Uint8Array): GreRxVerdict {
    // Well-formed packets are read in place (no decode objects); others are decoded for the reason.
    const headerLength = wellFormedGreHeaderLength(bytes);
    if (headerLength < 0) {
      const decoded = decodeGrePacket(bytes);
      if (!decoded.ok) {
        this.rxMalformed++;
        this.decodeError = decoded.error;
        return 'malformed';
      }
      // Unreachable while both checks agree (the unit tests hold them to that).
      this.rxMalformed++;
      return 'malformed';
    }
    const callId = (bytes[6]! << 8) | bytes[7]!;
    if (callId !== this.config.localCallId) {
      this.rxWrongCall++;
      return 'wrong-call';
    }
    const hasSequence = (bytes[0]! & GRE_FLAG_SEQUENCE) !== 0;
    const hasAck = (bytes[1]! & GRE_FLAG_ACK) !== 0;
    if (!hasSequence && !hasAck) {
      this.rxEmpty++;
      return 'empty';
    }
    // Data first, so frames the acknowledgement releases carry our freshest ack.
    const verdict = hasSequence
      ? this.receiver.onData(now, readGreU32(bytes, GRE_BASE_HEADER_LENGTH), bytes, headerLength)
      : undefined;
    // An ack-only packet: this peer acknowledges on its own (before the ack re-arms any timer).
    if (verdict === undefined) this.sender.peerSentAckOnly();
    if (hasAck && this.sender.onAck(now, readGreU32(bytes, headerLength - 4))) this.onWindowProgress(now);
    if (verdict === undefined) {
      this.rxAckOnly++;
      return 'ack-only';
    }
    this.afterReceive(now);
    return verdict;
  }

  handleTimeout(now: number): void {
    for (const timer of this.timers.expire(now)) {
      switch (timer) {
        case 'reorder':
          this.receiver.expire(now);
          this.afterReceive(now);
          break;
        case 'ack':
          if (this.ackPending()) this.sendAckOnly();
          break;
        case 'release':
          this.flushSendable(now);
          break;
        case 'window-stall':
          if (this.sender.windowFull) {
            this.sender.windowTimedOut(now);
            this.onWindowProgress(now);
          }
          break;
      }
    }
  }

  // ---- outputs --------------------------------------------------------------------------

  /** The next GRE packet to send (without IPv4 header). */
  pollTransmit(): Uint8Array | undefined {
    return this.transmit.shift();
  }

  /** pollTransmit without a view: the packet is `buffer[lastTransmitStart..]`. */
  pollTransmitAt(): Uint8Array | undefined {
    return this.transmit.shiftAt();
  }

  /** Where the packet pollTransmitAt() returned last starts in its buffer. */
  get lastTransmitStart(): number {
    return this.transmit.lastStart;
  }

  /** The next PPP frame received, in sequence order. */
  pollReceived(): Uint8Array | undefined {
    return this.receiver.pollReady();
  }

  /** pollReceived without a view: the frame is `buffer[lastReceivedStart..]`. */
  pollReceivedAt(): Uint8Array | undefined {
    return this.receiver.pollReadyAt();
  }

  /** Where the frame pollReceivedAt() returned last starts in its buffer. */
  get lastReceivedStart(): number {
    return this.receiver.lastReadyStart;
  }

  nextTimeout(): number | undefined {
    return this.timers.nextTimeout();
  }

  // ---- getters --------------------------------------------------------------------------

  get counters(): GreCounters {
    const rx = this.receiver.counters;
    const tx = this.sender.counters;
    return {
      rxAccepted: rx.accepted,
      rxLost: rx.lost,
      rxReordered: rx.reordered,
      rxDuplicate: rx.duplicate,
      rxStale: rx.stale,
      rxOverWindow: rx.overWindow,
      rxResyncs: rx.resyncs,
      rxWrongCall: this.rxWrongCall,
      rxMalformed: this.rxMalformed + this.rxEmpty,
      rxAckOnly: this.rxAckOnly,
      rxBytes: rx.bytes,
      txPackets: tx.packets,
      txBytes: tx.bytes,
      txAcksOnly: this.txAcksOnly,
      txWindowDrops: tx.windowDrops + this.txTooLarge,
      txWindowStalls: tx.windowStalls,
      txBeyondWindow: tx.beyondWindow,
      rxBadAcks: tx.badAcks,
      rttMs: this.sender.rtt.smoothedMs,
    };
  }

  /** The most recent decode error (for logs and the connection doctor). */
  get lastDecodeError(): GreDecodeError | undefined {
    return this.decodeError;
  }

  /** Packets in flight to the peer, and frames waiting for its window. */
  /**
   * Whether a frame offered now would be sent or queued rather than dropped. The session asks
   * before it encrypts an IP packet: a frame dropped after MPPE spent its coherency count leaves
   * a gap in the peer's count (see PptpSession.handleTunPacket).
   */
  get canAcceptFrame(): boolean {
    return this.sender.canAccept;
  }

  /** Counts, as a window drop, a packet the caller dropped because `canAcceptFrame` was false. */
  countWindowDrop(): void {
    this.sender.countDrop();
  }

  get sendState(): { readonly inFlight: number; readonly queued: number; readonly window: number } {
    return { inFlight: this.sender.inFlight, queued: this.sender.queued, window: this.sender.window };
  }

  /** How the peer acknowledges, as learnt so far (gre-sender.ts). */
  get peerAckStyle(): PeerAckStyle {
    return this.sender.peerAckStyle;
  }

  // ---- internals ------------------------------------------------------------------------

  private ackPending(): boolean {
    const point = this.receiver.highestReceived;
    return point !== undefined && point !== this.lastAckSent;
  }

  /** Sequence numbers received beyond our last acknowledgement (what the peer's window sees). */
  private unacknowledgedCount(): number {
    const point = this.receiver.highestReceived;
    const first = this.receiver.firstSequence;
    if (point === undefined || first === undefined) return 0;
    if (this.lastAckSent === undefined) return seqDiff(point, first) + 1;
    return Math.max(0, seqDiff(point, this.lastAckSent));
  }

  private noteAckSent(ack: number): void {
    this.lastAckSent = ack;
    this.timers.clear('ack');
  }

  private afterReceive(now: number): void {
    const deadline = this.receiver.nextDeadline();
    if (deadline === undefined) this.timers.clear('reorder');
    else this.timers.set('reorder', deadline);

    if (!this.ackPending()) return;
    const ackEvery = Math.max(1, Math.floor(this.config.ourReceiveWindow / 2));
    if (this.unacknowledgedCount() >= ackEvery) this.sendAckOnly();
    else if (!this.timers.isArmed('ack')) this.timers.set('ack', now + this.config.ackDelayMs);
  }

  private sendAckOnly(): void {
    const ack = this.receiver.highestReceived;
    if (ack === undefined) return;
    if (this.framePool) {
      // RFC 2637 §4.1: an ack-only packet is the base header and the acknowledgement number.
      const length = GRE_BASE_HEADER_LENGTH + 4;
      const buf = this.framePool.acquire(length);
      const start = buf.length - length;
      writeGreAckOnly(buf, start, this.config.peerCallId, ack);
      this.transmit.push(buf, start);
    } else {
      this.push(encodeGrePacket({ callId: this.config.peerCallId, ack, payload: EMPTY }));
    }
    this.noteAckSent(ack);
    this.txAcksOnly++;
  }

  private flushSendable(now: number): void {
    for (let payload = this.sender.takePayload(now); payload !== undefined; payload = this.sender.takePayload(now)) {
      const ack = this.receiver.highestReceived;
      const sequence = this.sender.lastTakenSequence;
      const packet =
        ack === undefined
          ? { callId: this.config.peerCallId, sequence, payload }
          : { callId: this.config.peerCallId, sequence, ack, payload };
      this.push(encodeGrePacket(packet));
      if (ack !== undefined) this.noteAckSent(ack);
    }
    this.armWindowStall(now);
    const releaseAt = this.sender.nextReleaseAt;
    if (releaseAt === undefined) this.timers.clear('release');
    else this.timers.set('release', releaseAt);
  }

  private onWindowProgress(now: number): void {
    this.timers.clear('window-stall');
    this.flushSendable(now);
  }

  private armWindowStall(now: number): void {
    if (!this.sender.windowFull) this.timers.clear('window-stall');
    else if (!this.timers.isArmed('window-stall')) this.timers.set('window-stall', now + this.sender.stallTimeoutMs());
  }

  private push(packet: Uint8Array): void {
    this.transmit.push(packet, 0);
  }
}

const EMPTY = new Uint8Array(0);

function positiveInt(v: number | undefined, fallback: number): number {
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.max(1, Math.floor(v));
}

function nonNegative(v: number | undefined, fallback: number): number {
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.max(0, v);
}
