/**
 * TunDevice on a real kernel, inside a fresh network namespace: open/close behaviour and
 * packets both ways (the real `ping` answered by a responder that reads the echo requests
 * from the TUN and writes the replies back).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TunStats } from '../../../../main/service/tun/tun-device';
import { TestNamespace, reportBlocker, systemTestBlocker } from '../../support/netns';

const blocker = await systemTestBlocker();
reportBlocker('TUN device', blocker);

describe.skipIf(blocker !== null)(`TUN device in a namespace${blocker ? ` (skipped: ${blocker})` : ''}`, () => {
  let ns: TestNamespace | null = null;
  afterEach(async () => {
    await ns?.delete();
    ns = null;
  });

  it('open_namesClashesAndClose_behaveAsTheKernelSays', async () => {
    ns = await TestNamespace.create();
    const { output, code } = await ns.runScenario<Record<string, unknown>>('tun-basics.ts', {});
    expect(code).toBe(0);
    expect(output).toEqual({
      name: 'pptptest0',
      existsWhileOpen: true,
      clash: { code: 'open-failed', errno: 'EBUSY' },
      invalid: { code: 'open-failed', errno: 'EINVAL' },
      kernelName: expect.stringMatching(/^tun[0-9]+$/),
      closeEvents: 1,
      existsAfterClose: false,
      writeAfterClose: false,
    });
  });

  it('pingThroughFullTunnel_echoRequestsReadFromTun_repliesWrittenBack', async () => {
    ns = await TestNamespace.create();
    const count = 5;
    const { output } = await ns.runScenario<{
      applied: { ok: boolean };
      pingExit: number;
      pingOutput: string;
      echoRequests: number;
      stats: TunStats;
      restored: { ok: boolean };
    }>('ping-responder.ts', {
      stateDir: ns.stateDir,
      plan: { serverIp: '198.51.100.10', localIp: '10.64.0.2', remoteIp: '10.64.0.1', mtu: 1400, routes: 'default', dns: null },
      target: '8.8.4.4',
      count,
    });
    expect(output.applied.ok).toBe(true);
    expect(output.pingOutput).toContain(`${count} packets transmitted, ${count} received`);
    expect(output.pingExit).toBe(0);
    expect(output.echoRequests).toBe(count);
    expect(output.stats.rxPackets).toBeGreaterThanOrEqual(count);
    expect(output.stats.txPackets).toBe(count);
    expect(output.stats.txErrors).toBe(0);
    expect(output.stats.rxDrops).toBe(0);
    expect(output.restored.ok).toBe(true);
  });
});
