/**
 * One validation source: the profile schema (editor, store, import), pptpctl's flags and the
 * service RPC refuse the same routes and the same lengths, with the rule from
 * preload/schema/routes.ts and the numbers from preload/schema/limits.ts.
 */
import { describe, expect, it } from 'vitest';
import { connectOptionsFromFlags, UsageError } from '../../../../main/cli/connect-flags';
import { parseRequestLine } from '../../../../main/service/rpc/protocol';
import { MAX_SPLIT_ROUTES, PASSWORD_MAX_LENGTH } from '../../../../preload/schema/limits';
import { ProfileSettingsSchema } from '../../../../preload/schema/profile';
import { routeProblem, WHOLE_INTERNET_MESSAGE } from '../../../../preload/schema/routes';
import { PASSWORD_MAX_LENGTH as IPC_PASSWORD_MAX_LENGTH } from '../../../../preload/contract';

const profileWith = (cidrs: string[]) => ProfileSettingsSchema.safeParse({ name: 'Office', server: 'vpn.example.com', routes: { mode: 'split', cidrs } });
const flagsWith = (extra: Record<string, string>, password = 'pw') => () =>
  connectOptionsFromFlags({ server: 'vpn.example.com', user: 'alice', ...extra }, password);
function rpcConnect(params: Record<string, unknown>) {
  const base = { server: 'vpn.example.com', username: 'alice', password: 'pw', auth: ['mschapv2'], mppe: { mppe: 'require-128', allowStateful: false }, routes: 'default', dns: true };
  return parseRequestLine(JSON.stringify({ v: 1, id: 7, method: 'connect', params: { ...base, ...params } }));
}
const nets = (n: number) => Array.from({ length: n }, (_, i) => `10.${Math.floor(i / 256)}.${i % 256}.0/24`);

describe('routeProblem', () => {
  it('wholeInternet_pointsAtTheFullTunnel', () => {
    expect(routeProblem('0.0.0.0/0')).toEqual({ code: 'whole-internet', message: WHOLE_INTERNET_MESSAGE });
    expect(routeProblem('8.8.8.8/0')?.code).toBe('whole-internet');
    expect(WHOLE_INTERNET_MESSAGE).toMatch(/--routes default/);
  });
  it('hostBits_nameTheNetwork', () => {
    expect(routeProblem('10.1.2.3/8')).toMatchObject({ code: 'host-bits-set', network: '10.0.0.0/8' });
    expect(routeProblem('10.1.2.3/8')?.message).toMatch(/10\.0\.0\.0\/8/);
  });
  it('networks_pass_garbage_doesNot', () => {
    expect(routeProblem('10.0.0.0/8')).toBeUndefined();
    expect(routeProblem('0.0.0.0/1')).toBeUndefined();
    expect(routeProblem('192.168.1.7/32')).toBeUndefined();
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '010.0.0.0/8', 'password=x', '']) expect(routeProblem(bad)?.code).toBe('not-a-cidr');
  });
});

describe('the same routes are refused at every edge', () => {
  for (const cidr of ['0.0.0.0/0', '10.1.2.3/8']) {
    it(`${cidr}_profile_flags_rpc`, () => {
      const p = profileWith([cidr]);
      expect(p.success).toBe(false);
      expect(p.error?.issues[0]?.message).toBe(routeProblem(cidr)?.message);
      expect(flagsWith({ routes: cidr })).toThrow(UsageError);
      const r = rpcConnect({ routes: [cidr] });
      expect(r).toMatchObject({ ok: false, code: 'bad-request' });
    });
  }

  it('cli_wholeInternet_saysRoutesDefault', () => {
    expect(flagsWith({ routes: '10.0.0.0/8,0.0.0.0/0' })).toThrow('--routes 0.0.0.0/0 is the whole Internet: for the full tunnel use --routes default');
    expect(flagsWith({ routes: '192.168.1.5/24' })).toThrow('--routes 192.168.1.5/24 has host bits set: write the network, 192.168.1.0/24');
  });

  it('routeCount_limitIsTheSameEverywhere', () => {
    expect(profileWith(nets(MAX_SPLIT_ROUTES)).success).toBe(true);
    expect(profileWith(nets(MAX_SPLIT_ROUTES + 1)).success).toBe(false);
    expect(flagsWith({ routes: nets(MAX_SPLIT_ROUTES).join(',') })()).toMatchObject({ routes: nets(MAX_SPLIT_ROUTES) });
    expect(flagsWith({ routes: nets(MAX_SPLIT_ROUTES + 1).join(',') })).toThrow(`--routes takes at most ${MAX_SPLIT_ROUTES} networks`);
    expect(rpcConnect({ routes: nets(MAX_SPLIT_ROUTES) })).toMatchObject({ ok: true });
    expect(rpcConnect({ routes: nets(MAX_SPLIT_ROUTES + 1) })).toMatchObject({ ok: false, code: 'bad-request' });
  });
});

describe('the same password length everywhere', () => {
  const longest = 'p'.repeat(PASSWORD_MAX_LENGTH);
  const tooLong = 'p'.repeat(PASSWORD_MAX_LENGTH + 1);
  it('ipc_cli_rpc_agree', () => {
    expect(IPC_PASSWORD_MAX_LENGTH).toBe(PASSWORD_MAX_LENGTH);
    expect(flagsWith({}, longest)()).toMatchObject({ password: longest });
    expect(flagsWith({}, tooLong)).toThrow(`the password is longer than ${PASSWORD_MAX_LENGTH} characters`);
    expect(rpcConnect({ password: longest })).toMatchObject({ ok: true });
    const r = rpcConnect({ password: tooLong });
    expect(r).toMatchObject({ ok: false, code: 'bad-request' });
    expect(JSON.stringify(r)).not.toContain(tooLong); // the reply never echoes the password
  });
});
