/** LogFile: append as JSON lines, rotate at the size bound keeping K files, read back the newest lines, skip torn lines, narrow modes, fail once. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogFile, logFileName, parseLogText, type StoredLogLine } from '../../../../main/app/log/log-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pptp-logfile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const line = (i: number, extra: Partial<StoredLogLine> = {}): StoredLogLine => ({ time: 1000 + i, level: 'info', source: 'app', message: `line ${i}`, ...extra });

describe('LogFile', () => {
  it('appends_thenReadsBackInOrder_withTags', () => {
    const f = new LogFile(dir);
    f.append(line(1, { profileId: 'p', attemptId: 'a1' }));
    f.append(line(2));
    f.close();
    expect(new LogFile(dir).readLast(10)).toEqual([line(1, { profileId: 'p', attemptId: 'a1' }), line(2)]);
    expect(new LogFile(dir).readLast(1)).toEqual([line(2)]);
  });

  it('rotatesAtTheBound_keepsKOlderFiles_andReadsAcrossThem', () => {
    const f = new LogFile(dir, { maxBytes: 200, keep: 2 });
    for (let i = 0; i < 40; i++) f.append(line(i));
    f.close();
    const names = readdirSync(path.join(dir, 'logs')).sort();
    expect(names).toEqual([logFileName(0), logFileName(1), logFileName(2)].sort());
    for (const n of names) expect(statSync(path.join(dir, 'logs', n)).size).toBeLessThanOrEqual(200);
    const back = new LogFile(dir, { maxBytes: 200, keep: 2 }).readLast(1000);
    // The newest lines survive, contiguous and in order; the oldest were dropped with the oldest file.
    expect(back.at(-1)).toEqual(line(39));
    expect(back.map((l) => l.time)).toEqual(back.map((_, i) => back[0]!.time + i));
    expect(back.length).toBeLessThan(40);
  });

  it('tornOrForeignLines_areSkipped', () => {
    expect(parseLogText('{"time":1,"level":"info","source":"app","message":"a"}\nnot json\n{"time":2,"level":"loud","source":"x","message":"b"}\n{"time":3,"lev')).toEqual([
      { time: 1, level: 'info', source: 'app', message: 'a' },
    ]);
  });

  it('aWiderFileOrDirectory_isNarrowed', () => {
    const logs = path.join(dir, 'logs');
    mkdirSync(logs, { mode: 0o755 });
    chmodSync(logs, 0o755);
    writeFileSync(path.join(logs, logFileName(0)), '', { mode: 0o644 });
    chmodSync(path.join(logs, logFileName(0)), 0o644);
    const f = new LogFile(dir);
    f.append(line(1));
    f.close();
    expect(statSync(logs).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(logs, logFileName(0))).mode & 0o777).toBe(0o600);
  });

  it('aWriteFailure_turnsTheSinkOff_withOneReason_neverThrows', () => {
    writeFileSync(path.join(dir, 'logs'), 'a file where the directory should be');
    const f = new LogFile(dir);
    expect(() => f.append(line(1))).not.toThrow();
    expect(f.failure).toMatch(/could not be written/);
    expect(() => f.append(line(2))).not.toThrow();
    expect(f.readLast(10)).toEqual([]);
  });

  it('clear_removesEveryFile', () => {
    const f = new LogFile(dir, { maxBytes: 100, keep: 2 });
    for (let i = 0; i < 10; i++) f.append(line(i));
    f.clear();
    expect(readdirSync(path.join(dir, 'logs'))).toEqual([]);
    f.append(line(11));
    appendFileSync(path.join(dir, 'logs', logFileName(0)), '');
    expect(f.readLast(5)).toEqual([line(11)]);
  });
});
