import { describe, expect, it } from 'vitest';
import { connectOptionsFromFlags, parseMppeFlag, parseRoutesFlag, UsageError } from '../../../main/cli/connect-flags';

const base = { server: '10.77.0.1', user: 'alice' };

describe('connectOptionsFromFlags', () => {
  it('defaults to the strongest settings: MS-CHAPv2, MPPE-128 required, stateless, full tunnel, DNS on', () => {
    const o = connectOptionsFromFlags(base, 'pw');
    expect(o).toMatchObject({
      server: '10.77.0.1',
      username: 'alice',
      auth: ['mschapv2'],
      mppe: { policy: 'required', bits: [128], allowStateful: false },
      routes: 'default',
      dns: true,
    });
  });
  it.each([
    ['required', { policy: 'required', bits: [128, 56, 40] }],
    ['128', { policy: 'required', bits: [128] }],
    ['56', { policy: 'required', bits: [56] }],
    ['40', { policy: 'required', bits: [40] }],
    ['optional', { policy: 'optional' }],
    ['none', { policy: 'none' }],
  ])('--mppe %s', (flag, expected) => {
    expect(parseMppeFlag(flag, false)).toMatchObject(expected);
  });
  it('rejects unknown --mppe values and --stateful with none', () => {
    expect(() => parseMppeFlag('256', false)).toThrow(UsageError);
    expect(() => parseMppeFlag('none', true)).toThrow(/stateful/);
  });
  it('parses --routes', () => {
    expect(parseRoutesFlag('none')).toBe('none');
    expect(parseRoutesFlag('10.0.0.0/8, 192.168.1.0/24')).toEqual(['10.0.0.0/8', '192.168.1.0/24']);
    expect(() => connectOptionsFromFlags({ ...base, routes: '10.0.0.0/33' }, 'pw')).toThrow(/--routes/);
  });
  it('parses auth lists and refuses unknown methods', () => {
    expect(connectOptionsFromFlags({ ...base, auth: 'mschapv2,pap' }, 'pw').auth).toEqual(['mschapv2', 'pap']);
    expect(() => connectOptionsFromFlags({ ...base, auth: 'spap' }, 'pw')).toThrow(/--auth/);
  });
  it.each([
    [{ ...base, mtu: '100' }, /--mtu/],
    [{ ...base, dns: 'maybe' }, /--dns/],
    [{ server: '10.77.0.1' }, /--user/],
    [{ user: 'a' }, /--server/],
    [{ ...base, server: 'bad host!' }, /--server/],
    [{ ...base, lcpEcho: 'x' }, /--lcp-echo/],
  ])('refuses %j', (flags, re) => {
    expect(() => connectOptionsFromFlags(flags, 'pw')).toThrow(re);
  });
  it('never puts the password in a usage error', () => {
    try {
      connectOptionsFromFlags(base, 'x'.repeat(300) + 'SECRET');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('SECRET');
    }
  });
});
