/** Sender checks (VS Code's rule): only the main frame of our windows, showing our page. */
import { describe, expect, it } from 'vitest';
import { checkSender, isAppUrl, type SenderPolicy } from '../../../../main/app/ipc/sender';
import { registerIpc, senderFactsOf, type IpcMainLike } from '../../../../main/app/ipc/register';
import { INVOKE_CHANNELS, type Handlers } from '../../../../preload/contract';

const appUrl = 'file:///opt/PPTP%20Manager/resources/app/dist/renderer/index.html';
const policy: SenderPolicy = { isOurWindow: (id) => id === 3, appUrl };

describe('checkSender', () => {
  it('ourMainFrame_onOurPage_isAllowed (with hash routes and queries)', () => {
    expect(checkSender({ webContentsId: 3, isMainFrame: true, frameUrl: appUrl }, policy)).toEqual({ ok: true });
    expect(checkSender({ webContentsId: 3, isMainFrame: true, frameUrl: `${appUrl}#/settings` }, policy).ok).toBe(true);
    expect(checkSender({ webContentsId: 3, isMainFrame: true, frameUrl: `${appUrl}?x=1` }, policy).ok).toBe(true);
  });

  it('subFrame_isRefused', () => {
    expect(checkSender({ webContentsId: 3, isMainFrame: false, frameUrl: appUrl }, policy)).toMatchObject({ ok: false, why: expect.stringContaining('sub-frame') });
  });

  it('unknownWebContents_isRefused', () => {
    expect(checkSender({ webContentsId: 4, isMainFrame: true, frameUrl: appUrl }, policy).ok).toBe(false);
  });

  it('foreignOrigins_andOtherFilePages_areRefused', () => {
    for (const url of [
      'https://evil.example/index.html',
      'http://localhost:5173/',
      'file:///tmp/evil/index.html',
      'file:///opt/PPTP%20Manager/resources/app/dist/renderer/other.html',
      'data:text/html,<script>1</script>',
      'about:blank',
      '',
      'not a url',
    ]) {
      expect(checkSender({ webContentsId: 3, isMainFrame: true, frameUrl: url }, policy).ok, url).toBe(false);
    }
  });

  it('devServer_onlyItsOrigin_whenConfigured', () => {
    const dev = { ...policy, devServerOrigin: 'http://localhost:5173' };
    expect(isAppUrl('http://localhost:5173/#/x', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://evil.example/', dev)).toBe(false);
  });

  it('senderFactsOf_readsElectronEventShape', () => {
    const frame = { url: appUrl, parent: null };
    expect(senderFactsOf({ sender: { id: 3, mainFrame: frame }, senderFrame: frame })).toEqual({ webContentsId: 3, isMainFrame: true, frameUrl: appUrl });
    // A top-level frame that is not this WebContents' main frame (should not happen) is refused too.
    expect(senderFactsOf({ sender: { id: 3, mainFrame: {} }, senderFrame: frame }).isMainFrame).toBe(false);
    expect(senderFactsOf({ sender: { id: 3 }, senderFrame: null })).toEqual({ webContentsId: 3, isMainFrame: false, frameUrl: '' });
  });
});

describe('registerIpc', () => {
  it('registersEveryContractChannel_andAnswersWithEnvelopes', async () => {
    const registered = new Map<string, (event: never, ...args: unknown[]) => Promise<unknown>>();
    const ipcMain: IpcMainLike = {
      handle: (channel, listener) => registered.set(channel, listener as never),
      removeHandler: (channel) => registered.delete(channel),
    };
    const handlers = Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, async () => null])) as unknown as Handlers;
    const refused: string[] = [];
    const off = registerIpc(ipcMain, handlers, policy, { onRefused: (c, why) => refused.push(`${c}: ${why}`) });
    expect([...registered.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const h = registered.get('logs.clear');
    const good = { sender: { id: 3 }, senderFrame: { url: appUrl, parent: null } };
    await expect(h?.(good as never, {})).resolves.toEqual({ ok: true, value: null });
    await expect(h?.(good as never, { extra: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const bad = { sender: { id: 3 }, senderFrame: { url: 'https://evil.example/', parent: null } };
    await expect(h?.(bad as never, {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(refused).toHaveLength(1);
    off();
    expect(registered.size).toBe(0);
  });
});
