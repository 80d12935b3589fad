import { describe, expect, it } from 'vitest';
import { importPppdPeers, pppdWords } from '../../../../main/profiles/import/pppd-peers';
import { fixture, utf8 } from './fixtures';

describe('pppd option words', () => {
  it('quotes_escapes_comments', () => {
    expect(pppdWords('pty "pptp host --nolaunchpppd" # comment')).toEqual(['pty', 'pptp host --nolaunchpppd']);
    expect(pppdWords('name "CORP\\\\alice"')).toEqual(['name', 'CORP\\alice']);
    expect(pppdWords("name 'it''s'")).toEqual(['name', 'its']);
    expect(pppdWords('name CORP\\alice')).toEqual(['name', 'CORP\\alice']);
    expect(pppdWords('   ')).toEqual([]);
    expect(pppdWords('name ""')).toEqual(['name', '']);
  });
});

describe('pppd peers import', () => {
  it('office_fullMapping_pluginFileIpparamWarned', () => {
    const r = importPppdPeers(fixture('peers-office'), '/etc/ppp/peers/office');
    expect(r.entries).toHaveLength(1);
    const e = r.entries[0]!;
    expect(e.sourceName).toBe('office');
    expect(e.profile).toEqual({
      name: 'office',
      server: 'vpn.office.example.com',
      username: 'alice',
      domain: 'CORP',
      auth: ['mschapv2'],
      mppe: 'require-128',
      allowStateful: false,
      routes: { mode: 'full' },
      usePeerDns: true,
      mtu: 1400,
      keepalive: { lcpEchoIntervalS: 20, lcpEchoFailures: 3 },
      reconnect: { enabled: true, maxAttempts: 0 },
      askPasswordEveryTime: false,
    });
    expect(e.warnings).toEqual([
      'line 12: "file" is ignored (this client runs no pppd plugins, scripts or option files).',
      'line 13: "ipparam" is ignored (this client runs no pppd plugins, scripts or option files).',
      'line 14: "plugin" is ignored (this client runs no pppd plugins, scripts or option files).',
    ]);
  });

  it('weak_defaultsOfPppd_flagged_passwordNeverImported', () => {
    const r = importPppdPeers(fixture('peers-weak'), 'weak');
    const e = r.entries[0]!;
    expect(e.profile).toMatchObject({
      server: '198.51.100.9',
      username: 'bob',
      auth: ['mschapv2', 'mschap', 'chap', 'pap', 'eap'],
      mppe: 'require-any',
      allowStateful: true,
      routes: { mode: 'split', cidrs: [] },
      usePeerDns: false,
      reconnect: { enabled: false },
      keepalive: { lcpEchoIntervalS: 30 },
    });
    expect(JSON.stringify(r)).not.toContain('s3cr3t-in-the-file');
    const text = e.warnings.join('\n');
    expect(text).toMatch(/line 4: a password in the peers file is never imported/);
    expect(text).toMatch(/line 8: the option "frobnicate" is not understood/);
    expect(text).toMatch(/lcp-echo-interval 99999 is above 3600/);
    expect(text).toMatch(/No defaultroute/);
  });

  it('requireMschapV2_readAsOnly', () => {
    const text = 'pty "pptp ras.example.ru --nolaunchpppd"\nname "student"\nmaxfail 1\npersist\nrequire-mschap-v2\ndefaultroute\nreplacedefaultroute\nnoauth\n';
    const e = importPppdPeers(utf8(text), 'uni').entries[0]!;
    expect(e.profile).toMatchObject({ auth: ['mschapv2'], reconnect: { enabled: true, maxAttempts: 1 }, routes: { mode: 'full' } });
    expect(e.warnings.join('\n')).toMatch(/require-\* options were read as "allow only these methods"/);
  });

  it('optionsBeforeHost_inPtyCommand', () => {
    const text = 'pty "pptp --loglevel 0 --timeout 5 gw.example.com --nolaunchpppd"\nrequire-mppe-128\nrefuse-pap\nrefuse-chap\nrefuse-mschap\nrefuse-eap\n';
    expect(importPppdPeers(utf8(text)).entries[0]?.profile?.server).toBe('gw.example.com');
  });

  it('kernelPluginServer_used_pluginWarned', () => {
    const text = 'plugin pptp.so\npptp_server 192.0.2.77\nrequire-mppe-128\n';
    const e = importPppdPeers(utf8(text)).entries[0]!;
    expect(e.profile?.server).toBe('192.0.2.77');
    expect(e.warnings[0]).toMatch(/"plugin" is ignored/);
  });

  it('noPty_noServer_error', () => {
    const e = importPppdPeers(utf8('noauth\nrequire-mppe\n'), 'x').entries[0]!;
    expect(e.status).toBe('error');
    expect(e.error?.code).toBe('no-server');
  });

  it('ptyNotPptp_noServer', () => {
    const e = importPppdPeers(utf8('pty "ssh host pppd"\n')).entries[0]!;
    expect(e.error?.code).toBe('no-server');
    expect(e.warnings[0]).toMatch(/does not run pptp/);
  });

  it('nomppe_none_andMtuOutOfRange', () => {
    const text = 'pty "pptp a.example.com"\nnomppe\nmtu 9000\nmru 1400\n';
    const e = importPppdPeers(utf8(text)).entries[0]!;
    expect(e.profile?.mppe).toBe('none');
    expect(e.profile?.mtu).toBe(1400);
  });

  it('everyMethodRefused_fallsBackToMschapv2_withWarning', () => {
    const text = 'pty "pptp a.example.com"\nrefuse-pap\nrefuse-chap\nrefuse-mschap\nrefuse-mschap-v2\nrefuse-eap\n';
    const e = importPppdPeers(utf8(text)).entries[0]!;
    expect(e.profile?.auth).toEqual(['mschapv2']);
    expect(e.warnings.join('\n')).toMatch(/Every authentication method was refused/);
  });

  it('badNumber_warned', () => {
    const e = importPppdPeers(utf8('pty "pptp a.example.com"\nmtu lots\n')).entries[0]!;
    expect(e.warnings[0]).toBe('line 2: mtu needs a number, got "lots"; ignored.');
  });

  it('binary_fileError', () => {
    expect(importPppdPeers(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]), 'pppd').fileError?.code).toBe('binary-file');
  });
});
