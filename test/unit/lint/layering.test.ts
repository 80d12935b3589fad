/**
 * The layering rule is part of the architecture, so it has a test: if someone weakens
 * eslint.config.js, this fails. It lints probe sources as if they lived under main/engine.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIdsFor(source: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('main/engine layering rule', () => {
  it.each([
    ["import net from 'node:net';\nexport const n = net;\n", 'no-restricted-imports'],
    ["import * as fs from 'fs';\nexport const f = fs;\n", 'no-restricted-imports'],
    ["import { ipcMain } from 'electron';\nexport const i = ipcMain;\n", 'no-restricted-imports'],
    ["import { spawn } from 'node:child_process';\nexport const s = spawn;\n", 'no-restricted-imports'],
    ['export const t = Date.now();\n', 'no-restricted-syntax'],
    ['export const t = new Date();\n', 'no-restricted-syntax'],
    ['export const r = Math.random();\n', 'no-restricted-syntax'],
    ['setTimeout(() => 0, 1);\n', 'no-restricted-globals'],
    ['export const f = (b: Uint8Array) => b.slice();\n', 'no-restricted-syntax'],
    ['export const p = performance.now();\n', 'no-restricted-globals'],
  ])('rejects %j', async (source, rule) => {
    expect(await ruleIdsFor(source, 'main/engine/probe.ts')).toContain(rule);
  }, 30_000);

  it('allows the same code outside the engine', async () => {
    const ids = await ruleIdsFor("import net from 'node:net';\nexport const n = net;\nexport const t = Date.now();\n", 'main/service/probe.ts');
    expect(ids).not.toContain('no-restricted-imports');
    expect(ids).not.toContain('no-restricted-syntax');
  }, 30_000);

  it('keeps the renderer away from main/', async () => {
    const ids = await ruleIdsFor("import { x } from '../main/engine/timers';\nexport const y = x;\n", 'renderer/probe.ts');
    expect(ids).toContain('no-restricted-imports');
  }, 30_000);
});
