/**
 * The pptpd VM image: built (or found in the cache) by test/interop/vm/build-image.sh.
 *
 * Owns: running the build script once per process and reading its manifest.
 * Must not: build anything itself (the script is the one recipe, also used by hand).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VM_SCRIPTS_DIR } from './netns';

export interface PptpdImageManifest {
  key: string;
  kernelVersion: string;
  packages: string[];
  /** The download service's payload (port 7001); port 7003 repeats it. */
  payload: { path: string; size: number; md5: string };
  initrdBytes: number;
  timingsMs: { download: number; assemble: number; pack: number; total: number };
}

export interface PptpdImage {
  dir: string;
  /** The UML kernel binary (a copy of the package's linux.uml). */
  linux: string;
  initrd: string;
  manifest: PptpdImageManifest;
  /** Wall time of this ensurePptpdImage() call (cache lookup or full build). */
  ensureMs: number;
  /** True when the image came from the cache. */
  cached: boolean;
  /** The build script's stderr (progress and timings). */
  buildLog: string;
}

let pending: Promise<PptpdImage> | undefined;

/** Builds the image or returns the cached one. Memoised per process; `force` re-runs the script. */
export function ensurePptpdImage(opts: { force?: boolean } = {}): Promise<PptpdImage> {
  if (!pending || opts.force) {
    pending = runBuild();
    pending.catch(() => {
      pending = undefined;
    });
  }
  return pending;
}

function runBuild(): Promise<PptpdImage> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(VM_SCRIPTS_DIR, 'build-image.sh'), [], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`build-image.sh failed (exit ${code}):\n${err.split('\n').slice(-30).join('\n')}`));
        return;
      }
      const dir = out.trim().split('\n').pop() ?? '';
      try {
        const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as PptpdImageManifest;
        resolve({
          dir,
          linux: path.join(dir, 'linux'),
          initrd: path.join(dir, 'initrd.cpio'),
          manifest,
          ensureMs: Math.round(performance.now() - started),
          cached: /\bcached\b/.test(err),
          buildLog: err,
        });
      } catch (e) {
        reject(new Error(`build-image.sh printed ${JSON.stringify(dir)} but its manifest is unreadable: ${(e as Error).message}`));
      }
    });
  });
}
