/**
 * End to end for Test connection and the failure view: the built renderer in headless Chromium
 * against the real main-process core, whose service is the screenshot double
 * test/gui/support/fake-service-screens.ts (it speaks the real RPC and fails a connect with the
 * reason its server name asks for; the real path is connect.test.ts). Saves a screenshot of:
 * the test's verdict without credentials and a failed test, a failed connect with its advice for
 * EVERY failure reason (local-disconnect is the user's own, not a failure), and the connected
 * view at the default window size, where statistics and timeline must show without scrolling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { dismissFirstRunNote, DEFAULT_VIEWPORT, guiSkipReason, openApp, screenshot, SCREENSHOT_DIR, startGuiServer, type GuiBrowser, type GuiServer } from './support/harness';
import { SCRIPTED_FAILURES } from './support/fake-service-screens';
import { TUNNEL_PHASES, type TunnelPhase } from '../../preload/vocabulary';

const skip = guiSkipReason();
const PASSWORD = 'Gui-Test-Pa55word!';
const REASONS = Object.keys(SCRIPTED_FAILURES) as (keyof typeof SCRIPTED_FAILURES)[];
/** A desktop title bar (GNOME and macOS are about 30-38 px): the window size includes it, the page does not. */
const TITLE_BAR_PX = 40;

/** Creates a profile through the bridge (the form has its own tests): its id. */
async function createProfile(page: Page, name: string, server: string): Promise<string> {
  return page.evaluate(
    async ({ name, server, password }) => {
      const bridge = (window as unknown as { pptp: { invoke: (c: string, r: unknown) => Promise<{ ok: boolean; value?: { id: string }; error?: { message: string } }> } }).pptp;
      const r = await bridge.invoke('profiles.create', { profile: { name, server, username: 'alice' }, password });
      if (!r.ok) throw new Error(r.error?.message);
      return r.value!.id;
    },
    { name, server, password: PASSWORD },
  );
}

async function openProfile(page: Page, name: string): Promise<void> {
  await page.getByRole('list', { name: 'Profile list' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toMatch(new RegExp(`^${name}`));
}

describe.skipIf(skip !== undefined)(`GUI: test connection and failures${skip ? ` - SKIPPED: ${skip}` : ''}`, () => {
  let server: GuiServer;
  let app: GuiBrowser;

  beforeAll(async () => {
    server = await startGuiServer({ service: [process.execPath, '--import', 'tsx', 'test/gui/support/fake-service-screens.ts'] });
    app = await openApp(server);
    await app.page.getByRole('heading', { name: 'Welcome to PPTP Manager' }).waitFor({ timeout: 30_000 });
    await dismissFirstRunNote(app.page);
    await createProfile(app.page, 'Office', 'vpn.office.test');
    for (const reason of REASONS) await createProfile(app.page, `Fails ${reason}`, `${reason}.fail.test`);
    await app.page.reload();
  });

  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it('tests without a password: reachable, GRE works, sign-in not tested; no routes or DNS changed', async () => {
    const { page } = app;
    await openProfile(page, 'Office');
    await page.getByRole('button', { name: 'Test without password' }).click();
    const verdict = page.getByText('The server is reachable and tunnel packets pass. The password was not tested.');
    await expect.poll(() => verdict.isVisible(), { timeout: 30_000 }).toBe(true);
    const steps = page.getByRole('list', { name: 'Test steps' });
    expect(await steps.locator('[data-status="ok"]').count()).toBe(5);
    expect(await steps.locator('[data-status="not-tested"]').count()).toBe(3);
    await expect.poll(() => page.getByText('The test changes no routes or DNS.').isVisible()).toBe(true);
    await screenshot(page, '30-test-without-credentials');
    await page.getByRole('region', { name: 'Test connection' }).getByRole('button', { name: 'Details' }).click();
    expect(await steps.innerText()).toMatch(/server call id 384, window 64/);
    await screenshot(page, '31-test-details');
    await page.getByRole('button', { name: 'Close test' }).click();
  });

  it('a failed test says which step broke, what to do, and that later steps were not reached', async () => {
    const { page } = app;
    await openProfile(page, 'Fails auth-failed');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const alert = page.getByRole('alert', { name: 'Test failed' });
    await expect.poll(() => alert.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await alert.innerText()).toMatch(/Authentication failed/);
    const steps = page.getByRole('list', { name: 'Test steps' });
    expect(await steps.locator('[data-step="auth"]').getAttribute('data-status')).toBe('failed');
    expect(await steps.locator('[data-step="ipcp"]').getAttribute('data-status')).toBe('not-reached');
    expect(await page.locator('body').innerText()).not.toContain(PASSWORD);
    await screenshot(page, '32-test-failed');
    await page.getByRole('button', { name: 'Close test' }).click();
  });

  for (const reason of REASONS) {
    it(`a connect failing with ${reason} shows the advice, the error once, and later steps not reached`, async () => {
      const { page } = app;
      await openProfile(page, `Fails ${reason}`);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      const alert = page.getByRole('alert', { name: 'Connection failed' });
      await expect.poll(() => alert.isVisible(), { timeout: 30_000 }).toBe(true);
      const text = await page.locator('article').innerText();
      const message = SCRIPTED_FAILURES[reason].message;
      expect(text.split(message).length - 1, `"${message}" shown once`).toBe(1);
      expect(await alert.innerText()).toContain(`Reason code: ${reason}`);
      const failed = page.getByRole('list', { name: 'Connection phases' }).locator('[data-status="failed"]');
      if (SCRIPTED_FAILURES[reason].at !== 'up') {
        expect(await failed.count()).toBe(1);
        const after = await page.getByRole('list', { name: 'Connection phases' }).locator('[data-status="not-reached"]').count();
        expect(after).toBe(TUNNEL_PHASES.length - 1 - TUNNEL_PHASES.indexOf(SCRIPTED_FAILURES[reason].at as TunnelPhase));
      }
      // "Restored" only when routes and DNS had been set.
      const setRoutes = SCRIPTED_FAILURES[reason].at === 'up' || SCRIPTED_FAILURES[reason].at === 'routes';
      await expect.poll(() => page.getByText('Routes and DNS were restored.').isVisible()).toBe(setRoutes);
      await screenshot(page, `40-failure-${reason}`);
    });
  }

  it('connected at the default window size: statistics and timeline visible without scrolling', async () => {
    const { page } = app;
    // The window opens at DEFAULT_VIEWPORT (window-state.ts); the page gets that less a title bar.
    const visible = { width: DEFAULT_VIEWPORT.width, height: DEFAULT_VIEWPORT.height - TITLE_BAR_PX };
    await page.setViewportSize(visible);
    await openProfile(page, 'Office');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => page.locator('dl[aria-label="Negotiated values"]').isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.getByLabel('Traffic totals').innerText(), { timeout: 15_000 }).toMatch(/KiB|MiB/);
    await page.waitForTimeout(3000); // a few samples for the graph
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, '33-connected-default-size.png') });
    await screenshot(page, '34-connected-full');
    for (const region of [page.getByRole('figure', { name: 'Throughput' }), page.getByRole('list', { name: 'Connection phases' }), page.getByLabel('Traffic totals')]) {
      const box = await region.boundingBox();
      expect(box, 'on screen').not.toBeNull();
      expect(box!.y + box!.height, 'ends above the bottom of the window').toBeLessThanOrEqual(visible.height);
    }
    await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Connect', exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
  });
});
