/** DarwinNetworkConfigurator behaviour the conformance suite does not look at: split DNS, utun-only plans, a server already routed into the utun, journal-before-change. */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DarwinNetworkConfigurator } from '../../../../../main/service/net/darwin/darwin-configurator';
import { DNS_KEY, IPV4_KEY } from '../../../../../main/service/net/darwin/scutil';
import { JOURNAL_FILE } from '../../../../../main/service/net/journal';
import { planNetwork } from '../../../../../main/service/net/plan';
import type { NetworkPlan, NetworkPlanInput } from '../../../../../main/service/net/types';
import { SimulatedMac } from '../../../../support/darwin-sim/simulated-macos';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'pptp-darwin-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

const base: NetworkPlanInput = { serverIp: '198.51.100.10', tunName: 'utun3', localIp: '10.64.0.2', remoteIp: '10.64.0.1', mtu: 1400, routes: 'default', dns: ['10.64.0.53'] };
function plan(overrides: Partial<NetworkPlanInput> = {}): NetworkPlan {
  const result = planNetwork({ ...base, ...overrides });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('DarwinNetworkConfigurator', () => {
  it('splitTunnelWithDomains_publishesSupplementalMatchDomains_andNoOverridePrimary', async () => {
    const mac = new SimulatedMac();
    const net = new DarwinNetworkConfigurator({ stateDir, runner: mac.run });
    expect((await net.apply(plan({ routes: ['10.10.0.0/16'], dnsDomains: ['corp.example'] }))).ok).toBe(true);
    expect(mac.store.get(DNS_KEY)).toEqual({ ServerAddresses: ['10.64.0.53'], SupplementalMatchDomains: ['corp.example'] });
    expect(mac.store.get(IPV4_KEY)).not.toHaveProperty('OverridePrimary');
    expect(mac.log).toContain('route -n add -net 10.10.0.0/16 -interface utun3');
    expect(mac.log).toContain('route -n add -host 198.51.100.10 192.168.1.1');
  });

  it('aNonUtunInterface_isRefusedBeforeAnythingRuns', async () => {
    const mac = new SimulatedMac();
    const result = await new DarwinNetworkConfigurator({ stateDir, runner: mac.run }).apply(plan({ tunName: 'en0' }));
    expect(result).toMatchObject({ ok: false, error: { code: 'network-config-failed', step: 'plan' } });
    expect(mac.log).toEqual([]);
  });

  it('serverAlreadyRoutedThroughTheUtun_isRefused_andEverythingUndone', async () => {
    const mac = new SimulatedMac();
    const before = mac.snapshot();
    await mac.run('route', ['-n', 'add', '-host', '198.51.100.10', '-interface', 'utun3']);
    const withLoop = mac.snapshot();
    const result = await new DarwinNetworkConfigurator({ stateDir, runner: mac.run }).apply(plan());
    expect(result).toMatchObject({ ok: false, error: { step: 'server-route 198.51.100.10', message: expect.stringContaining('already goes through utun3') as unknown } });
    expect(mac.snapshot()).toEqual(withLoop);
    expect(withLoop).not.toEqual(before);
    expect(existsSync(join(stateDir, JOURNAL_FILE))).toBe(false);
  });

  it('journalsEachChangeBeforeMakingIt', async () => {
    const mac = new SimulatedMac();
    const seen: string[] = [];
    const spy: typeof mac.run = (command, args, stdin) => {
      const line = [command, ...args].join(' ');
      const journal = existsSync(join(stateDir, JOURNAL_FILE)) ? readFileSync(join(stateDir, JOURNAL_FILE), 'utf8') : '';
      if (line === 'route -n add -net 0.0.0.0/1 -interface utun3') seen.push(journal.includes('"dest": "0.0.0.0/1"') ? 'route journaled' : 'route NOT journaled');
      if (line === 'ifconfig utun3 mtu 1400') seen.push(journal.includes('"previousMtu": 1500') ? 'mtu journaled' : 'mtu NOT journaled');
      if (command === 'scutil' && stdin?.includes(`set ${DNS_KEY}`)) seen.push(journal.includes(DNS_KEY) ? 'dns journaled' : 'dns NOT journaled');
      return mac.run(command, args, stdin);
    };
    expect((await new DarwinNetworkConfigurator({ stateDir, runner: spy }).apply(plan())).ok).toBe(true);
    expect(seen).toEqual(['mtu journaled', 'route journaled', 'dns journaled']);
  });
});
