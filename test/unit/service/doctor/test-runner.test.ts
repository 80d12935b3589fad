import { describe, expect, it } from 'vitest';
import { TestRunner } from '../../../../main/service/doctor/test-runner';
import type { ProbeOptions } from '../../../../main/service/doctor/probe';
import type { DoctorResult } from '../../../../preload/schema/doctor';
import type { ServiceTunnelState } from '../../../../preload/vocabulary';
import type { ConnectOptions } from '../../../../main/service/connect-options';

const options = { server: '10.0.0.1', username: 'a', password: 'p', auth: ['mschapv2'], mppe: { mppe: 'require-128', allowStateful: false }, routes: 'none', dns: false } as ConnectOptions;
const works: DoctorResult = { steps: [], verdict: { kind: 'works', credentialsTested: true, summary: 'the server works.' } };

function setup(state: ServiceTunnelState = 'idle') {
  let release: (r: DoctorResult) => void = () => undefined;
  const probes: ProbeOptions[] = [];
  const runner = new TestRunner({
    tunnelState: () => state,
    privileged: true,
    privilegeRequirement: 'root',
    probe: (o) => {
      probes.push(o);
      return new Promise((r) => (release = r));
    },
  });
  return { runner, probes, release: (r: DoctorResult) => release(r) };
}

describe('TestRunner', () => {
  it('refuses a test while the tunnel is up or connecting', async () => {
    const { runner, probes } = setup('connected');
    await expect(runner.test(options, true, () => undefined)).rejects.toMatchObject({ code: 'busy' });
    expect(probes).toHaveLength(0);
  });

  it('runs one test at a time, refuses connect meanwhile, and frees both when it ends', async () => {
    const { runner, probes, release } = setup();
    const connects: string[] = [];
    const connect = runner.guardConnect(async (who: string) => void connects.push(who));
    const first = runner.test(options, false, () => undefined);
    expect(probes[0]).toMatchObject({ withCredentials: false, privileged: true, privilegeRequirement: 'root', options });
    await expect(runner.test(options, true, () => undefined)).rejects.toMatchObject({ code: 'busy' });
    await expect(connect('during')).rejects.toMatchObject({ code: 'busy' });
    release(works);
    await expect(first).resolves.toBe(works);
    await connect('after');
    expect(connects).toEqual(['after']);
    expect(runner.busy).toBe(false);
  });
});
