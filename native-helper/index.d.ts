/**
 * pptp-native-helper: TUN device open and batched packet I/O (N-API; Linux today, a typed
 * "not supported on this platform yet" error elsewhere). Requiring the module never throws.
 */

/** Stable error codes; errno names (EPERM, EBUSY, ENOENT, ...) come through from the kernel. */
export type TunHelperErrorCode =
  | 'ERR_TUN_UNSUPPORTED_PLATFORM'
  | 'ERR_HELPER_NOT_BUILT'
  | 'ERR_TUN_CLOSED'
  | 'ERR_TUN_READING'
  | (string & {});

export class TunHelperError extends Error {
  readonly code: TunHelperErrorCode;
  errno?: number;
  syscall?: string;
  constructor(code: string, message: string, cause?: unknown);
}

export interface TunStats {
  /** Packets read and queued for JavaScript. */
  rxPackets: number;
  rxBytes: number;
  rxBatches: number;
  /** Packets read but dropped because JavaScript fell behind (the batch queue was full). */
  rxDrops: number;
  txPackets: number;
  txBytes: number;
  /** write(2) calls the kernel refused (lastTxError names the last errno). */
  txErrors: number;
  lastTxError: string | null;
}

export interface ReadOptions {
  /** Most packets per callback (1..4096, default 64). */
  batchSize?: number;
  /** Most batches waiting for the JS thread (1..65536, default 64); beyond it batches are dropped and counted. */
  queueLimit?: number;
  /** The reader stopped on a read error (the device went away). */
  onError?: (error: TunHelperError) => void;
}

export class Tun {
  /** The interface name the kernel gave (e.g. "tun0", or the requested one). */
  readonly name: string;
  readonly fd: number;
  readonly closed: boolean;
  /**
   * Starts the native reader thread; `onPackets` runs on the JS thread with up to `batchSize`
   * packets (each a Buffer view of one IP packet). Holds the event loop open until close()/unref().
   */
  startReading(onPackets: (packets: Buffer[]) => void, options?: ReadOptions): void;
  /** One synchronous write(2). false when the kernel refused it (counted in txErrors). */
  write(packet: Uint8Array): boolean;
  /** Writes each packet; returns how many were written. */
  writeBatch(packets: readonly Uint8Array[]): number;
  stats(): TunStats;
  ref(): void;
  unref(): void;
  /** Stops and joins the reader thread and closes the fd; the kernel deletes the interface. Idempotent. */
  close(): void;
}

/** Opens /dev/net/tun (IFF_TUN | IFF_NO_PI). No name: the kernel picks; "pptp%d" is a template. */
export function openTun(options?: { name?: string }): Tun;

export const platformSupported: boolean;
/** Why build/Release/pptp_native_helper.node did not load, if it did not. */
export const loadError: unknown;
