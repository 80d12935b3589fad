import { describe, expect, it } from 'vitest';
import { importNmConnection } from '../../../../main/profiles/import/nmconnection';
import { fixture, utf8 } from './fixtures';

describe('NetworkManager keyfile import', () => {
  it('office_mschapv2Only_mppe128_splitRoutes_passwordNotRead', () => {
    const r = importNmConnection(fixture('office.nmconnection'), 'office.nmconnection');
    expect(r.entries).toHaveLength(1);
    const e = r.entries[0]!;
    expect(e.sourceName).toBe('Office VPN');
    expect(e.profile).toEqual({
      name: 'Office VPN',
      server: 'vpn.office.example.com',
      username: 'alice',
      domain: 'CORP',
      auth: ['mschapv2'],
      mppe: 'require-128',
      allowStateful: false,
      routes: { mode: 'split', cidrs: ['10.20.0.0/16', '192.168.77.0/24'] },
      usePeerDns: true,
      keepalive: { lcpEchoIntervalS: 30, lcpEchoFailures: 5 },
      reconnect: { enabled: true, maxAttempts: 5 },
      askPasswordEveryTime: false,
    });
    expect(e.warnings).toEqual(['The file holds a saved password; it was not imported. Enter it in the profile (it is kept in the system keychain).']);
    expect(JSON.stringify(r)).not.toContain('Correct-Horse-Battery-Staple');
  });

  it('legacy_notSavedFlag_asksEveryTime_weakChoicesFlagged', () => {
    const e = importNmConnection(fixture('legacy-ask.nmconnection'), 'legacy-ask.nmconnection').entries[0]!;
    expect(e.profile).toMatchObject({
      name: 'Legacy PPTP',
      username: 'CORP\\bob',
      auth: ['mschapv2', 'mschap', 'chap', 'pap'],
      mppe: 'require-any',
      allowStateful: true,
      askPasswordEveryTime: true,
      usePeerDns: false,
      routes: { mode: 'full' },
    });
    const text = e.warnings.join('\n');
    expect(text).toMatch(/Fixed DNS servers/);
    expect(text).toMatch(/Stateful MPPE/);
  });

  it('wireguard_skippedNotPptp', () => {
    const r = importNmConnection(fixture('wireguard.nmconnection'), 'wireguard.nmconnection');
    expect(r.entries).toEqual([{ sourceName: 'Home WireGuard', status: 'warning', warnings: ['skipped: not PPTP (a "wireguard" connection).'] }]);
    expect(JSON.stringify(r)).not.toContain('yHB2VDv6');
  });

  it('otherVpnService_skipped', () => {
    const text = '[connection]\nid=Work\ntype=vpn\n[vpn]\nservice-type=org.freedesktop.NetworkManager.openvpn\nremote=vpn.example.com\n';
    expect(importNmConnection(utf8(text)).entries[0]?.warnings).toEqual(['skipped: not PPTP (VPN service "org.freedesktop.NetworkManager.openvpn").']);
  });

  it('noMppeKeys_optional_andLegacyRoutesKey', () => {
    const text = [
      '[connection]', 'type=vpn', '[vpn]', 'service-type=org.freedesktop.NetworkManager.pptp', 'gateway=192.0.2.5',
      '[ipv4]', 'never-default=yes', 'routes=10.1.0.0/16,0.0.0.0,0;172.16.5.9/12,0.0.0.0,0;',
    ].join('\n');
    const e = importNmConnection(utf8(text), '/etc/NetworkManager/system-connections/Lab.nmconnection').entries[0]!;
    expect(e.sourceName).toBe('Lab');
    expect(e.profile?.mppe).toBe('optional');
    expect(e.profile?.routes).toEqual({ mode: 'split', cidrs: ['10.1.0.0/16', '172.16.0.0/12'] });
    expect(e.warnings).toContain('The route "172.16.5.9/12" was read as the network 172.16.0.0/12.');
  });

  it('repeatedKey_firstKept_warned', () => {
    const text = '[connection]\nid=X\ntype=vpn\n[vpn]\nservice-type=org.freedesktop.NetworkManager.pptp\ngateway=good.example.com\ngateway=evil.example.com\n';
    const e = importNmConnection(utf8(text)).entries[0]!;
    expect(e.profile?.server).toBe('good.example.com');
    expect(e.warnings[0]).toMatch(/line 7: "\[vpn\] gateway" is set twice/);
  });

  it('missingGateway_noServer', () => {
    const text = '[connection]\nid=X\ntype=vpn\n[vpn]\nservice-type=org.freedesktop.NetworkManager.pptp\n';
    expect(importNmConnection(utf8(text)).entries[0]?.error?.code).toBe('no-server');
  });

  it('controlCharsInId_cleanedName_printableSourceName', () => {
    const text = '[connection]\nid=Bad\\tName\u001b[0m\ntype=vpn\n[vpn]\nservice-type=org.freedesktop.NetworkManager.pptp\ngateway=a.example.com\n';
    const e = importNmConnection(utf8(text)).entries[0]!;
    expect(e.sourceName).toBe('Bad?Name?[0m');
    expect(e.profile?.name).toBe('Bad Name [0m');
  });

  it('notAKeyfile_wrongFormat', () => {
    expect(importNmConnection(utf8('just text\n')).fileError?.code).toBe('wrong-format');
  });

  it('badNumbers_defaultsWithWarning', () => {
    const text = '[connection]\ntype=vpn\nid=N\n[vpn]\nservice-type=org.freedesktop.NetworkManager.pptp\ngateway=a.example.com\nlcp-echo-interval=-5\nlcp-echo-failure=99999999\n';
    const e = importNmConnection(utf8(text)).entries[0]!;
    expect(e.profile?.keepalive).toEqual({ lcpEchoIntervalS: 30, lcpEchoFailures: 4 });
    expect(e.warnings.filter((w) => /out of range/.test(w))).toHaveLength(2);
  });
});
