/**
 * The Linux network configurator on a real kernel, each test in its own network namespace:
 * full tunnel with DNS applied and restored exactly, split routes, crash recovery after
 * SIGKILL, and rollback of a plan whose middle step fails. The host's routes and resolv.conf
 * are checked to be untouched.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppliedNetwork, NetworkConfigError, NetworkSnapshot, RecoveryReport, RestoreReport } from '../../../../main/service/net';
import type { Result } from '../../../../main/engine/wire/result';
import { NS_RESOLV_CONF, TestNamespace, hostState, reportBlocker, systemTestBlocker, waitForLine, type HostState } from '../../support/netns';

const blocker = await systemTestBlocker();
reportBlocker('network configuration', blocker);

const SERVER = '198.51.100.10';
const basePlan = { serverIp: SERVER, localIp: '10.64.0.2', remoteIp: '10.64.0.1', mtu: 1400 };

interface ApplyRestoreOutput {
  tunName: string;
  applied: Result<AppliedNetwork, NetworkConfigError>;
  during: { routes: string[]; resolvConf: string; serverPath: { dev?: string; gateway?: string }; probePath: { dev?: string } | null };
  restored: Result<RestoreReport, NetworkConfigError>;
  before: NetworkSnapshot;
  after: NetworkSnapshot;
  afterRestoreTunOpen: NetworkSnapshot;
}

describe.skipIf(blocker !== null)(`network configuration in a namespace${blocker ? ` (skipped: ${blocker})` : ''}`, () => {
  let host: HostState;
  let ns: TestNamespace | null = null;

  beforeAll(async () => {
    host = await hostState();
  });
  afterEach(async () => {
    await ns?.delete();
    ns = null;
  });
  afterAll(async () => {
    expect(await hostState()).toEqual(host);
  });

  it('fullTunnelWithDns_appliesDef1RoutesServerRouteAndResolvConf_thenRestoresExactly', async () => {
    ns = await TestNamespace.create();
    const { output, code } = await ns.runScenario<ApplyRestoreOutput>('apply-restore.ts', {
      stateDir: ns.stateDir,
      plan: { ...basePlan, routes: 'default', dns: ['10.64.0.53', '10.64.0.54'] },
      probe: '8.8.8.8',
    });
    expect(code).toBe(0);
    const tun = output.tunName;
    expect(output.applied).toEqual({
      ok: true,
      value: { tunName: tun, serverRoute: { kind: 'via-gateway', via: '192.0.2.1', dev: 'eth0' }, dnsBackend: 'resolv-conf', stepsApplied: 7 },
    });
    expect(output.during.routes).toEqual(
      expect.arrayContaining([
        `0.0.0.0/1 dev ${tun}`,
        `128.0.0.0/1 dev ${tun}`,
        `${SERVER} dev eth0 via 192.0.2.1`,
        'default dev eth0 via 192.0.2.1', // the original default route is never touched
      ]),
    );
    expect(output.during.serverPath).toEqual({ dev: 'eth0', gateway: '192.0.2.1' });
    expect(output.during.probePath?.dev).toBe(tun);
    expect(output.during.resolvConf).toContain('nameserver 10.64.0.53\nnameserver 10.64.0.54\n');
    expect(output.during.resolvConf).toContain('options edns0');
    expect(output.during.resolvConf).not.toContain('192.0.2.53');
    expect(output.restored).toEqual({ ok: true, value: { undone: 7, notes: [] } });
    expect(output.afterRestoreTunOpen.routes).toEqual(output.before.routes);
    expect(output.after).toEqual(output.before);
    expect(Buffer.from((output.after.resolvConf as { base64: string }).base64, 'base64').toString()).toBe(NS_RESOLV_CONF);
  });

  it('splitRoutesWithoutDns_routesOnlyTheListedNetworks_andLeavesResolvConf', async () => {
    ns = await TestNamespace.create();
    const { output } = await ns.runScenario<ApplyRestoreOutput>('apply-restore.ts', {
      stateDir: ns.stateDir,
      plan: { ...basePlan, routes: ['10.10.0.0/16', '172.16.5.0/24'], dns: null },
      probe: '8.8.8.8',
    });
    const tun = output.tunName;
    expect(output.applied.ok).toBe(true);
    expect(output.during.routes).toEqual(expect.arrayContaining([`10.10.0.0/16 dev ${tun}`, `172.16.5.0/24 dev ${tun}`]));
    expect(output.during.routes.some((r) => r.startsWith('0.0.0.0/1') || r.startsWith('128.0.0.0/1'))).toBe(false);
    expect(output.during.probePath?.dev).toBe('eth0');
    expect(output.during.resolvConf).toBe(NS_RESOLV_CONF);
    expect(output.after).toEqual(output.before);
  });

  it('killedWhileApplied_recoveryAtNextStart_restoresTheSnapshot', async () => {
    ns = await TestNamespace.create();
    const before = (await ns.runScenario<{ snapshot: NetworkSnapshot }>('snapshot.ts', {})).output.snapshot;
    const child = ns.spawnScenario('apply-and-hang.ts', {
      stateDir: ns.stateDir,
      plan: { ...basePlan, routes: 'default', dns: ['10.64.0.53'] },
    });
    const applied = await waitForLine<{ event?: string; applied: { ok: boolean }; routes: string[]; resolvConf: string }>(
      child,
      (line) => line.event === 'applied',
    );
    expect(applied.applied.ok).toBe(true);
    expect(applied.resolvConf).toContain('nameserver 10.64.0.53');
    const exited = new Promise((done) => child.on('close', (_code, signal) => done(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const left = (await ns.runScenario<{ snapshot: NetworkSnapshot }>('snapshot.ts', {})).output.snapshot;
    expect(left.routes.some((r) => r.includes(SERVER))).toBe(true); // the crash left the server route...
    expect(left.resolvConf).not.toEqual(before.resolvConf); // ...and the rewritten resolv.conf

    const { output } = await ns.runScenario<{
      first: Result<RecoveryReport, NetworkConfigError>;
      second: Result<RecoveryReport, NetworkConfigError>;
      after: NetworkSnapshot;
    }>('recover.ts', { stateDir: ns.stateDir });
    expect(output.first).toMatchObject({ ok: true, value: { status: 'recovered' } });
    expect(output.second).toEqual({ ok: true, value: { status: 'nothing-to-do' } });
    expect(output.after).toEqual(before);
  });

  it('middleStepFails_everythingDoneIsRolledBack_andTheErrorNamesTheStep', async () => {
    ns = await TestNamespace.create();
    await ns.ip('route', 'add', '203.0.113.0/24', 'via', '192.0.2.1', 'dev', 'eth0');
    const { output } = await ns.runScenario<{
      applied: Result<AppliedNetwork, NetworkConfigError>;
      routesWithTunOpen: string[];
      journalLeft: boolean;
      before: NetworkSnapshot;
      after: NetworkSnapshot;
      tunName: string;
    }>('apply-failing.ts', {
      stateDir: ns.stateDir,
      plan: { ...basePlan, routes: ['198.18.0.0/15', '203.0.113.0/24', '10.20.0.0/16'], dns: ['10.64.0.53'] },
    });
    expect(output.applied.ok).toBe(false);
    if (output.applied.ok) return;
    expect(output.applied.error).toMatchObject({
      code: 'network-config-failed',
      step: `tunnel-route 203.0.113.0/24 dev ${output.tunName}`,
      undoErrors: [],
    });
    expect(output.applied.error.stderr).toMatch(/File exists/);
    // No half-applied routes: the first split route and the server route are gone again.
    expect(output.routesWithTunOpen.filter((r) => r.includes(output.tunName) || r.startsWith(SERVER))).toEqual([]);
    expect(output.journalLeft).toBe(false);
    expect(output.after).toEqual(output.before);
  });
});
