import { describe, expect, it } from 'vitest';
import { connectOptionsFromFlags, parseMppeFlag, parseRoutesFlag, UsageError } from '../../../main/cli/connect-flags';
import { allowedLengths } from '../../../main/engine/ppp/ccp/mppe-option';

const base = { server: '10.77.0.1', user: 'alice' };

describe('connectOptionsFromFlags', () => {
  it('defaults to the strongest settings: MS-CHAPv2, MPPE-128 required, stateless, full tunnel, DNS on', () => {
    const o = connectOptionsFromFlags(base, 'pw');
    expect(o).toMatchObject({
      server: '10.77.0.1',
      username: 'alice',
      auth: ['mschapv2'],
      mppe: { mppe: 'require-128', allowStateful: false },
      routes: 'default',
      dns: true,
    });
  });
  // The CLI's words become the shared requirements; the key lengths are what the engine then accepts.
  it.each([
    ['required', { mppe: 'require-any' }, [128, 56, 40]],
    ['128', { mppe: 'require-128' }, [128]],
    ['56', { mppe: 'require-any' }, [56]],
    ['40', { mppe: 'require-any' }, [40]],
    ['optional', { mppe: 'optional' }, [128, 56, 40]],
    ['none', { mppe: 'none' }, []],
  ])('--mppe %s', (flag, expected, bits) => {
    const policy = parseMppeFlag(flag, false);
    expect(policy).toMatchObject(expected);
    expect(allowedLengths(policy)).toEqual(bits);
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
