/**
 * GreSocket on a real Linux kernel (network namespace, root) through the native helper's GrePort:
 * GRE packets queued and flushed in one batch (sendmmsg) come back through the kernel's raw
 * delivery and the helper's batched reader (recvmmsg) and reach the engine byte for byte, with
 * the IPv4 header stripped by the Linux rules (main/engine/gre/ipv4.ts) — including datagrams
 * the kernel fragmented and reassembled. A datagram from another source never arrives (the socket
 * is connected), and close() with the reader busy lets the process exit. The macOS rules cannot
 * run here (unit tests cover them).
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import type { GreSocketCounters } from '../../../../main/service/io/gre-socket';
import { TestNamespace, reportBlocker, systemTestBlocker } from '../../support/netns';

async function blocker(): Promise<string | null> {
  const base = await systemTestBlocker();
  if (base !== null) return base;
  try {
    const helper = createRequire(import.meta.url)('pptp-native-helper') as { greSupported?: boolean; loadError: unknown };
    if (helper.greSupported !== true) return `the native helper has no GRE socket (not built, or built before GrePort): ${String(helper.loadError)}`;
  } catch (e) {
    return `the native helper cannot be loaded: ${(e as Error).message}`;
  }
  return null;
}

const why = await blocker();
reportBlocker('GRE raw socket', why);

describe.skipIf(why !== null)(`GRE raw socket on Linux${why ? ` (skipped: ${why})` : ''}`, () => {
  let ns: TestNamespace | null = null;
  afterEach(async () => {
    await ns?.delete();
    ns = null;
  });

  interface Output {
    receivedLengths: number[];
    sentLengths: number[];
    allIdentical: boolean;
    inOrder: boolean;
    reassembled: number;
    flushed: number;
    batchEnds: number;
    counters: GreSocketCounters;
  }

  it('loopback_greComesBackByteForByte_headerStrippedByTheLinuxRules', async () => {
    ns = await TestNamespace.create();
    const { output, code } = await ns.runScenario<Output>('gre-loopback.ts', { sizes: [4, 100, 1400] });
    expect(code).toBe(0);
    expect(output.reassembled).toBe(0);
    expect(output.allIdentical).toBe(true);
    expect([...output.receivedLengths].sort((a, b) => a - b)).toEqual([16, 112, 1412]);
    expect(output.counters).toMatchObject({ rxMalformed: 0, rxOtherSource: 0, txErrors: 0, txDrops: 0, txPackets: 3 });
    expect(output.flushed).toBe(3);
  });

  it('fragmentedOnTheWire_isReassembledBeforeRawDelivery_andAccepted', async () => {
    ns = await TestNamespace.create();
    // lo MTU 576: a 1412-byte GRE packet leaves in three fragments and comes back whole.
    const { output, code } = await ns.runScenario<Output>('gre-loopback.ts', { sizes: [1400], loMtu: 576 });
    expect(code).toBe(0);
    expect(output.reassembled).toBe(1);
    expect(output.allIdentical).toBe(true);
    expect(output.counters.rxMalformed).toBe(0);
  });

  it('aBatchOf200MixedSizes_flushedOnce_arrivesByteForByte_inFewerBatches', async () => {
    ns = await TestNamespace.create();
    const sizes = Array.from({ length: 200 }, (_, i) => [0, 36, 500, 1384, 1396][i % 5]! + (i % 7));
    const { output, code } = await ns.runScenario<Output>('gre-loopback.ts', { sizes });
    expect(code).toBe(0);
    expect(output.flushed).toBe(200);
    expect(output.allIdentical).toBe(true);
    expect(output.inOrder).toBe(true);
    expect(output.counters).toMatchObject({ txPackets: 200, txDrops: 0, txErrors: 0, rxDatagrams: 200, rxDrops: 0, rxMalformed: 0 });
    expect(output.counters.rxBatches).toBeLessThan(200);
    expect(output.batchEnds).toBe(output.counters.rxBatches);
  });

  it('aDatagramFromAnotherSource_isNotDelivered', async () => {
    ns = await TestNamespace.create();
    const { output, code } = await ns.runScenario<{
      otherSocketGotItsDatagram: boolean;
      receivedOnlyTheMarker: boolean;
      receivedCount: number;
      counters: GreSocketCounters;
    }>('gre-loopback.ts', { sizes: [], otherSource: true });
    expect(code).toBe(0);
    expect(output.otherSocketGotItsDatagram).toBe(true);
    expect(output.receivedOnlyTheMarker).toBe(true);
    expect(output.counters).toMatchObject({ rxDatagrams: 1, rxMalformed: 0 });
  });

  it('drain_rightAfterTheSend_handsOverEveryQueuedDatagram_atOnceAndInOrder', async () => {
    ns = await TestNamespace.create();
    // Repeated: the reader thread races drain() for the same datagrams; each run must still
    // deliver all of them synchronously and in order (the service relies on it for GRE before TCP).
    for (let run = 0; run < 5; run++) {
      const sizes = Array.from({ length: 250 }, (_, i) => 40 + ((i * 37) % 1360));
      const { output, code } = await ns.runScenario<{ flushed: number; drained: number; receivedAtOnce: number; inOrderAtOnce: boolean }>(
        'gre-loopback.ts',
        { sizes, drainAtOnce: true },
      );
      expect(code).toBe(0);
      expect(output.flushed).toBe(250);
      expect(output.receivedAtOnce).toBe(250);
      expect(output.inOrderAtOnce).toBe(true);
    }
  });

  it('closeWhileTheReaderRuns_returns_andTheProcessExits', async () => {
    ns = await TestNamespace.create();
    const sizes = Array.from({ length: 250 }, () => 1400);
    const { output, code, signal } = await ns.runScenario<{ closed: boolean; flushed: number }>('gre-loopback.ts', { sizes, closeWhileReading: true });
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(output).toEqual({ closed: true, flushed: 250 });
  });
});
