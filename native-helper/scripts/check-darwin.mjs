#!/usr/bin/env node
// Syntax- and type-checks, on Linux, every source binding.gyp compiles for macOS (OS=='mac'),
// in its macOS configuration: g++ -fsyntax-only -std=c++17 -D__APPLE__ with darwin-shim/ (the
// few XNU declarations glibc lacks) ahead of the system headers, plus node-addon-api and Node's
// headers. There is no macOS SDK here, so this is as far as the macOS build can be taken: it
// catches wrong names, types and struct layouts (tun_darwin.cc static_asserts them), not
// run-time behaviour.
//
// Usage: node native-helper/scripts/check-darwin.mjs [--compiler g++]
// Exit 0: no diagnostic at all. Exit 1: a diagnostic (printed). Exit 2: cannot run (no compiler,
// no Node headers, no node-addon-api), with the reason on stderr.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HELPER = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const compilerIndex = args.indexOf('--compiler');
const compiler = compilerIndex >= 0 ? args[compilerIndex + 1] : 'g++';

function cannotRun(reason) {
  process.stderr.write(`check-darwin: cannot run: ${reason}\n`);
  process.exit(2);
}

/** binding.gyp is Python-literal JSON with # comments; ours has no '#' inside strings. */
function readBindingGyp() {
  const text = readFileSync(join(HELPER, 'binding.gyp'), 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  return JSON.parse(text);
}

/** gyp conditions here only use OS=='x', OS!='x', and, or. */
function conditionHolds(expression, os) {
  const words = expression.split(/\s+(and|or)\s+/);
  let result = null;
  let joiner = null;
  for (const word of words) {
    if (word === 'and' || word === 'or') {
      joiner = word;
      continue;
    }
    const match = /^OS\s*(==|!=)\s*'([a-z]+)'$/.exec(word.trim());
    if (!match) throw new Error(`check-darwin: binding.gyp condition not understood: ${expression}`);
    const value = match[1] === '==' ? os === match[2] : os !== match[2];
    result = result === null ? value : joiner === 'and' ? result && value : result || value;
  }
  return result === true;
}

/** Every source, define and include the mac build of the target gets. */
function macConfiguration() {
  const target = readBindingGyp().targets[0];
  const sources = [...target.sources];
  for (const [expression, whenTrue, whenFalse] of target.conditions ?? []) {
    const branch = conditionHolds(expression, 'mac') ? whenTrue : whenFalse;
    if (branch?.sources) sources.push(...branch.sources);
  }
  return { sources: [...new Set(sources)], defines: target.defines ?? [] };
}

function nodeIncludeDir() {
  const candidates = [
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
    resolve(dirname(process.execPath), '..', 'include', 'node'),
  ].filter(Boolean);
  const found = candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
  if (!found) cannotRun(`no Node headers (node_api.h) in ${candidates.join(', ')}`);
  return found;
}

function addonApiIncludeDir() {
  try {
    return createRequire(join(HELPER, 'package.json'))('node-addon-api').include_dir;
  } catch (error) {
    return cannotRun(`node-addon-api is not installed: ${error.message}`);
  }
}

try {
  execFileSync(compiler, ['--version'], { stdio: 'ignore' });
} catch {
  cannotRun(`no C++ compiler (${compiler})`);
}

const { sources, defines } = macConfiguration();
if (!sources.includes('src/tun_darwin.cc')) {
  console.error('check-darwin: binding.gyp does not compile src/tun_darwin.cc for OS==\'mac\'');
  process.exit(1);
}
const flags = [
  '-fsyntax-only',
  '-std=c++17',
  '-Wall',
  '-Wextra',
  '-D__APPLE__',
  ...defines.map((define) => `-D${define}`),
  '-I', join(HELPER, 'darwin-shim'),
  '-I', join(HELPER, 'src'),
  '-I', addonApiIncludeDir(),
  '-I', nodeIncludeDir(),
];

let failed = 0;
for (const source of sources) {
  const result = spawnSync(compiler, [...flags, join(HELPER, source)], { encoding: 'utf8' });
  const diagnostics = `${result.stdout}${result.stderr}`.trim();
  if (result.status !== 0 || diagnostics !== '') {
    failed++;
    console.error(`check-darwin: ${source}:\n${diagnostics || `exit ${result.status}`}`);
  }
}
if (failed > 0) {
  console.error(`check-darwin: ${failed} of ${sources.length} macOS sources have diagnostics`);
  process.exit(1);
}
console.log(`check-darwin: ${sources.length} macOS sources clean (${sources.join(', ')})`);
