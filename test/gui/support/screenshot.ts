/**
 * Whole-screen screenshots for the GUI suite. The app's panes scroll (the main pane, the profile
 * sidebar, the log list, dialogs), so a plain page screenshot never shows what lies below their
 * fold. `screenshot(page, name)` therefore saves:
 *
 *   <name>.png       the window exactly as the user sees it at its current size;
 *   <name>-full.png  only when some scroll container overflows: the same screen with every
 *                    scrolling pane expanded, so the editor's lower sections, the statistics and
 *                    the whole log are in the picture.
 *
 * How the full image is made, in order, then undone (the page is left as it was):
 *  1. grow the viewport by the largest overflow, repeatedly, so the app's own flex layout gives
 *     its panes the room (panes sized by the window — the main pane, the sidebar — fit this way,
 *     and sticky/fixed parts stay where the layout puts them);
 *  2. containers that still overflow (those with a fixed max-height) get their overflow and
 *     height limits unset through their inline style (CSSOM: allowed under the strict CSP);
 *  3. a full-page capture at the grown size, then inline styles, scroll offsets and the
 *     viewport are restored.
 * Only vertical overflow counts; the height is capped (MAX_FULL_HEIGHT) below Chromium's
 * texture limit. Owns nothing else: where files go is SCREENSHOT_DIR in harness.ts.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

/** Chromium refuses captures much beyond 16k px; a screen taller than this is a bug anyway. */
export const MAX_FULL_HEIGHT = 12_000;
const MAX_GROW_STEPS = 8;

export interface ScreenshotOptions {
  /** 'auto' (default): also save <name>-full.png when a pane overflows; 'never': the window only. */
  readonly full?: 'auto' | 'never';
}

export interface ScreenshotFiles {
  /** The window as the user sees it. */
  readonly window: string;
  /** The whole screen with scrolling panes expanded; undefined when nothing overflowed. */
  readonly full?: string;
}

/** Largest vertical overflow (px) of any scroll container, the document included. */
function largestOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    let most = Math.max(0, document.documentElement.scrollHeight - window.innerHeight);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('*'))) {
      const over = el.scrollHeight - el.clientHeight;
      if (over <= 1) continue;
      const oy = getComputedStyle(el).overflowY;
      if (oy === 'auto' || oy === 'scroll') most = Math.max(most, over);
    }
    return most;
  });
}

/** Two animation frames: layout, ResizeObservers and the next paint have run. */
function settle(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** Step 2: unset the limits of panes that still overflow; returns how many were changed. */
function unclampPanes(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as { __pptpShotStyles?: Array<() => void> };
    w.__pptpShotStyles ??= [];
    let changed = 0;
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('*'))) {
      if (el.scrollHeight - el.clientHeight <= 1) continue;
      const oy = getComputedStyle(el).overflowY;
      if (oy !== 'auto' && oy !== 'scroll') continue;
      const saved = el.getAttribute('style');
      w.__pptpShotStyles.push(() => (saved === null ? el.removeAttribute('style') : el.setAttribute('style', saved)));
      el.style.setProperty('overflow-y', 'visible', 'important');
      el.style.setProperty('max-height', 'none', 'important');
      el.style.setProperty('height', 'auto', 'important');
      changed += 1;
    }
    return changed;
  });
}

/** Records every scroll offset (restored after the viewport is back to its size). */
function rememberScroll(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { __pptpShotScroll?: Array<() => void>; __pptpShotStyles?: Array<() => void> };
    w.__pptpShotScroll = [];
    w.__pptpShotStyles = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('*'))) {
      if (el.scrollTop !== 0) {
        const top = el.scrollTop;
        w.__pptpShotScroll.push(() => (el.scrollTop = top));
      }
    }
    const x = window.scrollX;
    const y = window.scrollY;
    w.__pptpShotScroll.push(() => window.scrollTo(x, y));
  });
}

function restore(page: Page, what: '__pptpShotStyles' | '__pptpShotScroll'): Promise<void> {
  return page.evaluate((key) => {
    const w = window as unknown as Record<string, Array<() => void> | undefined>;
    for (const undo of w[key] ?? []) undo();
    delete w[key];
  }, what);
}

/** Saves the window image and, when a pane overflows, the expanded whole-screen image. */
export async function captureScreen(page: Page, dir: string, name: string, options: ScreenshotOptions = {}): Promise<ScreenshotFiles> {
  mkdirSync(dir, { recursive: true });
  const windowFile = path.join(dir, `${name}.png`);
  await settle(page);
  await page.screenshot({ path: windowFile, animations: 'disabled' });
  if (options.full === 'never' || (await largestOverflow(page)) <= 1) return { window: windowFile };

  const viewport = page.viewportSize();
  if (!viewport) throw new Error('screenshot: the page has no fixed viewport (openApp sets one)');
  const fullFile = path.join(dir, `${name}-full.png`);
  await rememberScroll(page);
  try {
    let height = viewport.height;
    for (let step = 0; step < MAX_GROW_STEPS; step += 1) {
      const over = await largestOverflow(page);
      if (over <= 1 || height >= MAX_FULL_HEIGHT) break;
      const next = Math.min(MAX_FULL_HEIGHT, height + over);
      await page.setViewportSize({ width: viewport.width, height: next });
      await settle(page);
      // A pane with a fixed max-height does not grow with the window: stop growing for it.
      height = next;
      if ((await largestOverflow(page)) >= over) break;
    }
    if ((await unclampPanes(page)) > 0) {
      await settle(page);
      const doc = await page.evaluate(() => document.documentElement.scrollHeight);
      height = Math.min(MAX_FULL_HEIGHT, Math.max(height, doc));
      await page.setViewportSize({ width: viewport.width, height });
      await settle(page);
    }
    await page.screenshot({ path: fullFile, fullPage: true, animations: 'disabled' });
  } finally {
    await restore(page, '__pptpShotStyles');
    await page.setViewportSize(viewport);
    await settle(page);
    await restore(page, '__pptpShotScroll');
  }
  return { window: windowFile, full: fullFile };
}
