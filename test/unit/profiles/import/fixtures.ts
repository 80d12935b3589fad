/** Reads a fixture from test/fixtures/import. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/import');

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(dir, name)));
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
