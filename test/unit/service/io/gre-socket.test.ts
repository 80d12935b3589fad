/**
 * GreSocket over an injected raw-socket module and an injected platform: which header
 * convention each OS gets, source filtering, what reaches the engine, and the typed errors
 * (unsupported platform; the privilege hint that differs between Linux and macOS). No socket is
 * opened: the fake module records what GreSocket asks of it.
 */
import { describe, expect, it } from 'vitest';
import { GreSocket, GreSocketError, rawIpv4DeliveryFor, type RawSocket, type RawSocketModule } from '../../../../main/service/io/gre-socket';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

const GRE = '3001880b' + '00040080' + '00000001' + 'ff03c021';
const ADDRESSES = '0a4d0001' + '0a4d0002';
const LINUX_DATAGRAM = '4500' + '0024' + '1c46' + '4000' + '402f' + '0000' + ADDRESSES + GRE; // wire order
const MAC_DATAGRAM = '4500' + '1000' + '1c46' + '0040' + '402f' + '0000' + ADDRESSES + GRE; // XNU host order (LE)
const SERVER = '10.77.0.1';

interface FakeRaw {
  module: RawSocketModule;
  deliver(hex: string, source?: string): void;
  created: { protocol: number; bufferSize?: number }[];
  sent: { bytes: string; address: string }[];
  closed: number;
}

function fakeRawSocket(opts: { createError?: Error } = {}): FakeRaw {
  const handlers: { message?: (b: Buffer, s: string) => void } = {};
  const fake: FakeRaw = {
    created: [],
    sent: [],
    closed: 0,
    deliver(hex, source = SERVER) {
      if (!handlers.message) throw new Error('GreSocket registered no message handler');
      // raw-socket hands over a slice of its receive buffer: a non-zero byteOffset, as in real life.
      const backing = Buffer.alloc(64 + hex.length / 2);
      Buffer.from(hex, 'hex').copy(backing, 64);
      handlers.message(backing.subarray(64), source);
    },
    module: {
      createSocket(o) {
        if (opts.createError) throw opts.createError;
        fake.created.push(o);
        const socket: RawSocket = {
          on(event: string, cb: (...args: never[]) => void) {
            if (event === 'message') handlers.message = cb as (b: Buffer, s: string) => void;
          },
          send(buffer, offset, length, address, _before, after) {
            fake.sent.push({ bytes: Buffer.from(buffer.buffer, buffer.byteOffset + offset, length).toString('hex'), address });
            after(null, length);
          },
          setOption() {},
          close() {
            fake.closed++;
          },
        } as RawSocket;
        return socket;
      },
      SocketLevel: { SOL_SOCKET: 1 },
      SocketOption: { SO_RCVBUF: 8, SO_SNDBUF: 7 },
    },
  };
  return fake;
}

function open(platform: NodeJS.Platform, fake: FakeRaw): { socket: GreSocket; received: string[] } {
  const received: string[] = [];
  const socket = new GreSocket(SERVER, (g) => received.push(toHex(g)), () => undefined, { platform, loadRawSocket: () => fake.module });
  return { socket, received };
}

describe('rawIpv4DeliveryFor', () => {
  it('linux_isWireOrder', () => {
    expect(rawIpv4DeliveryFor('linux')).toEqual({ kind: 'wire-order' });
  });
  it('darwin_isXnuHostOrder_withTheHostsEndianness', () => {
    expect(rawIpv4DeliveryFor('darwin', 'LE')).toEqual({ kind: 'xnu-host-order', hostLittleEndian: true });
    expect(rawIpv4DeliveryFor('darwin', 'BE')).toEqual({ kind: 'xnu-host-order', hostLittleEndian: false });
  });
  it.each(['win32', 'freebsd', 'openbsd'] as const)('%s_isATypedUnsupportedPlatformError', (platform) => {
    const r = rawIpv4DeliveryFor(platform);
    expect(r).toBeInstanceOf(GreSocketError);
    expect((r as GreSocketError).code).toBe('unsupported-platform');
  });
});

describe('GreSocket', () => {
  it('opensARawSocketForProtocol47', () => {
    const fake = fakeRawSocket();
    open('linux', fake);
    expect(fake.created).toEqual([{ protocol: 47, bufferSize: 65_535 }]);
  });

  it('onLinux_aWireOrderDatagram_reachesTheEngineWithoutItsHeader', () => {
    const fake = fakeRawSocket();
    const { socket, received } = open('linux', fake);
    fake.deliver(LINUX_DATAGRAM);
    expect(received).toEqual([GRE]);
    expect(socket.counters).toMatchObject({ rxDatagrams: 1, rxMalformed: 0 });
  });

  it('onDarwin_anXnuHostOrderDatagram_reachesTheEngineWithoutItsHeader', () => {
    const fake = fakeRawSocket();
    const { socket, received } = open('darwin', fake);
    fake.deliver(MAC_DATAGRAM);
    expect(received).toEqual([GRE]);
    expect(socket.counters).toMatchObject({ rxDatagrams: 1, rxMalformed: 0 });
  });

  it('onDarwin_aWireOrderDatagram_isCountedMalformed', () => {
    const fake = fakeRawSocket();
    const { socket, received } = open('darwin', fake);
    fake.deliver(LINUX_DATAGRAM);
    expect(received).toEqual([]);
    expect(socket.counters.rxMalformed).toBe(1);
  });

  it('onLinux_anXnuHostOrderDatagram_isCountedMalformed', () => {
    const fake = fakeRawSocket();
    const { socket, received } = open('linux', fake);
    fake.deliver(MAC_DATAGRAM);
    expect(received).toEqual([]);
    expect(socket.counters.rxMalformed).toBe(1);
  });

  it('datagramsFromAnotherSource_areCountedAndDropped', () => {
    const fake = fakeRawSocket();
    const { socket, received } = open('darwin', fake);
    fake.deliver(MAC_DATAGRAM, '192.0.2.9');
    expect(received).toEqual([]);
    expect(socket.counters).toMatchObject({ rxDatagrams: 1, rxOtherSource: 1, rxMalformed: 0 });
  });

  it('theEngineGetsAUint8ArrayView_notABuffer', () => {
    const fake = fakeRawSocket();
    const got: Uint8Array[] = [];
    new GreSocket(SERVER, (g) => got.push(g), () => undefined, { platform: 'darwin', loadRawSocket: () => fake.module });
    fake.deliver(MAC_DATAGRAM);
    expect(got).toHaveLength(1);
    expect(Buffer.isBuffer(got[0])).toBe(false);
    expect(toHex(got[0]!)).toBe(GRE);
  });

  it('sendsBareGreToTheServer_theKernelAddsTheHeader', () => {
    const fake = fakeRawSocket();
    const { socket } = open('darwin', fake);
    socket.send(fromHex(GRE));
    expect(fake.sent).toEqual([{ bytes: GRE, address: SERVER }]);
    expect(socket.counters.txPackets).toBe(1);
  });

  it('onWindows_throwsUnsupportedPlatform_beforeLoadingRawSocket', () => {
    let loaded = false;
    const e = (() => {
      try {
        new GreSocket(SERVER, () => undefined, () => undefined, {
          platform: 'win32',
          loadRawSocket: () => {
            loaded = true;
            return fakeRawSocket().module;
          },
        });
        return undefined;
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(GreSocketError);
    expect((e as GreSocketError).code).toBe('unsupported-platform');
    expect(loaded).toBe(false);
  });

  it.each([
    ['linux', /needs root or CAP_NET_RAW/],
    ['darwin', /needs root\)/],
  ] as const)('on %s_EPERM_isAPermissionError_withThatOSsHint', (platform, hint) => {
    const fake = fakeRawSocket({ createError: new Error('Operation not permitted') });
    const e = (() => {
      try {
        open(platform, fake);
        return undefined;
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(GreSocketError);
    expect((e as GreSocketError).code).toBe('permission');
    expect((e as Error).message).toMatch(hint);
  });

  it('close_isIdempotent_andStopsSending', () => {
    const fake = fakeRawSocket();
    const { socket } = open('linux', fake);
    socket.close();
    socket.close();
    socket.send(fromHex(GRE));
    expect(fake.closed).toBe(1);
    expect(fake.sent).toEqual([]);
  });
});

describe('GreSocket.sendAt', () => {
  it('sendsTheTailOfTheBuffer_andHandsEachBufferBackInOrder_onlyOnceRawSocketSentIt', () => {
    const pending: (() => void)[] = [];
    const sent: string[] = [];
    const module: RawSocketModule = {
      createSocket: () =>
        ({
          on() {},
          // raw-socket queues until writable: completion comes later, in order.
          send(buffer: Uint8Array, offset: number, length: number, _a: string, _b: unknown, after: (e: Error | null, n: number) => void) {
            pending.push(() => {
              sent.push(toHex(buffer.subarray(offset, offset + length)));
              after(null, length);
            });
          },
          setOption() {},
          close() {},
        }) as unknown as RawSocket,
      SocketLevel: { SOL_SOCKET: 1 },
      SocketOption: { SO_RCVBUF: 8, SO_SNDBUF: 7 },
    };
    const done: Uint8Array[] = [];
    const socket = new GreSocket(SERVER, () => undefined, () => undefined, {
      platform: 'linux',
      loadRawSocket: () => module,
      onSendDone: (b) => done.push(b),
    });
    const a = Uint8Array.of(0xee, 0xee, 1, 2);
    const b = Uint8Array.of(0xee, 3);
    socket.sendAt(a, 2);
    socket.sendAt(b, 1);
    expect(done).toEqual([]); // still raw-socket's
    pending.shift()!();
    expect(done).toEqual([a]);
    pending.shift()!();
    expect(done).toEqual([a, b]);
    expect(sent).toEqual(['0102', '03']);
    expect(socket.counters.txPackets).toBe(2);
    socket.close();
    const c = Uint8Array.of(9);
    socket.sendAt(c, 0); // closed: nothing sent, the buffer comes straight back
    expect(done).toEqual([a, b, c]);
    expect(pending).toEqual([]);
  });
});
