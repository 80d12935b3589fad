/**
 * Reads a file the user named for import, never more than the import limit (decode.ts's
 * MAX_IMPORT_BYTES) plus one byte — enough to tell "too large" — whatever the path is: a 50 MB
 * file, /dev/zero, /dev/urandom, a FIFO with or without a writer, a directory. The file is opened
 * non-blocking, so a FIFO without a writer cannot hang the open, and a pipe that stays empty or
 * goes quiet ends the read after `idleTimeoutMs` (half a second). Returns the bytes (which importFile then decodes and judges) or
 * an ImportError with a stable code. Owns the I/O only; what the bytes mean is the importers'.
 */
import { constants, promises as fs } from 'node:fs';
import type { ImportError } from '../../../preload/schema/profile-store';
import { MAX_IMPORT_BYTES } from './decode';

export interface ReadLimitedOptions {
  /** Bytes accepted; one more is read to tell a file that is exactly this long from a longer one. */
  readonly limit?: number;
  /** A pipe or device that sends nothing for this long ends the read (ms). */
  readonly idleTimeoutMs?: number;
}

export type ReadLimitedResult =
  | { ok: true; bytes: Uint8Array; bytesRead: number }
  | { ok: false; error: ImportError; bytesRead: number };

const CHUNK = 64 * 1024;
const POLL_MS = 10;

function tooLarge(limit: number, bytesRead: number): ReadLimitedResult {
  return {
    ok: false,
    bytesRead,
    error: { code: 'file-too-large', message: `The file is larger than ${limit} bytes; profile files are never that large, so it was not read further.` },
  };
}

function failed(code: ImportError['code'], message: string, bytesRead = 0): ReadLimitedResult {
  return { ok: false, bytesRead, error: { code, message } };
}

export async function readImportFile(file: string, options: ReadLimitedOptions = {}): Promise<ReadLimitedResult> {
  const limit = options.limit ?? MAX_IMPORT_BYTES;
  const idleTimeoutMs = options.idleTimeoutMs ?? 500;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return failed('not-a-file', 'That is a directory, not a profile file.');
    if (code === 'ENOENT') return failed('unreadable', 'There is no such file.');
    if (code === 'EACCES' || code === 'EPERM') return failed('unreadable', 'The file cannot be read: permission denied.');
    return failed('unreadable', `The file cannot be opened (${code ?? 'error'}).`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) return failed('not-a-file', 'That is a directory, not a profile file.');
    if (stat.isSocket()) return failed('not-a-file', 'That is a socket, not a profile file.');
    // A regular file says its size: refuse a large one without reading it.
    if (stat.isFile() && stat.size > limit) return tooLarge(limit, 0);
    const buffer = Buffer.alloc(limit + 1);
    let used = 0;
    let quietSince = Date.now();
    while (used < buffer.length) {
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(buffer, used, Math.min(CHUNK, buffer.length - used), null));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
          // A pipe or device with a writer that has sent nothing yet.
          if (Date.now() - quietSince >= idleTimeoutMs) {
            return failed('unreadable', `Nothing arrived for ${idleTimeoutMs} ms; the file is a pipe or device that is not sending a profile file.`, used);
          }
          await new Promise((r) => setTimeout(r, POLL_MS));
          continue;
        }
        if (code === 'EISDIR') return failed('not-a-file', 'That is a directory, not a profile file.', used);
        return failed('unreadable', `The file cannot be read (${code ?? 'error'}).`, used);
      }
      if (n === 0) {
        // End of file. A FIFO says the same before its writer has opened it (or when it never
        // will): give a writer the idle time to appear before calling it no data.
        if (!stat.isFIFO() || used > 0) break;
        if (Date.now() - quietSince >= idleTimeoutMs) {
          return failed('unreadable', `Nothing arrived within ${idleTimeoutMs} ms: nothing is writing to that pipe.`, used);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
        continue;
      }
      used += n;
      quietSince = Date.now();
    }
    if (used > limit) return tooLarge(limit, used);
    return { ok: true, bytes: buffer.subarray(0, used), bytesRead: used };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
