/**
 * The platform conformance suite: ONE definition of the scenarios, run against every
 * NetworkConfigurator -- Linux for real in a fresh network namespace (root; skips and says why
 * otherwise, fails under PPTP_REQUIRE_SYSTEM_TESTS=1), macOS against the simulated macOS
 * (test/support/darwin-sim; runs anywhere). For the full tunnel with DNS and for split routes:
 * apply -> restore; apply -> crash (a new configurator over the same state dir, as after
 * kill -9) -> recoverFromJournal; a process killed in the middle of apply; a failure at EVERY
 * command of apply (rolled back); garbled output at every command; each command missing. Each
 * ends with the system exactly as it began (snapshotNetworkState in the namespace, the
 * simulator's snapshot on macOS) and no journal left.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandName, CommandResult, CommandRunner } from '../../../../main/service/net/command-runner';
import { DarwinNetworkConfigurator } from '../../../../main/service/net/darwin/darwin-configurator';
import { DNS_KEY, IPV4_KEY } from '../../../../main/service/net/darwin/scutil';
import { JOURNAL_FILE } from '../../../../main/service/net/journal';
import { LinuxNetworkConfigurator } from '../../../../main/service/net/linux/linux-configurator';
import { planNetwork } from '../../../../main/service/net/plan';
import { snapshotNetworkState } from '../../../../main/service/net/snapshot';
import type { NetworkConfigurator, NetworkPlanInput } from '../../../../main/service/net/types';
import { withFault, type Fault } from '../../../support/darwin-sim/faults';
import { SimulatedMac } from '../../../support/darwin-sim/simulated-macos';
import { reportBlocker, TestNamespace } from '../../support/netns';

/** One machine under test: its configurator, its state, and what "the tunnel is configured" looks like. */
interface World {
  readonly tunName: string;
  readonly stateDir: string;
  readonly runner: CommandRunner;
  readonly commands: readonly CommandName[];
  configurator(runner: CommandRunner): NetworkConfigurator;
  snapshot(): Promise<unknown>;
  /** Destinations routed into the tunnel right now. */
  tunnelRoutes(): Promise<string[]>;
  /** Whether the pushed DNS server is in effect right now. */
  dnsApplied(server: string): Promise<boolean>;
  teardown(): Promise<void>;
}

interface Platform {
  readonly name: string;
  readonly blocker: string | null;
  create(): Promise<World>;
}

function exec(file: string, args: readonly string[]): Promise<CommandResult> {
  return new Promise((done) => {
    execFile(file, [...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) => {
      done({ exitCode: error ? (typeof error.code === 'number' ? error.code : 127) : 0, stdout, stderr: stderr || (error?.message ?? '') });
    });
  });
}

async function linuxBlocker(): Promise<string | null> {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not running as root';
  if (!existsSync('/dev/net/tun')) return 'no /dev/net/tun';
  const netns = await exec('ip', ['netns', 'list']);
  return netns.exitCode === 0 ? null : `ip netns does not work: ${netns.stderr.trim()}`;
}

const NS_RESOLV = '# conformance resolv.conf\nnameserver 192.0.2.53\n';

/** Linux: TestNamespace (eth0 192.0.2.2/24, default via 192.0.2.1) with a persistent TUN pptp0; `ip` runs as `ip -n <ns>`. */
const linux: Platform = {
  name: 'linux (network namespace)',
  blocker: await linuxBlocker(),
  async create() {
    // The suite's usual namespace (test/system/support/netns.ts), plus a persistent TUN.
    const namespace = await TestNamespace.create();
    const ns = namespace.name;
    const dir = await mkdtemp(join(tmpdir(), 'pptp-conf-'));
    const resolvConfPath = join(dir, 'resolv.conf');
    const teardown = async (): Promise<void> => {
      await namespace.delete();
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await writeFile(resolvConfPath, NS_RESOLV);
      await namespace.ip('tuntap', 'add', 'dev', 'pptp0', 'mode', 'tun');
    } catch (error) {
      await teardown();
      throw error;
    }
    const runner: CommandRunner = (command, args) =>
      command === 'ip' ? exec('ip', ['-n', ns, ...args]) : Promise.resolve({ exitCode: 127, stdout: '', stderr: `${command}: not used here` });
    const stateDir = join(dir, 'state');
    return {
      tunName: 'pptp0',
      stateDir,
      runner,
      commands: ['ip'],
      configurator: (run) => new LinuxNetworkConfigurator({ stateDir, runner: run, resolvConfPath, dnsBackend: 'resolv-conf' }),
      snapshot: () => snapshotNetworkState({ runner, resolvConfPath }),
      async tunnelRoutes() {
        const out = await exec('ip', ['-n', ns, '-j', 'route', 'show', 'dev', 'pptp0']);
        return (JSON.parse(out.stdout || '[]') as { dst: string }[]).map((r) => r.dst).filter((d) => d.includes('/'));
      },
      async dnsApplied(server) {
        const { readFile } = await import('node:fs/promises');
        return (await readFile(resolvConfPath, 'utf8')).includes(`nameserver ${server}`);
      },
      teardown,
    };
  },
};

/** macOS: the simulated Mac with utun3 opened by the native helper. */
const darwin: Platform = {
  name: 'darwin (simulated macOS)',
  blocker: null,
  async create() {
    const mac = new SimulatedMac({ utun: 'utun3' });
    const dir = await mkdtemp(join(tmpdir(), 'pptp-conf-mac-'));
    const stateDir = join(dir, 'state');
    return {
      tunName: 'utun3',
      stateDir,
      runner: mac.run,
      commands: ['ifconfig', 'route', 'scutil'],
      configurator: (run) => new DarwinNetworkConfigurator({ stateDir, runner: run }),
      snapshot: () => Promise.resolve(mac.snapshot()),
      tunnelRoutes: () =>
        Promise.resolve(
          mac.routes
            .filter((r) => r.interface === 'utun3' && !r.flags.includes('HOST'))
            .map((r) => `${[r.network >>> 24, (r.network >>> 16) & 255, (r.network >>> 8) & 255, r.network & 255].join('.')}/${r.prefix}`),
        ),
      dnsApplied: (server) => Promise.resolve(JSON.stringify(mac.store.get(DNS_KEY)?.ServerAddresses ?? []).includes(server) && mac.store.has(IPV4_KEY)),
      teardown: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

const PLANS: Record<string, Omit<NetworkPlanInput, 'tunName'>> = {
  'full tunnel + DNS': { serverIp: '198.51.100.10', localIp: '10.64.0.2', remoteIp: '10.64.0.1', mtu: 1400, routes: 'default', dns: ['10.64.0.53'] },
  'split routes': { serverIp: '198.51.100.10', localIp: '10.64.0.2', remoteIp: '10.64.0.1', mtu: 1400, routes: ['10.10.0.0/16', '172.16.5.0/24'], dns: null },
};

function planFor(world: World, input: Omit<NetworkPlanInput, 'tunName'>) {
  const plan = planNetwork({ ...input, tunName: world.tunName });
  if (!plan.ok) throw new Error(plan.error.message);
  return plan.value;
}

const journalLeft = (world: World): boolean => existsSync(join(world.stateDir, JOURNAL_FILE));

for (const platform of [linux, darwin]) {
  reportBlocker(`conformance on ${platform.name}`, platform.blocker);
  describe.skipIf(platform.blocker !== null)(`NetworkConfigurator conformance: ${platform.name}${platform.blocker ? ` (skipped: ${platform.blocker})` : ''}`, () => {
    let world: World | null = null;
    afterEach(async () => {
      await world?.teardown();
      world = null;
    });

    for (const [planName, input] of Object.entries(PLANS)) {
      const expectedRoutes = input.routes === 'default' ? ['0.0.0.0/1', '128.0.0.0/1'] : [...(input.routes as string[])];

      it(`${planName}: apply -> restore leaves the system exactly as before`, async () => {
        world = await platform.create();
        const before = await world.snapshot();
        const net = world.configurator(world.runner);
        const applied = await net.apply(planFor(world, input));
        expect(applied.ok).toBe(true);
        expect((await world.tunnelRoutes()).sort()).toEqual([...expectedRoutes].sort());
        if (input.dns !== null) expect(await world.dnsApplied(input.dns[0] ?? '')).toBe(true);
        expect(await world.snapshot()).not.toEqual(before);
        expect(await net.restore()).toMatchObject({ ok: true });
        expect(await world.snapshot()).toEqual(before);
        expect(journalLeft(world)).toBe(false);
        expect(await net.restore()).toEqual({ ok: true, value: { undone: 0, notes: [] } }); // idempotent
      });

      it(`${planName}: apply -> crash -> recoverFromJournal by the next start restores the snapshot`, async () => {
        world = await platform.create();
        const before = await world.snapshot();
        expect((await world.configurator(world.runner).apply(planFor(world, input))).ok).toBe(true);
        const next = world.configurator(world.runner); // a new process over the same state dir
        expect(await next.recoverFromJournal()).toMatchObject({ ok: true, value: { status: 'recovered' } });
        expect(await next.recoverFromJournal()).toEqual({ ok: true, value: { status: 'nothing-to-do' } });
        expect(await world.snapshot()).toEqual(before);
      });

      it(`${planName}: killed in the middle of apply -> recovery restores the snapshot`, async () => {
        world = await platform.create();
        const before = await world.snapshot();
        const total = withFault(world.runner, null);
        await world.configurator(total.run).apply(planFor(world, input));
        await world.configurator(world.runner).restore();
        const hangAt = Math.ceil(total.count() / 2);
        void world.configurator(withFault(world.runner, { kind: 'hang', nth: hangAt }).run).apply(planFor(world, input));
        await new Promise((done) => setTimeout(done, 200));
        expect(journalLeft(world)).toBe(true);
        expect(await world.configurator(world.runner).recoverFromJournal()).toMatchObject({ ok: true, value: { status: 'recovered' } });
        expect(await world.snapshot()).toEqual(before);
      });

      it(`${planName}: a failure or garbled output at EVERY command, or a missing command, is rolled back`, async () => {
        world = await platform.create();
        const before = await world.snapshot();
        const used = new Set<CommandName>();
        const counting = withFault((command, args, stdin) => {
          used.add(command);
          return world!.runner(command, args, stdin);
        }, null);
        expect((await world.configurator(counting.run).apply(planFor(world, input))).ok).toBe(true);
        expect(await world.configurator(world.runner).restore()).toMatchObject({ ok: true });
        const total = counting.count();
        expect(total).toBeGreaterThan(4);
        const faults: Fault[] = [];
        for (let nth = 1; nth <= total; nth += 1) faults.push({ kind: 'fail', nth }, { kind: 'garble', nth });
        // Every command this plan uses, missing (a plan without DNS never runs scutil / resolvectl).
        for (const command of world.commands.filter((c) => used.has(c))) faults.push({ kind: 'missing', command });
        let failures = 0;
        for (const fault of faults) {
          const applied = await world.configurator(withFault(world.runner, fault).run).apply(planFor(world, input));
          if (applied.ok) {
            // A garbled answer to a command whose output is not read (route add, ip link set) changes nothing.
            expect(fault.kind).toBe('garble');
            expect(await world.configurator(world.runner).restore()).toMatchObject({ ok: true });
          } else {
            failures += 1;
            expect(applied.error, JSON.stringify(fault)).toMatchObject({ code: 'network-config-failed', undoErrors: [] });
          }
          expect(await world.snapshot(), JSON.stringify(fault)).toEqual(before);
          expect(journalLeft(world), JSON.stringify(fault)).toBe(false);
        }
        expect(failures).toBeGreaterThanOrEqual(total + used.size);
      });
    }
  });
}

describe('darwin specifics on the simulated macOS', () => {
  it('utunVanishedWithTheCrashedProcess_recoveryStillRemovesTheServerRouteAndOurScutilKeys', async () => {
    const mac = new SimulatedMac({ utun: 'utun3' });
    const stateDir = await mkdtemp(join(tmpdir(), 'pptp-conf-mac-'));
    try {
      const expected = new SimulatedMac({ utun: 'utun3' });
      expected.closeUtun('utun3');
      const plan = planNetwork({ ...PLANS['full tunnel + DNS']!, tunName: 'utun3', dnsDomains: ['corp.example'] });
      if (!plan.ok) throw new Error(plan.error.message);
      expect(await new DarwinNetworkConfigurator({ stateDir, runner: mac.run }).apply(plan.value)).toMatchObject({
        ok: true,
        value: { serverRoute: { kind: 'via-gateway', via: '192.168.1.1', dev: 'en0' }, dnsBackend: 'scutil' },
      });
      expect(mac.store.get(IPV4_KEY)).toEqual({ Addresses: ['10.64.0.2'], DestAddresses: ['10.64.0.1'], InterfaceName: 'utun3', OverridePrimary: 1, Router: '10.64.0.1' });
      expect(mac.store.get(DNS_KEY)).toEqual({ SearchDomains: ['corp.example'], ServerAddresses: ['10.64.0.53'] });
      mac.closeUtun('utun3'); // kill -9: the kernel drops the utun and its routes, not the server route nor the store keys
      expect(mac.snapshot()).not.toEqual(expected.snapshot());
      expect(await new DarwinNetworkConfigurator({ stateDir, runner: mac.run }).recoverFromJournal()).toMatchObject({ ok: true, value: { status: 'recovered' } });
      expect(mac.snapshot()).toEqual(expected.snapshot());
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
