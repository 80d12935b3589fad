/**
 * GreSocket on a real Linux kernel (network namespace, root): GRE packets sent through the raw
 * socket come back through the kernel's raw delivery and reach the engine byte for byte, with
 * the IPv4 header stripped by the Linux rules (main/engine/gre/ipv4.ts) — including datagrams
 * the kernel fragmented and reassembled. The macOS rules cannot run here (unit tests cover them).
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { TestNamespace, reportBlocker, systemTestBlocker } from '../../support/netns';

async function blocker(): Promise<string | null> {
  const base = await systemTestBlocker();
  if (base !== null) return base;
  try {
    createRequire(import.meta.url)('raw-socket');
  } catch (e) {
    return `raw-socket is not built: ${(e as Error).message}`;
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
    reassembled: number;
    counters: { rxDatagrams: number; rxOtherSource: number; rxMalformed: number; txPackets: number; txErrors: number };
  }

  it('loopback_greComesBackByteForByte_headerStrippedByTheLinuxRules', async () => {
    ns = await TestNamespace.create();
    const { output, code } = await ns.runScenario<Output>('gre-loopback.ts', { sizes: [4, 100, 1400] });
    expect(code).toBe(0);
    expect(output.reassembled).toBe(0);
    expect(output.allIdentical).toBe(true);
    expect([...output.receivedLengths].sort((a, b) => a - b)).toEqual([16, 112, 1412]);
    expect(output.counters).toMatchObject({ rxMalformed: 0, rxOtherSource: 0, txErrors: 0, txPackets: 3 });
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
});
