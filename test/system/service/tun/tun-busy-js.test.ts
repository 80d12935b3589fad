/**
 * The TUN reader on a real kernel while the JavaScript thread is busy (inside a fresh network
 * namespace): a separate process sends 500 small UDP datagrams through the TUN's route, spaced
 * so that the reader thread reads them one at a time, while the scenario's JS thread spins until
 * the sender is done. The reader must hold every datagram (appending to the waiting batches)
 * and hand all of them over, in order, once JavaScript runs again: none dropped. With a small
 * queueLimit the backlog stays bounded: exactly queueLimit full batches are kept, the rest dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TestNamespace, reportBlocker, systemTestBlocker } from '../../support/netns';

const blocker = await systemTestBlocker();
reportBlocker('TUN reader with a busy JS thread', blocker);

interface BusyOutput {
  sent: number;
  senderCode: number | null;
  callbacksWhileBusy: number;
  received: number;
  inOrder: boolean;
  callbacks: number;
  largestBatch: number;
  rx: { packets: number; batches: number; drops: number; reads: number };
}

describe.skipIf(blocker !== null)(`TUN reader with a busy JS thread${blocker ? ` (skipped: ${blocker})` : ''}`, () => {
  let ns: TestNamespace | null = null;
  afterEach(async () => {
    await ns?.delete();
    ns = null;
  });

  it('jsThreadBusyWhile500DatagramsArriveOneByOne_everyDatagramHandedOverInOrder_noneDropped', async () => {
    ns = await TestNamespace.create();
    const { output, code, stderr } = await ns.runScenario<BusyOutput>('tun-busy-js.ts', { count: 500, spacingUs: 500 });
    console.log(`tun-busy-js: ${JSON.stringify(output)}`);
    expect(code, `${JSON.stringify(output)}\n${stderr}`).toBe(0);
    expect(output.senderCode).toBe(0);
    expect(output.callbacksWhileBusy).toBe(0);
    expect(output.rx.drops).toBe(0);
    expect(output.received).toBe(500);
    expect(output.inOrder).toBe(true);
    // No batch larger than batchSize (64), and they came fuller than one datagram each.
    expect(output.largestBatch).toBeLessThanOrEqual(64);
    expect(output.callbacks).toBeLessThan(500);
  });

  it('queueLimit4BatchSize16_theFirst64DatagramsKeptInFullBatches_theRestDroppedAndCounted', async () => {
    ns = await TestNamespace.create();
    const { output, code, stderr } = await ns.runScenario<BusyOutput>('tun-busy-js.ts', { count: 500, spacingUs: 500, batchSize: 16, queueLimit: 4 });
    console.log(`tun-busy-js (queueLimit 4, batchSize 16): ${JSON.stringify(output)}`);
    expect(code, `${JSON.stringify(output)}\n${stderr}`).toBe(0);
    expect(output.callbacksWhileBusy).toBe(0);
    expect(output.received).toBe(64);
    expect(output.inOrder).toBe(true); // the first 64 sent
    expect(output.rx).toMatchObject({ packets: 64, batches: 4, drops: 500 - 64 });
    expect(output.callbacks).toBe(4);
    expect(output.largestBatch).toBe(16);
  });
});
