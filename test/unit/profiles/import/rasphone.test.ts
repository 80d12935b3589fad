import { describe, expect, it } from 'vitest';
import { importRasphonePbk } from '../../../../main/profiles/import/rasphone';
import { MAX_IMPORT_ENTRIES } from '../../../../main/profiles/import/decode';
import { fixture, utf8 } from './fixtures';

describe('rasphone.pbk import: realistic phonebook', () => {
  const report = importRasphonePbk(fixture('rasphone.pbk'));
  const byName = (n: string) => report.entries.find((e) => e.sourceName === n);

  it('everySection_reported_inOrder', () => {
    expect(report.fileError).toBeUndefined();
    expect(report.entries.map((e) => [e.sourceName, e.status, e.profile !== undefined])).toEqual([
      ['Office PPTP', 'warning', true],
      ['Branch (PPTP first)', 'warning', true],
      ['Home L2TP', 'warning', false],
      ['Legacy Router', 'warning', true],
      ['Cloud SSTP', 'warning', false],
      ['Smartcard VPN', 'error', false],
      ['EAP MSCHAPv2', 'warning', true],
      ['ISP Dial-up', 'warning', false],
    ]);
  });

  it('pptpOnly_max128_mschapv2_split', () => {
    expect(byName('Office PPTP')?.profile).toMatchObject({
      name: 'Office PPTP',
      server: 'vpn.office.example.com',
      username: '',
      auth: ['mschapv2'],
      mppe: 'require-128',
      routes: { mode: 'split', cidrs: [] },
      usePeerDns: true,
      reconnect: { enabled: true, maxAttempts: 3 },
    });
    expect(byName('Office PPTP')?.warnings).toEqual(['Windows keeps the user name and password outside the phonebook: enter them before connecting.']);
  });

  it('pptpFirst_requireAnyStrength_typicalSecureAuth_staticDns_alternateDropped', () => {
    const e = byName('Branch (PPTP first)');
    expect(e?.profile).toMatchObject({
      server: '203.0.113.7',
      auth: ['mschapv2', 'mschap', 'chap'],
      mppe: 'require-any',
      routes: { mode: 'full' },
      usePeerDns: false,
      reconnect: { enabled: false },
    });
    expect(e?.warnings.join('\n')).toMatch(/fall back to L2TP/);
    expect(e?.warnings.join('\n')).toMatch(/1 alternate server/);
    expect(e?.warnings.join('\n')).toMatch(/10\.20\.0\.53, 10\.20\.0\.54/);
    expect(e?.warnings.join('\n')).toMatch(/40-bit and 56-bit/);
  });

  it('l2tpAndSstpOnly_skippedNotPptp', () => {
    expect(byName('Home L2TP')?.warnings).toEqual(['skipped: not PPTP (VpnStrategy=3: L2TP only).']);
    expect(byName('Cloud SSTP')?.warnings).toEqual(['skipped: not PPTP (VpnStrategy=5: SSTP only).']);
  });

  it('dialUpEntry_skipped', () => {
    expect(byName('ISP Dial-up')?.warnings[0]).toMatch(/^skipped: not a VPN entry/);
  });

  it('typicalUnsecure_ifPossible_automatic_routesNoted', () => {
    const e = byName('Legacy Router');
    expect(e?.profile).toMatchObject({ auth: ['mschapv2', 'mschap', 'chap', 'pap'], mppe: 'optional', server: '192.0.2.1' });
    const text = e?.warnings.join('\n') ?? '';
    expect(text).toMatch(/automatic/);
    expect(text).toMatch(/SPAP/);
    expect(text).toMatch(/2 route\(s\)/);
    expect(text).toMatch(/PAP is allowed/);
    expect(text).toMatch(/Encryption is optional/);
  });

  it('eapTls_notSupported_error', () => {
    expect(byName('Smartcard VPN')?.error?.code).toBe('no-usable-auth');
    expect(byName('Smartcard VPN')?.warnings[0]).toMatch(/EAP type "13"/);
  });

  it('eapMschapv2_kept', () => {
    expect(byName('EAP MSCHAPv2')?.profile?.auth).toEqual(['mschapv2', 'eap']);
  });
});

describe('rasphone.pbk import: duplicate keys inside a section', () => {
  it('firstPhoneNumber_fromFirstDeviceBlock_caseSensitiveKeys', () => {
    const text = ['[Dup]', 'Type=2', 'VpnStrategy=1', 'MEDIA=rastapi', 'Device=WAN Miniport (PPTP)', 'DEVICE=vpn', 'PhoneNumber=a.example.com', 'MEDIA=rastapi', 'DEVICE=vpn', 'PhoneNumber=b.example.com', ''].join('\r\n');
    const [e] = importRasphonePbk(utf8(text)).entries;
    expect(e?.profile?.server).toBe('a.example.com');
    expect(e?.warnings.join('\n')).toMatch(/1 alternate server address/);
  });

  it('utf16WithBom_read', () => {
    const text = '[Wide]\r\nType=2\r\nVpnStrategy=1\r\nDataEncryption=512\r\nAuthRestrictions=512\r\nPhoneNumber=wide.example.com\r\n';
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    expect(importRasphonePbk(bytes).entries[0]?.profile?.server).toBe('wide.example.com');
  });
});

describe('rasphone.pbk import: hostile input', () => {
  it('malformedLines_controlChars_duplicates_eachReported', () => {
    const r = importRasphonePbk(fixture('hostile-malformed.pbk'));
    expect(r.fileWarnings).toEqual(['1 line(s) before the first [entry] were ignored.']);
    expect(r.entries.map((e) => [e.sourceName, e.status, e.error?.code ?? null])).toEqual([
      ['Office', 'warning', null],
      ['Office', 'warning', null],
      ['Evil?[31mRed?Name?', 'warning', null],
      ['No Server', 'error', 'no-server'],
      ['Bad Server', 'error', 'invalid-profile'],
      ['', 'warning', null],
      ['Only SPAP', 'error', 'no-usable-auth'],
    ]);
    const first = r.entries[0];
    expect(first?.warnings).toContain('line 7: "this line has no equals sign" is not "key=value"; ignored.');
    expect(first?.warnings).toContain('line 8: longer than 4096 characters, skipped.');
    expect(first?.warnings.join('\n')).toMatch(/DataEncryption="7" is not a known value/);
    expect(first?.profile?.mppe).toBe('require-128');
    expect(r.entries[2]?.profile?.name).toBe('Evil [31mRed Name');
    expect(r.entries[5]?.profile?.name).toBe('Imported 10.9.8.7');
    expect(r.entries[4]?.error?.message).toMatch(/^server:/);
  });

  it('binary_fileError', () => {
    expect(importRasphonePbk(fixture('hostile-binary.pbk'))).toMatchObject({ entries: [], fileError: { code: 'binary-file' } });
  });

  it('invalidUtf8_fileError', () => {
    expect(importRasphonePbk(fixture('hostile-latin1.pbk'))).toMatchObject({ entries: [], fileError: { code: 'invalid-encoding' } });
  });

  it('overOneMiB_refusedBeforeParsing', () => {
    const big = utf8('[A]\nPhoneNumber=a.example.com\n' + 'x'.repeat(1024 * 1024));
    expect(importRasphonePbk(big).fileError?.code).toBe('file-too-large');
  });

  it('thousandsOfEntries_cappedWithFileWarning', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `[E${i}]\nType=2\nVpnStrategy=1\nPhoneNumber=h${i}.example.com\n`).join('');
    const r = importRasphonePbk(utf8(text));
    expect(r.entries).toHaveLength(MAX_IMPORT_ENTRIES);
    expect(r.fileWarnings).toEqual([`The phonebook has 3000 entries; only the first ${MAX_IMPORT_ENTRIES} were read.`]);
  });

  it('manyBadLinesInOneEntry_warningsCapped', () => {
    const text = '[A]\nPhoneNumber=a.example.com\n' + 'junk\n'.repeat(500);
    const [e] = importRasphonePbk(utf8(text)).entries;
    expect(e?.warnings).toHaveLength(25);
    expect(e?.warnings[24]).toMatch(/^\.\.\. and \d+ more warnings\.$/);
  });

  it('noSections_wrongFormat', () => {
    expect(importRasphonePbk(utf8('hello\nworld\n')).fileError?.code).toBe('wrong-format');
  });

  it('emptyFile_fileError', () => {
    expect(importRasphonePbk(utf8('  \r\n')).fileError?.code).toBe('empty-file');
  });
});
