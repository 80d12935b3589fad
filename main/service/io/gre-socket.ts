/**
 * The raw IP socket for GRE (IP protocol 47, RFC 2637 §4) through the `raw-socket` module.
 * Owns only the socket: it filters datagrams by source address, strips the IPv4 header the
 * kernel delivers on receive (toolchain.md: "received buffers include the 20-byte IPv4 header,
 * sent buffers must not"; Linux and macOS leave that header in different byte orders, see
 * engine/gre/ipv4.ts and rawIpv4DeliveryFor below) and hands GRE packets to a callback. It must be opened BEFORE the
 * Outgoing-Call-Request, or the kernel answers the server's first GRE packet with ICMP
 * protocol-unreachable and pptpd drops the call (pptpd-peer.md).
 *
 * raw-socket is NAN-based and was chosen because Node has no raw socket API; it needs root or
 * CAP_NET_RAW. Loaded lazily so importing this module never fails on a machine without it.
 *
 * Sending without a copy or a view: `sendAt(buffer, start)` passes the engine's buffer with an
 * offset (raw-socket's native send takes any Uint8Array: node::Buffer::HasInstance is
 * IsArrayBufferView). raw-socket queues the request until the socket is writable, then its
 * sendto(2) copies the bytes into the kernel and the completion callback runs; requests
 * complete in order, each exactly once (its two synchronous refusals, a range past the buffer
 * and a bad address, cannot happen here: the range is the buffer's tail and the address is the
 * resolved server's). So the socket keeps its in-flight buffers in order and hands each to
 * `onSendDone` on its completion: from then on the caller may reuse it (the session's frame
 * pool). Buffers still queued when the socket closes are never handed back.
 */
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { greFromIpv4Datagram, IP_PROTOCOL_GRE, LINUX_RAW_IPV4_DELIVERY, type RawIpv4Delivery } from '../../engine/gre/ipv4';
import { Fifo } from '../../engine/wire/fifo';

export interface RawSocket {
  on(event: 'message', cb: (buffer: Buffer, source: string) => void): void;
  on(event: 'error', cb: (error: Error) => void): void;
  on(event: 'close', cb: () => void): void;
  send(buffer: Uint8Array, offset: number, length: number, address: string, before: (() => void) | null, after: (error: Error | null, bytes: number) => void): void;
  setOption(level: number, option: number, value: number | Buffer, length?: number): void;
  close(): void;
}

export interface RawSocketModule {
  createSocket(options: { protocol: number; bufferSize?: number }): RawSocket;
  SocketLevel: { SOL_SOCKET: number };
  SocketOption: { SO_RCVBUF: number; SO_SNDBUF: number };
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
  rxDatagrams: number;
  rxOtherSource: number;
  rxMalformed: number;
  txPackets: number;
  txErrors: number;
}

function loadRawSocket(): RawSocketModule {
  try {
    return createRequire(import.meta.url)('raw-socket') as RawSocketModule;
  } catch (e) {
    throw new GreSocketError('unavailable', `the raw-socket module could not be loaded: ${(e as Error).message}`);
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
  /** The loader of the raw-socket module; tests inject a fake. */
  readonly loadRawSocket?: () => RawSocketModule;
  /** Called with each buffer given to send/sendAt once the kernel has its bytes (see above). */
  readonly onSendDone?: (buffer: Uint8Array) => void;
}

/** A 1500-byte path MTU plus headroom; raw-socket reads at most this many bytes per datagram. */
const RECEIVE_BUFFER_BYTES = 65_535;
/** Kernel socket buffers sized for bursts of full-size packets (about 1.4k packets). */
const SOCKET_BUFFER_BYTES = 2 * 1024 * 1024;

export class GreSocket {
  readonly counters: GreSocketCounters = { rxDatagrams: 0, rxOtherSource: 0, rxMalformed: 0, txPackets: 0, txErrors: 0 };
  private readonly socket: RawSocket;
  private closed = false;
  /** Buffers handed to raw-socket and not yet completed, oldest first. */
  private readonly inFlight = new Fifo<Uint8Array>();
  private readonly onSendDone: ((buffer: Uint8Array) => void) | undefined;
  /** One completion callback for every send (no closure per packet). */
  private readonly afterSend = (error: Error | null): void => {
    if (error) this.counters.txErrors++;
    else this.counters.txPackets++;
    const done = this.inFlight.shift();
    if (done !== undefined) this.onSendDone?.(done);
  };

  /**
   * @param serverIp the PPTP server's IPv4 address: the only source we accept and our destination
   * @param onGre called with the GRE packet (IPv4 header stripped) of every datagram from the server
   */
  constructor(
    private readonly serverIp: string,
    onGre: (gre: Uint8Array) => void,
    onError: (error: Error) => void,
    options: GreSocketOptions = {},
  ) {
    this.onSendDone = options.onSendDone;
    const platform = options.platform ?? process.platform;
    const delivery = rawIpv4DeliveryFor(platform);
    if (delivery instanceof GreSocketError) throw delivery;
    const raw = (options.loadRawSocket ?? loadRawSocket)();
    try {
      this.socket = raw.createSocket({ protocol: IP_PROTOCOL_GRE, bufferSize: RECEIVE_BUFFER_BYTES });
    } catch (e) {
      const msg = (e as Error).message;
      throw new GreSocketError(
        /EPERM|EACCES|not permitted/i.test(msg) ? 'permission' : 'unavailable',
        // Linux: root or CAP_NET_RAW (raw(7)). macOS has no capabilities: XNU's rip_attach()
        // returns EPERM unless the socket was created by root (bsd/netinet/raw_ip.c l.979-981).
        `cannot open a raw GRE socket (needs ${platform === 'linux' ? 'root or CAP_NET_RAW' : 'root'}): ${msg}`,
      );
    }
    try {
      this.socket.setOption(raw.SocketLevel.SOL_SOCKET, raw.SocketOption.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      this.socket.setOption(raw.SocketLevel.SOL_SOCKET, raw.SocketOption.SO_SNDBUF, SOCKET_BUFFER_BYTES);
    } catch {
      // Larger buffers are an optimisation; the defaults still work.
    }
    this.socket.on('message', (buffer, source) => {
      this.counters.rxDatagrams++;
      if (source !== this.serverIp) {
        this.counters.rxOtherSource++;
        return;
      }
      // A plain Uint8Array view: the engine must never hold a Buffer (Buffer#slice is a view).
      const parsed = greFromIpv4Datagram(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), delivery);
      if (!parsed.ok) {
        this.counters.rxMalformed++;
        return;
      }
      onGre(parsed.value.gre);
    });
    this.socket.on('error', (e) => {
      if (!this.closed) onError(e);
    });
  }

  send(gre: Uint8Array): void {
    this.sendAt(gre, 0);
  }

  /**
   * Sends `buffer[start..]` (a GRE packet from the engine's pollGrePacketAt) without a copy or a
   * view; `buffer` is handed to onSendDone once sent (at once when the socket is closed).
   */
  sendAt(buffer: Uint8Array, start: number): void {
    if (this.closed) {
      this.onSendDone?.(buffer);
      return;
    }
    this.inFlight.push(buffer);
    this.socket.send(buffer, start, buffer.length - start, this.serverIp, null, this.afterSend);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}
