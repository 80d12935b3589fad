/**
 * The native GrePort's contract without traffic: argument checks (TypeError / RangeError before
 * any system call), the closed state, the reader's options, the stats shape, and EPERM for a user
 * without CAP_NET_RAW (a child under setpriv --reuid=65534). Opening the socket needs root: these
 * skip and say why otherwise, and fail under PPTP_REQUIRE_SYSTEM_TESTS=1. Nothing is sent or
 * read here; test/system/service/io/gre-socket.test.ts moves real datagrams in a namespace.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GrePort } from 'pptp-native-helper';
import { HELPER_DIR, loadNativeHelper, reportBlocker } from './support';

const { helper, blocker: notBuilt } = loadNativeHelper();

function rawSocketBlocker(): string | null {
  if (notBuilt !== null) return notBuilt;
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root (a raw socket needs CAP_NET_RAW)';
  if (helper?.greSupported !== true) return 'this build has no GrePort';
  return null;
}

const blocker = rawSocketBlocker();
reportBlocker('native GrePort', blocker);

function thrown(f: () => unknown): (Error & { code?: string; errno?: number; syscall?: string }) | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

describe.skipIf(blocker !== null)(`native GrePort${blocker ? ` (skipped: ${blocker})` : ''}`, () => {
  let port: GrePort | null = null;
  // Collected even when skipped: dereference lazily, inside each test.
  const open = (): GrePort => (port = helper!.openGre({ remote: '127.0.0.1' }));
  afterEach(() => {
    port?.close();
    port = null;
  });

  it('openGre_withoutAnIpv4Remote_isATypeError', () => {
    for (const options of [undefined, {}, { remote: 7 }, { remote: 'vpn.example' }, { remote: '::1' }, { remote: '10.0.0.256' }]) {
      expect(thrown(() => helper!.openGre(options as never))).toBeInstanceOf(TypeError);
    }
  });

  it('open_givesTheRemoteAnFdAndZeroedStats', () => {
    const p = open();
    expect(p.remote).toBe('127.0.0.1');
    expect(p.fd).toBeGreaterThan(2);
    expect(p.closed).toBe(false);
    expect(p.stats()).toEqual({
      rxDatagrams: 0,
      rxBytes: 0,
      rxBatches: 0,
      rxDrops: 0,
      rxTruncated: 0,
      rxOtherSource: 0,
      rxErrors: 0,
      lastRxError: null,
      txPackets: 0,
      txBytes: 0,
      txDrops: 0,
      txErrors: 0,
      lastTxError: null,
    });
  });

  it('sendBatch_wrongTypes_areTypeErrors', () => {
    const p = open();
    const one = Uint32Array.of(0);
    const u8 = new Uint8Array(4);
    expect(thrown(() => p.sendBatch(u8 as never, one, one, 1))).toBeInstanceOf(TypeError);
    expect(thrown(() => p.sendBatch([u8], [0] as never, one, 1))).toBeInstanceOf(TypeError);
    expect(thrown(() => p.sendBatch([u8], one, new Int32Array(1) as never, 1))).toBeInstanceOf(TypeError);
    expect(thrown(() => p.sendBatch([u8], one, one, '1' as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => p.sendBatch([new Uint16Array(2) as never], one, one, 1))).toBeInstanceOf(TypeError);
    expect(thrown(() => p.sendBatch(['abcd' as never], one, one, 1))).toBeInstanceOf(TypeError);
  });

  it('sendBatch_badCountsAndRanges_areRangeErrors_andNothingIsSent', () => {
    const p = open();
    const u8 = new Uint8Array(4);
    expect(thrown(() => p.sendBatch([u8], Uint32Array.of(0), Uint32Array.of(1), 2))).toBeInstanceOf(RangeError);
    expect(thrown(() => p.sendBatch([u8, u8], Uint32Array.of(0), Uint32Array.of(1, 1), 2))).toBeInstanceOf(RangeError);
    expect(thrown(() => p.sendBatch([u8], Uint32Array.of(0), Uint32Array.of(1), -1))).toBeInstanceOf(RangeError);
    expect(thrown(() => p.sendBatch([u8], Uint32Array.of(0), Uint32Array.of(1), 0.5))).toBeInstanceOf(RangeError);
    expect(thrown(() => p.sendBatch([u8], Uint32Array.of(3), Uint32Array.of(2), 1))).toBeInstanceOf(RangeError);
    expect(thrown(() => p.sendBatch([u8], Uint32Array.of(0), Uint32Array.of(5), 1))).toBeInstanceOf(RangeError);
    // A subarray's range is checked against the view, not its backing store.
    expect(thrown(() => p.sendBatch([new Uint8Array(16).subarray(8, 10)], Uint32Array.of(0), Uint32Array.of(3), 1))).toBeInstanceOf(RangeError);
    // A bad element after good ones: the whole call is refused, so nothing went out.
    expect(thrown(() => p.sendBatch([u8, u8], Uint32Array.of(0, 2), Uint32Array.of(4, 5), 2))).toBeInstanceOf(RangeError);
    expect(p.stats().txPackets).toBe(0);
    expect(p.sendBatch([], new Uint32Array(0), new Uint32Array(0), 0)).toBe(0);
  });

  it('startReading_badOptions_areRangeErrors_andASecondStartIsRefused', () => {
    const p = open();
    expect(thrown(() => p.startReading(() => undefined, { batchSize: 0 }))).toBeInstanceOf(RangeError);
    expect(thrown(() => p.startReading(() => undefined, { batchSize: 1025 }))).toBeInstanceOf(RangeError);
    expect(thrown(() => p.startReading(() => undefined, { queueLimit: 0 }))).toBeInstanceOf(RangeError);
    expect(thrown(() => p.startReading(7 as never))).toBeInstanceOf(TypeError);
    p.startReading(() => undefined, { batchSize: 1024, queueLimit: 1 });
    expect(thrown(() => p.startReading(() => undefined))?.code).toBe('ERR_GRE_READING');
  });

  it('close_isIdempotent_thenEveryCallSaysClosed', () => {
    const p = open();
    p.startReading(() => undefined);
    p.close();
    p.close();
    expect(p.closed).toBe(true);
    expect(thrown(() => p.sendBatch([], new Uint32Array(0), new Uint32Array(0), 0))?.code).toBe('ERR_GRE_CLOSED');
    expect(thrown(() => p.startReading(() => undefined))?.code).toBe('ERR_GRE_CLOSED');
    expect(p.stats().txPackets).toBe(0); // counters stay readable
  });

  const noSetpriv = spawnSync('setpriv', ['--version']).status !== 0 ? 'setpriv (util-linux) is missing' : null;
  reportBlocker('GrePort as another user', noSetpriv);
  it.skipIf(noSetpriv !== null)(`withoutCapNetRaw_isEPERM_fromSocket${noSetpriv ? ` (skipped: ${noSetpriv})` : ''}`, () => {
    const script = `try { require(${JSON.stringify(join(HELPER_DIR, 'index.cjs'))}).openGre({ remote: '127.0.0.1' }); console.log('{}'); }
      catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, errno: e.errno, syscall: e.syscall })); }`;
    const child = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, '-e', script], {
      encoding: 'utf8',
    });
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout.trim())).toEqual({ name: 'TunHelperError', code: 'EPERM', errno: 1, syscall: 'socket' });
  });
});
