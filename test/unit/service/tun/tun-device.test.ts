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
        stats: () => ({ rxPackets: 0, rxBytes: 0, rxBatches: 0, rxDrops: 0, txPackets: 0, txBytes: 0, txErrors: 0, lastTxError: null }),
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

describe('TunDevice.writeAt', () => {
  it('writesTheTail_reusingOneViewWhileTheRegionRepeats', () => {
    const written: Uint8Array[] = [];
    const { helper } = fakeHelper({ name: 'pptp0' });
    const base = helper.openTun;
    (helper as { openTun: unknown }).openTun = (o: unknown) => ({ ...base(o as never), write: (p: Uint8Array) => (written.push(p), true) });
    const r = TunDevice.open({ name: 'pptp%d', platform: 'linux' }, helper);
    if (!r.ok) throw r.error;
    const rx = new Uint8Array(64); // the raw socket's reused receive buffer
    rx.set([0x45, 1, 2], 40);
    expect(r.value.writeAt(rx, 40)).toBe(true);
    expect(Array.from(written[0]!.subarray(0, 3))).toEqual([0x45, 1, 2]);
    expect(written[0]!.length).toBe(24);
    expect(r.value.writeAt(rx, 40)).toBe(true);
    expect(written[1]).toBe(written[0]); // the same region: the same view
    r.value.writeAt(rx, 36);
    expect(written[2]).not.toBe(written[0]);
    expect(written[2]!.length).toBe(28);
    r.value.writeAt(rx.subarray(8), 28); // same offset into the ArrayBuffer and length: reused
    expect(written[3]).toBe(written[2]);
    r.value.writeAt(new Uint8Array(64), 36); // another buffer: a new view
    expect(written[4]).not.toBe(written[2]);
    r.value.close();
    expect(r.value.writeAt(rx, 40)).toBe(false);
  });
});
