/**
 * End to end for the editor, many profiles, keyboard shortcuts and import (headless Chromium, the
 * built renderer, the REAL main-process handlers and profile store). Screenshots: 30 profiles
 * with the filter, the shortcuts help, the editor with sections closed and open, an error that
 * opened its section, the unsaved-changes dialog, the drag-over state and an import result with
 * created, renamed and skipped entries. Each of those screens is also checked with axe-core:
 * no serious or critical violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { dismissFirstRunNote, guiSkipReason, openApp, REPO_ROOT, screenshot, startGuiServer, type GuiBrowser, type GuiServer } from './support/harness';

const skip = guiSkipReason();

const CITIES = ['Berlin', 'Paris', 'Madrid', 'Rome', 'Vienna', 'Prague', 'Warsaw', 'Lisbon', 'Dublin', 'Oslo'];
/** Our own export format with `n` profiles (three per city: office, lab, backup). */
function exportOf(profiles: { name: string; server: string; username?: string }[]): string {
  return JSON.stringify({ format: 'pptp-manager-profiles', version: 1, profiles });
}
const THIRTY = CITIES.flatMap((city, i) =>
  ['office', 'lab', 'backup'].map((kind, j) => ({ name: `${city} ${kind}`, server: `${kind}.${city.toLowerCase()}.example.com`, username: `user${i * 3 + j}` })),
);

const AXE_SOURCE = readFileSync(path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (ids and targets). */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does not apply.
  const result = (await page.evaluate(`(async () => {
    if (!window.axe) { ${AXE_SOURCE}; }
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
  })()`)) as string[];
  return result;
}

/** Dispatches a file drag on the window the way the OS does: dragenter (and dragover), then optionally drop. */
async function dragFiles(page: Page, files: { name: string; text: string }[], drop: boolean): Promise<void> {
  await page.evaluate(
    ({ files, drop }) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([f.text], f.name, { type: 'application/json' }));
      const fire = (type: string) => document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      fire('dragenter');
      fire('dragover');
      if (drop) fire('drop');
    },
    { files, drop },
  );
}

describe.skipIf(skip !== undefined)(`GUI: editor, many profiles, shortcuts, import${skip ? ` - SKIPPED: ${skip}` : ''}`, () => {
  let server: GuiServer;
  let app: GuiBrowser;

  beforeAll(async () => {
    server = await startGuiServer();
    app = await openApp(server);
    await dismissFirstRunNote(app.page);
  });

  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it('imports 30 profiles; the filter finds by name, server and user, and says when nothing matches', async () => {
    const { page } = app;
    await expect.poll(() => page.getByRole('heading', { name: 'Welcome to PPTP Manager' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Import…' }).first().click();
    await page.locator('input[type=file]').setInputFiles({ name: 'thirty.json', mimeType: 'application/json', buffer: Buffer.from(exportOf(THIRTY)) });
    await page.getByRole('button', { name: 'Import 30 profiles' }).click();
    await expect.poll(() => page.getByText('Imported 30 of 30 entries: 30 created.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Done' }).click();
    const rows = page.getByRole('list', { name: 'Profile list' }).getByRole('button');
    await expect.poll(() => rows.count()).toBe(30);
    await screenshot(page, 'editor-01-thirty-profiles');

    const filter = page.getByRole('searchbox', { name: 'Filter profiles' });
    await filter.fill('lab');
    await expect.poll(() => rows.count()).toBe(10);
    await filter.fill('user7');
    await expect.poll(() => rows.allInnerTexts()).toEqual([expect.stringContaining('Madrid lab')]);
    await filter.fill('berlin');
    await expect.poll(() => rows.count()).toBe(3);
    await screenshot(page, 'editor-02-thirty-profiles-filtered');
    expect(await seriousViolations(page)).toEqual([]);
    await filter.fill('atlantis');
    await expect.poll(() => page.getByText('No profile matches “atlantis”.').isVisible()).toBe(true);
    await screenshot(page, 'editor-03-filter-no-match');
    await filter.press('Escape');
    await expect.poll(() => rows.count()).toBe(30);
  });

  it('keyboard: skip link first, ? shows the shortcuts, Ctrl+F finds, arrows move, Ctrl+N creates', async () => {
    const { page } = app;
    // A fresh page: the first Tab from the top of the window.
    await page.reload();
    await expect.poll(() => page.getByRole('list', { name: 'Profile list' }).getByRole('button').count()).toBe(30);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await screenshot(page, 'editor-04-skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');

    await page.keyboard.press('Shift+Slash');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => help.isVisible()).toBe(true);
    expect(await help.innerText()).toContain('Ctrl+N');
    await screenshot(page, 'editor-05-shortcuts-dialog');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);

    await page.keyboard.press('Control+f');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Berlin lab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toContain('Berlin lab');

    await page.keyboard.press('Control+n');
    await expect.poll(() => page.getByRole('heading', { name: 'New profile' }).isVisible()).toBe(true);
  });

  it('editor: essentials first, sections closed then open, Save always in view, an error opens its section', async () => {
    const { page } = app;
    await screenshot(page, 'editor-06-sections-closed');
    const summaries = page.locator('form details > summary');
    expect(await summaries.count()).toBe(5);
    for (let i = 0; i < 5; i++) await summaries.nth(i).click();
    await page.getByLabel('PAP', { exact: true }).check();
    await screenshot(page, 'editor-07-sections-open');
    expect(await seriousViolations(page)).toEqual([]);
    // The form is taller than the pane, yet Save and Cancel are on screen.
    const viewport = page.viewportSize();
    const save = await page.getByRole('button', { name: 'Save profile' }).boundingBox();
    expect(save && viewport && save.y + save.height <= viewport.height).toBe(true);
    const formHeight = await page.locator('form.editor').evaluate((f) => f.scrollHeight);
    expect(formHeight).toBeGreaterThan(viewport?.height ?? 0);

    // Close MTU with a bad value in it; Save opens it again and focuses the field.
    await page.getByLabel('Name', { exact: true }).fill('Keyboard office');
    await page.getByLabel('Server', { exact: true }).fill('kb.example.com');
    await page.getByLabel('MTU (optional)').fill('99999');
    await page.locator('details', { has: page.getByRole('heading', { name: 'MTU' }) }).locator('summary').click();
    expect(await page.locator('details', { has: page.getByRole('heading', { name: 'MTU' }) }).getAttribute('open')).toBeNull();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('number');
    expect(await page.locator('details', { has: page.getByRole('heading', { name: 'MTU' }) }).getAttribute('open')).not.toBeNull();
    await screenshot(page, 'editor-08-error-opened-its-section');
  });

  it('leaving with unsaved changes asks "Discard changes?"', async () => {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Log' }).click();
    const ask = page.getByRole('dialog', { name: 'Discard changes?' });
    await expect.poll(() => ask.isVisible()).toBe(true);
    await screenshot(page, 'editor-09-discard-changes');
    expect(await seriousViolations(page)).toEqual([]);
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Keyboard office');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog', { name: 'Discard changes?' }).getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Welcome to PPTP Manager' }).or(page.getByRole('heading', { name: 'Choose a profile' })).isVisible()).toBe(true);
    const stored = JSON.parse(readFileSync(path.join(server.dataDir, 'profiles.json'), 'utf8')) as { profiles: { name: string }[] };
    expect(stored.profiles.map((p) => p.name)).not.toContain('Keyboard office');
  });

  it('dropping files on the window: highlight, preview, and a result with created, renamed and skipped', async () => {
    const { page } = app;
    const dropped = exportOf([
      { name: 'Berlin office', server: 'new.berlin.example.com' },
      { name: 'Oslo lab', server: 'new.oslo.example.com' },
      { name: 'Tallinn office', server: 'office.tallinn.example.com' },
      { name: 'No server here' } as { name: string; server: string },
    ]);
    const files = [{ name: 'colleague.json', text: dropped }];
    await dragFiles(page, files, false);
    await expect.poll(() => page.getByText('Drop profile files to import them').isVisible()).toBe(true);
    await screenshot(page, 'editor-10-drag-over');
    await dragFiles(page, files, true);
    const dialog = page.getByRole('dialog', { name: 'Import profiles' });
    await expect.poll(() => dialog.getByRole('list', { name: 'Entries in the file' }).isVisible()).toBe(true);
    expect(await page.getByText('Drop profile files to import them').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Import 3 profiles' }).click();
    await expect.poll(() => dialog.getByRole('list', { name: 'Import results' }).isVisible()).toBe(true);
    expect(await dialog.getByRole('status').innerText()).toBe('Imported 3 of 4 entries: 1 created, 2 renamed, 1 skipped.');
    expect(await dialog.getByRole('list', { name: 'Renamed' }).innerText()).toContain('“Berlin office” → “Berlin office (2)”');
    expect(await dialog.getByRole('list', { name: 'Skipped' }).innerText()).toMatch(/No server here.*no server/i);
    await screenshot(page, 'editor-11-import-result');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Profile list' }).getByRole('button').count()).toBe(33);
    expect(app.errors).toEqual([]);
  });

  it('at 800×600 in the dark theme: the editor still shows Save, and the sections read well', async () => {
    const dark = await openApp(server, { colorScheme: 'dark' });
    try {
      const { page } = dark;
      await page.setViewportSize({ width: 800, height: 600 });
      await expect.poll(() => page.getByRole('list', { name: 'Profile list' }).getByRole('button').count()).toBe(33);
      await page.getByRole('list', { name: 'Profile list' }).getByRole('button', { name: /^Berlin office\b/ }).first().click();
      await page.getByRole('button', { name: 'Edit' }).click();
      await page.locator('form details > summary').first().click();
      await page.getByLabel('Encryption (MPPE)').selectOption('none');
      const save = await page.getByRole('button', { name: 'Save profile' }).boundingBox();
      expect(save && save.y + save.height <= 600).toBe(true);
      await screenshot(page, 'editor-12-dark-800x600');
      expect(await seriousViolations(page)).toEqual([]);
      expect(dark.errors).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
