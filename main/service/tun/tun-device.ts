/**
 * TunDevice: the service's view of one TUN interface, over the `pptp-native-helper` addon.
 *
 * Owns: loading the addon lazily (so importing this module never crashes on a machine without
 * the addon: `TunDevice.open` returns a typed TunError instead), the interface names each OS
 * accepts (Linux: any IFNAMSIZ name or a "pptp%d" template; macOS: the kernel picks utunN), the
 * open device, and the packet callbacks. Must not: configure addresses, routes or DNS (main/service/net does that),
 * or interpret packets (the engine does that).
 *
 * Shape: an EventEmitter. Events:
 *  - 'packets' (packets: Buffer[])  one batch from the native reader thread, at most batchSize
 *    packets (each Buffer is one IPv4/IPv6 packet, no packet-information prefix); while the JS
 *    thread is busy the reader gathers several reads into one batch rather than dropping;
 *  - 'readError' (error: TunError)  the reader stopped (the interface went away); not named
 *    'error' on purpose, so an unhandled one never throws out of the emitter;
 *  - 'close' ()                      after close().
 * Reading starts on the first `onPackets()` (or an explicit `startReading()`), so no batch is
 * emitted before someone listens. Writes are synchronous: `write`/`writeAt` make one write(2)
 * each; `queueAt` + `flush` hand a whole batch to the addon in one call, which on Linux (offload
 * 'gro') writes adjacent TCP segments of one flow as one GSO super-packet, so the kernel runs its
 * receive stack once per run instead of once per segment (stats().txWrites vs txPackets). Reads
 * on Linux (offload 'gro+tso') take up to 64 KiB of one TCP flow per read(2), which the addon
 * splits into MTU-sized segments before they get here (stats().rxReads vs rxPackets).
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type * as NativeHelper from 'pptp-native-helper';
import { err, ok, type Result } from '../../engine/wire/result';

export type TunErrorCode =
  | 'unsupported-platform' // no TUN implementation for this OS yet (Windows: Wintun, docs/platforms.md)
  | 'helper-not-built' // the addon is missing or failed to load
  | 'open-failed' // /dev/net/tun or TUNSETIFF refused (errno in `errno`)
  | 'read-failed' // the reader thread stopped
  | 'closed'; // the device was already closed

export class TunError extends Error {
  readonly code: TunErrorCode;
  /** The kernel's errno name when there is one (EPERM, EBUSY, ENOENT, ...). */
  readonly errno: string | undefined;
  constructor(code: TunErrorCode, message: string, errno?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TunError';
    this.code = code;
    this.errno = errno;
  }
}

export type TunStats = NativeHelper.TunStats;
export type NativeHelperModule = typeof NativeHelper;

export interface TunOpenOptions {
  /**
   * Interface name; omitted: the kernel picks (Linux tun0, ...; macOS utunN).
   * Linux: 1..15 bytes (IFNAMSIZ - 1), "pptp%d" is a kernel template (TUNSETIFF).
   * macOS: only "utunN" (N is the utun unit; the kernel names a utun interface itself and has
   * no template), normally omitted.
   */
  readonly name?: string;
  /** The OS whose naming rules apply; defaults to process.platform (tests inject it). */
  readonly platform?: NodeJS.Platform;
  /** Most packets per 'packets' event (1..4096, default 64). */
  readonly batchSize?: number;
  /**
   * Most batches waiting for the JS thread (default 64). While JS is busy the reader appends to the
   * last waiting batch up to batchSize packets, so this bounds FULL batches; beyond them the reader
   * drops packets and counts them (stats().rxDrops).
   */
  readonly queueLimit?: number;
  /**
   * 'auto' (default): Linux uses IFF_VNET_HDR, coalesces TCP on writes and takes TSO super-packets
   * on reads when the kernel offers them; 'none': plain packets.
   */
  readonly offload?: 'auto' | 'none';
}

/** queueAt's arrays start this long and double when full, up to QUEUE_FLUSH_AT. */
const QUEUE_INITIAL = 64;
/**
 * queueAt flushes by itself at this many packets: enough for several 64 KiB super-packets of
 * 1,360-octet segments, few enough that a burst never waits long for its flush().
 */
const QUEUE_FLUSH_AT = 256;
const NO_BUFFER = new Uint8Array(0);

interface TunDeviceEvents {
  packets: [packets: Buffer[]];
  readError: [error: TunError];
  close: [];
}

/** Linux: IFNAMSIZ is 16 with the NUL (linux/if.h); "%d" lets the kernel number it. */
const LINUX_TUN_NAME = /^[A-Za-z0-9_.%-]{1,15}$/;
/**
 * macOS: the kernel names a utun interface from the control unit the socket connected with
 * (xnu bsd/net/if_utun.c l.1674: "utun%d" of utun_unit - 1). Units are small numbers; more
 * than 4 digits is not a name any Mac has.
 */
const DARWIN_TUN_NAME = /^utun(0|[1-9][0-9]{0,3})$/;

/** The name a tunnel asks for: Linux "pptp%d" (pptp0, pptp1, ...); macOS none (the kernel picks utunN). */
export function defaultTunName(platform: NodeJS.Platform = process.platform): string | undefined {
  return platform === 'darwin' ? undefined : 'pptp%d';
}

/** A TunError when `name` is not one this OS accepts, else undefined. */
export function checkTunName(name: string, platform: NodeJS.Platform = process.platform): TunError | undefined {
  if (platform === 'darwin') {
    if (DARWIN_TUN_NAME.test(name)) return undefined;
    return new TunError(
      'open-failed',
      `invalid TUN name ${JSON.stringify(name)}: macOS names utun interfaces itself (utun0, utun1, ...); omit the name or give utunN`,
      'EINVAL',
    );
  }
  if (LINUX_TUN_NAME.test(name)) return undefined;
  return new TunError('open-failed', `invalid TUN name ${JSON.stringify(name)}`, 'EINVAL');
}

let cachedHelper: Result<NativeHelperModule, TunError> | null = null;

/** Loads `pptp-native-helper` once; never throws. */
export function loadNativeHelper(): Result<NativeHelperModule, TunError> {
  if (cachedHelper !== null) return cachedHelper;
  try {
    const helper = createRequire(import.meta.url)('pptp-native-helper') as NativeHelperModule;
    cachedHelper = ok(helper);
  } catch (cause) {
    cachedHelper = err(
      new TunError('helper-not-built', 'the native helper (pptp-native-helper) could not be loaded; run `npm ci`', undefined, cause),
    );
  }
  return cachedHelper;
}

function fromHelperError(error: unknown): TunError {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'EUNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ERR_TUN_UNSUPPORTED_PLATFORM':
      return new TunError('unsupported-platform', 'TUN devices are not supported on this platform yet', undefined, error);
    case 'ERR_HELPER_NOT_BUILT':
      return new TunError('helper-not-built', message, undefined, error);
    case 'ERR_TUN_CLOSED':
      return new TunError('closed', 'the TUN device is closed', undefined, error);
    default:
      return new TunError('open-failed', `cannot open the TUN device: ${message}`, code, error);
  }
}

export class TunDevice extends EventEmitter<TunDeviceEvents> {
  /** The interface name the kernel gave. */
  readonly name: string;
  readonly #tun: NativeHelper.Tun;
  readonly #readOptions: { batchSize?: number; queueLimit?: number };
  #reading = false;
  #closed = false;
  /** The packets queueAt holds until flush(): packet i is #queueBuffers[i][#queueStarts[i]..#queueEnds[i]). */
  #queueBuffers: Uint8Array[] = new Array<Uint8Array>(QUEUE_INITIAL).fill(NO_BUFFER);
  #queueStarts = new Uint32Array(QUEUE_INITIAL);
  #queueEnds = new Uint32Array(QUEUE_INITIAL);
  #queued = 0;

  private constructor(tun: NativeHelper.Tun, options: TunOpenOptions) {
    super();
    this.#tun = tun;
    this.name = tun.name;
    this.#readOptions = {
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...(options.queueLimit !== undefined ? { queueLimit: options.queueLimit } : {}),
    };
  }

  /**
   * Opens a TUN device (IFF_TUN | IFF_NO_PI, plus IFF_VNET_HDR on Linux unless offload is 'none'). `helper` is for tests; the default loads the addon.
   * Never throws: every failure is a TunError with a stable code.
   */
  static open(options: TunOpenOptions = {}, helper?: NativeHelperModule): Result<TunDevice, TunError> {
    if (options.name !== undefined) {
      const bad = checkTunName(options.name, options.platform ?? process.platform);
      if (bad) return err(bad);
    }
    const loaded = helper !== undefined ? ok(helper) : loadNativeHelper();
    if (!loaded.ok) return loaded;
    try {
      const tun = loaded.value.openTun({
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.offload !== undefined ? { offload: options.offload } : {}),
      });
      return ok(new TunDevice(tun, options));
    } catch (error) {
      return err(fromHelperError(error));
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Subscribes to packet batches and starts the reader if needed; returns the unsubscribe function. */
  onPackets(listener: (packets: Buffer[]) => void): () => void {
    this.on('packets', listener);
    this.startReading();
    return () => {
      this.off('packets', listener);
    };
  }

  /** Starts the native reader thread (idempotent). */
  startReading(): void {
    if (this.#reading || this.#closed) return;
    this.#reading = true;
    this.#tun.startReading((packets) => this.emit('packets', packets), {
      ...this.#readOptions,
      onError: (error) => this.emit('readError', new TunError('read-failed', error.message, String(error.code), error)),
    });
  }

  /** One packet, one write(2). false when the kernel refused it (see stats().txErrors) or the device is closed. */
  write(packet: Uint8Array): boolean {
    if (this.#closed) return false;
    return this.#tun.write(packet);
  }

  /**
   * write() of `buffer[start..]` (the engine's pollTunPacketAt): the addon takes the offsets, so
   * no view is made per packet. One write(2); false when refused or closed.
   */
  writeAt(buffer: Uint8Array, start: number): boolean {
    if (this.#closed) return false;
    return this.#tun.writeAt(buffer, start, buffer.length);
  }

  /**
   * Queues `buffer[start..end)` for the next flush(), without a system call. The packet is not
   * copied: the caller must leave those bytes alone until flush() (or the self-flush below) has
   * run, so a receive loop that reuses one buffer per packet must flush before it reuses it.
   * Queued packets reach the kernel in order. At QUEUE_FLUSH_AT packets the queue flushes itself.
   */
  queueAt(buffer: Uint8Array, start: number, end: number = buffer.length): void {
    if (this.#closed) return;
    let i = this.#queued;
    if (i === this.#queueStarts.length) this.#growQueue();
    this.#queueBuffers[i] = buffer;
    this.#queueStarts[i] = start;
    this.#queueEnds[i] = end;
    this.#queued = ++i;
    if (i >= QUEUE_FLUSH_AT) this.flush();
  }

  /** Packets queued by queueAt and not yet flushed. */
  get queued(): number {
    return this.#queued;
  }

  /**
   * Writes what queueAt queued, in one call into the addon (one writeBatchAt; on Linux with
   * offload 'gro', TCP runs become super-packets). Returns how many packets the kernel took.
   * Cheap when nothing is queued, so a driver may call it at the end of every event-loop turn.
   */
  flush(): number {
    const count = this.#queued;
    if (count === 0) return 0;
    this.#queued = 0;
    if (this.#closed) return 0;
    const taken = this.#tun.writeBatchAt(this.#queueBuffers, this.#queueStarts, this.#queueEnds, count);
    // Drop the references, so a queued buffer is not kept alive by the queue.
    this.#queueBuffers.fill(NO_BUFFER, 0, count);
    return taken;
  }

  /** Doubles queueAt's arrays (from QUEUE_INITIAL up to QUEUE_FLUSH_AT; never per packet). */
  #growQueue(): void {
    const length = this.#queueStarts.length * 2;
    const starts = new Uint32Array(length);
    const ends = new Uint32Array(length);
    starts.set(this.#queueStarts);
    ends.set(this.#queueEnds);
    this.#queueStarts = starts;
    this.#queueEnds = ends;
    for (let i = this.#queueBuffers.length; i < length; i++) this.#queueBuffers.push(NO_BUFFER);
  }

  /** Writes each packet; returns how many the kernel took. */
  writeBatch(packets: readonly Uint8Array[]): number {
    if (this.#closed) return 0;
    return this.#tun.writeBatch(packets);
  }

  stats(): TunStats {
    return this.#tun.stats();
  }

  /** Lets the process exit while the reader runs (ref() undoes it). */
  unref(): void {
    this.#tun.unref();
  }

  ref(): void {
    this.#tun.ref();
  }

  /** Stops the reader, closes the fd; the kernel deletes the interface and its routes. Idempotent. Queued packets are dropped. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queued = 0;
    this.#queueBuffers.fill(NO_BUFFER);
    this.#tun.close();
    this.emit('close');
  }
}
