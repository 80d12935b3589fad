import { describe, expect, it } from 'vitest';
import { createNetworkConfigurator, planNetwork } from '../../../../main/service/net';
import { DarwinNetworkConfigurator } from '../../../../main/service/net/darwin/darwin-configurator';
import { LinuxNetworkConfigurator } from '../../../../main/service/net/linux/linux-configurator';
import { UnsupportedPlatformConfigurator } from '../../../../main/service/net/unsupported-configurator';

describe('createNetworkConfigurator', () => {
  it('linux_getsTheIproute2Implementation', () => {
    expect(createNetworkConfigurator({ platform: 'linux', stateDir: '/tmp/unused' })).toBeInstanceOf(LinuxNetworkConfigurator);
  });

  it('darwin_getsTheIfconfigRouteScutilImplementation', () => {
    expect(createNetworkConfigurator({ platform: 'darwin', stateDir: '/tmp/unused' })).toBeInstanceOf(DarwinNetworkConfigurator);
  });

  it('win32_applyFailsTyped_restoreAndRecoverHaveNothingToDo', async () => {
    for (const platform of ['win32'] as const) {
      const net = createNetworkConfigurator({ platform });
      expect(net).toBeInstanceOf(UnsupportedPlatformConfigurator);
      const plan = planNetwork({ serverIp: '198.51.100.10', tunName: 'utun4', localIp: '10.0.0.2', remoteIp: '10.0.0.1', mtu: 1400, routes: 'default', dns: null });
      if (!plan.ok) throw new Error(plan.error.message);
      const applied = await net.apply(plan.value);
      expect(applied).toEqual({
        ok: false,
        error: { code: 'network-config-failed', step: 'platform', message: `network configuration is not supported on this platform yet (${platform})` },
      });
      expect(await net.restore()).toEqual({ ok: true, value: { undone: 0, notes: [] } });
      expect(await net.recoverFromJournal()).toEqual({ ok: true, value: { status: 'nothing-to-do' } });
    }
  });
});
