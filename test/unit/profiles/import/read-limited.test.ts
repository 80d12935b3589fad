/**
 * readImportFile: whatever path the user names, at most the import limit plus one byte is read
 * (counted in bytes, not timed), and each case ends with a stable code: a huge file, endless
 * devices, FIFOs with no writer or a writer that never stops, a directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../../../main/profiles/import/decode';
import { readImportFile } from '../../../../main/profiles/import/read-limited';

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pptp-import-read-'));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.pid !== undefined && c.exitCode === null) process.kill(c.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function mkfifo(name: string): string | undefined {
  const p = path.join(dir, name);
  const r = spawnSync('mkfifo', [p]);
  return r.status === 0 ? p : undefined;
}
const canMkfifo = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).error === undefined;

describe('readImportFile', () => {
  it('aSmallFile_isReadWhole', async () => {
    const f = path.join(dir, 'peer');
    const text = 'pty "pptp vpn.example.com --nolaunchpppd"\n';
    writeFileSync(f, text);
    const r = await readImportFile(f);
    expect(r).toMatchObject({ ok: true, bytesRead: text.length });
    expect(r.ok && Buffer.from(r.bytes).toString()).toBe(text);
  });

  it('aFileOfExactlyTheLimit_isAccepted_oneMoreByteIsNot', async () => {
    const f = path.join(dir, 'edge');
    writeFileSync(f, Buffer.alloc(100, 0x61));
    expect(await readImportFile(f, { limit: 100 })).toMatchObject({ ok: true, bytesRead: 100 });
    expect(await readImportFile(f, { limit: 99 })).toMatchObject({ ok: false, error: { code: 'file-too-large' } });
  });

  it('a50MBFile_isRefusedFromItsSize_withoutReadingIt', async () => {
    const f = path.join(dir, 'big.pbk');
    writeFileSync(f, '');
    await truncate(f, 50 * 1024 * 1024);
    const r = await readImportFile(f);
    expect(r).toMatchObject({ ok: false, bytesRead: 0, error: { code: 'file-too-large' } });
  });

  it.skipIf(!existsSync('/dev/zero'))('devZero_stopsAtTheLimitPlusOneByte', async () => {
    const r = await readImportFile('/dev/zero');
    expect(r).toMatchObject({ ok: false, error: { code: 'file-too-large' } });
    expect(r.bytesRead).toBe(MAX_IMPORT_BYTES + 1);
  });

  it.skipIf(!existsSync('/dev/urandom'))('devUrandom_stopsAtTheLimitPlusOneByte', async () => {
    const r = await readImportFile('/dev/urandom', { limit: 4096 });
    expect(r).toMatchObject({ ok: false, error: { code: 'file-too-large' } });
    expect(r.bytesRead).toBe(4097);
  });

  it('aDirectory_isNotAFile', async () => {
    const r = await readImportFile(dir);
    expect(r).toMatchObject({ ok: false, bytesRead: 0, error: { code: 'not-a-file' } });
    expect(r.ok ? '' : r.error.message).toMatch(/directory/);
  });

  it('aMissingFile_isUnreadable', async () => {
    expect(await readImportFile(path.join(dir, 'nope'))).toMatchObject({ ok: false, error: { code: 'unreadable', message: 'There is no such file.' } });
  });

  it.skipIf(!canMkfifo)('aFifoWithNoWriter_endsAfterTheIdleTime_withoutHanging', { timeout: 5000 }, async () => {
    const fifo = mkfifo('nowriter')!;
    const t0 = Date.now();
    const r = await readImportFile(fifo, { idleTimeoutMs: 200 });
    expect(r).toMatchObject({ ok: false, bytesRead: 0, error: { code: 'unreadable' } });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it.skipIf(!canMkfifo)('aFifoWithAWriterThatNeverStops_stopsAtTheLimitPlusOneByte', { timeout: 5000 }, async () => {
    const fifo = mkfifo('endless')!;
    // A writer we start (and kill by pid afterwards): cat /dev/zero into the FIFO, forever.
    const writer = spawn('sh', ['-c', `exec cat /dev/zero > "${fifo}"`], { stdio: 'ignore' });
    children.push(writer);
    const r = await readImportFile(fifo, { idleTimeoutMs: 2000 });
    expect(r).toMatchObject({ ok: false, error: { code: 'file-too-large' } });
    expect(r.bytesRead).toBe(MAX_IMPORT_BYTES + 1);
  });

  it.skipIf(!canMkfifo)('aFifoWithAWriterThatSendsAFile_isReadWhole', { timeout: 5000 }, async () => {
    const fifo = mkfifo('once')!;
    const writer = spawn('sh', ['-c', `exec printf 'noauth\\n' > "${fifo}"`], { stdio: 'ignore' });
    children.push(writer);
    const r = await readImportFile(fifo, { idleTimeoutMs: 2000 });
    expect(r).toMatchObject({ ok: true, bytesRead: 7 });
  });
});
