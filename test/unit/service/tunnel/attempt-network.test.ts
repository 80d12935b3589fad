/**
 * The teardown ordering guarantee: restore never runs beside an in-flight apply; it waits for it
 * and then restores exactly what was applied (and nothing when nothing was).
 */
import { describe, expect, it } from 'vitest';
import { err, ok, type Result } from '../../../../main/engine/wire/result';
import type { AppliedNetwork, NetworkConfigError, NetworkConfigurator, NetworkPlan, RestoreReport } from '../../../../main/service/net';
import { AttemptNetwork } from '../../../../main/service/tunnel/attempt-network';

type ApplyResult = Result<AppliedNetwork, NetworkConfigError>;

function fakeConfigurator(restoreResult: Result<RestoreReport, NetworkConfigError> = ok<RestoreReport>({ undone: 0, notes: [] })) {
  const calls: string[] = [];
  let finishApply: (r: ApplyResult) => void = () => undefined;
  const configurator: NetworkConfigurator = {
    platform: 'test',
    apply: () => {
      calls.push('apply');
      return new Promise<ApplyResult>((resolve) => {
        finishApply = (r) => {
          calls.push('apply-done');
          resolve(r);
        };
      });
    },
    restore: async () => {
      calls.push('restore');
      return restoreResult;
    },
    recoverFromJournal: async () => {
      throw new Error('not used');
    },
  };
  return { configurator, calls, finishApply: (r: ApplyResult) => finishApply(r) };
}

const plan = { steps: [] } as unknown as NetworkPlan;
const applied = ok({ dnsBackend: 'none' } as unknown as AppliedNetwork);
const failed = err({ message: 'route add failed' } as unknown as NetworkConfigError);

describe('AttemptNetwork', () => {
  it('has nothing to restore before any apply', async () => {
    const { configurator, calls } = fakeConfigurator();
    const net = new AttemptNetwork(configurator);
    expect(net.needsRestore).toBe(false);
    await expect(net.restore(() => undefined)).resolves.toBe(true);
    expect(calls).toEqual([]);
  });

  it('restores after a successful apply', async () => {
    const { configurator, calls, finishApply } = fakeConfigurator();
    const net = new AttemptNetwork(configurator);
    const applying = net.apply(plan);
    expect(net.needsRestore).toBe(true);
    finishApply(applied);
    await expect(applying).resolves.toEqual(applied);
    expect(net.needsRestore).toBe(true);
    await expect(net.restore(() => undefined)).resolves.toBe(true);
    expect(calls).toEqual(['apply', 'apply-done', 'restore']);
  });

  it('teardown during an in-flight apply waits for it, then restores what it applied', async () => {
    const { configurator, calls, finishApply } = fakeConfigurator();
    const net = new AttemptNetwork(configurator);
    void net.apply(plan);
    const restoring = net.restore(() => undefined);
    await Promise.resolve();
    expect(calls).toEqual(['apply']); // no restore beside the apply
    finishApply(applied);
    await expect(restoring).resolves.toBe(true);
    expect(calls).toEqual(['apply', 'apply-done', 'restore']);
  });

  it('teardown during an apply that fails restores nothing (the configurator rolled it back)', async () => {
    const { configurator, calls, finishApply } = fakeConfigurator();
    const net = new AttemptNetwork(configurator);
    const applying = net.apply(plan);
    const restoring = net.restore(() => undefined);
    finishApply(failed);
    await expect(restoring).resolves.toBe(true);
    await expect(applying).resolves.toEqual(failed);
    expect(calls).toEqual(['apply', 'apply-done']);
    expect(net.needsRestore).toBe(false);
  });

  it('a failed restore resolves false and logs an error; notes are warnings', async () => {
    const logs: string[] = [];
    const broken = fakeConfigurator(err({ message: 'ip route del: EPERM' } as unknown as NetworkConfigError));
    const a = new AttemptNetwork(broken.configurator);
    const p = a.apply(plan);
    broken.finishApply(applied);
    await p;
    await expect(a.restore((level, m) => logs.push(`${level}: ${m}`))).resolves.toBe(false);

    const noted = fakeConfigurator(ok<RestoreReport>({ undone: 1, notes: ['resolv.conf was changed meanwhile; left as is'] }));
    const b = new AttemptNetwork(noted.configurator);
    const q = b.apply(plan);
    noted.finishApply(applied);
    await q;
    await expect(b.restore((level, m) => logs.push(`${level}: ${m}`))).resolves.toBe(true);
    expect(logs).toEqual(['error: restoring the network failed: ip route del: EPERM', 'warn: resolv.conf was changed meanwhile; left as is']);
  });
});
