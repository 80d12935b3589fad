// The privileged service's bundle (main/service/main.ts -> dist/service.mjs): its esbuild options
// and the one step after esbuild, shared by scripts/build.mjs (what ships) and bench/e2e/build.ts
// (what the end-to-end benchmark measures), so the benchmark's RSS is the shipped bundle's.
// Owns only that; where the idle service's memory goes is in docs/memory.md.
import { transform } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

/** Native modules stay external and load from node_modules. */
export const SERVICE_EXTERNAL = ['@github/keytar', 'electron', 'pptp-native-helper'];

// ESM bundles of CommonJS dependencies call require(): give them a real one.
const esmRequireBanner = "import { createRequire as __pptpCreateRequire } from 'node:module'; const require = __pptpCreateRequire(import.meta.url);";

/**
 * esbuild options for the service bundle written to `outfile`. Not minified: a fatal error's
 * stack (main.ts logs it) keeps the bundle's lines and names.
 * @param {string} entry
 * @param {string} outfile
 */
export function serviceBundleOptions(entry, outfile) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    sourcemap: true,
    external: SERVICE_EXTERNAL,
    logLevel: 'warning',
    banner: { js: esmRequireBanner },
    // 'ascii' (esbuild's default, named here because asciiComments relies on it): every
    // non-ASCII character in code is written as an escape, so what is left is in comments.
    charset: 'ascii',
  };
}

/**
 * V8 keeps a script's whole source text for the life of the process (lazy compilation,
 * Function.prototype.toString), at one octet per character only if every character is Latin-1;
 * one "→" or "§" in a comment makes the whole bundle two octets per character (0.6 MB more heap
 * for a 0.65 MB bundle, measured in docs/memory.md). esbuild keeps comments, and escapes every
 * non-ASCII character elsewhere (charset 'ascii' above), so this rewrites `outfile` with each
 * remaining UTF-16 code unit above U+007F replaced by '?': same length, so the source map's
 * columns stay right, and the map's sourcesContent keeps the original text. It checks that only
 * comments changed (both texts print the same once esbuild drops comments and whitespace) and
 * throws otherwise, writing nothing.
 * @param {string} outfile the bundle esbuild wrote
 */
export async function asciiComments(outfile) {
  const text = readFileSync(outfile, 'utf8');
  const ascii = text.replace(/[\u0080-\uffff]/g, '?');
  if (ascii === text) return;
  const code = async (source) => (await transform(source, { format: 'esm', minifyWhitespace: true, legalComments: 'none', charset: 'ascii' })).code;
  if ((await code(text)) !== (await code(ascii))) throw new Error(`${outfile}: a non-ASCII character outside a comment; not rewritten`);
  writeFileSync(outfile, ascii);
}
