import { describe, expect, it } from 'vitest';
import { isInterfaceName, isMtu, isSafeArgument, isUsableHostIpv4, parseCidr, parseIpv4 } from '../../../../main/service/net/validate';
import { guardArgs } from '../../../../main/service/net/command-runner';

describe('validate', () => {
  it('parseIpv4_acceptsStrictDottedQuads_only', () => {
    expect(parseIpv4('192.0.2.1')).toBe(0xc0000201);
    expect(parseIpv4('0.0.0.0')).toBe(0);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '0x7f.0.0.1', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.-4', '1..2.3', '', '1.2.3.4;id', 42, null, '१.२.३.४']) {
      expect(parseIpv4(bad), String(bad)).toBeNull();
    }
  });

  it('usableHostIpv4_refusesZeroLoopbackMulticastBroadcast', () => {
    expect(isUsableHostIpv4('10.0.0.1')).toBe(true);
    for (const bad of ['0.0.0.0', '0.1.2.3', '127.0.0.1', '224.0.0.1', '255.255.255.255']) expect(isUsableHostIpv4(bad), bad).toBe(false);
  });

  it('parseCidr_canonicalOnly_hostBitsMustBeZero', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ network: '10.0.0.0', prefix: 8, text: '10.0.0.0/8' });
    expect(parseCidr('192.0.2.7')).toEqual({ network: '192.0.2.7', prefix: 32, text: '192.0.2.7/32' });
    expect(parseCidr('0.0.0.0/0')?.prefix).toBe(0);
    for (const bad of ['10.0.0.1/8', '10.0.0.0/33', '10.0.0.0/08', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/8 dev lo', '10.0.0.0/-1', '-10.0.0.0/8', '10.0.0.0/8;reboot']) {
      expect(parseCidr(bad), bad).toBeNull();
    }
  });

  it('interfaceNames_linuxRules_noLeadingDashOrDots', () => {
    expect(isInterfaceName('pptp0')).toBe(true);
    expect(isInterfaceName('tun-vpn.1')).toBe(true);
    for (const bad of ['', '-f', '.', '..', 'a b', 'a/b', 'x'.repeat(16), 'eth0;id', 'eth0\n', 'ab:c']) expect(isInterfaceName(bad), bad).toBe(false);
  });

  it('mtu_isAnIntegerBetween68And65535', () => {
    expect(isMtu(1400)).toBe(true);
    expect(isMtu(68)).toBe(true);
    for (const bad of [67, 65536, 1400.5, '1400', NaN]) expect(isMtu(bad), String(bad)).toBe(false);
  });

  it('safeArguments_refuseOptionsShellSyntaxAndWhitespace', () => {
    expect(isSafeArgument('0.0.0.0/1')).toBe(true);
    expect(isSafeArgument('~.')).toBe(true);
    for (const bad of ['-f', '--force', 'a b', '$(id)', '`id`', 'a;b', 'a|b', 'a&b', "a'b", 'a\nb', '']) expect(isSafeArgument(bad), bad).toBe(false);
    expect(guardArgs(['-j', 'route', 'get', '1.2.3.4'])).toBeNull();
    expect(guardArgs(['route', 'add', '--', 'x'])).toBe('--');
    expect(guardArgs(['route', 'add', 7])).toBe('7');
  });
});
