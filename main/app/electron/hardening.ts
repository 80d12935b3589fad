/**
 * Electron-wide security settings (DESIGN.md §7): CSP header on every response of the app's
 * session, every permission request denied, navigation away from the app and new windows
 * blocked, <webview> refused. Touches Electron; the policy values are in security-policy.ts.
 */
import type { App, Session } from 'electron';
import { withCspHeader } from '../security-policy';
import { isAppUrl, type SenderPolicy } from '../ipc/sender';

export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders as Record<string, string[]> | undefined) });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // No remote content: anything that is not file:// (or the dev server) is cancelled.
  session.webRequest.onBeforeRequest((details, callback) => {
    const url = details.url;
    const allowed = url.startsWith('file://') || url.startsWith('devtools://') || url.startsWith('data:') || url.startsWith('blob:') || /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(url);
    callback({ cancel: !allowed });
  });
}

export function hardenWebContents(app: App, policy: Pick<SenderPolicy, 'appUrl' | 'devServerOrigin'>, log: (msg: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, policy)) {
        event.preventDefault();
        log(`Blocked navigation to ${url.slice(0, 200)}`);
      }
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, policy)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      log(`Blocked a new window for ${url.slice(0, 200)}`);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
