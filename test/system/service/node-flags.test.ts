/**
 * The service's V8 flags take effect: node accepts them on its command line and V8 then holds
 * the young generation to them under an allocation load that grows it without them. (Setting
 * them at run time does not work, which is why they are argv: node-flags.ts.)
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS } from '../../../main/service/node-flags';

/** Allocates short-lived objects with a few survivors for 3 s; prints new_space's size in MiB. */
const LOAD = `
const v8 = require('node:v8');
const keep = [];
let n = 0;
const t0 = Date.now();
while (Date.now() - t0 < 3000) {
  for (let i = 0; i < 10000; i++) { const a = new Uint8Array(64); a[0] = i; if ((n++ & 1023) === 0) { keep.push(a); if (keep.length > 2000) keep.shift(); } }
}
const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
console.log(JSON.stringify({ newSpaceMiB: s.space_size / 1048576, execArgv: process.execArgv }));
`;

function run(flags: readonly string[]): { newSpaceMiB: number; execArgv: string[] } {
  const r = spawnSync(process.execPath, [...flags, '-e', LOAD], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim()) as { newSpaceMiB: number; execArgv: string[] };
}

describe('the service node flags', () => {
  it('acceptedByNode_andTheYoungGenerationStaysWithinTheCap_whereWithoutThemItGrows', () => {
    const capped = run(SERVICE_NODE_FLAGS);
    const plain = run([]);
    console.log(`[node-flags] new space after 3 s of allocation: ${capped.newSpaceMiB} MiB with ${SERVICE_NODE_FLAGS.join(' ')}, ${plain.newSpaceMiB} MiB without`);
    expect(capped.execArgv.slice(0, SERVICE_NODE_FLAGS.length)).toEqual([...SERVICE_NODE_FLAGS]);
    // Two semi-spaces of at most 2 MiB each (V8 reports both in new_space's size).
    expect(capped.newSpaceMiB).toBeLessThanOrEqual(4);
    expect(plain.newSpaceMiB).toBeGreaterThan(capped.newSpaceMiB);
  });
});
