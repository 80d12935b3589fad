/**
 * The accel-ppp build the VM runs: scripts/build-accel-ppp.sh (cached under .cache/accel-ppp by
 * the hash of the vendored tarball, the patch and the script), run on demand when the cache is
 * missing so `npm test` works on a dev machine without `.ci/run`.
 *
 * Owns: running that script once per variant per process and saying why accel tests cannot run.
 * Must not: build anything itself (the script is the one recipe, also used by CI and by hand).
 *
 * Variants: 'patched' (default; the vendored CCP fix) and 'race' (upstream plus a delay in the
 * CCP open path that makes the SC_CCP_OPEN race happen on every connect).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './cli-runner';

export type AccelVariant = 'patched' | 'race';

export type AccelBuild = { ok: true; variant: AccelVariant; root: string; ms: number; log: string } | { ok: false; why: string };

/** build-accel-ppp.sh's exit status when the vendored source is absent. */
const EXIT_NO_VENDOR = 3;
const SCRIPT = path.join(REPO_ROOT, 'scripts', 'build-accel-ppp.sh');
const CACHE = process.env.ACCEL_PPP_CACHE ?? path.join(REPO_ROOT, '.cache', 'accel-ppp');

const pending = new Map<AccelVariant, Promise<AccelBuild>>();

/** Builds (or finds cached) accel-ppp. Resolves { ok: false, why } when the vendor dir is absent; rejects on a failed build. */
export function ensureAccelBuild(variant: AccelVariant = 'patched'): Promise<AccelBuild> {
  let p = pending.get(variant);
  if (!p) {
    p = runBuild(variant);
    pending.set(variant, p);
    p.catch(() => pending.delete(variant));
  }
  return p;
}

function runBuild(variant: AccelVariant): Promise<AccelBuild> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, [variant], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === EXIT_NO_VENDOR) {
        resolve({ ok: false, why: err.trim() || 'the accel-ppp source is not vendored next to the repository (../shared/vendor/accel-ppp)' });
        return;
      }
      if (code !== 0) {
        reject(new Error(`build-accel-ppp.sh ${variant} failed (exit ${code}):\n${err.split('\n').slice(-40).join('\n')}`));
        return;
      }
      const name = out.trim().split('\n').pop() ?? '';
      resolve({ ok: true, variant, root: path.join(CACHE, name, 'root'), ms: Math.round(performance.now() - started), log: err });
    });
  });
}

/** Where build-accel-ppp.sh looks for the source (ACCEL_PPP_VENDOR overrides, as in the script). */
export const ACCEL_VENDOR_DIR = process.env.ACCEL_PPP_VENDOR ?? path.resolve(REPO_ROOT, '..', 'shared', 'vendor', 'accel-ppp');
const VENDOR_FILES = ['accel-ppp-89637ee.tar.gz', 'ccp-open-before-confreq.patch'];

/**
 * For a test file's top level (synchronous, so `describe.skipIf` can use it): is the accel-ppp
 * source there? When not, warns and returns { ok: false } (skip), or throws under
 * PPTP_REQUIRE_SYSTEM_TESTS=1 (CI fails instead). The build itself runs in beforeAll
 * (ensureAccelBuild), because a cold build takes minutes.
 */
export function requireAccelSource(): { ok: true } | { ok: false; why: string } {
  const why = missingSourceOrTools();
  if (why === undefined) return { ok: true };
  if (process.env.PPTP_REQUIRE_SYSTEM_TESTS === '1') throw new Error(`accel-ppp tests cannot run and PPTP_REQUIRE_SYSTEM_TESTS=1: ${why}`);
  console.warn(`accel-ppp interop tests skipped: ${why}`);
  return { ok: false, why };
}

/** Why accel-ppp cannot be built here, or undefined. Build tools matter only without a cached build. */
function missingSourceOrTools(): string | undefined {
  const missing = VENDOR_FILES.filter((f) => !existsSync(path.join(ACCEL_VENDOR_DIR, f)));
  if (missing.length > 0) return `the accel-ppp source is not vendored at ${ACCEL_VENDOR_DIR} (missing ${missing.join(', ')}; CI keeps it at ../shared/vendor/accel-ppp)`;
  let cached = false;
  try {
    cached = readdirSync(CACHE).some((d) => existsSync(path.join(CACHE, d, 'done')));
  } catch {
    cached = false;
  }
  if (cached) return undefined;
  const needs = ['/usr/bin/cmake', '/usr/bin/make', '/usr/bin/cc', '/usr/include/openssl/ssl.h', '/usr/include/pcre2.h'].filter((f) => !existsSync(f));
  if (needs.length > 0) return `no cached accel-ppp build and its build dependencies are missing (${needs.join(', ')}): apt-get install cmake build-essential libssl-dev libpcre2-dev`;
  return undefined;
}

/** ensureAccelBuild() that throws when the source is absent (call it after requireAccelSource()). */
export async function accelRoot(variant: AccelVariant = 'patched'): Promise<string> {
  const b = await ensureAccelBuild(variant);
  if (!b.ok) throw new Error(b.why);
  return b.root;
}
