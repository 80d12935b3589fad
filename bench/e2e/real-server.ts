/**
 * RealPptpServer: the scripted PPTP server of the simulations (test/sim/support/pptp-server.ts:
 * ControlServer + server-side GreCall + PppPeer, pptpd + pppd with require-mschap-v2
 * require-mppe-128) given real I/O, so the end-to-end benchmark needs no pptpd VM:
 *   - a node:net listener on TCP 1723 (one client at a time; a new one replaces the old);
 *   - the client's GRE through the service's own raw socket (main/service/io/gre-socket.ts,
 *     which strips the IPv4 header the kernel delivers and filters by source address);
 *   - a TUN device (main/service/tun/tun-device.ts) carrying the IP packets that come out of the
 *     tunnel, addressed by the caller so that e.g. `iperf3 -s` on this side is reached through it;
 *   - a real timer driving handleTimeout (performance.now() is the engine's `now`).
 *
 * Owns the glue only; protocol behaviour stays in the sim parts. It is a benchmark fixture: the
 * PppPeer records every frame in framesIn/framesOut for the tests' assertions, so those records
 * are dropped after each pump (else a soak would grow the server without bound).
 */
import net from 'node:net';
import { randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PptpServer } from '../../test/sim/support/pptp-server';
import { GreSocket } from '../../main/service/io/gre-socket';
import { PPTP_CONTROL_PORT } from '../../main/service/io/control-socket';
import { TunDevice } from '../../main/service/tun/tun-device';
import type { RandomSource } from '../../main/engine/random';

const systemRandom: RandomSource = (length) => randomFillSync(new Uint8Array(length));

export interface RealPptpServerOptions {
  /** Address the TCP listener binds to. */
  readonly listenIp: string;
  readonly username: string;
  readonly password: string;
  /** Name of the server's TUN device (1..15 characters). */
  readonly tunName: string;
  /** Server and client tunnel addresses (PppPeer's localIp / assignIp). */
  readonly localIp: string;
  readonly assignIp: string;
  /** The GRE receive window the server advertises in its Outgoing-Call-Reply (pptpd: 64). */
  readonly receiveWindow?: number;
  readonly log?: (line: string) => void;
}

export interface RealPptpServerCounters {
  greIn: number;
  greOut: number;
  tunIn: number;
  tunOut: number;
  /** Packets from the TUN dropped unencrypted because the GRE window and queue were full. */
  tunDropped: number;
  calls: number;
}

/** Uint8Array views of Buffers: the engine never holds a Buffer. */
function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export class RealPptpServer {
  readonly counters: RealPptpServerCounters = { greIn: 0, greOut: 0, tunIn: 0, tunOut: 0, tunDropped: 0, calls: 0 };
  readonly tun: TunDevice;
  private readonly listener: net.Server;
  private session: { server: PptpServer; socket: net.Socket; gre: GreSocket } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAt: number | undefined;
  private readonly log: (line: string) => void;

  private constructor(
    private readonly options: RealPptpServerOptions,
    tun: TunDevice,
  ) {
    this.log = options.log ?? (() => undefined);
    this.tun = tun;
    this.listener = net.createServer((socket) => this.accept(socket));
    tun.on('readError', (e) => this.log(`TUN read error: ${e.message}`));
    tun.onPackets((packets) => {
      const s = this.session;
      if (!s?.server.peer) return;
      const now = performance.now();
      this.counters.tunIn += packets.length;
      for (const p of packets) {
        // Like the client's session (PptpSession.handleTunPacket): a packet the GRE window cannot
        // take is dropped before MPPE spends a coherency count on it. Encrypting first and
        // dropping after left gaps of thousands of counts under a UDP flood, more than half the
        // 12-bit coherency count (RFC 3078 §3), which the client reads as old: it wedged.
        const gre = s.server.gre;
        if (gre && !gre.canAcceptFrame) {
          gre.countWindowDrop();
          this.counters.tunDropped++;
          continue;
        }
        // sendIp moves the frame into the GreCall at once, so canAcceptFrame sees it.
        s.server.sendIp(now, view(p));
      }
      this.pump(now);
    });
  }

  /** Opens the TUN device and starts listening; resolves once TCP 1723 accepts connections. */
  static async start(options: RealPptpServerOptions): Promise<RealPptpServer> {
    const opened = TunDevice.open({ name: options.tunName, batchSize: 256, queueLimit: 256 });
    if (!opened.ok) throw opened.error;
    const server = new RealPptpServer(options, opened.value);
    await new Promise<void>((resolve, reject) => {
      server.listener.once('error', reject);
      server.listener.listen(PPTP_CONTROL_PORT, options.listenIp, () => resolve());
    });
    return server;
  }

  /** The current call's GRE counters (undefined with no call up). */
  get greCounters(): object | undefined {
    return this.session?.server.gre?.counters;
  }

  close(): void {
    this.endSession();
    this.listener.close();
    this.tun.close();
  }

  private accept(socket: net.Socket): void {
    this.endSession();
    socket.setNoDelay(true);
    const clientIp = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const server = new PptpServer({
      random: systemRandom,
      auth: { method: 'mschapv2', username: this.options.username, password: this.options.password },
      ppp: { localIp: this.options.localIp, assignIp: this.options.assignIp },
      ...(this.options.receiveWindow !== undefined
        ? { control: { callReply: { receiveWindowSize: this.options.receiveWindow } }, gre: { ourReceiveWindow: this.options.receiveWindow } }
        : {}),
    });
    const gre = new GreSocket(
      clientIp,
      (packet) => {
        this.counters.greIn++;
        server.handleDatagram(performance.now(), packet);
      },
      (e) => this.log(`GRE socket error: ${e.message}`),
      // Like the service: one pump (one sendmmsg, one batched TUN write) per received batch.
      { onBatchEnd: () => this.pump(performance.now()) },
    );
    const s = { server, socket, gre };
    this.session = s;
    this.counters.calls++;
    this.log(`client ${clientIp} connected`);
    socket.on('data', (chunk: Buffer) => {
      const now = performance.now();
      server.handleStreamBytes(now, view(chunk));
      this.pump(now);
    });
    socket.on('close', () => {
      if (this.session !== s) return;
      server.handleStreamClosed(performance.now());
      this.endSession();
    });
    socket.on('error', () => undefined); // 'close' follows
    const now = performance.now();
    server.handleConnected(now);
    this.pump(now);
  }

  /** Moves every output to its socket/device, drops the test records, re-arms the timer. */
  private pump(now: number): void {
    const s = this.session;
    if (!s) return;
    const { server, socket, gre } = s;
    // PptpServer moves frames between its parts only in its own pump (the sim harness calls
    // afterInput after every input); the IP packets we hand its peer directly need it too.
    server.afterInput(now);
    for (let b = server.pollStreamBytes(); b; b = server.pollStreamBytes()) if (!socket.destroyed) socket.write(b);
    for (let d = server.pollDatagram(); d; d = server.pollDatagram()) {
      this.counters.greOut++;
      gre.send(d);
    }
    gre.flush();
    const ips = server.ipReceived;
    if (ips.length > 0) {
      for (const ip of ips) this.tun.queueAt(ip, 0);
      this.counters.tunOut += this.tun.flush();
      ips.length = 0;
    }
    const peer = server.peer;
    if (peer) {
      peer.framesIn.length = 0;
      peer.framesOut.length = 0;
    }
    if (server.pollStreamClose()) {
      socket.end();
      return;
    }
    this.arm(server.nextTimeout());
  }

  private arm(at: number | undefined): void {
    if (at === this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (at === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = undefined;
        const s = this.session;
        if (!s) return;
        const now = performance.now();
        s.server.handleTimeout(now);
        this.pump(now);
      },
      Math.max(0, Math.ceil(at - performance.now())),
    );
  }

  private endSession(): void {
    const s = this.session;
    if (!s) return;
    this.session = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
    s.gre.close();
    if (!s.socket.destroyed) s.socket.destroy();
    this.log('client gone');
  }
}
