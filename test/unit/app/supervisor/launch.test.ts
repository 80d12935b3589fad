/** Launch-mode decisions and the profile -> ConnectOptions mapping. */
import { describe, expect, it } from 'vitest';
import { chooseServiceCommand, describeCommand, hasNetworkCaps, parseEffectiveCaps } from '../../../../main/app/supervisor/launch';
import { connectOptionsFor, mppeOptionFor } from '../../../../main/service/profile-connect';
import { ProfileSchema } from '../../../../preload/schema/profile';

const paths = { execPath: '/opt/app/pptp-manager', isElectron: true, serviceScript: '/opt/app/resources/app/dist/service.mjs', launcherPath: '/usr/lib/pptp-manager/pptp-manager-service' };

describe('chooseServiceCommand', () => {
  it('root_runsTheServiceDirectly_asNodeInElectron', () => {
    expect(chooseServiceCommand({ platform: 'linux', uid: 0, capEff: 0n }, paths)).toEqual({
      mode: 'direct',
      command: '/opt/app/pptp-manager',
      args: ['/opt/app/resources/app/dist/service.mjs'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  });

  it('capabilities_countAsPrivileged', () => {
    const caps = parseEffectiveCaps('Name:\tnode\nCapEff:\t0000000000003000\n');
    expect(caps).toBe(0x3000n);
    expect(hasNetworkCaps(caps)).toBe(true);
    expect(hasNetworkCaps(0x1000n)).toBe(false); // NET_ADMIN alone is not enough
    expect(chooseServiceCommand({ platform: 'linux', uid: 1000, capEff: caps }, { ...paths, isElectron: false }).mode).toBe('direct');
  });

  it('unprivileged_goesThroughPkexecAndTheLauncher_noSecretsInArgs', () => {
    const c = chooseServiceCommand({ platform: 'linux', uid: 1000, capEff: 0n }, paths);
    expect(c).toEqual({ mode: 'pkexec', command: 'pkexec', args: ['/usr/lib/pptp-manager/pptp-manager-service'] });
    expect(describeCommand({ ...c, args: ['/a b/c'] })).toBe('pkexec "/a b/c"');
  });
});

describe('connectOptionsFor', () => {
  const profile = ProfileSchema.parse({
    id: '11111111-1111-4111-8111-111111111111',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    name: 'Office',
    server: 'vpn.example.com',
    username: 'alice',
    domain: 'CORP',
    routes: { mode: 'split', cidrs: ['10.0.0.0/8'] },
    mtu: 1400,
  });

  it('defaults_mapToTheStrongestServiceOptions', () => {
    const r = connectOptionsFor(profile, 'pw');
    expect(r).toEqual({
      ok: true,
      options: {
        server: 'vpn.example.com',
        username: 'alice',
        password: 'pw',
        domain: 'CORP',
        auth: ['mschapv2'],
        mppe: { mppe: 'require-128', allowStateful: false },
        routes: ['10.0.0.0/8'],
        dns: true,
        mtu: 1400,
        lcpEcho: { intervalS: 30, failures: 4 },
        reconnect: { enabled: true, maxAttempts: 5 },
        label: 'Office',
      },
    });
  });

  it('globalAutoReconnectOff_wins; emptySplit_meansNone; fullMeansDefault', () => {
    const r = connectOptionsFor({ ...profile, routes: { mode: 'split', cidrs: [] } }, 'pw', { autoReconnect: false });
    expect(r.ok && r.options.reconnect?.enabled).toBe(false);
    expect(r.ok && r.options.routes).toBe('none');
    const f = connectOptionsFor({ ...profile, routes: { mode: 'full' } }, 'pw');
    expect(f.ok && f.options.routes).toBe('default');
  });

  it('mppePolicies', () => {
    expect(mppeOptionFor({ mppe: 'require-any', allowStateful: true })).toEqual({ mppe: 'require-any', allowStateful: true });
    expect(mppeOptionFor({ mppe: 'optional', allowStateful: false }).mppe).toBe('optional');
    expect(mppeOptionFor({ mppe: 'none', allowStateful: true })).toEqual({ mppe: 'none', allowStateful: false });
  });

  it('problems_areReported_withoutThePassword', () => {
    expect(connectOptionsFor({ ...profile, username: '' }, 'pw')).toMatchObject({ ok: false, problem: { code: 'no-username' } });
    const many = Array.from({ length: 300 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    expect(connectOptionsFor({ ...profile, routes: { mode: 'split', cidrs: many } }, 'pw')).toMatchObject({ ok: false, problem: { code: 'too-many-routes' } });
    const long = 'p'.repeat(300);
    const r = connectOptionsFor(profile, long);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(long);
  });
});
