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
 *     height limits unset through el.style (the CSSOM: allowed under the strict CSP, which
 *     refuses style attributes written as text), each property restored the same way;
 *     An unclamped pane makes its container overflow in turn, so steps 1 and 2 repeat (a few
 *     rounds at most);
 *  3. a full-page capture at the grown size, then the styles, the viewport and the scroll
 *     offsets are restored, in that order.
 * Only vertical overflow counts; the height is capped (MAX_FULL_HEIGHT) below Chromium's
 * texture limit. A page without an emulated viewport (Electron's own window) skips step 1. Owns nothing else: where files go is SCREENSHOT_DIR in harness.ts.
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
      // Saved and restored property by property through the CSSOM: the strict CSP refuses
      // setAttribute('style', ...) (no 'unsafe-inline'), but not el.style.
      const hadAttribute = el.hasAttribute('style');
      const set: Array<[string, string]> = [
        // Both axes: with overflow-x auto, overflow-y visible would compute to auto (CSS Overflow 3).
        ['overflow-x', 'visible'],
        ['overflow-y', 'visible'],
        ['max-height', 'none'],
        ['height', 'auto'],
      ];
      const before = set.map(([prop]) => [prop, el.style.getPropertyValue(prop), el.style.getPropertyPriority(prop)] as const);
      w.__pptpShotStyles.push(() => {
        for (const [prop, value, priority] of before) {
          if (value) el.style.setProperty(prop, value, priority);
          else el.style.removeProperty(prop);
        }
        if (!hadAttribute && el.style.length === 0) el.removeAttribute('style');
      });
      for (const [prop, value] of set) el.style.setProperty(prop, value, 'important');
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

  // A page without an emulated viewport (an Electron window driven by Playwright) cannot be
  // grown: there only step 2 applies, and the full-page capture takes the overflowing document.
  const viewport = page.viewportSize();
  const fullFile = path.join(dir, `${name}-full.png`);
  await rememberScroll(page);
  try {
    let height = viewport?.height ?? 0;
    /** Step 1: grow the window while that shrinks the overflow. */
    const grow = async () => {
      for (let step = 0; viewport && step < MAX_GROW_STEPS; step += 1) {
        const over = await largestOverflow(page);
        if (over <= 1 || height >= MAX_FULL_HEIGHT) return;
        const next = Math.min(MAX_FULL_HEIGHT, height + over);
        await page.setViewportSize({ width: viewport.width, height: next });
        await settle(page);
        // A pane with a fixed max-height does not grow with the window: take the step back (no
        // empty band under the screen) and leave that pane to step 2.
        if ((await largestOverflow(page)) >= over) {
          await page.setViewportSize({ width: viewport.width, height });
          await settle(page);
          return;
        }
        height = next;
      }
    };
    // Unclamping a pane makes its container overflow in turn: grow again, a few rounds at most.
    for (let round = 0; round < 4; round += 1) {
      await grow();
      if ((await unclampPanes(page)) === 0) break;
      await settle(page);
    }
    await page.screenshot({ path: fullFile, fullPage: true, animations: 'disabled' });
  } finally {
    await restore(page, '__pptpShotStyles');
    if (viewport) await page.setViewportSize(viewport);
    await settle(page);
    await restore(page, '__pptpShotScroll');
  }
  return { window: windowFile, full: fullFile };
}
