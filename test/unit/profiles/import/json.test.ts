import { describe, expect, it } from 'vitest';
import { importProfilesJson } from '../../../../main/profiles/import/json';
import { MAX_IMPORT_ENTRIES } from '../../../../main/profiles/import/decode';
import { fixture, utf8 } from './fixtures';

describe('own JSON format import', () => {
  it('v1Export_read_defaultsFilled', () => {
    const r = importProfilesJson(fixture('export-v1.json'));
    expect(r.fileError).toBeUndefined();
    expect(r.entries.map((e) => [e.sourceName, e.status])).toEqual([
      ['Office', 'ok'],
      ['Lab (weak on purpose)', 'warning'],
    ]);
    expect(r.entries[1]?.profile).toMatchObject({ auth: ['mschapv2', 'pap'], mppe: 'optional', routes: { mode: 'full' }, keepalive: { lcpEchoIntervalS: 30 } });
    expect(r.entries[1]?.warnings).toEqual([
      'PAP is allowed: the password crosses the network in clear text.',
      'Encryption is optional: if the server declines MPPE, traffic is sent unencrypted.',
    ]);
  });

  it('passwordFields_droppedUnread_withWarning', () => {
    const r = importProfilesJson(fixture('hostile-secrets.json'));
    expect(r.fileWarnings).toEqual(['Password fields were found and ignored: masterPassword.']);
    expect(r.entries[0]?.warnings).toEqual(['Password fields are never imported; password, keepalive.secret, credentials were dropped unread.']);
    expect(r.entries[0]?.profile?.keepalive).toEqual({ lcpEchoIntervalS: 15, lcpEchoFailures: 4 });
    expect(r.entries[1]).toMatchObject({ status: 'ok', profile: { askPasswordEveryTime: true } });
    const text = JSON.stringify(r);
    for (const leaked of ['TOP-LEVEL-SECRET', 'LEAKED-PASSWORD-1', 'LEAKED-NESTED-2', 'LEAKED-3']) expect(text).not.toContain(leaked);
  });

  it('newerVersion_refusedClearly', () => {
    expect(importProfilesJson(fixture('hostile-newer.json')).fileError).toEqual({
      code: 'unsupported-version',
      message: 'The export is format version 2; this version of PPTP Manager reads up to 1. Update the app to import it.',
    });
  });

  it('badEntries_eachReported_othersImported', () => {
    const r = importProfilesJson(fixture('hostile-entries.json'));
    expect(r.entries.map((e) => [e.sourceName, e.status, e.error?.code ?? null])).toEqual([
      ['profile 1', 'error', 'malformed-entry'],
      ['profile 2', 'error', 'malformed-entry'],
      ['No server', 'error', 'no-server'],
      ['Bad routes', 'error', 'invalid-profile'],
      ['Host bits', 'warning', null],
      ['Ctrl??[2JChars', 'warning', null],
      ['Bad auth', 'error', 'invalid-profile'],
      ['Bad MTU', 'error', 'invalid-profile'],
      ['__proto__', 'ok', null],
      ['Proto key', 'ok', null],
    ]);
    expect(r.entries[4]?.profile?.routes).toEqual({ mode: 'split', cidrs: ['10.0.0.0/8'] });
    expect(r.entries[5]?.profile?.name).toBe('Ctrl [2JChars');
  });

  it('protoKeyInFile_neverBecomesAPrototype', () => {
    const e = importProfilesJson(fixture('hostile-entries.json')).entries[9]!;
    expect(e.profile).toMatchObject({ mppe: 'require-128', auth: ['mschapv2'] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('notJson_wrongFormat_missingList', () => {
    expect(importProfilesJson(utf8('{"format": ')).fileError?.code).toBe('not-json');
    expect(importProfilesJson(utf8('{"format": "something-else", "version": 1}')).fileError?.code).toBe('wrong-format');
    expect(importProfilesJson(utf8('[1,2,3]')).fileError?.code).toBe('wrong-format');
    expect(importProfilesJson(utf8('{"format":"pptp-manager-profiles","version":1}')).fileError?.code).toBe('wrong-format');
    expect(importProfilesJson(utf8('{"format":"pptp-manager-profiles","version":"1","profiles":[]}')).fileError?.code).toBe('wrong-format');
  });

  it('thousandsOfProfiles_capped', () => {
    const profiles = Array.from({ length: 5000 }, (_, i) => ({ name: `P${i}`, server: 'vpn.example.com' }));
    const r = importProfilesJson(utf8(JSON.stringify({ format: 'pptp-manager-profiles', version: 1, profiles })));
    expect(r.entries).toHaveLength(MAX_IMPORT_ENTRIES);
    expect(r.fileWarnings[0]).toMatch(/5000 profiles; only the first 256/);
  });

  it('deeplyNested_doesNotCrash', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const text = `{"format":"pptp-manager-profiles","version":1,"profiles":[{"name":"D","server":"vpn.example.com","x":${deep}}]}`;
    const r = importProfilesJson(utf8(text));
    expect(r.entries[0]?.status).toBe('ok');
  });
});
