/**
 * pptp-native-helper: TUN device open and batched packet I/O (N-API; Linux /dev/net/tun and
 * macOS utun, a typed "not supported on this platform yet" error elsewhere), and the peer
 * credentials of a Unix-socket client. Requiring the module never throws.
 */

/** Stable error codes; errno names (EPERM, EBUSY, ENOENT, ...) come through from the kernel. */
export type TunHelperErrorCode =
  | 'ERR_TUN_UNSUPPORTED_PLATFORM'
  | 'ERR_HELPER_NOT_BUILT'
  | 'ERR_TUN_CLOSED'
  | 'ERR_TUN_READING'
  | 'ERR_PEERCRED_INVALID_FD'
  | 'ERR_PEERCRED_NOT_UNIX_SOCKET'
  | 'ERR_PEERCRED_UNSUPPORTED_PLATFORM'
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
  /**
   * Frames the port could not hand on: macOS utun frames with an unknown family prefix or too
   * short; Linux (offload 'gro' / 'gro+tso') frames the GSO splitter refused (shorter than the
   * virtio header, a GSO type other than TCPv4/TCPv6, header lengths that do not fit).
   */
  rxFramingDrops: number;
  /** read(2) calls that returned a frame; below rxPackets when GSO super-packets were split. */
  rxReads: number;
  /** Packets that came out of a GSO super-packet (Linux, offload 'gro+tso'). */
  rxSegmented: number;
  txPackets: number;
  txBytes: number;
  /** write(2) calls the kernel refused (lastTxError names the last errno). */
  txErrors: number;
  lastTxError: string | null;
  /** write(2)/writev(2) calls made; below txPackets when batches were coalesced. */
  txWrites: number;
  /** Packets that went up inside a GSO super-packet (Linux, offload 'gro'). */
  txCoalesced: number;
  /**
   * 'gro': Linux TUN with IFF_VNET_HDR; writeBatch/writeBatchAt turn adjacent TCP segments of one
   * flow into one super-packet. 'gro+tso': the same, and TUNSETOFFLOAD(CSUM | TSO4 | TSO6), so one
   * read(2) may return up to 64 KiB of one TCP flow, split into segments of at most the MTU before
   * JavaScript sees them. 'none': one packet per system call (macOS; old kernels; offload 'none').
   */
  offload: 'gro+tso' | 'gro' | 'none';
}

export interface ReadOptions {
  /** Most packets per callback (1..4096, default 64). */
  batchSize?: number;
  /** Most full batches waiting for the JS thread (1..65536, default 64); packets beyond them are dropped and counted (rxDrops). */
  queueLimit?: number;
  /** The reader stopped on a read error (the device went away). */
  onError?: (error: TunHelperError) => void;
}

export class Tun {
  /** The interface name the kernel gave (e.g. "tun0" / "utun3", or the requested one). */
  readonly name: string;
  readonly fd: number;
  readonly closed: boolean;
  /**
   * Starts the native reader thread; `onPackets` runs on the JS thread with up to `batchSize`
   * packets (each a Buffer view of one IP packet). Holds the event loop open until close()/unref().
   */
  startReading(onPackets: (packets: Buffer[]) => void, options?: ReadOptions): void;
  /**
   * One synchronous write(2) (macOS: writev of the utun family prefix + packet). false when the
   * kernel refused it, or (macOS) the packet is neither IPv4 nor IPv6 (EINVAL); counted in txErrors.
   */
  write(packet: Uint8Array): boolean;
  /** Writes the packets in order (Linux 'gro': TCP runs coalesced); returns how many the kernel took. */
  writeBatch(packets: readonly Uint8Array[]): number;
  /**
   * write() of buffer[start..end) without a JavaScript view. Throws TypeError/RangeError for a
   * bad argument (nothing written).
   */
  writeAt(buffer: Uint8Array, start: number, end: number): boolean;
  /**
   * writeBatch() of packet i = buffers[i][starts[i]..ends[i]) for i < count, without views.
   * Every argument is checked first (TypeError/RangeError, nothing written). Returns how many
   * packets the kernel took (a coalesced super-packet counts its segments).
   */
  writeBatchAt(buffers: readonly Uint8Array[], starts: Uint32Array, ends: Uint32Array, count: number): number;
  stats(): TunStats;
  ref(): void;
  unref(): void;
  /** Stops and joins the reader thread and closes the fd; the kernel deletes the interface. Idempotent. */
  close(): void;
}

/**
 * Linux: opens /dev/net/tun (IFF_TUN | IFF_NO_PI, plus IFF_VNET_HDR when the kernel offers it and
 * offload is not 'none'; the virtio header never reaches JavaScript); no name: the kernel picks;
 * "pptp%d" is a template.
 * macOS: creates a utun interface; no name: the kernel picks utunN; "utunN" asks for that unit
 * (EBUSY when it exists); any other name throws EINVAL. Packets are bare IP on both.
 */
export function openTun(options?: {
  name?: string;
  /**
   * 'auto' (default): Linux opens with IFF_VNET_HDR when the kernel offers it, and asks for TSO on
   * reads (TUNSETOFFLOAD); 'none': plain packets, no offload at all.
   */
  offload?: 'auto' | 'none';
}): Tun;

export interface PeerCredentials {
  uid: number;
  gid: number;
  /** null when the OS did not say (macOS without LOCAL_PEERPID). */
  pid: number | null;
}

/**
 * Who is at the other end of a connected Unix-domain socket, as of connect(2): Linux
 * getsockopt(SO_PEERCRED); macOS getpeereid(3) + getsockopt(SOL_LOCAL, LOCAL_PEERPID).
 * Throws TunHelperError: ERR_PEERCRED_INVALID_FD, ERR_PEERCRED_NOT_UNIX_SOCKET,
 * ERR_PEERCRED_UNSUPPORTED_PLATFORM, ERR_HELPER_NOT_BUILT, or an errno name (EBADF, ENOTSOCK, ENOTCONN).
 */
export function peerCredentials(fd: number): PeerCredentials;

export type UtunDecapsulated =
  | { ok: true; family: number; packet: Buffer }
  | { ok: false; family: number; reason: 'too-short' | 'unknown-family' | 'version-mismatch' };

/**
 * The C++ that frames macOS utun packets (src/utun_frame.h), exposed on every OS for tests;
 * the tunnel frames inside the addon and never calls this. null when the addon is not built.
 */
export const utunFraming: {
  /** 4-byte big-endian family prefix + packet; throws ERR_UTUN_FRAME_EMPTY / ERR_UTUN_FRAME_IP_VERSION. */
  encapsulate(packet: Uint8Array): Buffer;
  decapsulate(frame: Uint8Array): UtunDecapsulated;
  /** Darwin's values: 2 and 30 (Linux's AF_INET6 is 10). */
  readonly AF_INET: number;
  readonly AF_INET6: number;
  readonly headerLength: number;
} | null;

export interface TcpCoalesceWrite {
  /** Index of the first packet in this write. */
  first: number;
  /** Packets in it: 1 = written alone (GSO_NONE header); more = one TCPV4 super-packet. */
  count: number;
  /** Exactly what write(2) gets: struct virtio_net_hdr (host byte order), then the packet(s). */
  bytes: Buffer;
}

/**
 * The C++ that plans Linux TUN batch writes (src/tcp_coalesce.h), exposed on every OS for
 * tests; the tunnel plans inside the addon. null when the addon is not built.
 */
export const tcpCoalesce: {
  plan(packets: readonly Uint8Array[]): TcpCoalesceWrite[];
  readonly virtioNetHdrLength: number;
  readonly maxSegments: number;
} | null;

export type GsoSplitResult =
  | { ok: true; packets: Buffer[] }
  | { ok: false; reason: 'too-short' | 'unsupported-gso' | 'ip-version' | 'bad-checksum-place' | 'bad-headers' | 'bad-gso-size' };

/**
 * The C++ that turns Linux TUN read frames into packets (src/gso_split.h), exposed on every OS
 * for tests; the tunnel splits inside the addon. null when the addon is not built.
 */
export const gsoSplit: {
  /**
   * frame: struct virtio_net_hdr (host byte order) + packet, as read(2) returns it. chunk: append
   * at most that many packets per step (as the reader does when a batch fills mid-frame).
   */
  split(frame: Uint8Array, chunk?: number): GsoSplitResult;
  readonly virtioNetHdrLength: number;
} | null;

export const platformSupported: boolean;
/** Why build/Release/pptp_native_helper.node did not load, if it did not. */
export const loadError: unknown;

// ---- GRE: the raw GRE socket (src/gre_port.cc) --------------------------------------------

/** GRE's stable codes (besides errno names such as EPERM, EACCES, ENETUNREACH and ERR_HELPER_NOT_BUILT). */
export type GreHelperErrorCode = 'ERR_GRE_UNSUPPORTED_PLATFORM' | 'ERR_GRE_CLOSED' | 'ERR_GRE_READING';

export interface GreStats {
  /** Datagrams from the peer queued for JavaScript, their octets (IPv4 headers included) and batches. */
  rxDatagrams: number;
  rxBytes: number;
  rxBatches: number;
  /** Datagrams dropped because JavaScript fell behind (the batch queue was full). */
  rxDrops: number;
  /** Datagrams longer than the 4096-octet receive slot (MSG_TRUNC), dropped. */
  rxTruncated: number;
  /** Datagrams from another source, dropped (the kernel already filters a connected raw socket, so normally 0). */
  rxOtherSource: number;
  /** Receive calls that failed and were retried (a pending ICMP error such as ECONNREFUSED); lastRxError names the last. */
  rxErrors: number;
  lastRxError: string | null;
  txPackets: number;
  txBytes: number;
  /** Packets the kernel had no room for (EAGAIN / ENOBUFS), dropped like a full interface queue. */
  txDrops: number;
  /** Packets the kernel refused for another reason (lastTxError names the last errno). */
  txErrors: number;
  lastTxError: string | null;
}

export interface GreReadOptions {
  /**
   * Most datagrams per callback (1..1024, default 64; Linux's recvmmsg takes at most 1024). While
   * the JS thread is busy, the reader fills the waiting batch up to this size before starting another.
   */
  batchSize?: number;
  /** Most batches waiting for the JS thread (1..65536, default 64); beyond it datagrams are dropped and counted (rxDrops). */
  queueLimit?: number;
  /** The reader stopped on a receive error it cannot recover from (the socket went away). */
  onError?: (error: TunHelperError) => void;
}

export class GrePort {
  /** The peer given to openGre. */
  readonly remote: string;
  readonly fd: number;
  readonly closed: boolean;
  /**
   * Starts the native reader thread. `onDatagrams` runs on the JS thread once per batch:
   * `bytes` holds the datagrams back to back, datagram i spanning [ends[i - 1] (or 0), ends[i]),
   * each as the kernel delivered it (IPv4 header included: Linux wire order, macOS with ip_len /
   * ip_off in host order). Only the peer's datagrams arrive. Holds the event loop open until
   * close()/unref(). Throws ERR_GRE_READING when already started.
   */
  startReading(onDatagrams: (bytes: Buffer, ends: Uint32Array) => void, options?: GreReadOptions): void;
  /**
   * Sends buffers[i][starts[i]..ends[i]) for i < count to the peer, in order, in one sendmmsg(2)
   * (Linux; macOS: one send(2) each); synchronous: the kernel has copied the bytes when it
   * returns, so the caller may reuse the buffers. Returns how many were sent; the others are
   * counted in stats() (txDrops: no room, txErrors: refused). TypeError / RangeError for bad
   * arguments (arrays shorter than count, a range outside its buffer); ERR_GRE_CLOSED after close().
   */
  sendBatch(buffers: readonly Uint8Array[], starts: Uint32Array, ends: Uint32Array, count: number): number;
  /**
   * On the JS thread, now: hands every datagram the reader thread holds or the kernel has queued
   * to the startReading callback, in arrival order (the reader's receive-and-queue is one step
   * against this), and returns how many. 0 before startReading or after close.
   */
  drain(): number;
  stats(): GreStats;
  ref(): void;
  unref(): void;
  /** Stops and joins the reader thread and closes the socket. Idempotent. */
  close(): void;
}

/**
 * Opens a raw IPv4 socket for GRE (protocol 47) connected to `remote`, so the kernel delivers
 * only that peer's datagrams; 2 MiB socket buffers. Needs root or CAP_NET_RAW (Linux) / root
 * (macOS): EPERM / EACCES otherwise. TypeError for a missing or non-IPv4 `remote`;
 * ERR_GRE_UNSUPPORTED_PLATFORM outside Linux and macOS.
 */
export function openGre(options: { remote: string }): GrePort;

/** true when this build has a raw GRE socket (Linux, macOS). */
export const greSupported: boolean;
// ---- end GRE ------------------------------------------------------------------------------
