/** The darwin parsers on recorded outputs of several macOS versions (test/fixtures/darwin/README.md), and the simulator printing the same layouts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRouteGet, routeArgs } from '../../../../../main/service/net/darwin/bsd-route';
import { parseIfconfig } from '../../../../../main/service/net/darwin/ifconfig';
import { DNS_KEY, parseScutilShow, removeScript, setScript, typedDictionary } from '../../../../../main/service/net/darwin/scutil';
import { guardScript } from '../../../../../main/service/net/command-runner';
import { darwinBootSessionUuid, darwinStartTime } from '../../../../../main/service/net/journal';
import { SimulatedMac } from '../../../../support/darwin-sim/simulated-macos';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../../../fixtures/darwin', name), 'utf8');

describe('route -n get', () => {
  it('recordedDefaultRoutes_2020And2023_giveGatewayAndInterface', () => {
    expect(parseRouteGet(fixture('route-get-default-en1-2020.txt'))).toEqual({ kind: 'via-gateway', gateway: '192.168.1.1', interface: 'en1' });
    expect(parseRouteGet(fixture('route-get-default-en0-2023.txt'))).toEqual({ kind: 'via-gateway', gateway: '10.62.96.1', interface: 'en0' });
  });

  it('recordedRouteThroughUtun_namesTheUtun_soTheConfiguratorCanRefuseIt', () => {
    expect(parseRouteGet(fixture('route-get-def1-utun3-2023.txt'))).toMatchObject({ kind: 'via-gateway', interface: 'utun3' });
  });

  it('onLink_noGatewayLine_isOnLink', () => {
    expect(parseRouteGet(fixture('route-get-on-link-constructed.txt'))).toEqual({ kind: 'on-link', interface: 'en0' });
  });

  it('garbledOrHostileOutput_isUnusable', () => {
    expect(parseRouteGet('Segmentation fault: 11')).toMatchObject({ kind: 'unusable' });
    const hostile = fixture('route-get-default-en0-2023.txt').replace('10.62.96.1', '10.62.96.1;reboot');
    expect(parseRouteGet(hostile)).toMatchObject({ kind: 'unusable' });
    expect(parseRouteGet(fixture('route-get-default-en0-2023.txt').replace('en0', '-en0'))).toMatchObject({ kind: 'unusable' });
  });

  it('args_hostForA32_netOtherwise', () => {
    expect(routeArgs.add('198.51.100.10/32', '192.168.1.1', null)).toEqual(['-n', 'add', '-host', '198.51.100.10', '192.168.1.1']);
    expect(routeArgs.add('0.0.0.0/1', null, 'utun3')).toEqual(['-n', 'add', '-net', '0.0.0.0/1', '-interface', 'utun3']);
    expect(routeArgs.delete('128.0.0.0/1')).toEqual(['-n', 'delete', '-net', '128.0.0.0/1']);
  });
});

describe('ifconfig utunN', () => {
  it('recordedUtuns_2016_2023_2024_giveFlagsMtuAndAddresses', () => {
    expect(parseIfconfig(fixture('ifconfig-utun9-2016.txt'), 'utun9')).toEqual({
      name: 'utun9',
      flags: ['UP', 'POINTOPOINT', 'RUNNING', 'MULTICAST'],
      mtu: 1406,
      inet: [{ local: '10.25.134.54', peer: '10.25.134.54' }],
    });
    expect(parseIfconfig(fixture('ifconfig-utun4-2024.txt'), 'utun4')).toMatchObject({ mtu: 1280, inet: [{ local: '100.11.11.11', peer: '100.11.11.11' }] });
    expect(parseIfconfig(fixture('ifconfig-utun5-index-2023.txt'), 'utun5')).toMatchObject({ mtu: 1380, inet: [] });
  });

  it('anotherInterfaceOrGarbage_isNull', () => {
    expect(parseIfconfig(fixture('ifconfig-utun9-2016.txt'), 'utun3')).toBeNull();
    expect(parseIfconfig('ifconfig: interface utun3 does not exist', 'utun3')).toBeNull();
  });
});

describe('scutil', () => {
  it('show_dictionaryAndNoSuchKey', () => {
    expect(parseScutilShow(fixture('scutil-show-dns-constructed.txt'))).toEqual({
      kind: 'dictionary',
      dictionary: { DomainName: 'home.arpa', ServerAddresses: ['192.168.1.1', '192.168.1.2'] },
    });
    expect(parseScutilShow(fixture('scutil-show-no-such-key-constructed.txt'))).toEqual({ kind: 'absent' });
    expect(parseScutilShow('<dictionary> {\n  ServerAddresses : <array> {\n    1 : 10.0.0.1\n')).toMatchObject({ kind: 'garbled' });
  });

  it('foreignEntries_areNotOurs_andNumbersComeBackTyped', () => {
    expect(typedDictionary({ DomainName: 'home.arpa', ServerAddresses: ['192.168.1.1'] })).toBeNull();
    expect(typedDictionary({ InterfaceName: 'utun3', OverridePrimary: '1', Router: '10.64.0.1' })).toEqual({ InterfaceName: 'utun3', OverridePrimary: 1, Router: '10.64.0.1' });
  });

  it('scripts_onlyOurKeys_onlyValidatedValues_passTheRunnerGuard', () => {
    const script = setScript(DNS_KEY, { ServerAddresses: ['10.64.0.53'], SearchDomains: ['corp.example'] });
    expect(script).toBe(
      ['open', 'd.init', 'd.add SearchDomains * corp.example', 'd.add ServerAddresses * 10.64.0.53', `set ${DNS_KEY}`, `show ${DNS_KEY}`, 'quit', ''].join('\n'),
    );
    expect(guardScript(script)).toBeNull();
    expect(guardScript(removeScript(DNS_KEY))).toBeNull();
    expect(() => setScript('State:/Network/Global/DNS', { ServerAddresses: ['10.0.0.1'] })).toThrow(/not our key/);
    expect(() => setScript(DNS_KEY, { SearchDomains: ['corp.example\nremove State:/Network/Global/IPv4'] })).toThrow(/bad value/);
    expect(guardScript('d.add X "quoted"')).toBe('d.add X "quoted"');
  });
});

describe('journal owner on macOS', () => {
  it('psLstartAndBootSessionUuid_areReadWithFixedArgv_andValidated', () => {
    const calls: string[] = [];
    const exec = (file: string, args: readonly string[]): string | null => {
      calls.push([file, ...args].join(' '));
      return file === '/bin/ps' ? 'Mon Dec  7 15:43:01 2026\n' : '3F2504E0-4F89-11D3-9A0C-0305E82C3301\n';
    };
    expect(darwinStartTime(4242, exec)).toBe('Mon Dec  7 15:43:01 2026');
    expect(darwinBootSessionUuid(exec)).toBe('3F2504E0-4F89-11D3-9A0C-0305E82C3301');
    expect(calls).toEqual(['/bin/ps -o lstart= -p 4242', '/usr/sbin/sysctl -n kern.bootsessionuuid']);
    expect(darwinStartTime(4242, () => '')).toBeNull(); // no such process
    expect(darwinBootSessionUuid(() => null)).toBeNull();
  });
});

describe('the simulated macOS prints like the recordings', () => {
  it('routeGetAndIfconfig_sameLayoutAsTheFixtures', async () => {
    const mac = new SimulatedMac();
    const got = await mac.run('route', ['-n', 'get', '192.0.43.10']);
    expect(got.stdout.split('\n').map((l) => l.replace(/:.*/, ''))).toEqual(fixture('route-get-default-en1-2020.txt').split('\n').map((l) => l.replace(/:.*/, '')));
    expect(parseRouteGet(got.stdout)).toEqual({ kind: 'via-gateway', gateway: '192.168.1.1', interface: 'en0' });
    await mac.run('ifconfig', ['utun3', 'inet', '10.25.134.54', '10.25.134.54']);
    await mac.run('ifconfig', ['utun3', 'mtu', '1406']);
    mac.interfaces.get('utun3')?.inet.splice(0, 1, { local: '10.25.134.54', peer: '10.25.134.54', prefix: 32 });
    expect((await mac.run('ifconfig', ['utun3'])).stdout).toBe(fixture('ifconfig-utun9-2016.txt').replaceAll('utun9', 'utun3'));
  });
});
