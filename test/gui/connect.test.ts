/**
 * End to end WITH a tunnel: the built renderer -> window.pptp -> the real handlers -> the real
 * TunnelSupervisor -> the REAL tunnel service (main/service/main.ts, run inside the pptpd VM's
 * client network namespace with `ip netns exec`) -> Debian's pptpd + pppd in a user-mode-linux VM
 * (test/interop/support/pptpd-vm.ts). No fake service: if the service cannot connect, this FAILS.
 *
 * Scenario: create the profile with the form (password into gnome-keyring), connect, see the
 * connected state with the local/remote IP, MS-CHAPv2 and MPPE 128, disconnect; screenshots.
 * Skips (with the reason) when Chromium/gnome-keyring or the interop prerequisites (root, netns,
 * the VM image) are missing; fails instead when PPTP_REQUIRE_SYSTEM_TESTS=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkInteropPrereqs } from '../interop/support/prereqs';
import { dismissFirstRunNote, guiSkipReason, openApp, screenshot, startGuiServer, type GuiBrowser, type GuiServer } from './support/harness';
import { TEST_PASSWORD, TEST_USER, startPptpdVm, type PptpdVm } from '../interop/support/pptpd-vm';

const skip = guiSkipReason(checkInteropPrereqs());

describe.skipIf(skip !== undefined)(`GUI end to end with the real service and pptpd${skip ? ` - SKIPPED: ${skip}` : ''}`, () => {
  let vm: PptpdVm;
  let server: GuiServer;
  let app: GuiBrowser;

  beforeAll(async () => {
    vm = await startPptpdVm();
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'pptp-gui-service-state-'));
    server = await startGuiServer({
      // The service runs INSIDE the client's namespace, where 10.77.0.1 (the VM) is reachable.
      service: ['ip', 'netns', 'exec', vm.netns, process.execPath, '--import', 'tsx', 'main/service/main.ts'],
      serviceEnv: { PPTP_STATE_DIR: stateDir },
    });
    app = await openApp(server);
    await dismissFirstRunNote(app.page);
  });

  afterAll(async () => {
    await app?.close();
    await server?.stop();
    await vm?.stop();
  });

  it('connects to pptpd from the GUI and shows the negotiated values, then disconnects', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New profile' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Test pptpd');
    await page.getByLabel('Server', { exact: true }).fill(vm.serverIp);
    await page.getByLabel('User name', { exact: true }).fill(TEST_USER);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    // Defaults: MS-CHAPv2 + MPPE-128 required, full tunnel (its routes and DNS change only the namespace).
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Connect', exact: true }).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await screenshot(page, '20-connecting');
    const details = page.getByRole('list', { name: 'Negotiated values' }).or(page.locator('dl[aria-label="Negotiated values"]'));
    try {
      await expect.poll(() => details.isVisible(), { timeout: 60_000, interval: 500 }).toBe(true);
    } catch (error) {
      await screenshot(page, '21-connect-failed');
      const log = await server.transcript();
      throw new Error(
        `The GUI did not reach "connected" through the real service.\n` +
          `Page alert: ${await page.getByRole('alert').allInnerTexts().catch(() => [])}\n` +
          `Server stderr tail:\n${server.stderr().slice(-3000)}\nTranscript tail:\n${log.slice(-4000)}\n` +
          `VM log tail:\n${vm.log().split('\n').slice(-30).join('\n')}`,
        { cause: error },
      );
    }
    const text = await details.innerText();
    expect(text).toMatch(/Local IP\s+192\.168\.77\.(1\d|20)/);
    expect(text).toMatch(/Remote IP\s+192\.168\.77\.1\b/);
    expect(text).toMatch(/Authentication\s+MS-CHAPv2/);
    expect(text).toMatch(/MPPE 128-bit/);
    // Live stats flow from the service through the supervisor to the page (1 s interval).
    await expect.poll(async () => (await server.transcript()).includes('"event":"stats"'), { timeout: 10_000 }).toBe(true);
    await page.waitForTimeout(2500); // let the graph draw a few samples for the screenshot
    await screenshot(page, '21-connected');
    // The server side agrees: pppd logged the session.
    await vm.waitForLog(/MPPE 128-bit stateless compression enabled/, 10_000);

    await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Connect', exact: true }).isVisible(), { timeout: 30_000 }).toBe(true);
    await screenshot(page, '22-disconnected');
    const transcript = await server.transcript();
    expect(transcript).toMatch(/"event":"disconnected","reason":"local-disconnect","restored":true/);
    expect(transcript).not.toContain(TEST_PASSWORD);
  });
});
