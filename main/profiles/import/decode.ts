/**
 * Turns the bytes of an imported file into text, or a file error: the size is capped before
 * anything is parsed, UTF-8 is decoded strictly (a byte-order mark is dropped; UTF-16 with a
 * BOM, as old Windows tools write, is accepted), and a NUL anywhere marks a binary file. Also
 * the shared line splitter. Pure; the caller reads the file. Showing file text in a report is
 * printable.ts's job.
 */
import type { ImportError } from '../../../preload/schema/profile-store';

/** No real profile file comes near this; a bigger one is refused before parsing. */
export const MAX_IMPORT_BYTES = 1024 * 1024;
/** Entries read from one file; the rest are reported in fileWarnings. */
export const MAX_IMPORT_ENTRIES = 256;
/** Longer lines are skipped with a warning. */
export const MAX_LINE_LENGTH = 4096;

export type Decoded = { ok: true; text: string } | { ok: false; error: ImportError };

function strictDecode(encoding: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function decodeImportBytes(bytes: Uint8Array): Decoded {
  if (bytes.length > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      error: { code: 'file-too-large', message: `The file is ${bytes.length} bytes; profile files larger than ${MAX_IMPORT_BYTES} bytes are not read.` },
    };
  }
  let text: string | undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = strictDecode('utf-16le', bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = strictDecode('utf-16be', bytes.subarray(2));
  else if (bytes.includes(0)) return { ok: false, error: { code: 'binary-file', message: 'The file contains NUL bytes: it is not a text file.' } };
  else text = strictDecode('utf-8', bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes);
  if (text === undefined) {
    return { ok: false, error: { code: 'invalid-encoding', message: 'The file is not valid UTF-8 (or UTF-16 with a byte-order mark) text.' } };
  }
  if (text.includes('\u0000')) return { ok: false, error: { code: 'binary-file', message: 'The file contains NUL characters: it is not a text file.' } };
  if (text.trim() === '') return { ok: false, error: { code: 'empty-file', message: 'The file is empty.' } };
  return { ok: true, text };
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
