/**
 * The layering rules are part of the architecture, so they have tests: if someone weakens
 * eslint.config.js, this fails. Each rule lints a probe source as if it lived in the guarded
 * folder (it must be flagged) and the same source elsewhere (it must not be).
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

const staticImport = (from: string) => `import { x } from '${from}';\nexport const y = x;\n`;
const dynamicImport = (from: string) => `export const load = () => import('${from}');\n`;

describe('main/engine may import only preload/vocabulary from preload/', () => {
  it('rejects other preload modules', async () => {
    expect(await ruleIdsFor(staticImport('../../../preload/schema/profile'), 'main/engine/ppp/probe.ts')).toContain('no-restricted-imports');
    expect(await ruleIdsFor(staticImport('../../preload/contract'), 'main/engine/probe.ts')).toContain('no-restricted-imports');
  }, 30_000);

  it('allows preload/vocabulary, and preload/ modules outside the engine', async () => {
    expect(await ruleIdsFor(staticImport('../../../preload/vocabulary'), 'main/engine/ppp/probe.ts')).toEqual([]);
    expect(await ruleIdsFor(staticImport('../../preload/schema/profile'), 'main/service/probe.ts')).toEqual([]);
  }, 30_000);
});

describe('pptpctl (main/cli.ts, main/cli/) imports nothing from main/app or electron', () => {
  it.each([
    [staticImport('../app/log/log-buffer'), 'main/cli/probe.ts', 'no-restricted-imports'],
    [staticImport('./app/core'), 'main/cli.ts', 'no-restricted-imports'],
    [staticImport('electron'), 'main/cli/probe.ts', 'no-restricted-imports'],
    [dynamicImport('./app/profiles/store'), 'main/cli.ts', 'no-restricted-syntax'],
    [dynamicImport('../app/core'), 'main/cli/probe.ts', 'no-restricted-syntax'],
  ])('rejects %j in %s', async (source, filePath, rule) => {
    expect(await ruleIdsFor(source, filePath)).toContain(rule);
  }, 30_000);

  it('allows main/profiles and main/log in the CLI, and the same app import elsewhere', async () => {
    expect(await ruleIdsFor(staticImport('../profiles/store/profile-store'), 'main/cli/probe.ts')).toEqual([]);
    expect(await ruleIdsFor(staticImport('../log/redact'), 'main/cli/probe.ts')).toEqual([]);
    expect(await ruleIdsFor(staticImport('../app/log/log-buffer'), 'main/app/supervisor/probe.ts')).toEqual([]);
  }, 30_000);
});

describe('main/service imports no app, profiles, CLI or electron', () => {
  it.each([
    [staticImport('../app/core'), 'main/service/probe.ts'],
    [staticImport('../../profiles/names'), 'main/service/net/probe.ts'],
    [staticImport('../cli/exit-codes'), 'main/service/probe.ts'],
    [staticImport('../cli'), 'main/service/probe.ts'],
    [staticImport('electron'), 'main/service/rpc/probe.ts'],
  ])('rejects %j in %s', async (source, filePath) => {
    expect(await ruleIdsFor(source, filePath)).toContain('no-restricted-imports');
  }, 30_000);

  it('rejects a dynamic import of the profiles', async () => {
    expect(await ruleIdsFor(dynamicImport('../profiles/connect-options'), 'main/service/probe.ts')).toContain('no-restricted-syntax');
  }, 30_000);

  it('allows the same profiles import in main/app', async () => {
    expect(await ruleIdsFor(staticImport('../profiles/names'), 'main/app/probe.ts')).toEqual([]);
  }, 30_000);
});

describe('main/profiles and main/log import no app, CLI or electron', () => {
  it.each([
    [staticImport('../app/ipc/handlers'), 'main/profiles/probe.ts'],
    [staticImport('../../app/core'), 'main/profiles/store/probe.ts'],
    [staticImport('../cli/output'), 'main/profiles/probe.ts'],
    [staticImport('electron'), 'main/profiles/keychain/probe.ts'],
    [staticImport('../app/core'), 'main/log/probe.ts'],
  ])('rejects %j in %s', async (source, filePath) => {
    expect(await ruleIdsFor(source, filePath)).toContain('no-restricted-imports');
  }, 30_000);

  it('rejects a dynamic import of electron', async () => {
    expect(await ruleIdsFor(dynamicImport('electron'), 'main/profiles/probe.ts')).toContain('no-restricted-syntax');
  }, 30_000);

  it('allows the service schema in main/profiles, and electron in main/app', async () => {
    expect(await ruleIdsFor(staticImport('../service/connect-options'), 'main/profiles/probe.ts')).toEqual([]);
    expect(await ruleIdsFor(staticImport('electron'), 'main/app/electron/probe.ts')).toEqual([]);
  }, 30_000);
});

describe('preload/vocabulary.ts imports nothing', () => {
  it.each([
    "import { z } from 'zod';\nexport const s = z.string();\n",
    "import type { Profile } from './schema/profile';\nexport type P = Profile;\n",
    "export * from './contract';\n",
    "export { x } from './contract';\n",
    "export const load = () => import('./contract');\n",
  ])('rejects %j', async (source) => {
    expect(await ruleIdsFor(source, 'preload/vocabulary.ts')).toContain('no-restricted-syntax');
  }, 30_000);

  it('allows plain constants there, and imports in other preload modules', async () => {
    expect(await ruleIdsFor("export const A = ['a'] as const;\n", 'preload/vocabulary.ts')).toEqual([]);
    expect(await ruleIdsFor("import type { Profile } from './schema/profile';\nexport type P = Profile;\n", 'preload/probe.ts')).toEqual([]);
  }, 30_000);
});
