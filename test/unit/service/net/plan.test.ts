import { describe, expect, it } from 'vitest';
import { describeStep, planNetwork, validatePlan } from '../../../../main/service/net/plan';
import type { NetworkPlan, NetworkPlanInput } from '../../../../main/service/net/types';

const input: NetworkPlanInput = {
  serverIp: '198.51.100.10',
  tunName: 'pptp0',
  localIp: '10.64.0.2',
  remoteIp: '10.64.0.1',
  mtu: 1400,
  routes: 'default',
  dns: ['10.64.0.53'],
};

function plan(overrides: Partial<NetworkPlanInput>): NetworkPlan {
  const result = planNetwork({ ...input, ...overrides });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('planNetwork', () => {
  it('fullTunnel_linkThenServerRouteThenTwoHalfRoutesThenDns', () => {
    expect(plan({}).steps).toEqual([
      { kind: 'link-mtu', dev: 'pptp0', mtu: 1400 },
      { kind: 'link-address', dev: 'pptp0', local: '10.64.0.2', peer: '10.64.0.1' },
      { kind: 'link-up', dev: 'pptp0' },
      { kind: 'server-route', server: '198.51.100.10', tunDev: 'pptp0' },
      { kind: 'tunnel-route', dest: '0.0.0.0/1', dev: 'pptp0' },
      { kind: 'tunnel-route', dest: '128.0.0.0/1', dev: 'pptp0' },
      { kind: 'dns', dev: 'pptp0', servers: ['10.64.0.53'], routeAllDomains: true },
    ]);
  });

  it('splitRoutes_onlyTheListedCidrs_deduplicated_dnsWithoutCatchAllDomain', () => {
    const steps = plan({ routes: ['10.10.0.0/16', '172.16.5.0/24', '10.10.0.0/16', '192.0.2.9'] }).steps;
    expect(steps.filter((s) => s.kind === 'tunnel-route').map((s) => (s.kind === 'tunnel-route' ? s.dest : ''))).toEqual([
      '10.10.0.0/16',
      '172.16.5.0/24',
      '192.0.2.9/32',
    ]);
    expect(steps.some((s) => s.kind === 'server-route')).toBe(true);
    expect(steps.at(-1)).toEqual({ kind: 'dns', dev: 'pptp0', servers: ['10.64.0.53'], routeAllDomains: false });
  });

  it('routesNone_noServerRouteNoTunnelRoutes', () => {
    expect(plan({ routes: 'none', dns: null }).steps.map((s) => s.kind)).toEqual(['link-mtu', 'link-address', 'link-up']);
  });

  it('dnsNullOrEmpty_noDnsStep_andAtMostThreeServersKept', () => {
    expect(plan({ dns: null }).steps.some((s) => s.kind === 'dns')).toBe(false);
    expect(plan({ dns: [] }).steps.some((s) => s.kind === 'dns')).toBe(false);
    const dns = plan({ dns: ['10.0.0.1', '10.0.0.2', '10.0.0.1', '10.0.0.3', '10.0.0.4'] }).steps.find((s) => s.kind === 'dns');
    expect(dns).toMatchObject({ servers: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] });
  });

  it('hostileInput_isRefusedWithNetworkConfigFailed_beforeAnyCommandExists', () => {
    const hostile: Partial<NetworkPlanInput>[] = [
      { serverIp: '198.51.100.10; reboot' },
      { serverIp: '-f' },
      { tunName: 'pptp0 up' },
      { tunName: '--help' },
      { localIp: '10.64.0.2/24' },
      { remoteIp: '127.0.0.1' },
      { mtu: 0 },
      { routes: ['10.0.0.0/8 dev eth0'] },
      { routes: ['10.0.0.0/8', '$(reboot)'] },
      { routes: ['10.0.0.1/8'] },
      { routes: ['0.0.0.0/0'] },
      { routes: 'all' as never },
      { routes: Array.from({ length: 300 }, (_, i) => `10.${i % 256}.${Math.floor(i / 256)}.0/24`) },
      { dns: ['8.8.8.8', 'nameserver 1.1.1.1'] },
      { dns: '8.8.8.8' as never },
    ];
    for (const overrides of hostile) {
      const result = planNetwork({ ...input, ...overrides });
      expect(result.ok, JSON.stringify(overrides).slice(0, 80)).toBe(false);
      if (!result.ok) expect(result.error).toMatchObject({ code: 'network-config-failed', step: 'plan' });
    }
  });

  it('validatePlan_refusesAHandMadePlanWithAHostileStep', () => {
    const good = plan({});
    expect(validatePlan(good).ok).toBe(true);
    const bad: NetworkPlan = { input, steps: [...good.steps, { kind: 'tunnel-route', dest: '10.0.0.0/8 via 1.1.1.1', dev: 'pptp0' }] };
    expect(validatePlan(bad)).toMatchObject({ ok: false, error: { step: 'plan' } });
    const badDev: NetworkPlan = { input, steps: [{ kind: 'link-up', dev: 'eth0 down' }] };
    expect(validatePlan(badDev).ok).toBe(false);
  });

  it('describeStep_namesTheThing', () => {
    expect(describeStep({ kind: 'tunnel-route', dest: '0.0.0.0/1', dev: 'pptp0' })).toBe('tunnel-route 0.0.0.0/1 dev pptp0');
    expect(describeStep({ kind: 'server-route', server: '198.51.100.10', tunDev: 'pptp0' })).toBe('server-route 198.51.100.10');
  });
});
