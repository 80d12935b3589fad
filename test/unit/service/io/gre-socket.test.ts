/**
 * GreSocket over an injected native helper (a fake GrePort) and an injected platform: which
 * header convention each OS gets, source filtering, what reaches the engine, one onBatchEnd per
 * batch, the send queue (queue, flush, onSendDone order, self-flush at 256, close), and the typed
 * errors (unsupported platform; the privilege hint that differs between Linux and macOS). No
 * socket is opened: the fake records what GreSocket asks of it.
 */
import { describe, expect, it } from 'vitest';
import {
  GRE_SELF_FLUSH_PACKETS,
  GreSocket,
  GreSocketError,
  rawIpv4DeliveryFor,
  type GreNativeModule,
  type GreNativePort,
  type GreNativeStats,
} from '../../../../main/service/io/gre-socket';
import { fromHex, toHex } from '../../../../main/engine/wire/bytes';

const GRE = '3001880b' + '00040080' + '00000001' + 'ff03c021';
const SERVER = '10.77.0.1';
const ADDRESSES = '0a4d0001' + '0a4d0002'; // 10.77.0.1 → 10.77.0.2
const OTHER_ADDRESSES = 'c0000209' + '0a4d0002'; // 192.0.2.9 → 10.77.0.2
const LINUX_DATAGRAM = '4500' + '0024' + '1c46' + '4000' + '402f' + '0000' + ADDRESSES + GRE; // wire order
const MAC_DATAGRAM = '4500' + '1000' + '1c46' + '0040' + '402f' + '0000' + ADDRESSES + GRE; // XNU host order (LE)
const OTHER_SOURCE_DATAGRAM = '4500' + '0024' + '1c46' + '4000' + '402f' + '0000' + OTHER_ADDRESSES + GRE;

interface FakeGre {
  module: GreNativeModule;
  /** Hands one batch to the reader callback, as the helper does: one byte block + end offsets. */
  deliverBatch(hexDatagrams: string[]): void;
  deliver(hex: string): void;
  opened: { remote: string }[];
  sendCalls: string[][];
  stats: GreNativeStats;
  closed: number;
  /** How many of each sendBatch the fake kernel takes (default all). */
  accept: (count: number) => number;
  /** Batches the fake reader holds until drain() hands them over. */
  held: string[][];
}

function fakeGre(opts: { openError?: Error & { code?: string } } = {}): FakeGre {
  let onDatagrams: ((bytes: Uint8Array, ends: Uint32Array) => void) | undefined;
  const fake: FakeGre = {
    opened: [],
    sendCalls: [],
    stats: { rxDrops: 0, rxOtherSource: 0, txPackets: 0, txDrops: 0, txErrors: 0 },
    closed: 0,
    accept: (n) => n,
    held: [],
    deliverBatch(hexDatagrams) {
      if (!onDatagrams) throw new Error('GreSocket did not start reading');
      // The helper's Buffer: a slice of a larger allocation, so a non-zero byteOffset as in real life.
      const body = Buffer.from(hexDatagrams.join(''), 'hex');
      const backing = Buffer.alloc(64 + body.length);
      body.copy(backing, 64);
      const ends = new Uint32Array(hexDatagrams.length);
      let end = 0;
      hexDatagrams.forEach((h, i) => (ends[i] = end += h.length / 2));
      onDatagrams(backing.subarray(64), ends);
    },
    deliver(hex) {
      fake.deliverBatch([hex]);
    },
    module: {
      openGre(o) {
        if (opts.openError) throw opts.openError;
        fake.opened.push(o);
        const port: GreNativePort = {
          startReading(cb) {
            onDatagrams = cb;
          },
          sendBatch(buffers, starts, ends, count) {
            fake.sendCalls.push(Array.from({ length: count }, (_, i) => toHex(buffers[i]!.subarray(starts[i], ends[i]))));
            const taken = fake.accept(count);
            fake.stats.txPackets += taken;
            fake.stats.txDrops += count - taken;
            return taken;
          },
          drain() {
            let n = 0;
            for (const batch of fake.held.splice(0)) {
              fake.deliverBatch(batch);
              n += batch.length;
            }
            return n;
          },
          stats: () => ({ ...fake.stats }),
          close() {
            fake.closed++;
          },
        };
        return port;
      },
    },
  };
  return fake;
}

function open(
  platform: NodeJS.Platform,
  fake: FakeGre,
  extra: { onSendDone?: (b: Uint8Array) => void; onBatchEnd?: () => void } = {},
): { socket: GreSocket; received: string[] } {
  const received: string[] = [];
  const socket = new GreSocket(SERVER, (g) => received.push(toHex(g)), () => undefined, { platform, loadNativeHelper: () => fake.module, ...extra });
  return { socket, received };
}

function thrown(f: () => unknown): unknown {
  try {
    f();
    return undefined;
  } catch (x) {
    return x;
  }
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

describe('GreSocket receive', () => {
  it('opensAGrePortConnectedToTheServer', () => {
    const fake = fakeGre();
    open('linux', fake);
    expect(fake.opened).toEqual([{ remote: SERVER }]);
  });

  it('onLinux_aWireOrderDatagram_reachesTheEngineWithoutItsHeader', () => {
    const fake = fakeGre();
    const { socket, received } = open('linux', fake);
    fake.deliver(LINUX_DATAGRAM);
    expect(received).toEqual([GRE]);
    expect(socket.counters).toMatchObject({ rxDatagrams: 1, rxBatches: 1, rxMalformed: 0 });
  });

  it('onDarwin_anXnuHostOrderDatagram_reachesTheEngineWithoutItsHeader', () => {
    const fake = fakeGre();
    const { socket, received } = open('darwin', fake);
    fake.deliver(MAC_DATAGRAM);
    expect(received).toEqual([GRE]);
    expect(socket.counters).toMatchObject({ rxDatagrams: 1, rxMalformed: 0 });
  });

  it('onDarwin_aWireOrderDatagram_isCountedMalformed', () => {
    const fake = fakeGre();
    const { socket, received } = open('darwin', fake);
    fake.deliver(LINUX_DATAGRAM);
    expect(received).toEqual([]);
    expect(socket.counters.rxMalformed).toBe(1);
  });

  it('onLinux_anXnuHostOrderDatagram_isCountedMalformed', () => {
    const fake = fakeGre();
    const { socket, received } = open('linux', fake);
    fake.deliver(MAC_DATAGRAM);
    expect(received).toEqual([]);
    expect(socket.counters.rxMalformed).toBe(1);
  });

  it('aDatagramTooShortForAnIpv4Header_isCountedMalformed', () => {
    const fake = fakeGre();
    const { socket, received } = open('linux', fake);
    fake.deliver('4500002400');
    expect(received).toEqual([]);
    expect(socket.counters).toMatchObject({ rxMalformed: 1, rxOtherSource: 0 });
  });

  it('datagramsFromAnotherSource_areCountedAndDropped_theOthersOfTheBatchDelivered', () => {
    const fake = fakeGre();
    const { socket, received } = open('linux', fake);
    fake.deliverBatch([OTHER_SOURCE_DATAGRAM, LINUX_DATAGRAM]);
    expect(received).toEqual([GRE]);
    expect(socket.counters).toMatchObject({ rxDatagrams: 2, rxOtherSource: 1, rxMalformed: 0 });
  });

  it('otherSourceCounts_includeTheHelpers', () => {
    const fake = fakeGre();
    const { socket } = open('linux', fake);
    fake.stats.rxOtherSource = 2;
    fake.deliver(OTHER_SOURCE_DATAGRAM);
    expect(socket.counters.rxOtherSource).toBe(3);
  });

  it('aBatch_reachesTheEngineInOrder_thenOnBatchEndOnce', () => {
    const fake = fakeGre();
    const events: string[] = [];
    new GreSocket(SERVER, (g) => events.push(toHex(g.subarray(8, 12))), () => undefined, {
      platform: 'linux',
      loadNativeHelper: () => fake.module,
      onBatchEnd: () => events.push('end'),
    });
    const withSeq = (seq: string) => LINUX_DATAGRAM.slice(0, -16) + seq + 'ff03c021';
    fake.deliverBatch([withSeq('00000001'), withSeq('00000002'), withSeq('00000003')]);
    fake.deliverBatch([withSeq('00000004')]);
    expect(events).toEqual(['00000001', '00000002', '00000003', 'end', '00000004', 'end']);
  });

  it('onBatchEnd_runsAlsoWhenEveryDatagramWasDropped', () => {
    const fake = fakeGre();
    let ends = 0;
    const { received } = open('linux', fake, { onBatchEnd: () => ends++ });
    fake.deliverBatch([OTHER_SOURCE_DATAGRAM, MAC_DATAGRAM]);
    expect(received).toEqual([]);
    expect(ends).toBe(1);
  });

  it('theEngineGetsAUint8ArrayView_notABuffer', () => {
    const fake = fakeGre();
    const got: Uint8Array[] = [];
    new GreSocket(SERVER, (g) => got.push(g), () => undefined, { platform: 'darwin', loadNativeHelper: () => fake.module });
    fake.deliver(MAC_DATAGRAM);
    expect(got).toHaveLength(1);
    expect(Buffer.isBuffer(got[0])).toBe(false);
    expect(toHex(got[0]!)).toBe(GRE);
  });

  it('closedFromOnGre_theRestOfTheBatchIsNotDelivered_andNoBatchEnd', () => {
    const fake = fakeGre();
    let socket: GreSocket | undefined;
    const got: string[] = [];
    let ends = 0;
    socket = new GreSocket(
      SERVER,
      (g) => {
        got.push(toHex(g));
        socket?.close();
      },
      () => undefined,
      { platform: 'linux', loadNativeHelper: () => fake.module, onBatchEnd: () => ends++ },
    );
    fake.deliverBatch([LINUX_DATAGRAM, LINUX_DATAGRAM]);
    expect(got).toEqual([GRE]);
    expect(ends).toBe(0);
    expect(fake.closed).toBe(1);
    socket = undefined;
  });
});

describe('GreSocket send queue', () => {
  it('sendAt_queuesWithoutASystemCall_flushSendsTheTailsInOneBatch_thenHandsBuffersBackInOrder', () => {
    const fake = fakeGre();
    const done: Uint8Array[] = [];
    const { socket } = open('linux', fake, { onSendDone: (b) => done.push(b) });
    const a = Uint8Array.of(0xee, 0xee, 1, 2);
    const b = Uint8Array.of(0xee, 3);
    socket.sendAt(a, 2);
    socket.sendAt(b, 1);
    expect(fake.sendCalls).toEqual([]);
    expect(done).toEqual([]);
    expect(socket.queuedPackets).toBe(2);
    expect(socket.flush()).toBe(2);
    expect(fake.sendCalls).toEqual([['0102', '03']]);
    expect(done).toEqual([a, b]);
    expect(done[0]).toBe(a);
    expect(socket.queuedPackets).toBe(0);
    expect(socket.counters.txPackets).toBe(2);
    expect(socket.flush()).toBe(0); // empty: no call
    expect(fake.sendCalls).toHaveLength(1);
  });

  it('aQueueNobodyFlushed_goesOutInOneBatchAtTheEndOfTheTurn', async () => {
    const fake = fakeGre();
    const done: Uint8Array[] = [];
    const { socket } = open('linux', fake, { onSendDone: (b) => done.push(b) });
    socket.send(Uint8Array.of(1));
    socket.send(Uint8Array.of(2));
    socket.send(Uint8Array.of(3));
    expect(fake.sendCalls).toEqual([]);
    await Promise.resolve();
    expect(fake.sendCalls).toEqual([['01', '02', '03']]);
    expect(done).toHaveLength(3);
  });

  it('anExplicitFlush_leavesTheEndOfTurnFlushNothingToDo', async () => {
    const fake = fakeGre();
    const { socket } = open('linux', fake);
    socket.send(Uint8Array.of(1));
    socket.flush();
    await Promise.resolve();
    socket.send(Uint8Array.of(2)); // a new turn's queue schedules its own
    await Promise.resolve();
    expect(fake.sendCalls).toEqual([['01'], ['02']]);
  });

  it('send_queuesTheWholePacket', () => {
    const fake = fakeGre();
    const { socket } = open('darwin', fake);
    socket.send(fromHex(GRE));
    socket.flush();
    expect(fake.sendCalls).toEqual([[GRE]]);
  });

  it('packetsTheKernelRefused_stillGoBackToThePool_andAreCounted', () => {
    const fake = fakeGre();
    fake.accept = (n) => n - 1;
    const done: Uint8Array[] = [];
    const { socket } = open('linux', fake, { onSendDone: (b) => done.push(b) });
    socket.send(Uint8Array.of(1));
    socket.send(Uint8Array.of(2));
    expect(socket.flush()).toBe(1);
    expect(done).toHaveLength(2);
    expect(socket.counters).toMatchObject({ txPackets: 1, txDrops: 1 });
  });

  it('aQueueOf256_flushesItself_andGrowsPastItsFirstCapacityWithoutLosingOrder', () => {
    const fake = fakeGre();
    const done: number[] = [];
    const { socket } = open('linux', fake, { onSendDone: (b) => done.push(b[0]!) });
    for (let i = 0; i < GRE_SELF_FLUSH_PACKETS - 1; i++) socket.send(Uint8Array.of(i));
    expect(fake.sendCalls).toEqual([]);
    socket.send(Uint8Array.of(255));
    expect(fake.sendCalls).toHaveLength(1);
    expect(fake.sendCalls[0]).toEqual(Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')));
    expect(done).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(socket.queuedPackets).toBe(0);
    socket.send(Uint8Array.of(7));
    expect(socket.queuedPackets).toBe(1);
  });

  it('aPacketQueuedFromOnSendDone_staysQueuedForTheNextFlush', () => {
    const fake = fakeGre();
    const late = Uint8Array.of(9);
    const done: Uint8Array[] = [];
    const socket: GreSocket = new GreSocket(SERVER, () => undefined, () => undefined, {
      platform: 'linux',
      loadNativeHelper: () => fake.module,
      onSendDone: (b) => {
        done.push(b);
        if (done.length === 1) socket.send(late);
      },
    });
    socket.send(Uint8Array.of(1));
    socket.send(Uint8Array.of(2));
    socket.flush();
    expect(fake.sendCalls).toEqual([['01', '02']]);
    expect(socket.queuedPackets).toBe(1);
    socket.flush();
    expect(fake.sendCalls).toEqual([['01', '02'], ['09']]);
    expect(done.map((b) => b[0])).toEqual([1, 2, 9]);
  });

  it('close_handsQueuedBuffersBackUnsent_isIdempotent_andLaterSendsComeStraightBack', () => {
    const fake = fakeGre();
    const done: Uint8Array[] = [];
    const { socket } = open('linux', fake, { onSendDone: (b) => done.push(b) });
    const a = Uint8Array.of(1);
    socket.send(a);
    socket.close();
    socket.close();
    expect(done).toEqual([a]);
    expect(fake.closed).toBe(1);
    const c = Uint8Array.of(9);
    socket.sendAt(c, 0);
    expect(done).toEqual([a, c]);
    expect(socket.flush()).toBe(0);
    expect(fake.sendCalls).toEqual([]);
  });

  it('closedFromOnSendDone_everyBufferComesBackExactlyOnce', () => {
    const fake = fakeGre();
    const done: Uint8Array[] = [];
    const socket: GreSocket = new GreSocket(SERVER, () => undefined, () => undefined, {
      platform: 'linux',
      loadNativeHelper: () => fake.module,
      onSendDone: (b) => {
        done.push(b);
        socket.close();
      },
    });
    const packets = [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)];
    for (const p of packets) socket.send(p);
    socket.flush();
    expect(done).toEqual(packets);
    expect(new Set(done).size).toBe(3);
  });
});

describe('GreSocket open errors', () => {
  it('onWindows_throwsUnsupportedPlatform_beforeLoadingTheHelper', () => {
    let loaded = false;
    const e = thrown(
      () =>
        new GreSocket(SERVER, () => undefined, () => undefined, {
          platform: 'win32',
          loadNativeHelper: () => {
            loaded = true;
            return fakeGre().module;
          },
        }),
    );
    expect(e).toBeInstanceOf(GreSocketError);
    expect((e as GreSocketError).code).toBe('unsupported-platform');
    expect(loaded).toBe(false);
  });

  it.each([
    ['linux', 'EPERM', /needs root or CAP_NET_RAW/],
    ['linux', 'EACCES', /needs root or CAP_NET_RAW/],
    ['darwin', 'EPERM', /needs root\)/],
  ] as const)('on %s_%s_isAPermissionError_withThatOSsHint', (platform, code, hint) => {
    const fake = fakeGre({ openError: Object.assign(new Error('cannot open the raw GRE socket: Operation not permitted'), { code }) });
    const e = thrown(() => open(platform, fake));
    expect(e).toBeInstanceOf(GreSocketError);
    expect((e as GreSocketError).code).toBe('permission');
    expect((e as Error).message).toMatch(hint);
  });

  it('theHelperNotBuilt_isUnavailable', () => {
    const fake = fakeGre({ openError: Object.assign(new Error('the native helper is not built'), { code: 'ERR_HELPER_NOT_BUILT' }) });
    const e = thrown(() => open('linux', fake));
    expect((e as GreSocketError).code).toBe('unavailable');
  });

  it('theHelpersUnsupportedPlatform_isUnsupportedPlatform', () => {
    const fake = fakeGre({ openError: Object.assign(new Error('no GRE here'), { code: 'ERR_GRE_UNSUPPORTED_PLATFORM' }) });
    const e = thrown(() => open('linux', fake));
    expect((e as GreSocketError).code).toBe('unsupported-platform');
  });

  it('aServerThatIsNotAnIpv4Address_isRefusedBeforeOpening', () => {
    const fake = fakeGre();
    const e = thrown(() => new GreSocket('vpn.example', () => undefined, () => undefined, { platform: 'linux', loadNativeHelper: () => fake.module }));
    expect((e as GreSocketError).code).toBe('unavailable');
    expect(fake.opened).toEqual([]);
  });
});

describe('GreSocket.drain', () => {
  it('handsOverWhatTheReaderHeld_nowAndInOrder_thenTheBatchEnd', () => {
    const fake = fakeGre();
    const events: string[] = [];
    const received: string[] = [];
    const socket = new GreSocket(SERVER, (g) => received.push(toHex(g)), () => undefined, {
      platform: 'linux',
      loadNativeHelper: () => fake.module,
      onBatchEnd: () => events.push(`end after ${received.length}`),
    });
    fake.held.push([LINUX_DATAGRAM, LINUX_DATAGRAM], [LINUX_DATAGRAM]);
    expect(received).toEqual([]);
    expect(socket.drain()).toBe(3);
    expect(received).toEqual([GRE, GRE, GRE]);
    expect(events).toEqual(['end after 2', 'end after 3']);
    expect(socket.drain()).toBe(0);
  });

  it('afterClose_isZero_andDeliversNothing', () => {
    const fake = fakeGre();
    const { socket, received } = open('linux', fake);
    fake.held.push([LINUX_DATAGRAM]);
    socket.close();
    expect(socket.drain()).toBe(0);
    expect(received).toEqual([]);
  });
});
