/**
 * preload/schema/profile-store.ts is the one definition of what the importers and the profile
 * store return, and the IPC contract checks the same schemas. These tests run main's real
 * importers and list edits and check that the wire schemas accept what they return (unchanged),
 * and that the narrowed code lists refuse anything else.
 */
import { describe, expect, it } from 'vitest';
import {
  CONFLICT_POLICIES,
  IMPORT_ERROR_CODES,
  IMPORT_FORMATS,
  importErrorSchema,
  importOutcomeSchema,
  importReportSchema,
  PROFILE_STORE_ERROR_CODES,
  profileRemovalSchema,
  storeProblemSchema,
  storeProblemSummarySchema,
  type StoreProblem,
} from '../../../../preload/schema/profile-store';
import { importFile } from '../../../../main/profiles/import';
import { importProfiles, type Stamps } from '../../../../main/profiles/store/list-changes';
import { fixture, utf8 } from '../../profiles/import/fixtures';

const uuids = ['8d3f6f5e-0c1a-4b8e-9a51-3a1f2b7c9d01', '8d3f6f5e-0c1a-4b8e-9a51-3a1f2b7c9d02', '8d3f6f5e-0c1a-4b8e-9a51-3a1f2b7c9d03'];

function stamps(): Stamps {
  let next = 0;
  return { now: () => new Date('2024-05-01T12:00:00.000Z'), newId: () => uuids[next++] ?? 'out-of-ids' };
}

describe('import report', () => {
  it('acceptsWhatEveryImporterReturns_unchanged', () => {
    const files: Array<[string, Uint8Array]> = [
      ['export-v1.json', fixture('export-v1.json')],
      ['hostile-entries.json', fixture('hostile-entries.json')],
      ['rasphone.pbk', fixture('rasphone.pbk')],
      ['office.nmconnection', fixture('office.nmconnection')],
      ['peers-weak', fixture('peers-weak')],
      ['hostile-binary.pbk', fixture('hostile-binary.pbk')],
      ['empty.json', utf8('')],
      ['notes.txt', utf8('just some text')],
    ];
    for (const [name, bytes] of files) {
      const report = importFile(name, bytes);
      const parsed = importReportSchema.safeParse(report);
      expect(parsed.success, name).toBe(true);
      expect(parsed.data, name).toEqual(report);
    }
  });

  it('format_acceptsEveryImportFormatAndUnknown_andNoOther', () => {
    const report = (format: unknown) => ({ format, entries: [], fileWarnings: [] });
    for (const format of [...IMPORT_FORMATS, 'unknown']) expect(importReportSchema.safeParse(report(format)).success, format).toBe(true);
    expect(importReportSchema.safeParse(report('ovpn')).success).toBe(false);
  });

  it('errorCode_acceptsEveryImportErrorCode_andNoOther', () => {
    for (const code of IMPORT_ERROR_CODES) expect(importErrorSchema.safeParse({ code, message: 'm' }).success, code).toBe(true);
    expect(importErrorSchema.safeParse({ code: 'name-taken', message: 'm' }).success).toBe(false);
  });
});

describe('import outcomes', () => {
  it('acceptsWhatImportProfilesReturns_forEveryPolicy', () => {
    const existing = importProfiles([], [{ name: 'Office', server: 'vpn.example.com' }], 'rename', stamps()).profiles;
    for (const policy of CONFLICT_POLICIES) {
      const inputs = [{ name: 'office', server: 'vpn2.example.com' }, { name: 'Broken', server: '' }];
      const outcomes = importProfiles(existing, inputs, policy, stamps()).result;
      for (const outcome of outcomes) {
        const parsed = importOutcomeSchema.safeParse(outcome);
        expect(parsed.success, `${policy}: ${outcome.status}`).toBe(true);
        expect(parsed.data).toEqual(outcome);
      }
      expect(outcomes.map((o) => o.status)).toContain('failed');
    }
  });

  it('failedCode_acceptsEveryStoreErrorCode_andNoOther', () => {
    const failed = (code: unknown) => ({ status: 'failed', error: { code, message: 'm' } });
    for (const code of PROFILE_STORE_ERROR_CODES) expect(importOutcomeSchema.safeParse(failed(code)).success, code).toBe(true);
    expect(importOutcomeSchema.safeParse(failed('keychain-failed')).success).toBe(false);
  });
});

describe('store problems', () => {
  const problems: StoreProblem[] = [
    { kind: 'corrupt-file', message: 'm', movedTo: '/tmp/p.corrupt', recoveredFromBackup: true, recoveredCount: 2 },
    { kind: 'invalid-profiles', message: 'm', copiedTo: '/tmp/p.invalid', dropped: [{ index: 1, issues: [{ path: 'server', message: 'x' }] }] },
    { kind: 'newer-version', message: 'm', version: 9 },
  ];

  it('summary_acceptsTheKindAndMessageOfEveryProblem_andNoOtherKind', () => {
    for (const p of problems) {
      expect(storeProblemSchema.safeParse(p).success, p.kind).toBe(true);
      expect(storeProblemSummarySchema.safeParse({ kind: p.kind, message: p.message }).success, p.kind).toBe(true);
    }
    expect(storeProblemSummarySchema.safeParse({ kind: 'disk-full', message: 'm' }).success).toBe(false);
  });
});

describe('profile removal', () => {
  it('acceptsARemovedProfile_withOrWithoutASecretError', () => {
    const profile = importProfiles([], [{ name: 'Office', server: 'vpn.example.com' }], 'rename', stamps()).profiles[0];
    expect(profileRemovalSchema.safeParse({ profile }).success).toBe(true);
    expect(profileRemovalSchema.safeParse({ profile, secretError: { code: 'keychain-failed', message: 'm' } }).success).toBe(true);
    expect(profileRemovalSchema.safeParse({ secretError: { code: 'keychain-failed', message: 'm' } }).success).toBe(false);
  });
});
