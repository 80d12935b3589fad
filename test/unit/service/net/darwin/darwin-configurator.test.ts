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

/** A simulated Mac with someone else's route 10.0.0.0/8 via en0, and its state before recovery. */
async function macWithForeignRoute(): Promise<{ mac: SimulatedMac; before: ReturnType<SimulatedMac['snapshot']> }> {
  const mac = new SimulatedMac();
  await mac.run('route', ['-n', 'add', '-net', '10.0.0.0/8', '-interface', 'en0']);
  return { mac, before: mac.snapshot() };
}

/** The journal a crashed owner of utun3 left, holding `entries`. */
async function writeCrashedJournal(entries: unknown[]): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const journal = { version: 1, owner: { pid: 999_999, startTime: null, bootId: null }, tunName: 'utun3', createdAt: 0, entries };
  await writeFile(join(stateDir, JOURNAL_FILE), JSON.stringify(journal), { mode: 0o600 });
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

  it('recovery_keepsAsideAJournalNamingAForeignScutilKey_andChangesNothing', async () => {
    const { mac, before } = await macWithForeignRoute();
    await writeCrashedJournal([
      { kind: 'bsd-route', dest: '10.0.0.0/8', gateway: null, interface: 'en0' },
      { kind: 'utun-up', dev: 'utun9' },
      { kind: 'scutil-key', key: 'State:/Network/Global/DNS', previous: null },
    ]);
    const result = await new DarwinNetworkConfigurator({ stateDir, runner: mac.run }).recoverFromJournal();
    if (!result.ok) throw new Error(result.error.message);
    // A key outside our own service does not even parse (journal.ts): the journal is kept aside, nothing is undone.
    expect(result.value).toMatchObject({ status: 'corrupt-journal', reason: expect.stringMatching(/^unexpected content at entries\.2\.key/) });
    expect(mac.snapshot()).toEqual(before);
  });

  it('recovery_dropsAValidLookingRouteOfAnotherInterface_withANote', async () => {
    const { mac, before } = await macWithForeignRoute();
    await writeCrashedJournal([{ kind: 'bsd-route', dest: '10.0.0.0/8', gateway: null, interface: 'utun9' }]);
    const result = await new DarwinNetworkConfigurator({ stateDir, runner: mac.run }).recoverFromJournal();
    expect(result).toMatchObject({ ok: true, value: { status: 'recovered', notes: [expect.stringMatching(/never writes \(route 10\.0\.0\.0\/8\)/)] } });
    expect(mac.snapshot()).toEqual(before);
  });
});
