/**
 * The accessibility check of the GUI suite: axe-core (node_modules/axe-core) run on the screen the
 * page shows right now.
 *
 * Injection under the strict CSP (script-src 'self', no inline scripts): axe's source is evaluated
 * through Playwright's page.evaluate, i.e. the DevTools protocol's Runtime.evaluate, which the
 * page's CSP does not govern (CSP applies to scripts the document loads, not to the debugger).
 * So the app runs under its real policy (no bypassCSP, no extra <script> element, no init script
 * on every page) and axe is added only to the pages that are checked, once per document.
 *
 * `expectAccessible(page, label)` fails the test on any violation of serious or critical impact
 * (`failOn` lowers the bar), listing rule, impact, help and the offending elements; violations
 * below the bar are printed as warnings. Every result is written to
 * test-results/a11y/<label>.json for CI artefacts. The rules are axe's WCAG 2.0/2.1 A and AA sets
 * plus its best practices (where the landmark and heading-order rules live).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export type Impact = 'minor' | 'moderate' | 'serious' | 'critical';
const REPORT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-results/a11y');
const RANK: Record<Impact, number> = { minor: 1, moderate: 2, serious: 3, critical: 4 };

export interface A11yViolation {
  readonly id: string;
  readonly impact: Impact | null;
  readonly help: string;
  readonly helpUrl: string;
  /** CSS selectors of the offending elements, with axe's summary of what to fix for each. */
  readonly nodes: ReadonlyArray<{ readonly target: string; readonly summary: string }>;
}

export interface AccessibleOptions {
  /** The lowest impact that fails the test (default 'serious'). */
  readonly failOn?: Impact;
  /** Where the JSON report goes (default test-results/a11y). */
  readonly reportDir?: string;
}

let axeSource: string | undefined;
function loadAxe(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Runs axe on the page's current DOM; returns every violation (no assertion). */
export async function runAxe(page: Page): Promise<A11yViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(loadAxe());
  return page.evaluate(async () => {
    type AxeNode = { target: unknown[]; failureSummary?: string };
    type AxeResult = { id: string; impact: Impact | null; help: string; helpUrl: string; nodes: AxeNode[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeResult[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim() })),
    }));
  });
}

export function describeViolations(violations: readonly A11yViolation[]): string {
  return violations
    .map((v) => `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `      ${n.target} — ${n.summary}`).join('\n')}`)
    .join('\n');
}

/**
 * Fails (throws) when the current screen has an axe violation of `failOn` impact or worse;
 * returns every violation so a test can assert more.
 */
export async function expectAccessible(page: Page, label: string, options: AccessibleOptions = {}): Promise<A11yViolation[]> {
  const violations = await runAxe(page);
  const dir = options.reportDir ?? REPORT_DIR;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${label.replace(/[^\w.-]+/g, '_')}.json`), JSON.stringify(violations, null, 2) + '\n');
  const bar = RANK[options.failOn ?? 'serious'];
  const failing = violations.filter((v) => RANK[v.impact ?? 'critical'] >= bar);
  const reported = violations.filter((v) => !failing.includes(v));
  if (reported.length) console.warn(`axe (${label}): ${reported.length} violation(s) below the bar:\n${describeViolations(reported)}`);
  if (failing.length) throw new Error(`axe (${label}): ${failing.length} accessibility violation(s) of ${options.failOn ?? 'serious'} impact or worse:\n${describeViolations(failing)}`);
  return violations;
}
