/**
 * TunDevice on a real kernel, inside a fresh network namespace: open/close behaviour, packets
 * both ways (the real `ping` answered by a responder that reads the echo requests from the TUN
 * and writes the replies back), and batched writes: the kernel's own TCP socket receiving 100
 * segments that TunDevice.queueAt/flush coalesced into GSO super-packets (Linux IFF_VNET_HDR),
 * the same without offload, and a batch mixing UDP and TCP; and TSO on reads: the kernel's own
 * TCP socket sending 1 MiB through the TUN as GSO super-packets, which the reader splits into
 * segments no larger than the MTU, every one with a valid checksum, to a peer crafted on the TUN.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TunStats } from '../../../../main/service/tun/tun-device';
import { TestNamespace, reportBlocker, systemTestBlocker } from '../../support/netns';

const blocker = await systemTestBlocker();
reportBlocker('TUN device', blocker);

describe.skipIf(blocker !== null)(`TUN device in a namespace${blocker ? ` (skipped: ${blocker})` : ''}`, () => {
  let ns: TestNamespace | null = null;
  afterEach(async () => {
    await ns?.delete();
    ns = null;
  });

  it('open_namesClashesAndClose_behaveAsTheKernelSays', async () => {
    ns = await TestNamespace.create();
    const { output, code } = await ns.runScenario<Record<string, unknown>>('tun-basics.ts', {});
    expect(code).toBe(0);
    expect(output).toEqual({
      name: 'pptptest0',
      existsWhileOpen: true,
      clash: { code: 'open-failed', errno: 'EBUSY' },
      invalid: { code: 'open-failed', errno: 'EINVAL' },
      kernelName: expect.stringMatching(/^tun[0-9]+$/),
      closeEvents: 1,
      existsAfterClose: false,
      writeAfterClose: false,
      regionWrites: {
        errors: {
          batchNotArray: 'TypeError',
          startsNotUint32Array: 'TypeError',
          countTooLarge: 'RangeError',
          countNegative: 'TypeError',
          countFractional: 'TypeError',
          endPastBuffer: 'RangeError',
          startAfterEnd: 'RangeError',
          laterBufferNotUint8Array: 'TypeError',
          writeAtStartAfterEnd: 'RangeError',
          writeAtFractional: 'TypeError',
          writeAtEndPastBuffer: 'RangeError',
          zeroCount: '0',
        },
        txWrites: 0,
        offload: 'gro+tso',
      },
    });
  });

  it('pingThroughFullTunnel_echoRequestsReadFromTun_repliesWrittenBack', async () => {
    ns = await TestNamespace.create();
    const count = 5;
    const { output } = await ns.runScenario<{
      applied: { ok: boolean };
      pingExit: number;
      pingOutput: string;
      echoRequests: number;
      stats: TunStats;
      restored: { ok: boolean };
    }>('ping-responder.ts', {
      stateDir: ns.stateDir,
      plan: { serverIp: '198.51.100.10', localIp: '10.64.0.2', remoteIp: '10.64.0.1', mtu: 1400, routes: 'default', dns: null },
      target: '8.8.4.4',
      count,
    });
    expect(output.applied.ok).toBe(true);
    expect(output.pingOutput).toContain(`${count} packets transmitted, ${count} received`);
    expect(output.pingExit).toBe(0);
    expect(output.echoRequests).toBe(count);
    expect(output.stats.rxPackets).toBeGreaterThanOrEqual(count);
    expect(output.stats.txPackets).toBe(count);
    expect(output.stats.txErrors).toBe(0);
    expect(output.stats.rxDrops).toBe(0);
    expect(output.restored.ok).toBe(true);
  });

  interface CoalesceOutput {
    offload: string;
    receivedBytes: number;
    inOrder: boolean;
    datagrams: number;
    mixedPackets: number;
    mixedTaken: number;
    resets: number;
    data: { packets: number; writes: number; coalesced: number; errors: number };
    mixed: { writes: number; coalesced: number; errors: number };
    rxFramingDrops: number;
  }

  it('tcpSegmentsThroughQueueAtAndFlush_coalescedIntoSuperPackets_theSocketReceivesEveryOctetInOrder', async () => {
    ns = await TestNamespace.create();
    const { output, code } = await ns.runScenario<CoalesceOutput>('tun-coalesce.ts', { offload: 'auto' });
    expect(code, JSON.stringify(output)).toBe(0);
    expect(output.offload).toBe('gro+tso');
    expect(output.receivedBytes).toBe(110_000);
    expect(output.inOrder).toBe(true);
    expect(output.resets).toBe(0);
    expect(output.data.packets).toBe(101); // the handshake's ACK + 100 data segments
    expect(output.data.coalesced).toBe(100);
    expect(output.data.writes).toBeLessThan(10); // far below one per packet
    expect(output.data.errors).toBe(0);
    // The mixed batch: every datagram arrives, the TCP runs between them are still coalesced.
    expect(output.datagrams).toBe(4);
    expect(output.mixedTaken).toBe(output.mixedPackets);
    expect(output.mixed.coalesced).toBeGreaterThan(0);
    expect(output.mixed.writes).toBeLessThan(output.mixedPackets);
    expect(output.mixed.errors).toBe(0);
    expect(output.rxFramingDrops).toBe(0);
  });

  it('withoutOffload_theSameTransferTakesOneWritePerPacket', async () => {
    ns = await TestNamespace.create();
    const { output, code } = await ns.runScenario<CoalesceOutput>('tun-coalesce.ts', { offload: 'none' });
    expect(code, JSON.stringify(output)).toBe(0);
    expect(output.offload).toBe('none');
    expect(output.inOrder).toBe(true);
    expect(output.receivedBytes).toBe(110_000);
    expect(output.datagrams).toBe(4);
    expect(output.data).toEqual({ packets: 101, writes: 101, coalesced: 0, errors: 0 });
  });

  interface TsoOutput {
    offload: string;
    mtu: number;
    sentBytes: number;
    receivedBytes: number;
    inOrder: boolean;
    socketError: string | null;
    resets: number;
    segments: number;
    dataSegments: number;
    largest: number;
    badIpChecksums: number;
    badTcpChecksums: number;
    largestBatch: number;
    rx: { packets: number; reads: number; segmented: number; framingDrops: number; drops: number };
  }

  it('kernelTcpSendingThroughTheTun_tsoSuperPacketsSplitIntoSegmentsNoLargerThanTheMtu_everyOctetInOrder', async () => {
    ns = await TestNamespace.create();
    const { output, code } = await ns.runScenario<TsoOutput>('tun-tso.ts', { offload: 'auto', bytes: 1 << 20 });
    expect(code, JSON.stringify(output)).toBe(0);
    expect(output.offload).toBe('gro+tso');
    expect(output.receivedBytes).toBe(1 << 20);
    expect(output.inOrder).toBe(true);
    expect(output.socketError).toBeNull();
    expect(output.resets).toBe(0);
    expect(output.badIpChecksums).toBe(0);
    expect(output.badTcpChecksums).toBe(0);
    expect(output.largest).toBeLessThanOrEqual(output.mtu);
    expect(output.dataSegments).toBeGreaterThanOrEqual(Math.ceil((1 << 20) / (output.mtu - 40)));
    expect(output.rx.framingDrops).toBe(0);
    expect(output.rx.segmented).toBeGreaterThan(0);
    // Far fewer read(2) calls than packets: most data came as super-packets.
    expect(output.rx.reads * 4).toBeLessThan(output.rx.packets);
  });

  it('aSmallBatchSize_aSuperPacketsSegmentsSpanSeveralBatches_noneLargerThanBatchSize_noneLost', async () => {
    ns = await TestNamespace.create();
    const { output, code } = await ns.runScenario<TsoOutput>('tun-tso.ts', { offload: 'auto', bytes: 1 << 18, batchSize: 4 });
    expect(code, JSON.stringify(output)).toBe(0);
    expect(output.offload).toBe('gro+tso');
    expect(output.inOrder).toBe(true);
    expect(output.badTcpChecksums).toBe(0);
    expect(output.largestBatch).toBeLessThanOrEqual(4);
    expect(output.rx.framingDrops).toBe(0);
    expect(output.rx.reads * 4).toBeLessThan(output.rx.packets); // super-packets still came, split across batches
  });

  it('withoutOffload_theKernelSegmentsItself_oneReadPerPacket', async () => {
    ns = await TestNamespace.create();
    const { output, code } = await ns.runScenario<TsoOutput>('tun-tso.ts', { offload: 'none', bytes: 1 << 18 });
    expect(code, JSON.stringify(output)).toBe(0);
    expect(output.offload).toBe('none');
    expect(output.inOrder).toBe(true);
    expect(output.badTcpChecksums).toBe(0);
    expect(output.largest).toBeLessThanOrEqual(output.mtu);
    expect(output.rx.segmented).toBe(0);
    expect(output.rx.reads).toBe(output.rx.packets + output.rx.drops);
  });
});
