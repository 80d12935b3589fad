/**
 * Name resolution before TCP 1723: an address passes through untouched; each way a lookup can
 * fail becomes a TcpConnectError of kind 'dns' whose message names the server and says in words
 * what went wrong (never a bare errno name). The lookup is injected: no query leaves the test.
 */
import { describe, expect, it } from 'vitest';
import { describeLookupFailure, resolveServer, TcpConnectError, type LookupIPv4 } from '../../../../main/service/io/control-socket';

const failingWith = (code: string | undefined): LookupIPv4 => async () => {
  throw Object.assign(new Error(`getaddrinfo ${code ?? 'failure'}`), code ? { code } : {});
};

describe('resolveServer', () => {
  it('anIPv4Address_isReturnedWithoutALookup', async () => {
    const never: LookupIPv4 = async () => {
      throw new Error('looked up');
    };
    await expect(resolveServer('10.77.0.1', never)).resolves.toBe('10.77.0.1');
  });

  it('aName_resolvesThroughTheLookup', async () => {
    await expect(resolveServer('vpn.example.com', async () => ({ address: '192.0.2.7' }))).resolves.toBe('192.0.2.7');
  });

  it.each([
    ['ENOTFOUND', /"vpn\.exmple\.com" does not exist \(check its spelling\)/],
    ['ENODATA', /"vpn\.exmple\.com" has no IPv4 address/],
    ['EAI_AGAIN', /no DNS server answered for "vpn\.exmple\.com"/],
    ['ESERVFAIL', /"vpn\.exmple\.com" could not be resolved \(ESERVFAIL\)/],
    [undefined, /"vpn\.exmple\.com" could not be resolved$/],
  ])('lookup failing with %s_isAdnsError_inWords', async (code, words) => {
    const e = await resolveServer('vpn.exmple.com', failingWith(code)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TcpConnectError);
    expect((e as TcpConnectError).kind).toBe('dns');
    expect((e as Error).message).toMatch(words);
    expect((e as Error).message).not.toMatch(/1723|firewall/);
  });

  it('describeLookupFailure_neverShowsABareErrnoForKnownCodes', () => {
    for (const code of ['ENOTFOUND', 'ENODATA', 'EAI_AGAIN']) expect(describeLookupFailure('h', code)).not.toContain(code);
  });
});
