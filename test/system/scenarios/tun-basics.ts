/**
 * Scenario: TunDevice open/close behaviour inside a namespace: a requested name, a name clash,
 * an invalid name, the interface disappearing on close, idempotent close, write after close;
 * and the addon's writeAt/writeBatchAt refusing bad arguments before writing anything.
 */
import { loadNativeHelper, TunDevice } from '../../../main/service/tun/tun-device';
import { emit, fail, sh } from './common';

async function linkExists(name: string): Promise<boolean> {
  return (await sh('ip', ['link', 'show', 'dev', name])).code === 0;
}

/** The error class each bad call throws ('none' if it did not throw). */
function thrown(call: () => unknown): string {
  try {
    call();
    return 'none';
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

/** Bad region-write arguments through the addon itself: each throws, none writes (txWrites stays 0). */
function badRegionWrites(): { errors: Record<string, string>; txWrites: number; offload: string } {
  const helper = loadNativeHelper();
  if (!helper.ok) throw helper.error;
  const tun = helper.value.openTun({ name: 'pptptest1' });
  const packet = new Uint8Array(28);
  const one = (n: number) => Uint32Array.of(n);
  const anyTun = tun as unknown as Record<string, (...a: unknown[]) => unknown>;
  const errors = {
    batchNotArray: thrown(() => anyTun.writeBatchAt!('x', one(0), one(0), 1)),
    startsNotUint32Array: thrown(() => anyTun.writeBatchAt!([packet], [0], one(28), 1)),
    countTooLarge: thrown(() => tun.writeBatchAt([packet], one(0), one(28), 2)),
    countNegative: thrown(() => tun.writeBatchAt([packet], one(0), one(28), -1)),
    countFractional: thrown(() => tun.writeBatchAt([packet], one(0), one(28), 0.5)),
    endPastBuffer: thrown(() => tun.writeBatchAt([packet], one(0), one(29), 1)),
    startAfterEnd: thrown(() => tun.writeBatchAt([packet], one(2), one(1), 1)),
    laterBufferNotUint8Array: thrown(() => anyTun.writeBatchAt!([packet, 'x'], Uint32Array.of(0, 0), Uint32Array.of(28, 1), 2)),
    writeAtStartAfterEnd: thrown(() => tun.writeAt(packet, 3, 2)),
    writeAtFractional: thrown(() => tun.writeAt(packet, 1.5, 2)),
    writeAtEndPastBuffer: thrown(() => tun.writeAt(packet, 0, 29)),
    zeroCount: String(tun.writeBatchAt([], new Uint32Array(0), new Uint32Array(0), 0)),
  };
  const { txWrites, offload } = tun.stats();
  tun.close();
  return { errors, txWrites, offload };
}

async function main(): Promise<void> {
  const named = TunDevice.open({ name: 'pptptest0' });
  if (!named.ok) throw named.error;
  const existsWhileOpen = await linkExists('pptptest0');
  const clash = TunDevice.open({ name: 'pptptest0' });
  const invalid = TunDevice.open({ name: 'bad name;rm' });
  const kernelNamed = TunDevice.open();
  if (!kernelNamed.ok) throw kernelNamed.error;
  const kernelName = kernelNamed.value.name;
  kernelNamed.value.close();
  let closeEvents = 0;
  named.value.on('close', () => closeEvents++);
  named.value.close();
  named.value.close();
  const existsAfterClose = await linkExists('pptptest0');
  const writeAfterClose = named.value.write(new Uint8Array(20));
  const regionWrites = badRegionWrites();
  emit({
    name: named.value.name,
    existsWhileOpen,
    clash: clash.ok ? 'opened' : { code: clash.error.code, errno: clash.error.errno },
    invalid: invalid.ok ? 'opened' : { code: invalid.error.code, errno: invalid.error.errno },
    kernelName,
    closeEvents,
    existsAfterClose,
    writeAfterClose,
    regionWrites,
  });
}

main().catch(fail);
