/**
 * `pptpctl profiles list` and `import` against a bad config directory, run as the real CLI
 * (node + tsx, PPTP_CONFIG_DIR in a temp dir; no keychain is touched by these commands):
 * a damaged profiles.json is kept aside and said (exit 14, the path printed); a directory in its
 * place, or given to import, is a clear error, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_PROFILE } from '../../../main/cli/exit-codes';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pptpctl-profiles-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function pptpctl(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'main/cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, PPTP_CONFIG_DIR: dir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pptpctl profiles list with a bad profiles file', { timeout: 60_000 }, () => {
  it('corruptFile_isKeptAside_saidWithItsPath_exit14_thenClean', () => {
    writeFileSync(path.join(dir, 'profiles.json'), '{"format": broken');
    const first = pptpctl('profiles', 'list');
    const aside = readdirSync(dir).find((f) => f.startsWith('profiles.corrupt-'));
    expect(aside).toBeDefined();
    expect(first.code).toBe(EXIT_PROFILE);
    expect(first.stderr).toContain(path.join(dir, aside!));
    expect(first.stderr).toMatch(/damaged/);
    expect(first.stderr).not.toMatch(/internal error|\n\s+at /);
    // The repair happened once: the next list is an ordinary (empty) list.
    expect(pptpctl('profiles', 'list').code).toBe(EXIT_OK);
  });

  it('corruptFile_withJson_stdoutStaysAnArray', () => {
    writeFileSync(path.join(dir, 'profiles.json'), 'garbage');
    const r = pptpctl('profiles', 'list', '--json');
    expect(r.code).toBe(EXIT_PROFILE);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toMatch(/profiles\.corrupt-/);
  });

  it('aDirectoryInItsPlace_isAClearError_notAStackTrace', () => {
    mkdirSync(path.join(dir, 'profiles.json'));
    const r = pptpctl('profiles', 'list');
    expect(r.code).toBe(EXIT_PROFILE);
    expect(r.stderr.trim()).toBe(`pptpctl: error: ${path.join(dir, 'profiles.json')} is a directory, not the profiles file; move it out of the way and try again.`);
  });

  it('importOfADirectory_isAClearError', () => {
    const r = pptpctl('profiles', 'import', dir);
    expect(r.code).toBe(EXIT_PROFILE);
    expect(r.stderr).toContain('That is a directory, not a profile file.');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
