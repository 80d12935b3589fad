/**
 * The raw IP socket for GRE (IP protocol 47, RFC 2637 §4), over the native helper's GrePort
 * (native-helper/src/gre_port.cc). Owns only the socket: it checks each datagram's source,
 * strips the IPv4 header the kernel delivers on receive (toolchain.md: "received buffers include
 * the 20-byte IPv4 header, sent buffers must not"; Linux and macOS leave that header in different
 * byte orders, see engine/gre/ipv4.ts and rawIpv4DeliveryFor below), hands GRE packets to a
 * callback, and queues outgoing packets until flush(). It must be opened BEFORE the
 * Outgoing-Call-Request, or the kernel answers the server's first GRE packet with ICMP
 * protocol-unreachable and pptpd drops the call (pptpd-peer.md).
 *
 * Why our own native socket and not the raw-socket module: measured in a CPU profile of the
 * service moving data, raw-socket's one sendto(2) per packet -- each with its own libuv poll
 * event and JS completion callback -- was 30 % of busy time, and its receive side emitted one
 * 'message' event per datagram with a fresh Buffer and a source string. GrePort moves a batch in
 * one system call (Linux recvmmsg(2) / sendmmsg(2); macOS loops recvmsg/send natively) and one
 * JS call: a reader thread hands over each batch as one byte block plus end offsets, and
 * sendBatch sends a whole queue synchronously. The socket is connect(2)ed to the server, so the
 * kernel already delivers only the server's datagrams; the source check here stays as a guard.
 * It needs root or CAP_NET_RAW (Linux) / root (macOS). The helper is loaded lazily so importing
 * this module never fails on a machine without it.
 *
 * Sending: `sendAt(buffer, start)` QUEUES `buffer[start..]` (the engine's buffer, no copy or
 * view) and makes no system call; `flush()` sends the queue with one sendBatch, after which the
 * kernel has its own copy, and then hands every queued buffer to `onSendDone` in queue order
 * (the session's frame pool gets them back at once). A queue of 256 packets flushes itself, and
 * a queue nobody flushed is flushed at the end of the current JS turn (one microtask per queue,
 * not per packet), so a caller that forgets still sends, batched per turn. The service flushes
 * once per engine pump; close() hands queued buffers back unsent.
 *
 * Receiving: `onGre` runs for each of the server's datagrams of a batch, then `onBatchEnd` once,
 * so the service can pump the engine once per batch rather than per packet.
 */
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { greFromIpv4Datagram, IPV4_MIN_HEADER_LENGTH, LINUX_RAW_IPV4_DELIVERY, type RawIpv4Delivery } from '../../engine/gre/ipv4';
import { readU32 } from '../../engine/wire/bytes';

/** What GreSocket needs of the helper's GrePort (native-helper/index.d.ts); tests pass a fake. */
export interface GreNativePort {
  startReading(
    onDatagrams: (bytes: Uint8Array, ends: Uint32Array) => void,
    options?: { batchSize?: number; queueLimit?: number; onError?: (error: Error) => void },
  ): void;
  sendBatch(buffers: readonly Uint8Array[], starts: Uint32Array, ends: Uint32Array, count: number): number;
  /** Hands over now, through onDatagrams and in order, what the reader holds or the kernel queued. */
  drain(): number;
  stats(): GreNativeStats;
  close(): void;
}

/** The part of the helper's GreStats that GreSocket reports. */
export interface GreNativeStats {
  rxDrops: number;
  rxOtherSource: number;
  txPackets: number;
  txDrops: number;
  txErrors: number;
}

/** The part of the pptp-native-helper module GreSocket uses. */
export interface GreNativeModule {
  openGre(options: { remote: string }): GreNativePort;
}

export class GreSocketError extends Error {
  constructor(
    readonly code: 'unavailable' | 'permission' | 'send-failed' | 'unsupported-platform',
    message: string,
  ) {
    super(message);
  }
}

export interface GreSocketCounters {
  /** Datagrams handed to this socket by the helper (IPv4 header included). */
  rxDatagrams: number;
  /** Batches handed over (one JS call each). */
  rxBatches: number;
  /** Datagrams from another source (the helper's and this socket's checks). */
  rxOtherSource: number;
  rxMalformed: number;
  /** Datagrams the helper dropped because JavaScript fell behind. */
  rxDrops: number;
  txPackets: number;
  /** Packets the kernel had no room for (EAGAIN / ENOBUFS), dropped. */
  txDrops: number;
  txErrors: number;
}

function loadNativeHelper(): GreNativeModule {
  try {
    return createRequire(import.meta.url)('pptp-native-helper') as GreNativeModule;
  } catch (e) {
    throw new GreSocketError('unavailable', `the native helper could not be loaded: ${(e as Error).message}`);
  }
}

/**
 * How this OS hands received datagrams to a raw IPv4 socket (engine/gre/ipv4.ts has the sources).
 * Linux: the header as on the wire. macOS: XNU's ip_input() leaves ip_len/ip_off in host order.
 * Windows raw sockets are not used for GRE yet (docs/platforms.md): a typed error, not a guess.
 */
export function rawIpv4DeliveryFor(
  platform: NodeJS.Platform,
  hostByteOrder: 'LE' | 'BE' = endianness(),
): RawIpv4Delivery | GreSocketError {
  switch (platform) {
    case 'linux':
      return LINUX_RAW_IPV4_DELIVERY;
    case 'darwin':
      return { kind: 'xnu-host-order', hostLittleEndian: hostByteOrder === 'LE' };
    default:
      return new GreSocketError('unsupported-platform', `GRE over a raw socket is not supported on ${platform} yet`);
  }
}

export interface GreSocketOptions {
  /** The OS whose raw-socket conventions apply; defaults to process.platform (tests inject it). */
  readonly platform?: NodeJS.Platform;
  /** The loader of the native helper module; tests inject a fake. */
  readonly loadNativeHelper?: () => GreNativeModule;
  /** Called with each buffer given to send/sendAt once flush() has sent it (or close() dropped it). */
  readonly onSendDone?: (buffer: Uint8Array) => void;
  /** Called once after all datagrams of one received batch went to onGre. */
  readonly onBatchEnd?: () => void;
}

/** A queue this long sends itself: a bound on latency and on the arrays (sendmmsg takes up to 1024). */
export const GRE_SELF_FLUSH_PACKETS = 256;
const INITIAL_QUEUE_CAPACITY = 64;
/** What a sent slot holds, so the queue drops its reference without changing the array's element kind. */
const NO_BUFFER = new Uint8Array(0);

/** "a.b.c.d" as the unsigned 32-bit number readU32 gives for the same four octets; null if not one. */
function ipv4Number(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export class GreSocket {
  private readonly port: GreNativePort;
  private readonly serverAddress: number;
  private closed = false;
  private rxDatagrams = 0;
  private rxBatches = 0;
  private rxOtherSource = 0;
  private rxMalformed = 0;
  /** sendBatch calls that threw (cannot happen with the arguments built here; counted, not lost). */
  private txThrown = 0;
  /** The send queue: buffers[i][starts[i]..ends[i]) for i < queued; grows by doubling. */
  private buffers: Uint8Array[] = new Array<Uint8Array>(INITIAL_QUEUE_CAPACITY).fill(NO_BUFFER);
  private starts = new Uint32Array(INITIAL_QUEUE_CAPACITY);
  private ends = new Uint32Array(INITIAL_QUEUE_CAPACITY);
  private queued = 0;
  private flushing = false;
  private flushScheduled = false;
  /** The end-of-turn flush (one function, so scheduling it allocates no closure). */
  private readonly flushAtTurnEnd = (): void => {
    this.flushScheduled = false;
    this.flush();
  };
  private readonly onSendDone: ((buffer: Uint8Array) => void) | undefined;

  /**
   * @param serverIp the PPTP server's IPv4 address: the only source we accept and our destination
   * @param onGre called with the GRE packet (IPv4 header stripped) of every datagram from the server
   * @param onError called when the helper's reader stops on an error it cannot recover from
   */
  constructor(
    readonly serverIp: string,
    onGre: (gre: Uint8Array) => void,
    onError: (error: Error) => void,
    options: GreSocketOptions = {},
  ) {
    this.onSendDone = options.onSendDone;
    const onBatchEnd = options.onBatchEnd;
    const platform = options.platform ?? process.platform;
    const delivery = rawIpv4DeliveryFor(platform);
    if (delivery instanceof GreSocketError) throw delivery;
    const serverAddress = ipv4Number(serverIp);
    if (serverAddress === null) throw new GreSocketError('unavailable', `GRE needs the server's IPv4 address, got ${JSON.stringify(serverIp)}`);
    this.serverAddress = serverAddress;
    const helper = (options.loadNativeHelper ?? loadNativeHelper)();
    try {
      this.port = helper.openGre({ remote: serverIp });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const msg = (e as Error).message;
      if (code === 'ERR_GRE_UNSUPPORTED_PLATFORM') throw new GreSocketError('unsupported-platform', msg);
      throw new GreSocketError(
        code === 'EPERM' || code === 'EACCES' ? 'permission' : 'unavailable',
        // Linux: root or CAP_NET_RAW (raw(7)). macOS has no capabilities: XNU's rip_attach()
        // returns EPERM unless the socket was created by root (bsd/netinet/raw_ip.c l.979-981).
        `cannot open a raw GRE socket (needs ${platform === 'linux' ? 'root or CAP_NET_RAW' : 'root'}): ${msg}`,
      );
    }
    this.port.startReading(
      (bytes, ends) => {
        if (this.closed) return;
        this.rxBatches++;
        let start = 0;
        for (let i = 0; i < ends.length && !this.closed; i++) {
          const end = ends[i]!;
          // A plain Uint8Array view: the engine must never hold a Buffer.
          const datagram = new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
          start = end;
          this.rxDatagrams++;
          if (datagram.length >= IPV4_MIN_HEADER_LENGTH && readU32(datagram, 12) !== this.serverAddress) {
            this.rxOtherSource++; // RFC 791 §3.1: the source address is octets 12..15, in every OS's delivery
            continue;
          }
          const parsed = greFromIpv4Datagram(datagram, delivery);
          if (!parsed.ok) {
            this.rxMalformed++;
            continue;
          }
          onGre(parsed.value.gre);
        }
        if (!this.closed) onBatchEnd?.();
      },
      {
        onError: (e) => {
          if (!this.closed) onError(e);
        },
      },
    );
  }

  /** The counters: this socket's receive checks and the helper's send results. */
  get counters(): GreSocketCounters {
    const native = this.port.stats();
    return {
      rxDatagrams: this.rxDatagrams,
      rxBatches: this.rxBatches,
      rxOtherSource: this.rxOtherSource + native.rxOtherSource,
      rxMalformed: this.rxMalformed,
      rxDrops: native.rxDrops,
      txPackets: native.txPackets,
      txDrops: native.txDrops,
      txErrors: native.txErrors + this.txThrown,
    };
  }

  /**
   * Hands every datagram that reached the socket so far to onGre (and onBatchEnd) now, in
   * arrival order, although the helper's reader thread has not yet passed it on. The service
   * calls this before it handles control input, so GRE that came first on the wire is handled
   * first (see the helper's drain() for the case that needs it). Returns how many.
   */
  drain(): number {
    if (this.closed) return 0;
    try {
      return this.port.drain();
    } catch {
      return 0; // closed underneath: the reader reports real errors through onError
    }
  }

  /** Packets queued and not yet flushed. */
  get queuedPackets(): number {
    return this.queued;
  }

  send(gre: Uint8Array): void {
    this.sendAt(gre, 0);
  }

  /**
   * Queues `buffer[start..]` (a GRE packet from the engine's pollGrePacketAt) without a copy or a
   * view; `buffer` goes to onSendDone once flush() sent it (at once when the socket is closed).
   */
  sendAt(buffer: Uint8Array, start: number): void {
    if (this.closed) {
      this.onSendDone?.(buffer);
      return;
    }
    if (this.queued === this.buffers.length) this.grow();
    this.buffers[this.queued] = buffer;
    this.starts[this.queued] = start;
    this.ends[this.queued] = buffer.length;
    this.queued++;
    if (this.queued >= GRE_SELF_FLUSH_PACKETS && !this.flushing) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(this.flushAtTurnEnd);
    }
  }

  /**
   * Sends every queued packet with one sendBatch, then hands each queued buffer to onSendDone in
   * queue order. Returns how many the kernel took (refusals are counted in `counters`).
   */
  flush(): number {
    if (this.flushing || this.queued === 0 || this.closed) return 0;
    this.flushing = true;
    const count = this.queued;
    let sent = 0;
    try {
      sent = this.port.sendBatch(this.buffers, this.starts, this.ends, count);
    } catch {
      this.txThrown += count;
    }
    this.handBack(0, count);
    if (this.closed) {
      this.flushing = false;
      return sent; // an onSendDone closed the socket: close() handed back the rest
    }
    // onSendDone may have queued more (appended after `count`): move them to the front.
    const more = this.queued - count;
    for (let i = 0; i < more; i++) {
      this.buffers[i] = this.buffers[count + i]!;
      this.buffers[count + i] = NO_BUFFER;
    }
    this.starts.copyWithin(0, count, count + more);
    this.ends.copyWithin(0, count, count + more);
    this.queued = more;
    this.flushing = false;
    if (this.queued >= GRE_SELF_FLUSH_PACKETS) this.flush();
    return sent;
  }

  /** Drops the queue (each buffer to onSendDone, unsent), stops the reader and closes the socket. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const count = this.queued;
    this.handBack(0, count);
    this.queued = 0;
    try {
      this.port.close();
    } catch {
      // already closed
    }
  }

  private handBack(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const buffer = this.buffers[i]!;
      if (buffer === NO_BUFFER) continue; // already handed back (close() from an onSendDone)
      this.buffers[i] = NO_BUFFER;
      this.onSendDone?.(buffer);
    }
  }

  private grow(): void {
    const capacity = this.buffers.length * 2;
    const buffers = new Array<Uint8Array>(capacity).fill(NO_BUFFER);
    for (let i = 0; i < this.queued; i++) buffers[i] = this.buffers[i]!;
    const starts = new Uint32Array(capacity);
    starts.set(this.starts);
    const ends = new Uint32Array(capacity);
    ends.set(this.ends);
    this.buffers = buffers;
    this.starts = starts;
    this.ends = ends;
  }
}
