/**
 * End to end: logs kept on disk, the diagnostic report and the "PPTP is weak" note, in headless
 * Chromium against the REAL main-process core (harness.ts), with the FAKE tunnel service of the
 * unit tests (test/unit/app/supervisor/fake-service.ts) so attempts happen without a VM.
 *
 * Run 1 (service fails authentication): the first-run note shows; two profiles each make a
 * failed attempt. Run 2 (same data dir, service connects): the earlier run's lines are back,
 * grouped by profile and attempt; a connect succeeds; the log view is filtered; the report is
 * previewed; the note is dismissed and stays in About. No password is on disk, in the page or
 * in the report. Screens: first-run note, filtered log view, report preview, About, the log
 * view in the dark theme; each is
 * checked with axe-core (no serious or critical violations).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { guiSkipReason, openApp, screenshot, startGuiServer, type GuiBrowser, type GuiServer } from './support/harness';

const skip = guiSkipReason();
const PASSWORD_OFFICE = 'Logs-Office-Pa55!';
const PASSWORD_HOME = 'Logs-Home-Pa55?';
const FAKE_SERVICE = ['node', '--import', 'tsx', 'test/unit/app/supervisor/fake-service.ts'];

type Invoke = (channel: string, request: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;

async function invoke<T>(page: Page, channel: string, request: unknown): Promise<T> {
  const r = await page.evaluate(([c, q]) => (window as unknown as { pptp: { invoke: Invoke } }).pptp.invoke(c as string, q), [channel, request] as const);
  if (!r.ok) throw new Error(`${channel}: ${r.error?.code} ${r.error?.message}`);
  return r.value as T;
}

async function tunnelState(page: Page): Promise<string> {
  return (await invoke<{ state: { state: string } }>(page, 'tunnel.status', {})).state.state;
}

/** axe-core on the current screen: the serious and critical violations (none expected). */
async function seriousViolations(page: Page): Promise<string[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source }).catch(async () => page.evaluate(source));
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
}

describe.skipIf(skip !== undefined)(`GUI: logs on disk, diagnostic report, security note${skip ? ` - SKIPPED: ${skip}` : ''}`, () => {
  let dataDir: string;
  let server: GuiServer | undefined;
  let app: GuiBrowser | undefined;
  let officeId = '';

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pptp-gui-logs-'));
  });

  afterAll(async () => {
    await app?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function run(mode: string): Promise<Page> {
    await app?.close();
    await server?.stop();
    server = await startGuiServer({ dataDir, service: FAKE_SERVICE, serviceEnv: { FAKE_SERVICE_MODE: mode } });
    app = await openApp(server);
    return app.page;
  }

  it('run 1: the first-run note shows; two profiles each fail to connect', async () => {
    const page = await run('auth-fail');
    const note = page.getByRole('region', { name: 'Before you start: PPTP is weak' });
    await expect.poll(() => note.isVisible()).toBe(true);
    await screenshot(page, 'logs-01-first-run-note');
    expect(await seriousViolations(page)).toEqual([]);

    const office = await invoke<{ id: string }>(page, 'profiles.create', { profile: { name: 'Office', server: '10.77.0.1', username: 'CORP\\alice' }, password: PASSWORD_OFFICE });
    const home = await invoke<{ id: string }>(page, 'profiles.create', { profile: { name: 'Home', server: '192.0.2.7', username: 'bob' }, password: PASSWORD_HOME });
    officeId = office.id;
    for (const p of [office, home]) {
      await invoke(page, 'tunnel.connect', { profileId: p.id });
      await expect.poll(() => tunnelState(page), { timeout: 15_000 }).toBe('error');
    }
  });

  it('run 2: the earlier lines are back; a connect succeeds; the log view filters by profile and attempt', async () => {
    const page = await run('ok');
    await expect.poll(() => page.getByRole('region', { name: 'Before you start: PPTP is weak' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'I understand' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Before you start: PPTP is weak' }).count()).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ securityNoteDismissed: true });

    await invoke(page, 'tunnel.connect', { profileId: officeId });
    await expect.poll(() => tunnelState(page), { timeout: 15_000 }).toBe('connected');
    await invoke(page, 'tunnel.disconnect', {});
    await expect.poll(() => tunnelState(page), { timeout: 15_000 }).toBe('idle');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Log' }).click();
    const list = page.getByRole('list', { name: 'Log lines' });
    // Both runs: run 1's failure and run 2's connect.
    await expect.poll(() => list.getByText('auth-failed: E=691 bad credentials').count()).toBe(2);
    await expect.poll(() => list.getByText(/^Connected to/).count()).toBe(1);
    expect(await list.getByText('PPTP Manager 0.1.0-gui-test started.').count()).toBe(2);

    await page.getByLabel('Profile', { exact: true }).selectOption({ label: 'Office' });
    const attempts = await page.getByLabel('Attempt', { exact: true }).locator('option').allTextContents();
    expect(attempts).toHaveLength(3); // All attempts + Office's failed one (run 1) + its connect (run 2)
    expect(attempts[2]).toMatch(/Office · failed/);
    await page.getByLabel('Attempt', { exact: true }).selectOption({ index: 2 });
    await expect.poll(() => list.getByRole('listitem').count()).toBeGreaterThan(1);
    const shown = await list.getByRole('listitem').allTextContents();
    expect(shown.some((l) => l.includes('Connecting "Office"'))).toBe(true);
    expect(shown.some((l) => l.includes('auth-failed'))).toBe(true);
    expect(shown.some((l) => l.includes('Home'))).toBe(false);
    await screenshot(page, 'logs-02-log-view-filtered');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the diagnostic report: a preview to copy or save, without passwords', async () => {
    const page = app!.page;
    await page.getByRole('button', { name: 'Diagnostic report…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Diagnostic report' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const text = await dialog.getByLabel('Report text').inputValue();
    for (const expected of ['PPTP Manager 0.1.0-gui-test', 'Privilege mode:       in-process', '- Office [', 'CORP\\alice', 'Last connection attempts (1)', '✓ tcp', 'auth-failed: E=691']) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('- Home [');
    await screenshot(page, 'logs-03-report-preview');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const everything = [text, await page.content(), await server!.transcript()].join('\n');
    expect(everything).not.toContain(PASSWORD_OFFICE);
    expect(everything).not.toContain(PASSWORD_HOME);
  });

  it('About keeps the note; the log files hold no password and are private', async () => {
    const page = app!.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    const note = page.getByRole('region', { name: 'PPTP security' });
    await expect.poll(() => note.isVisible()).toBe(true);
    await note.scrollIntoViewIfNeeded();
    await screenshot(page, 'logs-04-about');
    expect(await seriousViolations(page)).toEqual([]);

    const logs = path.join(dataDir, 'logs');
    const files = readdirSync(logs);
    expect(files).toContain('pptp-manager.jsonl');
    for (const f of files) {
      expect(statSync(path.join(logs, f)).mode & 0o777).toBe(0o600);
      const raw = readFileSync(path.join(logs, f), 'latin1');
      expect(raw).not.toContain(PASSWORD_OFFICE);
      expect(raw).not.toContain(PASSWORD_HOME);
    }
  });

  it('the log view in the dark theme, every profile', async () => {
    const dark = await openApp(server!, { colorScheme: 'dark' });
    try {
      const page = dark.page;
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Log' }).click();
      await expect.poll(() => page.getByRole('list', { name: 'Log lines' }).getByRole('listitem').count()).toBeGreaterThan(10);
      await screenshot(page, 'logs-05-log-view-dark');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
