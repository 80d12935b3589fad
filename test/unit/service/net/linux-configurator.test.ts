import { readFileSync } from 'node:fs';
import { chmod, lstat, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from '../../../../main/service/net/journal';
import { LinuxNetworkConfigurator, type LinuxConfiguratorOptions } from '../../../../main/service/net/linux/linux-configurator';
import { planNetwork } from '../../../../main/service/net/plan';
import type { NetworkPlan, NetworkPlanInput } from '../../../../main/service/net/types';
import { FakeRunner, failing, line, type Rule } from './fake-runner';

const ORIGINAL_RESOLV = '# original\nnameserver 192.0.2.53\noptions rotate\n';

let dir: string;
let stateDir: string;
let resolvConfPath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pptp-net-'));
  stateDir = join(dir, 'state');
  resolvConfPath = join(dir, 'resolv.conf');
  await writeFile(resolvConfPath, ORIGINAL_RESOLV);
  await chmod(resolvConfPath, 0o640);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const baseInput: NetworkPlanInput = {
  serverIp: '198.51.100.10',
  tunName: 'pptp0',
  localIp: '10.64.0.2',
  remoteIp: '10.64.0.1',
  mtu: 1400,
  routes: 'default',
  dns: ['10.64.0.53'],
};

function plan(overrides: Partial<NetworkPlanInput> = {}): NetworkPlan {
  const result = planNetwork({ ...baseInput, ...overrides });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function configurator(runner: FakeRunner, options: Partial<LinuxConfiguratorOptions> = {}): LinuxNetworkConfigurator {
  return new LinuxNetworkConfigurator({ stateDir, runner: runner.run, resolvConfPath, dnsBackend: 'resolv-conf', undoRetryDelayMs: 0, ...options });
}

function journalText(): string | null {
  try {
    return readFileSync(join(stateDir, JOURNAL_FILE), 'utf8');
  } catch {
    return null;
  }
}

/** Each change of the full-tunnel plan and the command that undoes it. */
const FULL_TUNNEL: [apply: string, undo: string][] = [
  ['ip link set dev pptp0 mtu 1400', 'ip link set dev pptp0 mtu 1500'],
  ['ip address add 10.64.0.2 peer 10.64.0.1/32 dev pptp0', 'ip address del 10.64.0.2 peer 10.64.0.1/32 dev pptp0'],
  ['ip link set dev pptp0 up', 'ip link set dev pptp0 down'],
  ['ip route add 198.51.100.10/32 via 192.0.2.1 dev eth0', 'ip route del 198.51.100.10/32 via 192.0.2.1 dev eth0'],
  ['ip route add 0.0.0.0/1 dev pptp0', 'ip route del 0.0.0.0/1 dev pptp0'],
  ['ip route add 128.0.0.0/1 dev pptp0', 'ip route del 128.0.0.0/1 dev pptp0'],
];

describe('LinuxNetworkConfigurator', () => {
  it('fullTunnel_appliesInOrder_journalsEachChangeBeforeMakingIt', async () => {
    const journaledAtCommand: boolean[] = [];
    const spy: Rule = (call) => {
      const text = journalText() ?? '';
      const l = line(call);
      if (l === 'ip route add 0.0.0.0/1 dev pptp0') journaledAtCommand.push(text.includes('"dest": "0.0.0.0/1"'));
      if (l.startsWith('ip route add 198.51.100.10/32')) journaledAtCommand.push(text.includes('"dest": "198.51.100.10/32"'));
      if (l === 'ip link set dev pptp0 mtu 1400') journaledAtCommand.push(text.includes('"previousMtu": 1500'));
      return undefined;
    };
    const runner = new FakeRunner(spy);
    const result = await configurator(runner).apply(plan());
    expect(result).toEqual({
      ok: true,
      value: { tunName: 'pptp0', serverRoute: { kind: 'via-gateway', via: '192.0.2.1', dev: 'eth0' }, dnsBackend: 'resolv-conf', stepsApplied: 7 },
    });
    expect(runner.changes()).toEqual(FULL_TUNNEL.map(([apply]) => apply));
    expect(journaledAtCommand).toEqual([true, true, true]);
    // The server route is looked up before any tunnel route exists.
    const lines = runner.calls.map(line);
    expect(lines.indexOf('ip -j route get 198.51.100.10')).toBeLessThan(lines.indexOf('ip route add 0.0.0.0/1 dev pptp0'));
    expect(await readFile(resolvConfPath, 'utf8')).toBe(
      '# Written by PPTP Manager for pptp0; the previous file is restored on disconnect.\nnameserver 10.64.0.53\noptions rotate\n',
    );
    const journal = JSON.parse(journalText() ?? 'null') as { entries: { kind: string }[] };
    expect(journal.entries.map((e) => e.kind)).toEqual(['link-mtu', 'link-address', 'link-up', 'route', 'route', 'route', 'resolv-conf']);
  });

  it('restore_undoesNewestFirst_resolvConfByteForByte_thenDeletesTheJournal', async () => {
    const runner = new FakeRunner();
    const net = configurator(runner);
    expect((await net.apply(plan())).ok).toBe(true);
    runner.calls.length = 0;
    expect(await net.restore()).toEqual({ ok: true, value: { undone: 7, notes: [] } });
    expect(runner.changes()).toEqual(FULL_TUNNEL.map(([, undo]) => undo).reverse());
    expect(await readFile(resolvConfPath, 'utf8')).toBe(ORIGINAL_RESOLV);
    expect((await lstat(resolvConfPath)).mode & 0o777).toBe(0o640);
    expect(journalText()).toBeNull();
    expect(await net.restore()).toEqual({ ok: true, value: { undone: 0, notes: [] } });
  });

  for (let failAt = 0; failAt < FULL_TUNNEL.length; failAt++) {
    const [failingCommand] = FULL_TUNNEL[failAt]!;
    it(`stepFails_${failAt}_${failingCommand.split(' ').slice(1, 4).join('-')}_rollsBackOnlyWhatWasDone`, async () => {
      const runner = new FakeRunner(failing(failingCommand, 'RTNETLINK answers: Operation not permitted\n'));
      const result = await configurator(runner).apply(plan());
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({
        code: 'network-config-failed',
        command: failingCommand.split(' '),
        stderr: 'RTNETLINK answers: Operation not permitted',
        undoErrors: [],
      });
      const done = FULL_TUNNEL.slice(0, failAt);
      expect(runner.changes()).toEqual([...FULL_TUNNEL.slice(0, failAt + 1).map(([apply]) => apply), ...done.map(([, undo]) => undo).reverse()]);
      expect(await readFile(resolvConfPath, 'utf8')).toBe(ORIGINAL_RESOLV); // DNS never reached
      expect(journalText()).toBeNull();
    });
  }

  it('stepFails_errorNamesTheStep', async () => {
    const runner = new FakeRunner(failing('ip route add 128.0.0.0/1', 'RTNETLINK answers: File exists\n'));
    const result = await configurator(runner).apply(plan());
    expect(result).toMatchObject({ ok: false, error: { step: 'tunnel-route 128.0.0.0/1 dev pptp0' } });
  });

  it('resolvedBackend_dnsAndCatchAllDomain_revertOnRestore', async () => {
    const runner = new FakeRunner();
    const net = configurator(runner, { dnsBackend: 'resolved' });
    expect(await net.apply(plan({ dns: ['10.64.0.53', '10.64.0.54'] }))).toMatchObject({ ok: true, value: { dnsBackend: 'resolved' } });
    expect(runner.changes().slice(-2)).toEqual(['resolvectl dns pptp0 10.64.0.53 10.64.0.54', 'resolvectl domain pptp0 ~.']);
    expect(await readFile(resolvConfPath, 'utf8')).toBe(ORIGINAL_RESOLV);
    runner.calls.length = 0;
    expect((await net.restore()).ok).toBe(true);
    expect(runner.changes()[0]).toBe('resolvectl revert pptp0');
  });

  it('resolvedBackend_splitRoutes_noCatchAllDomain', async () => {
    const runner = new FakeRunner();
    await configurator(runner, { dnsBackend: 'resolved' }).apply(plan({ routes: ['10.10.0.0/16'] }));
    expect(runner.changes().filter((l) => l.startsWith('resolvectl'))).toEqual(['resolvectl dns pptp0 10.64.0.53']);
  });

  it('lastStepDnsFails_everyEarlierStepIsUndone', async () => {
    const runner = new FakeRunner(failing('resolvectl domain', 'Failed to set DNS configuration: Access denied\n'));
    const result = await configurator(runner, { dnsBackend: 'resolved' }).apply(plan());
    expect(result).toMatchObject({ ok: false, error: { step: 'dns 10.64.0.53 on pptp0', stderr: 'Failed to set DNS configuration: Access denied' } });
    const changes = runner.changes();
    const firstUndo = changes.indexOf('resolvectl revert pptp0');
    expect(firstUndo).toBe(FULL_TUNNEL.length + 2);
    expect(changes.slice(firstUndo + 1)).toEqual(FULL_TUNNEL.map(([, undo]) => undo).reverse());
    expect(journalText()).toBeNull();
  });

  it('serverOnLink_hostRouteWithoutGateway', async () => {
    const runner = new FakeRunner((c) =>
      line(c).startsWith('ip -j route get') ? { stdout: JSON.stringify([{ dst: '198.51.100.10', dev: 'eth0', prefsrc: '198.51.100.2' }]) } : undefined,
    );
    const result = await configurator(runner).apply(plan({ dns: null }));
    expect(result).toMatchObject({ ok: true, value: { serverRoute: { kind: 'on-link', dev: 'eth0' } } });
    expect(runner.changes()).toContain('ip route add 198.51.100.10/32 dev eth0');
  });

  it('serverIsThisHost_noServerRoute', async () => {
    const runner = new FakeRunner((c) =>
      line(c).startsWith('ip -j route get') ? { stdout: JSON.stringify([{ type: 'local', dst: '198.51.100.10', dev: 'lo' }]) } : undefined,
    );
    const result = await configurator(runner).apply(plan({ dns: null }));
    expect(result).toMatchObject({ ok: true, value: { serverRoute: { kind: 'local' } } });
    expect(runner.changes().some((l) => l.includes('198.51.100.10'))).toBe(false);
  });

  it('serverHostRouteAlreadyExists_notOurs_notUndone', async () => {
    const runner = new FakeRunner(failing('ip route add 198.51.100.10/32', 'RTNETLINK answers: File exists\n'));
    const net = configurator(runner);
    expect(await net.apply(plan({ dns: null }))).toMatchObject({ ok: true, value: { serverRoute: { kind: 'already-present' } } });
    runner.calls.length = 0;
    await net.restore();
    expect(runner.changes().some((l) => l.includes('198.51.100.10'))).toBe(false);
  });

  it('routeToServerAlreadyThroughTheTunnel_refusedToAvoidALoop', async () => {
    const runner = new FakeRunner((c) =>
      line(c).startsWith('ip -j route get') ? { stdout: JSON.stringify([{ dst: '198.51.100.10', dev: 'pptp0' }]) } : undefined,
    );
    const result = await configurator(runner).apply(plan());
    expect(result).toMatchObject({ ok: false, error: { step: 'server-route 198.51.100.10' } });
    expect(runner.changes().some((l) => l.startsWith('ip route add'))).toBe(false);
  });

  it('hostileKernelOutput_gatewayIsValidatedBeforeUse', async () => {
    const runner = new FakeRunner((c) =>
      line(c).startsWith('ip -j route get') ? { stdout: JSON.stringify([{ dst: '198.51.100.10', gateway: '1.2.3.4 dev lo', dev: 'eth0' }]) } : undefined,
    );
    const result = await configurator(runner).apply(plan());
    expect(result.ok).toBe(false);
    expect(runner.calls.map(line).some((l) => l.includes('1.2.3.4'))).toBe(false);
  });

  it('handMadeHostilePlan_neverReachesTheRunner', async () => {
    const runner = new FakeRunner();
    const hostile: NetworkPlan = {
      input: baseInput,
      steps: [{ kind: 'tunnel-route', dest: '0.0.0.0/0;reboot', dev: 'pptp0' }],
    };
    expect(await configurator(runner).apply(hostile)).toMatchObject({ ok: false, error: { step: 'plan' } });
    expect(runner.calls).toEqual([]);
  });

  it('undoOfAlreadyGoneThings_isSuccess_soRecoveryIsIdempotent', async () => {
    const runner = new FakeRunner();
    const net = configurator(runner);
    await net.apply(plan());
    // The TUN vanished with its process: everything on it is gone already.
    runner.rules.unshift(failing('ip route del 0.0.0.0/1', 'RTNETLINK answers: No such process\n'));
    runner.rules.unshift(failing('ip link set dev pptp0', 'Cannot find device "pptp0"\n'));
    runner.rules.unshift(failing('ip address del', 'RTNETLINK answers: Cannot assign requested address\n'));
    expect(await net.restore()).toEqual({ ok: true, value: { undone: 7, notes: [] } });
    expect(journalText()).toBeNull();
  });

  it('undoThatReallyFails_keepsTheRecordInTheJournal_forTheNextTry', async () => {
    const runner = new FakeRunner();
    const net = configurator(runner);
    await net.apply(plan({ dns: null }));
    const permission = failing('ip route del 198.51.100.10/32', 'RTNETLINK answers: Operation not permitted\n');
    runner.rules.unshift(permission);
    const result = await net.restore();
    expect(result).toMatchObject({ ok: false, error: { code: 'network-config-failed', step: 'restore' } });
    if (!result.ok) expect(result.error.undoErrors).toHaveLength(1);
    const left = JSON.parse(journalText() ?? 'null') as { entries: unknown[] };
    expect(left.entries).toEqual([{ kind: 'route', dest: '198.51.100.10/32', via: '192.0.2.1', dev: 'eth0' }]);
    runner.rules.shift();
    runner.calls.length = 0;
    expect(await net.recoverFromJournal()).toEqual({ ok: true, value: { status: 'recovered', undone: 1, notes: [] } });
    expect(runner.changes()).toEqual(['ip route del 198.51.100.10/32 via 192.0.2.1 dev eth0']);
  });

  it('undoThatFailsOnce_timeoutUnderLoad_isRetried_andRestoreSucceeds', async () => {
    const runner = new FakeRunner();
    const net = configurator(runner);
    await net.apply(plan());
    let failures = 0;
    runner.rules.unshift((call) => {
      if (call.args.join(' ').startsWith('route del 198.51.100.10/32') && failures++ === 0) return { exitCode: 1, stderr: 'timed out after 10000 ms' };
      return undefined;
    });
    expect(await net.restore()).toEqual({ ok: true, value: { undone: 7, notes: [] } });
    expect(failures).toBe(2);
    expect(journalText()).toBeNull();
    expect(await readFile(resolvConfPath, 'utf8')).toBe(ORIGINAL_RESOLV);
  });

  it('ownLeftoversOfAFailedRestore_areUndoneBeforeTheNextApply_insteadOfBlockingEveryConnect', async () => {
    const runner = new FakeRunner();
    const net = configurator(runner);
    await net.apply(plan());
    const stuck = failing('ip route del 198.51.100.10/32', 'RTNETLINK answers: Operation not permitted\n');
    runner.rules.unshift(stuck);
    expect((await net.restore()).ok).toBe(false);
    expect((JSON.parse(journalText() ?? 'null') as { entries: unknown[] }).entries).toHaveLength(1);
    // While the undo keeps failing, the next apply refuses and says why, touching nothing else.
    runner.calls.length = 0;
    const refused = await net.apply(plan());
    expect(refused).toMatchObject({ ok: false, error: { step: 'journal' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/could not all be undone.*Operation not permitted/);
    expect(runner.changes().every((c) => c.startsWith('ip route del 198.51.100.10/32'))).toBe(true);
    // Once it can be undone, the next apply undoes it first and then applies.
    runner.rules.shift();
    runner.calls.length = 0;
    expect((await net.apply(plan())).ok).toBe(true);
    expect(runner.changes()[0]).toBe('ip route del 198.51.100.10/32 via 192.0.2.1 dev eth0');
    expect(runner.changes().slice(1)).toEqual(FULL_TUNNEL.map(([apply]) => apply).filter((c) => c.startsWith('ip ')));
    expect(await net.restore()).toEqual({ ok: true, value: { undone: 7, notes: [] } });
    expect(journalText()).toBeNull();
  });

  it('recoverAfterCrash_newProcessUndoesTheJournal_thenNothingToDo', async () => {
    await configurator(new FakeRunner()).apply(plan());
    // Pretend the journal was written by a process that died (same boot, another start time).
    const journal = JSON.parse(journalText() ?? 'null') as { owner: { pid: number; startTime: string } };
    journal.owner = { ...journal.owner, pid: process.ppid, startTime: '1' };
    await writeFile(join(stateDir, JOURNAL_FILE), JSON.stringify(journal));
    const runner = new FakeRunner();
    const next = configurator(runner);
    expect(await next.recoverFromJournal()).toEqual({ ok: true, value: { status: 'recovered', undone: 7, notes: [] } });
    expect(runner.changes()).toEqual(FULL_TUNNEL.map(([, undo]) => undo).reverse());
    expect(await readFile(resolvConfPath, 'utf8')).toBe(ORIGINAL_RESOLV);
    expect(await next.recoverFromJournal()).toEqual({ ok: true, value: { status: 'nothing-to-do' } });
  });

  it('applyWhileAnotherConfigurationIsRecorded_refuses', async () => {
    await configurator(new FakeRunner()).apply(plan());
    const runner = new FakeRunner();
    const result = await configurator(runner).apply(plan());
    expect(result).toMatchObject({ ok: false, error: { step: 'journal' } });
    expect(runner.calls).toEqual([]);
  });
});

describe('resolv.conf handling', () => {
  it('symlink_isReplacedByAFile_andTheSameLinkComesBack_targetNeverWritten', async () => {
    const managed = join(dir, 'managed-resolv.conf');
    await writeFile(managed, 'nameserver 127.0.0.53\n');
    await rm(resolvConfPath);
    await symlink('managed-resolv.conf', resolvConfPath);
    const net = configurator(new FakeRunner());
    expect((await net.apply(plan({ routes: 'none' }))).ok).toBe(true);
    expect((await lstat(resolvConfPath)).isFile()).toBe(true);
    expect(await readFile(resolvConfPath, 'utf8')).toContain('nameserver 10.64.0.53');
    expect(await readFile(managed, 'utf8')).toBe('nameserver 127.0.0.53\n');
    expect(await net.restore()).toEqual({ ok: true, value: { undone: 4, notes: [] } });
    expect((await lstat(resolvConfPath)).isSymbolicLink()).toBe(true);
    expect(await readlink(resolvConfPath)).toBe('managed-resolv.conf');
  });

  it('missingResolvConf_isCreated_andDeletedOnRestore', async () => {
    await rm(resolvConfPath);
    const net = configurator(new FakeRunner());
    await net.apply(plan({ routes: 'none' }));
    expect(await readFile(resolvConfPath, 'utf8')).toContain('nameserver 10.64.0.53');
    await net.restore();
    await expect(lstat(resolvConfPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rewrittenBySomeoneElse_isLeftAlone_andReported', async () => {
    const net = configurator(new FakeRunner());
    await net.apply(plan({ routes: 'none' }));
    await writeFile(resolvConfPath, 'nameserver 9.9.9.9\n');
    const result = await net.restore();
    expect(result).toEqual({ ok: true, value: { undone: 4, notes: [`${resolvConfPath} was rewritten by someone else since; left as it is`] } });
    expect(await readFile(resolvConfPath, 'utf8')).toBe('nameserver 9.9.9.9\n');
  });

  it('restoreTwice_secondTimeFindsTheOriginal', async () => {
    const net = configurator(new FakeRunner());
    await net.apply(plan({ routes: 'none' }));
    const journal = journalText();
    await net.restore();
    // Replay the same journal (a crash after restoring resolv.conf but before deleting the journal).
    await writeFile(join(stateDir, JOURNAL_FILE), journal ?? '');
    expect(await configurator(new FakeRunner()).recoverFromJournal()).toMatchObject({ ok: true, value: { status: 'recovered' } });
    expect(await readFile(resolvConfPath, 'utf8')).toBe(ORIGINAL_RESOLV);
  });
});
