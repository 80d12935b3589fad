/**
 * `npm run demo` end to end: the script a new user runs first must pass on this machine, print
 * every step with ✓, and end with the verdict line. Runs the demo exactly as package.json does
 * (`node --import tsx test/interop/demo.ts` from the repository root).
 */
import { describe, expect, it } from 'vitest';
import { requireInteropPrereqs } from './support/pptpd-vm';
import { REPO_ROOT, requirePptpctl, since } from './support/cli-runner';
import { runCommand } from './support/netns';

const pre = await requireInteropPrereqs();
const cliReady = pre.ok && requirePptpctl('interop demo test');

describe.skipIf(!pre.ok || !cliReady)('npm run demo', () => {
  it('demo_runsEndToEnd_everyStepPasses_exit0_verdictLast', async () => {
    const t0 = performance.now();
    const r = await runCommand(process.execPath, ['--import', 'tsx', 'test/interop/demo.ts'], { cwd: REPO_ROOT, timeoutMs: 170_000 });
    console.log(`[demo] exit ${r.code} in ${since(t0)} ms`);
    const text = `${r.stdout}\n--- stderr ---\n${r.stderr}`;
    expect(r.timedOut, text).toBe(false);
    expect(r.code, text).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines.at(-1), text).toMatch(/^✓ DEMO PASSED: all \d+ steps passed/);
    // The human timeline reached "Connected", the data steps ran, nothing failed.
    expect(r.stdout, text).toMatch(/│ Connected in /);
    expect(r.stdout, text).toMatch(/✓ md5 [0-9a-f]{32} matches/);
    expect(r.stdout, text).toMatch(/│ Disconnected \(.*network restored/);
    expect(lines.filter((l) => /^\s*✗/.test(l)), text).toEqual([]);
  });
});
