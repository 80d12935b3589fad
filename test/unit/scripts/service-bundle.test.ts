/**
 * The service bundle (scripts/service-bundle.mjs): what it is made of and the ASCII after-step
 * that keeps V8's copy of its source at one octet per character (docs/memory.md).
 */
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asciiComments, serviceBundleOptions } from '../../../scripts/service-bundle.mjs';

const dir = mkdtempSync(join(tmpdir(), 'service-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('asciiComments', () => {
  it('replaces each UTF-16 unit above U+007F in comments with ?, keeping the length (source map columns)', async () => {
    const file = join(dir, 'comments.mjs');
    const text = '// RFC 2637 §2.2 → 𝔾\nexport const s = "\\u2192"; /* ≤ 70 MB */\n';
    writeFileSync(file, text);
    await asciiComments(file);
    const out = readFileSync(file, 'utf8');
    expect(out).toBe('// RFC 2637 ?2.2 ? ??\nexport const s = "\\u2192"; /* ? 70 MB */\n');
    expect(out.length).toBe(text.length);
  });

  it('refuses a non-ASCII character in code, and leaves the file as it was', async () => {
    const file = join(dir, 'code.mjs');
    const text = 'export const arrow = "→";\n';
    writeFileSync(file, text);
    await expect(asciiComments(file)).rejects.toThrow(/outside a comment/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});

describe('the service bundle', () => {
  it('carries only the zod it calls: no locale but English, no JSON-schema import', async () => {
    // `import { z } from 'zod'` anywhere in the service's graph brings back all of zod classic
    // (751 kB of a 1.2 MB bundle, 11 MB of idle RSS); `import * as z from 'zod'` lets esbuild shake it.
    const result = await build({ ...serviceBundleOptions('main/service/main.ts', join(dir, 'service.mjs')), write: false, metafile: true, sourcemap: false });
    // The output's inputs with their bytes in it (metafile.inputs also lists what was shaken out).
    const [output] = Object.values(result.metafile.outputs);
    const inputs = Object.entries(output!.inputs)
      .filter(([path, input]) => path.includes('node_modules/zod/') && input.bytesInOutput > 0)
      .map(([path]) => path);
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((path) => /\/locales\/(?!en\.js$)/.test(path))).toEqual([]);
    expect(inputs.filter((path) => path.endsWith('/from-json-schema.js'))).toEqual([]);
  });
});
