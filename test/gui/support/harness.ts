/**
 * End-to-end GUI harness: the BUILT renderer in headless Debian Chromium (playwright-core),
 * `window.pptp` injected by shim.ts, talking over HTTP/SSE to server.ts, which runs the REAL
 * main-process core under dbus-run-session with an unlocked gnome-keyring (real keytar).
 *
 * Prerequisites are checked up front: missing Chromium / dbus-run-session / gnome-keyring make
 * the tests SKIP with the reason, and FAIL instead when PPTP_REQUIRE_SYSTEM_TESTS=1.
 * The renderer is built fresh with renderer/vite.config.ts into a temp dir (no race with other
 * builds of dist/); PPTP_GUI_RENDERER_DIR=dist/renderer serves an existing `npm run build` output.
 *
 * Screens are saved whole (screenshot.ts: the window, plus <name>-full.png with the scrolling
 * panes expanded) and checked with axe-core (axe.ts: expectAccessible); both are re-exported here
 * so test files import everything from this one module.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { bridgeShimSource } from './shim';
import { DEFAULT_WINDOW_SIZE } from '../../../main/app/electron/window-state';
import { captureScreen, type ScreenshotFiles, type ScreenshotOptions } from './screenshot';

export { describeViolations, expectAccessible, runAxe, type A11yViolation, type AccessibleOptions, type Impact } from './axe';
export type { ScreenshotFiles, ScreenshotOptions } from './screenshot';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'screenshots');
export const CHROMIUM = process.env.PPTP_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function onPath(tool: string): boolean {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    try {
      accessSync(path.join(dir, tool), constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

export type GuiPrereqs = { ok: true } | { ok: false; why: string };

export function checkGuiPrereqs(): GuiPrereqs {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) missing.push(`Chromium at ${CHROMIUM} (apt-get install chromium)`);
  if (!onPath('dbus-run-session')) missing.push('dbus-run-session (apt-get install dbus)');
  if (!onPath('gnome-keyring-daemon')) missing.push('gnome-keyring-daemon (apt-get install gnome-keyring libsecret-1-0)');
  return missing.length ? { ok: false, why: `missing ${missing.join(', ')}` } : { ok: true };
}

/** Skip reason, or undefined to run. Throws when PPTP_REQUIRE_SYSTEM_TESTS=1 and something is missing. */
export function guiSkipReason(extra?: GuiPrereqs): string | undefined {
  const pre = checkGuiPrereqs();
  const why = !pre.ok ? pre.why : extra && !extra.ok ? extra.why : undefined;
  if (why === undefined) return undefined;
  if (process.env.PPTP_REQUIRE_SYSTEM_TESTS === '1') throw new Error(`GUI test prerequisites missing and PPTP_REQUIRE_SYSTEM_TESTS=1: ${why}`);
  console.warn(`SKIPPED gui tests: ${why}`);
  return why;
}

let builtRenderer: Promise<string> | undefined;
/** The renderer build to serve (built once per test file process). */
export function rendererBuild(): Promise<string> {
  const given = process.env.PPTP_GUI_RENDERER_DIR;
  if (given) {
    const dir = path.resolve(REPO_ROOT, given);
    if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`PPTP_GUI_RENDERER_DIR=${given} has no index.html: run npm run build`);
    return Promise.resolve(dir);
  }
  builtRenderer ??= (async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'pptp-gui-renderer-'));
    const { build } = await import('vite');
    await build({ configFile: path.join(REPO_ROOT, 'renderer/vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    return outDir;
  })();
  return builtRenderer;
}

export interface ServerOptions {
  /** The tunnel service command (argv); default: a command that cannot start (no tunnel). */
  readonly service?: readonly string[];
  readonly serviceEnv?: Readonly<Record<string, string>>;
  readonly dataDir?: string;
}

export interface GuiServer {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Everything the server's transport sent to the page: envelopes and events. */
  transcript(): Promise<string>;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts server.ts under dbus-run-session with an unlocked gnome-keyring. */
export async function startGuiServer(options: ServerOptions = {}): Promise<GuiServer> {
  const renderer = await rendererBuild();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'pptp-gui-data-'));
  const service = options.service ?? ['/nonexistent/pptp-service-not-configured'];
  const args = [
    'node',
    '--import',
    'tsx',
    'test/gui/support/server.ts',
    '--renderer',
    renderer,
    '--data',
    dataDir,
    '--service',
    JSON.stringify(service),
    '--service-cwd',
    REPO_ROOT,
    '--service-env',
    JSON.stringify(options.serviceEnv ?? {}),
  ];
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `echo -n gui-test-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec ${quoted}`;
  const child = spawn('dbus-run-session', ['--', 'sh', '-c', script], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => {
    err = (err + c).slice(-20_000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => reject(new Error(`GUI server did not start in 60 s:\n${err}`)), 60_000);
    rl.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { ready?: boolean; port?: number };
        if (msg.ready && msg.port) {
          clearTimeout(timer);
          resolve(msg.port);
        }
      } catch {
        // other output
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`GUI server exited (${code}) before it was ready:\n${err}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    dataDir,
    child,
    transcript: async () => (await fetch(`${url}/__pptp/transcript`)).text(),
    stderr: () => err,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface GuiBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and page errors seen so far. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** The app's default window size (main/app/electron/window-state.ts, one home); the window has no menu bar. */
export const DEFAULT_VIEWPORT = DEFAULT_WINDOW_SIZE;

export interface OpenAppOptions {
  /** The system colour scheme the page sees (prefers-color-scheme); default light. */
  readonly colorScheme?: 'light' | 'dark';
  /** The window's content size; default DEFAULT_VIEWPORT. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** prefers-reduced-motion; default no-preference. */
  readonly reducedMotion?: 'reduce' | 'no-preference';
}

export async function openApp(server: GuiServer, opts: OpenAppOptions = {}): Promise<GuiBrowser> {
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'pptp-gui-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: { ...(opts.viewport ?? DEFAULT_VIEWPORT) },
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: opts.reducedMotion ?? 'no-preference',
  });
  await context.addInitScript({ content: bridgeShimSource() });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/index.html`);
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Saves test-results/screenshots/<name>.png (the window as the user sees it) and, when a pane
 * scrolls, <name>-full.png with every scrolling pane expanded (CI artifacts). Returns the first
 * path, as before; `screenshotFiles` returns both.
 */
export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<string> {
  return (await captureScreen(page, SCREENSHOT_DIR, name, options)).window;
}

/** As screenshot(), returning both files (full is undefined when nothing scrolled). */
export function screenshotFiles(page: Page, name: string, options: ScreenshotOptions = {}): Promise<ScreenshotFiles> {
  return captureScreen(page, SCREENSHOT_DIR, name, options);
}

/**
 * Dismisses the first-run "PPTP is weak" note as a user does ("I understand"), for suites whose
 * screens are not about it; the dismissal is remembered in the test's settings.json.
 */
export async function dismissFirstRunNote(page: Page): Promise<void> {
  const note = page.getByRole('region', { name: 'Before you start: PPTP is weak' });
  await note.waitFor({ state: 'visible', timeout: 15_000 });
  await page.getByRole('button', { name: 'I understand' }).click();
  await note.waitFor({ state: 'detached', timeout: 15_000 });
}
