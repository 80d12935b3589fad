/**
 * Who may call main over IPC (after VS Code's main-process checks): only the MAIN frame of one of
 * OUR windows, showing OUR page: the packaged renderer's file:// URL, or the Vite dev server's
 * origin in development. Sub-frames, foreign origins, other file:// pages and unknown
 * WebContents are refused. Pure: the Electron module collects the facts.
 */

export interface SenderFacts {
  /** WebContents id of the sender. */
  readonly webContentsId: number;
  /** True when the sending frame is the top-level frame of that WebContents. */
  readonly isMainFrame: boolean;
  /** The sending frame's URL (empty when unknown: refused). */
  readonly frameUrl: string;
}

export interface SenderPolicy {
  /** Is this WebContents one of the app's windows? */
  readonly isOurWindow: (webContentsId: number) => boolean;
  /** The renderer's entry, e.g. file:///opt/PPTP%20Manager/resources/app/dist/renderer/index.html */
  readonly appUrl: string;
  /** Development only: the dev server origin (http://localhost:5173). */
  readonly devServerOrigin?: string;
}

export type SenderVerdict = { readonly ok: true } | { readonly ok: false; readonly why: string };

/** The URL without query and fragment, or undefined when it does not parse. */
function pageOf(url: string): URL | undefined {
  try {
    const u = new URL(url);
    u.hash = '';
    u.search = '';
    return u;
  } catch {
    return undefined;
  }
}

export function isAppUrl(url: string, policy: Pick<SenderPolicy, 'appUrl' | 'devServerOrigin'>): boolean {
  const page = pageOf(url);
  if (!page) return false;
  if (policy.devServerOrigin !== undefined && (page.protocol === 'http:' || page.protocol === 'https:')) {
    return page.origin === new URL(policy.devServerOrigin).origin;
  }
  const app = pageOf(policy.appUrl);
  if (!app || page.protocol !== 'file:' || app.protocol !== 'file:') return false;
  return page.href === app.href;
}

export function checkSender(facts: SenderFacts, policy: SenderPolicy): SenderVerdict {
  if (!policy.isOurWindow(facts.webContentsId)) return { ok: false, why: `WebContents ${facts.webContentsId} is not an app window` };
  if (!facts.isMainFrame) return { ok: false, why: 'the sender is a sub-frame' };
  if (!isAppUrl(facts.frameUrl, policy)) return { ok: false, why: `the sender's page is not the app (${facts.frameUrl.slice(0, 200) || 'unknown URL'})` };
  return { ok: true };
}
