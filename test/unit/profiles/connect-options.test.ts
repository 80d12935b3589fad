/** The profile -> ConnectOptions mapping shared by the app and `pptpctl connect --profile`. */
import { describe, expect, it } from 'vitest';
import { connectOptionsFor, mppeOptionFor } from '../../../main/profiles/connect-options';
import { ProfileSchema } from '../../../preload/schema/profile';

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
