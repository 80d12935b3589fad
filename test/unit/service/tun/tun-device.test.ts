/**
 * TunDevice's per-OS naming rules and error mapping, over a fake native helper (the real addon
 * and a real kernel are exercised in test/system/service/tun). The platform is injected through
 * the options, never by patching process.platform.
 */
import { describe, expect, it } from 'vitest';
import { checkTunName, defaultTunName, TunDevice, type NativeHelperModule } from '../../../../main/service/tun/tun-device';

function fakeHelper(opts: { name?: string; throwCode?: string } = {}): { helper: NativeHelperModule; calls: unknown[] } {
  const calls: unknown[] = [];
  const helper = {
    openTun(o: unknown) {
      calls.push(o);
      if (opts.throwCode) throw Object.assign(new Error(`fake ${opts.throwCode}`), { code: opts.throwCode });
      return {
        name: opts.name ?? 'utun4',
        fd: 9,
        closed: false,
        startReading() {},
        write: () => true,
        writeBatch: (p: readonly Uint8Array[]) => p.length,
        stats: () => ({ rxPackets: 0, rxBytes: 0, rxBatches: 0, rxDrops: 0, txPackets: 0, txBytes: 0, txErrors: 0, lastTxError: null, txWrites: 0, txCoalesced: 0, offload: 'none' }),
        ref() {},
        unref() {},
        close() {},
      };
    },
  } as unknown as NativeHelperModule;
  return { helper, calls };
}

describe('defaultTunName', () => {
  it('linux_asksForThePptpTemplate', () => {
    expect(defaultTunName('linux')).toBe('pptp%d');
  });
  it('darwin_asksForNoName_theKernelPicksUtunN', () => {
    expect(defaultTunName('darwin')).toBeUndefined();
  });
});

describe('checkTunName', () => {
  it.each(['utun0', 'utun3', 'utun12', 'utun9999'])('darwin accepts %s', (name) => {
    expect(checkTunName(name, 'darwin')).toBeUndefined();
  });
  it.each(['pptp%d', 'utun%d', 'tun0', 'pptp0', 'utun', 'utun01', 'utun12345', 'utun-1', 'UTUN1'])('darwin refuses %s with EINVAL', (name) => {
    const e = checkTunName(name, 'darwin');
    expect(e?.code).toBe('open-failed');
    expect(e?.errno).toBe('EINVAL');
    expect(e?.message).toMatch(/utun/);
  });
  it.each(['pptp%d', 'pptptest0', 'tun0', 'a'.repeat(15)])('linux accepts %s', (name) => {
    expect(checkTunName(name, 'linux')).toBeUndefined();
  });
  it.each(['', 'a'.repeat(16), 'bad name', 'x/y'])('linux refuses %j with EINVAL', (name) => {
    expect(checkTunName(name, 'linux')?.errno).toBe('EINVAL');
  });
});

describe('TunDevice.open', () => {
  it('darwin_withoutAName_opensAndTakesTheKernelsUtunName', () => {
    const { helper, calls } = fakeHelper({ name: 'utun4' });
    const r = TunDevice.open({ platform: 'darwin' }, helper);
    expect(r.ok).toBe(true);
    expect(r.ok && r.value.name).toBe('utun4');
    expect(calls).toEqual([{}]);
  });

  it('darwin_withTheLinuxTemplate_failsBeforeTheHelperIsCalled', () => {
    const { helper, calls } = fakeHelper();
    const r = TunDevice.open({ name: 'pptp%d', platform: 'darwin' }, helper);
    expect(r.ok ? 'ok' : r.error.code).toBe('open-failed');
    expect(calls).toEqual([]);
  });

  it('darwin_withAUtunName_passesItThrough', () => {
    const { helper, calls } = fakeHelper({ name: 'utun7' });
    const r = TunDevice.open({ name: 'utun7', platform: 'darwin' }, helper);
    expect(r.ok && r.value.name).toBe('utun7');
    expect(calls).toEqual([{ name: 'utun7' }]);
  });

  it('linux_theTemplate_isPassedToTheKernel', () => {
    const { helper, calls } = fakeHelper({ name: 'pptp0' });
    const r = TunDevice.open({ name: 'pptp%d', platform: 'linux' }, helper);
    expect(r.ok && r.value.name).toBe('pptp0');
    expect(calls).toEqual([{ name: 'pptp%d' }]);
  });

  it.each([
    ['ERR_TUN_UNSUPPORTED_PLATFORM', 'unsupported-platform', undefined],
    ['ERR_HELPER_NOT_BUILT', 'helper-not-built', undefined],
    ['EPERM', 'open-failed', 'EPERM'],
    ['EBUSY', 'open-failed', 'EBUSY'],
  ])('a helper error %s_becomes %s', (throwCode, code, errno) => {
    const { helper } = fakeHelper({ throwCode });
    const r = TunDevice.open({ platform: 'darwin' }, helper);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.errno).toBe(errno);
  });
});

/** A fake helper whose Tun records writeAt / writeBatchAt calls (copies of what they were given). */
function recordingHelper(): { helper: NativeHelperModule; writes: number[][]; batches: number[][][] } {
  const writes: number[][] = [];
  const batches: number[][][] = [];
  const { helper } = fakeHelper({ name: 'pptp0' });
  const base = helper.openTun;
  (helper as { openTun: unknown }).openTun = (o: unknown) => ({
    ...base(o as never),
    writeAt: (b: Uint8Array, start: number, end: number) => (writes.push([...b.subarray(start, end)]), true),
    writeBatchAt: (buffers: Uint8Array[], starts: Uint32Array, ends: Uint32Array, count: number) => {
      const batch: number[][] = [];
      for (let i = 0; i < count; i++) batch.push([...buffers[i]!.subarray(starts[i], ends[i])]);
      batches.push(batch);
      return count;
    },
  });
  return { helper, writes, batches };
}

describe('TunDevice.writeAt', () => {
  it('writesTheTail_throughTheNativeOffsetWrite', () => {
    const { helper, writes } = recordingHelper();
    const r = TunDevice.open({ name: 'pptp%d', platform: 'linux' }, helper);
    if (!r.ok) throw r.error;
    const rx = new Uint8Array(8); // the raw socket's reused receive buffer
    rx.set([0x45, 1, 2], 5);
    expect(r.value.writeAt(rx, 5)).toBe(true);
    expect(r.value.writeAt(rx.subarray(4), 1)).toBe(true);
    expect(writes).toEqual([
      [0x45, 1, 2],
      [0x45, 1, 2],
    ]);
    r.value.close();
    expect(r.value.writeAt(rx, 5)).toBe(false);
    expect(writes).toHaveLength(2);
  });
});

describe('TunDevice.queueAt and flush', () => {
  it('flush_writesTheQueuedRegionsInOrder_inOneBatch', () => {
    const { helper, batches } = recordingHelper();
    const r = TunDevice.open({ name: 'pptp%d', platform: 'linux' }, helper);
    if (!r.ok) throw r.error;
    const a = Uint8Array.from([9, 1, 2, 3]);
    const b = Uint8Array.from([4, 5, 6, 7]);
    r.value.queueAt(a, 1);
    r.value.queueAt(b, 0, 2);
    expect(r.value.queued).toBe(2);
    expect(batches).toEqual([]); // no system call until flush
    expect(r.value.flush()).toBe(2);
    expect(batches).toEqual([[[1, 2, 3], [4, 5]]]);
    expect(r.value.queued).toBe(0);
    expect(r.value.flush()).toBe(0);
    expect(batches).toHaveLength(1); // nothing queued: no call
  });

  it('queueAt_growsPastItsFirstArrays_andFlushesItselfAt256', () => {
    const { helper, batches } = recordingHelper();
    const r = TunDevice.open({ name: 'pptp%d', platform: 'linux' }, helper);
    if (!r.ok) throw r.error;
    const packet = Uint8Array.from([1, 2]);
    for (let i = 0; i < 255; i++) r.value.queueAt(packet, i % 2);
    expect(batches).toEqual([]);
    r.value.queueAt(packet, 0);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(256);
    expect(batches[0]![1]).toEqual([2]);
    expect(batches[0]![255]).toEqual([1, 2]);
    expect(r.value.queued).toBe(0);
    r.value.queueAt(packet, 1);
    expect(r.value.flush()).toBe(1);
    expect(batches[1]).toEqual([[2]]);
  });

  it('close_dropsWhatIsQueued', () => {
    const { helper, batches } = recordingHelper();
    const r = TunDevice.open({ name: 'pptp%d', platform: 'linux' }, helper);
    if (!r.ok) throw r.error;
    r.value.queueAt(Uint8Array.from([1]), 0);
    r.value.close();
    expect(r.value.flush()).toBe(0);
    r.value.queueAt(Uint8Array.from([1]), 0);
    expect(r.value.queued).toBe(0);
    expect(batches).toEqual([]);
  });

  it('offload_isPassedToTheHelperOnlyWhenGiven', () => {
    const { helper, calls } = fakeHelper({ name: 'pptp0' });
    TunDevice.open({ name: 'pptp%d', platform: 'linux', offload: 'none' }, helper);
    TunDevice.open({ name: 'pptp%d', platform: 'linux' }, helper);
    expect(calls).toEqual([{ name: 'pptp%d', offload: 'none' }, { name: 'pptp%d' }]);
  });
});
