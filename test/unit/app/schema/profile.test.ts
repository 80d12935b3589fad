import { describe, expect, it } from 'vitest';
import { MPPE_REQUIREMENTS } from '../../../../preload/vocabulary';
import {
  isHostname,
  isIPv4,
  isNetworkCidr,
  normalizeCidr,
  ProfileSchema,
  ProfileSettingsSchema,
  securityFindings,
  securityWarnings,
  toFieldIssues,
} from '../../../../preload/schema/profile';

const minimal = { name: 'Office', server: 'vpn.example.com' };

function issuesOf(input: unknown): string[] {
  const r = ProfileSettingsSchema.safeParse(input);
  return r.success ? [] : [...new Set(toFieldIssues(r.error).map((i) => i.path))];
}

describe('profile schema', () => {
  it('mppeRequirements_listed', () => {
    expect([...MPPE_REQUIREMENTS]).toEqual(['require-128', 'require-any', 'optional', 'none']);
  });

  it('minimalInput_getsStrongestDefaults', () => {
    const p = ProfileSettingsSchema.parse(minimal);
    expect(p).toEqual({
      name: 'Office',
      server: 'vpn.example.com',
      username: '',
      auth: ['mschapv2'],
      mppe: 'require-128',
      allowStateful: false,
      routes: { mode: 'full' },
      usePeerDns: true,
      keepalive: { lcpEchoIntervalS: 30, lcpEchoFailures: 4 },
      reconnect: { enabled: true, maxAttempts: 5 },
      askPasswordEveryTime: false,
    });
    expect(securityWarnings(p)).toEqual([]);
  });

  it('name_trimmedAndLimited', () => {
    expect(ProfileSettingsSchema.parse({ ...minimal, name: '  Office  ' }).name).toBe('Office');
    expect(issuesOf({ ...minimal, name: '' })).toEqual(['name']);
    expect(issuesOf({ ...minimal, name: 'x'.repeat(65) })).toEqual(['name']);
    expect(issuesOf({ ...minimal, name: 'x'.repeat(64) })).toEqual([]);
    expect(issuesOf({ ...minimal, name: 'bad\u0007bell' })).toEqual(['name']);
    expect(issuesOf({ ...minimal, name: 'line\nbreak' })).toEqual(['name']);
  });

  it('server_hostnameOrIPv4Only', () => {
    for (const ok of ['vpn.example.com', 'vpn', '192.0.2.10', 'a-b.example.org.', '10.0.0.1']) {
      expect(issuesOf({ ...minimal, server: ok }), ok).toEqual([]);
    }
    for (const bad of ['', '300.1.1.1', '1.2.3', '-bad.example.com', 'has space.com', '2001:db8::1', 'x'.repeat(64) + '.com', '01.2.3.4', 'http://vpn']) {
      expect(issuesOf({ ...minimal, server: bad }), bad).toEqual(['server']);
    }
  });

  it('ipAndHostHelpers', () => {
    expect(isIPv4('255.255.255.255')).toBe(true);
    expect(isIPv4('256.0.0.1')).toBe(false);
    expect(isHostname('a.b.c')).toBe(true);
    expect(isHostname('1.2.3.4')).toBe(false);
  });

  it('auth_nonEmptyKnownUnique', () => {
    expect(issuesOf({ ...minimal, auth: [] })).toEqual(['auth']);
    expect(issuesOf({ ...minimal, auth: ['kerberos'] })).toEqual(['auth.0']);
    expect(issuesOf({ ...minimal, auth: ['pap', 'pap'] })).toEqual(['auth']);
    expect(issuesOf({ ...minimal, auth: ['mschapv2', 'eap'] })).toEqual([]);
  });

  it('routes_splitNeedsNetworkCidrs', () => {
    expect(issuesOf({ ...minimal, routes: { mode: 'split', cidrs: ['10.0.0.0/8', '192.168.1.0/24'] } })).toEqual([]);
    expect(issuesOf({ ...minimal, routes: { mode: 'split', cidrs: [] } })).toEqual([]);
    expect(issuesOf({ ...minimal, routes: { mode: 'split', cidrs: ['10.0.0.1/8'] } })).toEqual(['routes.cidrs.0']);
    expect(issuesOf({ ...minimal, routes: { mode: 'split', cidrs: ['10.0.0.0/33'] } })).toEqual(['routes.cidrs.0']);
    expect(issuesOf({ ...minimal, routes: { mode: 'split', cidrs: ['vpn.example.com/8'] } })).toEqual(['routes.cidrs.0']);
    expect(issuesOf({ ...minimal, routes: { mode: 'split' } })).toEqual(['routes.cidrs']);
    expect(issuesOf({ ...minimal, routes: { mode: 'half' } })).toEqual(['routes.mode']);
  });

  it('normalizeCidr_clearsHostBits', () => {
    expect(normalizeCidr('10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(normalizeCidr('192.168.1.77/32')).toBe('192.168.1.77/32');
    expect(normalizeCidr('1.2.3.4/0')).toBe('0.0.0.0/0');
    expect(normalizeCidr('1.2.3.4')).toBeUndefined();
    expect(isNetworkCidr('172.16.0.0/12')).toBe(true);
  });

  it('mtuAndKeepalive_ranges', () => {
    expect(issuesOf({ ...minimal, mtu: 575 })).toEqual(['mtu']);
    expect(issuesOf({ ...minimal, mtu: 1501 })).toEqual(['mtu']);
    expect(issuesOf({ ...minimal, mtu: 1400 })).toEqual([]);
    expect(issuesOf({ ...minimal, mtu: 1400.5 })).toEqual(['mtu']);
    expect(issuesOf({ ...minimal, keepalive: { lcpEchoIntervalS: -1 } })).toEqual(['keepalive.lcpEchoIntervalS']);
    expect(ProfileSettingsSchema.parse({ ...minimal, keepalive: { lcpEchoIntervalS: 10 } }).keepalive).toEqual({
      lcpEchoIntervalS: 10,
      lcpEchoFailures: 4,
    });
  });

  it('domain_optionalButNotEmptyOrBackslash', () => {
    expect(ProfileSettingsSchema.parse({ ...minimal, domain: 'CORP' }).domain).toBe('CORP');
    expect(issuesOf({ ...minimal, domain: '' })).toEqual(['domain']);
    expect(issuesOf({ ...minimal, domain: 'A\\B' })).toEqual(['domain']);
  });

  it('unknownKeys_stripped_soNoPasswordSurvivesParsing', () => {
    const p = ProfileSettingsSchema.parse({ ...minimal, password: 'hunter2' } as unknown);
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });

  it('storedProfile_needsUuidAndTimestamps', () => {
    const base = ProfileSettingsSchema.parse(minimal);
    const ok = ProfileSchema.safeParse({ ...base, id: '4b1e1b6e-2f7c-4a43-9b1a-3f3c2b1d0e9f', createdAt: '2024-05-01T10:00:00.000Z', updatedAt: '2024-05-01T10:00:00.000Z' });
    expect(ok.success).toBe(true);
    const bad = ProfileSchema.safeParse({ ...base, id: 'nope', createdAt: 'yesterday', updatedAt: '2024-05-01T10:00:00.000Z' });
    expect(bad.success ? [] : toFieldIssues(bad.error).map((i) => i.path).sort()).toEqual(['createdAt', 'id']);
  });
});

describe('securityWarnings', () => {
  const strong = { auth: ['mschapv2'] as const, mppe: 'require-128' as const, allowStateful: false };

  it('strongest_noWarnings', () => {
    expect(securityFindings({ ...strong, auth: [...strong.auth] })).toEqual([]);
  });

  it('eachWeakChoice_named', () => {
    const codes = securityFindings({ auth: ['mschapv2', 'mschap', 'chap', 'pap', 'eap'], mppe: 'require-any', allowStateful: true }).map((w) => w.code);
    expect(codes).toEqual(['auth-pap', 'auth-chap', 'auth-mschap', 'auth-eap', 'mppe-weak-keys', 'mppe-stateful']);
  });

  it('optionalAndNone_sayTrafficMayBeClear', () => {
    expect(securityWarnings({ ...strong, auth: ['mschapv2'], mppe: 'optional' })).toEqual([
      'Encryption is optional: if the server declines MPPE, traffic is sent unencrypted.',
    ]);
    expect(securityWarnings({ ...strong, auth: ['mschapv2'], mppe: 'none' })).toEqual(['Encryption is off: all traffic is sent unencrypted.']);
  });

  it('statefulWithoutEncryption_notMentioned', () => {
    expect(securityFindings({ auth: ['mschapv2'], mppe: 'none', allowStateful: true }).map((w) => w.code)).toEqual(['mppe-none']);
  });

  it('papSentence_mentionsClearText', () => {
    expect(securityWarnings({ ...strong, auth: ['pap'] })[0]).toMatch(/clear text/);
  });
});
