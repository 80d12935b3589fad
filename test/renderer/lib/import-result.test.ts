/** The import result: every previewed entry in exactly one group, with reasons, and the summary line. */
import { describe, expect, it } from 'vitest';
import type { ImportOutcome } from '../../../preload/contract';
import { ProfileSettingsSchema } from '../../../preload/schema/profile';
import { entryKey, importResult, type PreviewedFile } from '../../../renderer/src/lib/import-result';
import { makeProfile } from '../support/fake-bridge';

const settings = (name: string) => ProfileSettingsSchema.parse({ name, server: `${name.toLowerCase()}.example.com` });

const files: PreviewedFile[] = [
  {
    fileName: 'a.pbk',
    report: {
      format: 'rasphone-pbk',
      fileWarnings: [],
      entries: [
        { sourceName: 'Office', status: 'ok', profile: settings('Office'), warnings: [] },
        { sourceName: 'Home', status: 'ok', profile: settings('Home'), warnings: [] },
        { sourceName: 'L2TP', status: 'warning', warnings: ['skipped: not a PPTP entry'] },
        { sourceName: 'Lab', status: 'ok', profile: settings('Lab'), warnings: [] },
      ],
    },
  },
  {
    fileName: 'b.nmconnection',
    report: {
      format: 'nmconnection',
      fileWarnings: [],
      entries: [
        { sourceName: 'Broken', status: 'error', warnings: [], error: { code: 'no-server', message: 'The entry names no server.' } },
        { sourceName: 'Dup', status: 'ok', profile: settings('Dup'), warnings: [] },
        { sourceName: 'Old', status: 'ok', profile: settings('Old'), warnings: [] },
      ],
    },
  },
  { fileName: 'c.txt', error: 'The file is too large to be a profile file.' },
];

describe('importResult', () => {
  it('groupsEveryEntry_inOrder_withReasons', () => {
    const selected = new Set([entryKey(0, 0), entryKey(0, 1), entryKey(1, 1), entryKey(1, 2)]); // Lab not chosen
    const outcomes: ImportOutcome[] = [
      { status: 'created', profile: makeProfile({ name: 'Office (2)', server: 'office.example.com' }), renamedFrom: 'Office' },
      { status: 'created', profile: makeProfile({ name: 'Home', server: 'home.example.com' }) },
      { status: 'skipped', name: 'Dup', reason: 'A profile named "Dup" already exists.' },
      { status: 'replaced', profile: makeProfile({ name: 'Old', server: 'old.example.com' }) },
    ];
    const r = importResult(files, selected, outcomes);
    expect(r.created).toEqual(['Home']);
    expect(r.renamed).toEqual([{ from: 'Office', to: 'Office (2)' }]);
    expect(r.replaced).toEqual(['Old']);
    expect(r.skipped).toEqual([
      { name: 'L2TP (a.pbk)', reason: 'not a PPTP entry' },
      { name: 'Lab (a.pbk)', reason: 'not selected' },
      { name: 'Broken (b.nmconnection)', reason: 'The entry names no server.' },
      { name: 'Dup', reason: 'A profile named "Dup" already exists.' },
      { name: 'c.txt', reason: 'The file is too large to be a profile file.' },
    ]);
    expect(r.failed).toEqual([]);
    expect(r.summary).toBe('Imported 3 of 8 entries: 1 created, 1 renamed, 1 replaced, 5 skipped.');
  });

  it('failures_andNothingImported_areSaidPlainly', () => {
    const one: PreviewedFile[] = [{ fileName: 'x.json', report: { format: 'pptp-manager-json', fileWarnings: [], entries: [{ sourceName: 'X', status: 'ok', profile: settings('X'), warnings: [] }] } }];
    const r = importResult(one, new Set([entryKey(0, 0)]), [{ status: 'failed', name: 'X', error: { code: 'too-many-profiles', message: 'The store is full.' } }]);
    expect(r.failed).toEqual([{ name: 'X', reason: 'The store is full.' }]);
    expect(r.summary).toBe('Nothing was imported: 1 failed.');
  });
});
