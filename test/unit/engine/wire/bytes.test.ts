import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, fromHex, readFixedAscii, toHex } from '../../../../main/engine/wire/bytes';
import { TimerTable, earliest } from '../../../../main/engine/timers';
import { seededRandom } from '../../../../main/engine/random';

describe('ByteReader', () => {
  it('reads big-endian fields and refuses to read past the end', () => {
    const r = new ByteReader(fromHex('0102 03040506 07'));
    expect(r.u16()).toBe(0x0102);
    expect(r.u32()).toBe(0x03040506);
    expect(r.u16()).toBeUndefined();
    expect(r.u8()).toBe(7);
    expect(r.u8()).toBeUndefined();
    expect(r.bytesView(1)).toBeUndefined();
  });
  it('honours an explicit end before the buffer end', () => {
    const r = new ByteReader(fromHex('01020304'), 1, 3);
    expect(r.remaining).toBe(2);
    expect(r.bytesView(3)).toBeUndefined();
    expect(toHex(r.bytesView(2)!)).toBe('0203');
  });
});

describe('ByteWriter', () => {
  it('writes fields and NUL-pads fixed ASCII', () => {
    const w = new ByteWriter(2 + 4 + 6);
    w.u16(0xbeef).u32(0x1a2b3c4d).fixedAscii('linux', 6);
    const out = w.finish();
    expect(toHex(out)).toBe('beef1a2b3c4d6c696e757800');
    expect(readFixedAscii(out.subarray(6))).toBe('linux');
  });
});

describe('TimerTable', () => {
  it('reports the earliest deadline and expires due timers in order', () => {
    const t = new TimerTable<'a' | 'b' | 'c'>();
    t.set('a', 300);
    t.set('b', 100);
    t.set('c', 200);
    expect(t.nextTimeout()).toBe(100);
    expect(t.expire(250)).toEqual(['b', 'c']);
    expect(t.nextTimeout()).toBe(300);
    t.clear('a');
    expect(t.nextTimeout()).toBeUndefined();
    expect(earliest(undefined, 5, 3)).toBe(3);
  });

  it('nextTimeout_followsEverySetClearAndExpire_pastItsCacheAndGrowth', () => {
    const t = new TimerTable<'a' | 'b' | 'c' | 'd' | 'e' | 'f'>();
    expect(t.nextTimeout()).toBeUndefined();
    t.set('a', 50.5);
    expect(t.nextTimeout()).toBe(50.5);
    t.set('a', 70.25); // re-set a key: its new deadline, not the cached one
    expect(t.nextTimeout()).toBe(70.25);
    for (const [k, at] of [['b', 90], ['c', 60], ['d', 80], ['e', 100], ['f', 65]] as const) t.set(k, at); // past 4 slots
    expect(t.nextTimeout()).toBe(60);
    t.clear('c');
    expect(t.nextTimeout()).toBe(65);
    expect(t.expire(75)).toEqual(['f', 'a']);
    expect(t.nextTimeout()).toBe(80);
    expect(t.get('e')).toBe(100);
    t.clearAll();
    expect(t.nextTimeout()).toBeUndefined();
    t.set('b', 1);
    expect(t.isArmed('b')).toBe(true);
    expect(t.nextTimeout()).toBe(1);
  });
});

describe('seededRandom', () => {
  it('replays the same bytes for the same seed and differs across seeds', () => {
    expect(toHex(seededRandom(7)(8))).toBe(toHex(seededRandom(7)(8)));
    expect(toHex(seededRandom(7)(8))).not.toBe(toHex(seededRandom(8)(8)));
  });
});
