/**
 * End to end, without a tunnel: the built renderer in headless Chromium, through the preload
 * contract (window.pptp shim), against the REAL main-process handlers, profile store (temp dir)
 * and keytar on gnome-keyring. Every screen is saved whole to test-results/screenshots/ (the
 * window, plus <name>-full.png when a pane scrolls) and checked with axe-core: no violation of
 * moderate impact or worse on any screen (the suite-wide bar is serious; this file, owning the
 * app's landmarks and headings, holds the stricter one).
 * Scenarios: the first run (empty), create a profile with the form (password to the keychain,
 * never back to the page), import a .pbk and an .nmconnection, export, the log view, settings,
 * the dark theme; then 30 profiles imported from a file, in the system's dark scheme, and the
 * app in an 800×600 window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_VIEWPORT, expectAccessible, guiSkipReason, runAxe, openApp, REPO_ROOT, screenshotFiles, startGuiServer, type GuiBrowser, type GuiServer } from './support/harness';

const skip = guiSkipReason();
const PASSWORD = 'Gui-Test-Pa55word!';
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/import');

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const PLACES = [
  'Amsterdam', 'Athens', 'Berlin', 'Bratislava', 'Brussels', 'Bucharest', 'Budapest', 'Copenhagen', 'Dublin', 'Helsinki',
  'Lisbon', 'Ljubljana', 'London', 'Luxembourg', 'Madrid', 'Nicosia', 'Oslo', 'Paris', 'Prague', 'Reykjavik',
  'Riga', 'Rome', 'Sofia', 'Stockholm', 'Tallinn', 'Valletta', 'Vienna', 'Vilnius', 'Warsaw', 'Zagreb',
];

/** A profiles file in our export format with 30 entries, as a user would bring from another machine. */
function thirtyProfilesFile(dir: string): string {
  const profiles = PLACES.map((place, i) => ({
    name: `${place} office`,
    server: `vpn-${place.toLowerCase()}.example.net`,
    username: `user${String(i + 1).padStart(2, '0')}`,
    ...(i % 7 === 3 ? { auth: ['mschapv2', 'pap'], mppe: 'optional' } : {}),
    ...(i % 5 === 1 ? { routes: { mode: 'split', cidrs: [`10.${i}.0.0/16`] } } : {}),
  }));
  const file = path.join(dir, 'thirty-offices.json');
  writeFileSync(file, JSON.stringify({ format: 'pptp-manager-profiles', version: 1, profiles }, null, 2));
  return file;
}

/** One screen: saved whole (window + full) and checked by axe; returns the files. */
async function screen(page: Page, name: string) {
  const files = await screenshotFiles(page, name);
  await expectAccessible(page, name, { failOn: 'moderate' });
  return files;
}

describe.skipIf(skip !== undefined)(`GUI end to end (no tunnel)${skip ? ` - SKIPPED: ${skip}` : ''}`, () => {
  let server: GuiServer;
  let app: GuiBrowser;

  beforeAll(async () => {
    server = await startGuiServer();
    app = await openApp(server);
  });

  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it('first run: the empty welcome screen loads through the bridge', async () => {
    const { page } = app;
    await expect.poll(() => page.getByRole('heading', { name: 'Welcome to PPTP Manager' }).isVisible()).toBe(true);
    await screen(page, '01-welcome');
  });

  it('the axe check sees violations: a nameless button fails it, a skipped heading level is only reported', async () => {
    const { page } = app;
    await page.evaluate(() => {
      const main = document.querySelector('main') as HTMLElement;
      const button = document.createElement('button');
      button.id = 'axe-self-test-button';
      const heading = document.createElement('h4');
      heading.id = 'axe-self-test-heading';
      heading.textContent = 'Skipped levels';
      main.append(heading, button);
    });
    try {
      await expect(expectAccessible(page, 'self-test-critical')).rejects.toThrow(/\[critical\] button-name: .*\n.*#axe-self-test-button/);
      await page.evaluate(() => document.getElementById('axe-self-test-button')?.remove());
      const reported = await expectAccessible(page, 'self-test-moderate');
      expect(reported.map((v) => [v.id, v.impact])).toEqual([['heading-order', 'moderate']]);
      await expect(expectAccessible(page, 'self-test-moderate', { failOn: 'moderate' })).rejects.toThrow(/heading-order/);
    } finally {
      await page.evaluate(() => ['axe-self-test-button', 'axe-self-test-heading'].forEach((id) => document.getElementById(id)?.remove()));
    }
    expect(await runAxe(page)).toEqual([]);
  });

  it('whole-screen images expand a pane of fixed height too, and leave the page as it was', async () => {
    const { page } = app;
    // A pane that does not grow with the window (fixed max-height), with an inline style of its
    // own and a scroll offset: the full image must show all of it, and all three must come back.
    await page.evaluate(() => {
      const pane = document.createElement('div');
      pane.id = 'shot-self-test';
      pane.style.maxHeight = '120px';
      pane.style.overflowY = 'auto';
      pane.style.color = 'rgb(200, 0, 0)';
      for (let i = 1; i <= 60; i += 1) pane.append(Object.assign(document.createElement('p'), { textContent: `Line ${i}` }));
      document.querySelector('main')?.append(pane);
      pane.scrollTop = 50;
    });
    try {
      const files = await screenshotFiles(page, 'harness-fixed-pane');
      expect(pngSize(files.window)).toEqual({ ...DEFAULT_VIEWPORT });
      expect(pngSize(files.full as string).height).toBeGreaterThan(60 * 20);
      const after = await page.evaluate(() => {
        const pane = document.getElementById('shot-self-test') as HTMLElement;
        return { style: pane.getAttribute('style'), overflowY: getComputedStyle(pane).overflowY, scrollTop: pane.scrollTop };
      });
      expect(after).toEqual({ style: 'max-height: 120px; overflow-y: auto; color: rgb(200, 0, 0);', overflowY: 'auto', scrollTop: 50 });
      expect(page.viewportSize()).toEqual({ ...DEFAULT_VIEWPORT });
    } finally {
      await page.evaluate(() => document.getElementById('shot-self-test')?.remove());
    }
  });

  it('the page runs under the strict CSP, and the transport refuses callers that are not the app', async () => {
    const { page } = app;
    const inlineRan = await page.evaluate(() => {
      const el = document.createElement('script');
      el.textContent = 'window.__inlineRan = true';
      document.head.append(el);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(inlineRan).toBe(false);
    const res = await fetch(`${server.url}/index.html`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const foreign = await fetch(`${server.url}/__pptp/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ channel: 'profiles.list', request: {} }),
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('creates a profile with the form; the password goes to the keychain and never back', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New profile' }).click();
    await screen(page, '02-new-profile-empty');
    // Validation first: an empty form shows field errors.
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
    await screen(page, '03-new-profile-errors');
    await page.getByLabel('Name', { exact: true }).fill('Office');
    await page.getByLabel('Server', { exact: true }).fill('10.77.0.1');
    await page.getByLabel('User name', { exact: true }).fill('alice');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await screen(page, '04-new-profile-filled');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByRole('heading', { name: /Office/ }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Connect', exact: true }).isVisible()).toBe(true);
    await screen(page, '05-profile-view');

    // Stored for real: profiles.json has the profile, the keychain has the password.
    const stored = JSON.parse(readFileSync(path.join(server.dataDir, 'profiles.json'), 'utf8')) as { profiles: Array<{ id: string; name: string }> };
    const office = stored.profiles.find((p) => p.name === 'Office');
    expect(office).toBeDefined();
    const has = await page.evaluate((id) => (window as unknown as { pptp: { invoke(c: string, r: unknown): Promise<unknown> } }).pptp.invoke('secrets.has', { profileId: id }), office?.id);
    expect(has).toEqual({ ok: true, value: { has: true } });
    expect(readFileSync(path.join(server.dataDir, 'profiles.json'), 'utf8')).not.toContain(PASSWORD);
    expect(await server.transcript()).not.toContain(PASSWORD);
    expect(await page.content()).not.toContain(PASSWORD);
  });

  it('imports a Windows phonebook (.pbk)', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Import…' }).first().click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Import profiles' }).isVisible()).toBe(true);
    await screen(page, '06-import-pick');
    await page.locator('input[type=file]').setInputFiles(path.join(FIXTURES, 'rasphone.pbk'));
    await expect.poll(() => page.getByRole('list', { name: 'Entries in the file' }).isVisible()).toBe(true);
    await screen(page, '07-import-pbk-preview');
    await page.getByRole('button', { name: /^Import \d+ profiles?$/ }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Import results' }).isVisible()).toBe(true);
    await screen(page, '08-import-pbk-done');
    await page.getByRole('button', { name: 'Done' }).click();
    const names = await page.getByRole('list', { name: 'Profile list' }).innerText();
    expect(names.split('\n').length).toBeGreaterThan(2);
  });

  it('imports a NetworkManager connection (.nmconnection)', async () => {
    const { page } = app;
    const before = await page.getByRole('list', { name: 'Profile list' }).locator('li').count();
    await page.getByRole('button', { name: 'Import…' }).first().click();
    await page.locator('input[type=file]').setInputFiles(path.join(FIXTURES, 'office.nmconnection'));
    await expect.poll(() => page.getByRole('list', { name: 'Entries in the file' }).isVisible()).toBe(true);
    await screen(page, '09-import-nmconnection-preview');
    await page.getByRole('button', { name: /^Import \d+ profiles?$/ }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Import results' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Profile list' }).locator('li').count()).toBe(before + 1);
    await screen(page, '10-after-imports');
  });

  it('exports profiles to our JSON format without passwords', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Export…' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Export profiles' }).isVisible()).toBe(true);
    await screen(page, '11-export-dialog');
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Export \d+ profiles?$/ }).click();
    const download = await downloadPromise;
    const file = await download.path();
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text) as { format: string; profiles: Array<{ name: string }> };
    expect(doc.format).toBe('pptp-manager-profiles');
    expect(doc.profiles.map((p) => p.name)).toContain('Office');
    expect(text).not.toContain(PASSWORD);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    await screen(page, '12-export-done');
    await page.getByRole('button', { name: 'Close', exact: true }).last().click();
  });

  it('log view shows redacted main-process log lines', async () => {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Log' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Log' }).isVisible()).toBe(true);
    const lines = page.getByRole('list', { name: 'Log lines' });
    await expect.poll(() => lines.innerText()).toContain('Profile "Office" created');
    expect(await lines.innerText()).toContain('Imported');
    expect(await lines.innerText()).not.toContain(PASSWORD);
    await screen(page, '13-log-view');
  });

  it('settings are saved by main and survive a reload', async () => {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Settings' }).isVisible()).toBe(true);
    await screen(page, '14-settings');
    // Controlled inputs: the box turns on when main has stored the change (not on the click itself).
    await page.getByLabel('Start minimised to the tray').click();
    await expect.poll(() => page.getByLabel('Start minimised to the tray').isChecked()).toBe(true);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Settings saved' }).count()).toBe(1);
    const saved = JSON.parse(readFileSync(path.join(server.dataDir, 'settings.json'), 'utf8')) as { startMinimised: boolean };
    expect(saved.startMinimised).toBe(true);
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.getByLabel('Start minimised to the tray').isChecked()).toBe(true);
  });

  it('dark theme applies to the whole app', async () => {
    const { page } = app;
    await page.getByLabel('Dark', { exact: true }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = (bg.match(/\d+/g) ?? ['255', '255', '255']).map(Number);
    expect((r ?? 255) + (g ?? 255) + (b ?? 255)).toBeLessThan(3 * 100);
    await screen(page, '15-settings-dark');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Profiles' }).click();
    await page.getByRole('list', { name: 'Profile list' }).getByRole('button', { name: /Office/ }).first().click();
    await screen(page, '16-profile-view-dark');
  });

  it('connect without a tunnel service says so (no fake service behind it)', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().innerText(), { timeout: 20_000 }).toMatch(/tunnel service|internal/i);
    await screen(page, '17-connect-no-service');
    expect(await server.transcript()).not.toContain(PASSWORD);
  });

  it('no errors in the page console', () => {
    // The failed connect above is reported through envelopes, not console errors.
    // Expected: the CSP refusal of the script injected on purpose above, once per policy (the
    // page's meta tag and the server's header both enforce), and the 4xx of the refused call.
    const inline = (e: string) => /Executing inline script violates the following Content Security Policy directive 'script-src 'self''/.test(e);
    expect(app.errors.filter(inline)).toHaveLength(2);
    expect(app.errors.filter((e) => !inline(e) && !/Failed to load resource/.test(e))).toEqual([]);
  });
});

describe.skipIf(skip !== undefined)(`GUI with 30 profiles, dark scheme, 800×600${skip ? ` - SKIPPED: ${skip}` : ''}`, () => {
  let server: GuiServer;
  let dir: string;

  beforeAll(async () => {
    server = await startGuiServer();
    dir = mkdtempSync(path.join(os.tmpdir(), 'pptp-gui-many-'));
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function withApp(options: Parameters<typeof openApp>[1], body: (app: GuiBrowser) => Promise<void>): Promise<void> {
    const app = await openApp(server, options);
    try {
      await body(app);
      expect(app.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }

  const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();

  it('30 profiles imported from a file: the list scrolls, the whole-screen image shows all of it', async () => {
    await withApp({}, async ({ page }) => {
      await expect.poll(() => page.getByRole('heading', { name: 'Welcome to PPTP Manager' }).isVisible()).toBe(true);
      await page.getByRole('button', { name: 'Import…' }).first().click();
      await page.locator('input[type=file]').setInputFiles(thirtyProfilesFile(dir));
      await expect.poll(() => page.getByRole('list', { name: 'Entries in the file' }).isVisible()).toBe(true);
      await expect.poll(() => page.getByRole('button', { name: 'Import 30 profiles' }).isEnabled()).toBe(true);
      await screen(page, 'many-01-import-preview');
      await page.getByRole('button', { name: 'Import 30 profiles' }).click();
      await expect.poll(() => page.getByRole('list', { name: 'Import results' }).isVisible()).toBe(true);
      await screen(page, 'many-02-import-done');
      await page.getByRole('button', { name: 'Done' }).click();
      const list = page.getByRole('list', { name: 'Profile list' });
      await expect.poll(() => list.locator('li').count()).toBe(30);
      const stored = JSON.parse(readFileSync(path.join(server.dataDir, 'profiles.json'), 'utf8')) as { profiles: unknown[] };
      expect(stored.profiles).toHaveLength(30);

      // The sidebar scrolls at the default window size: the window image is the window, the full
      // image is taller and has every profile; the page is left as it was (viewport, scroll offset).
      const sidebar = page.getByRole('navigation', { name: 'Profiles' });
      await sidebar.evaluate((el) => (el.scrollTop = 200));
      const listBottom = await sidebar.evaluate((el) => el.getBoundingClientRect().top + el.scrollHeight);
      expect(listBottom).toBeGreaterThan(720);
      const files = await screen(page, 'many-03-list');
      expect(pngSize(files.window)).toEqual({ ...DEFAULT_VIEWPORT });
      expect(files.full).toBeDefined();
      expect(pngSize(files.full as string).height).toBeGreaterThanOrEqual(Math.floor(listBottom));
      expect(page.viewportSize()).toEqual({ ...DEFAULT_VIEWPORT });
      expect(await sidebar.evaluate((el) => el.scrollTop)).toBe(200);
      expect(await sidebar.evaluate((el) => el.getAttribute('style'))).toBeNull();

      await list.getByRole('button', { name: /Oslo office/ }).click();
      await expect.poll(() => page.getByRole('heading', { name: /Oslo office/ }).isVisible()).toBe(true);
      await screen(page, 'many-04-profile');
      await list.getByRole('button', { name: /Copenhagen office/ }).click(); // i % 7 === 3: PAP, MPPE optional
      await expect.poll(() => page.getByRole('heading', { name: /Copenhagen office/ }).isVisible()).toBe(true);
      await screen(page, 'many-05-profile-weak');
      await nav(page, 'Log');
      await expect.poll(() => page.getByRole('list', { name: 'Log lines' }).innerText()).toContain('Imported');
      await screen(page, 'many-06-log');
    });
  });

  it('the system dark scheme: every screen follows it (theme "system")', async () => {
    await withApp({ colorScheme: 'dark' }, async ({ page }) => {
      await expect.poll(() => page.getByRole('list', { name: 'Profile list' }).locator('li').count()).toBe(30);
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r = 255, g = 255, b = 255] = (bg.match(/\d+/g) ?? []).map(Number);
      expect(r + g + b).toBeLessThan(3 * 100);
      await screen(page, 'dark-01-home');
      await page.getByRole('list', { name: 'Profile list' }).getByRole('button', { name: /Lisbon office/ }).click();
      await screen(page, 'dark-02-profile');
      await page.getByRole('button', { name: 'New profile' }).click();
      await page.getByRole('button', { name: 'Save profile' }).click();
      await expect.poll(() => page.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
      await screen(page, 'dark-03-editor-errors');
      await page.getByRole('button', { name: 'Import…' }).first().click();
      await page.locator('input[type=file]').setInputFiles(path.join(FIXTURES, 'rasphone.pbk'));
      await expect.poll(() => page.getByRole('list', { name: 'Entries in the file' }).isVisible()).toBe(true);
      await screen(page, 'dark-04-import-preview');
      await page.getByRole('dialog', { name: 'Import profiles' }).getByRole('button', { name: 'Close' }).click();
      await nav(page, 'Log');
      await screen(page, 'dark-05-log');
      await nav(page, 'Settings');
      await screen(page, 'dark-06-settings');
    });
  });

  it('an 800×600 window: nothing is cut off sideways, every screen is usable', async () => {
    await withApp({ viewport: { width: 800, height: 600 } }, async ({ page }) => {
      const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      await expect.poll(() => page.getByRole('list', { name: 'Profile list' }).locator('li').count()).toBe(30);
      await screen(page, 'small-01-home');
      expect(await noSidewaysScroll()).toBe(true);
      await page.getByRole('list', { name: 'Profile list' }).getByRole('button', { name: /Vienna office/ }).click();
      await screen(page, 'small-02-profile');
      expect(await noSidewaysScroll()).toBe(true);
      await page.getByRole('button', { name: 'New profile' }).click();
      const editor = await screen(page, 'small-03-editor');
      expect(pngSize(editor.window)).toEqual({ width: 800, height: 600 });
      expect(editor.full).toBeDefined();
      expect(await noSidewaysScroll()).toBe(true);
      await page.getByRole('button', { name: 'Export…' }).click();
      await expect.poll(() => page.getByRole('dialog', { name: 'Export profiles' }).isVisible()).toBe(true);
      await screen(page, 'small-04-export');
      await page.keyboard.press('Escape');
      await nav(page, 'Log');
      await screen(page, 'small-05-log');
      expect(await noSidewaysScroll()).toBe(true);
      await nav(page, 'Settings');
      await screen(page, 'small-06-settings');
      expect(await noSidewaysScroll()).toBe(true);
    });
  });
});
