/** Import (pick or drop, preview the per-entry report, choose a policy, apply, the grouped result) and export (choose, save or download). */
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IMPORT_MAX_CHARS, type ImportReport } from '../../../preload/contract';
import { ProfileSettingsSchema } from '../../../preload/schema/profile';
import { inDocument } from '../support/dom';
import { FakeMain } from '../support/fake-bridge';
import { cleanupApp, renderApp, settle } from '../support/render-app';

afterEach(() => {
  cleanupApp();
  vi.restoreAllMocks();
});

function pbkFake(): FakeMain {
  const fake = new FakeMain();
  fake.addProfile({ name: 'Office', server: 'old.example.com' });
  fake.importReport = {
    format: 'rasphone-pbk',
    fileWarnings: ['The file had 1 entry without a name.'],
    entries: [
      { sourceName: 'Office', status: 'ok', profile: ProfileSettingsSchema.parse({ name: 'Office', server: 'vpn.example.com' }), warnings: [] },
      {
        sourceName: 'Legacy',
        status: 'warning',
        profile: ProfileSettingsSchema.parse({ name: 'Legacy', server: 'legacy.example.com', auth: ['pap'] }),
        warnings: ['PAP is allowed: the password crosses the network in clear text.'],
      },
      { sourceName: 'L2TP box', status: 'warning', warnings: ['skipped: not a PPTP entry'] },
      { sourceName: 'Broken', status: 'error', warnings: [], error: { code: 'no-server', message: 'The entry names no server.' } },
    ],
  };
  return fake;
}

async function openImportAndPick(fake: FakeMain) {
  await renderApp(fake);
  await userEvent.click(screen.getByRole('button', { name: 'Import…' }));
  const dialog = screen.getByRole('dialog', { name: 'Import profiles' });
  const file = new File(['[Office]\r\nPhoneNumber=vpn.example.com\r\n'], 'rasphone.pbk', { type: 'text/plain' });
  await userEvent.upload(within(dialog).getByLabelText('Profile file'), file);
  await settle();
  return dialog;
}

describe('import dialog', () => {
  it('preview_showsEveryEntryWithStatusWarningsAndClashes', async () => {
    const fake = pbkFake();
    const dialog = await openImportAndPick(fake);
    const [req] = fake.callsTo('profiles.importPreview') as { fileName: string; contentBase64: string }[];
    expect(req?.fileName).toBe('rasphone.pbk');
    expect(atob(req?.contentBase64 ?? '')).toBe('[Office]\r\nPhoneNumber=vpn.example.com\r\n');

    expect(dialog.textContent).toMatch(/Windows phonebook/);
    expect(within(dialog).getByLabelText('File warnings').textContent).toMatch(/without a name/);
    const entries = within(dialog).getByRole('list', { name: 'Entries in the file' });
    const office = within(entries).getByRole('checkbox', { name: 'Import Office' }) as HTMLInputElement;
    const legacy = within(entries).getByRole('checkbox', { name: 'Import Legacy' }) as HTMLInputElement;
    const skipped = within(entries).getByRole('checkbox', { name: 'Import L2TP box' }) as HTMLInputElement;
    const broken = within(entries).getByRole('checkbox', { name: 'Import Broken' }) as HTMLInputElement;
    expect([office.checked, legacy.checked, skipped.checked, broken.checked]).toEqual([true, true, false, false]);
    expect([skipped.disabled, broken.disabled]).toEqual([true, true]);
    expect(entries.textContent).toMatch(/A profile with this name exists/);
    expect(entries.textContent).toMatch(/PAP is allowed/);
    expect(entries.textContent).toMatch(/The entry names no server\./);
    expect(inDocument(within(dialog).getByRole('button', { name: 'Import 2 profiles' }))).toBe(true);
  });

  it('apply_sendsTheChosenProfilesAndPolicy_andReportsOutcomes', async () => {
    const fake = pbkFake();
    const dialog = await openImportAndPick(fake);
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Import Legacy' }));
    await userEvent.click(within(dialog).getByRole('radio', { name: /Replace the existing profile/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Import 1 profile' }));
    await settle();
    const [req] = fake.callsTo('profiles.importApply') as { profiles: { name: string }[]; onConflict: string }[];
    expect(req?.onConflict).toBe('replace');
    expect(req?.profiles.map((p) => p.name)).toEqual(['Office']);
    expect(within(dialog).getByRole('status').textContent).toBe('Imported 1 of 4 entries: 1 replaced, 3 skipped.');
    expect(within(dialog).getByRole('list', { name: 'Replaced' }).textContent).toBe('“Office”');
    const skipped = within(dialog).getAllByRole('listitem').filter((li) => li.classList.contains('outcome--skipped'));
    expect(skipped.map((li) => li.textContent)).toEqual(['“Legacy”: not selected', '“L2TP box”: not a PPTP entry', '“Broken”: The entry names no server.']);
    expect(fake.profiles.map((p) => p.server)).toEqual(['vpn.example.com']);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('renamePolicy_reportsTheNewName', async () => {
    const fake = pbkFake();
    const dialog = await openImportAndPick(fake);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Import 2 profiles' }));
    await settle();
    expect(within(dialog).getByRole('status').textContent).toBe('Imported 2 of 4 entries: 1 created, 1 renamed, 2 skipped.');
    expect(within(dialog).getByRole('list', { name: 'Renamed' }).textContent).toBe('“Office” → “Office (2)”');
    expect(within(dialog).getByRole('list', { name: 'Created' }).textContent).toBe('“Legacy”');
    // The sidebar shows the new profiles (profiles.changed and the reload).
    expect(within(screen.getByRole('list', { name: 'Profile list' })).getAllByRole('button')).toHaveLength(3);
  });

  it('unreadableFile_showsTheFileError', async () => {
    const fake = new FakeMain();
    fake.importReport = { format: 'unknown', entries: [], fileWarnings: [], fileError: { code: 'unknown-format', message: 'Not a profile file.' } };
    const dialog = await openImportAndPick(fake);
    expect(within(dialog).getByRole('alert').textContent).toBe('Not a profile file.');
    expect((within(dialog).getByRole('button', { name: 'Import 0 profiles' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('skipPolicy_listsTheClashAsSkippedWithMainsReason', async () => {
    const fake = pbkFake();
    const dialog = await openImportAndPick(fake);
    await userEvent.click(within(dialog).getByRole('radio', { name: /Skip the imported one/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Import 2 profiles' }));
    await settle();
    expect(within(dialog).getByRole('status').textContent).toBe('Imported 1 of 4 entries: 1 created, 3 skipped.');
    expect(within(dialog).getByRole('list', { name: 'Skipped' }).textContent).toMatch(/“Office”: A profile with this name exists/);
  });

  it('severalFiles_onePreviewPerFile_combinedIntoOneImport', async () => {
    const fake = new FakeMain();
    const reports: Record<string, ImportReport> = {
      'a.pbk': { format: 'rasphone-pbk', fileWarnings: [], entries: [{ sourceName: 'A', status: 'ok', profile: ProfileSettingsSchema.parse({ name: 'A', server: 'a.example.com' }), warnings: [] }] },
      'b.nmconnection': { format: 'nmconnection', fileWarnings: [], entries: [{ sourceName: 'B', status: 'ok', profile: ProfileSettingsSchema.parse({ name: 'B', server: 'b.example.com' }), warnings: [] }] },
    };
    const preview = fake.handlers['profiles.importPreview'];
    fake.handlers['profiles.importPreview'] = async (req, ctx) => {
      fake.importReport = reports[(req as { fileName: string }).fileName] ?? fake.importReport;
      return preview(req, ctx);
    };
    await renderApp(fake);
    await userEvent.click(screen.getByRole('button', { name: 'Import…' }));
    const dialog = screen.getByRole('dialog', { name: 'Import profiles' });
    await userEvent.upload(within(dialog).getByLabelText('Profile file'), [new File(['x'], 'a.pbk'), new File(['y'], 'b.nmconnection')]);
    await settle();
    expect(fake.callsTo('profiles.importPreview').map((r) => (r as { fileName: string }).fileName)).toEqual(['a.pbk', 'b.nmconnection']);
    expect(within(dialog).getByRole('heading', { name: /a\.pbk/ }).textContent).toMatch(/Windows phonebook/);
    expect(inDocument(within(dialog).getByRole('list', { name: 'Entries in b.nmconnection' }))).toBe(true);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Import 2 profiles' }));
    await settle();
    expect(fake.callsTo('profiles.importApply')).toHaveLength(1);
    expect(within(dialog).getByRole('status').textContent).toBe('Imported 2 of 2 entries: 2 created.');
  });

  it('tooLargeFile_isRefusedBeforeAnythingIsSent', async () => {
    const fake = new FakeMain();
    await renderApp(fake);
    await userEvent.click(screen.getByRole('button', { name: 'Import…' }));
    const dialog = screen.getByRole('dialog', { name: 'Import profiles' });
    const big = new File(['x'], 'huge.pbk');
    Object.defineProperty(big, 'size', { value: IMPORT_MAX_CHARS + 1 });
    await userEvent.upload(within(dialog).getByLabelText('Profile file'), big);
    await settle();
    expect(within(dialog).getByRole('alert').textContent).toMatch(/too large to be a profile file .*at most 2\.0 MB/);
    expect(fake.callsTo('profiles.importPreview')).toEqual([]);
  });
});

describe('dropping files on the window', () => {
  function dragEvent(type: string, files: File[]): Event {
    const event = new Event(type, { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: { types: ['Files'], files, dropEffect: 'none' } });
    return event;
  }

  it('dragOver_highlightsTheWindow_drop_previewsTheFiles', async () => {
    const fake = pbkFake();
    await renderApp(fake);
    const file = new File(['[Office]\r\n'], 'dropped.pbk');
    act(() => {
      window.dispatchEvent(dragEvent('dragenter', [file]));
    });
    expect(screen.getByText('Drop profile files to import them').closest('[role="status"]')).not.toBeNull();
    const drop = dragEvent('drop', [file]);
    act(() => {
      window.dispatchEvent(drop);
    });
    expect(drop.defaultPrevented).toBe(true);
    await settle();
    expect(screen.queryByText('Drop profile files to import them')).toBeNull();
    const dialog = screen.getByRole('dialog', { name: 'Import profiles' });
    expect((fake.callsTo('profiles.importPreview')[0] as { fileName: string }).fileName).toBe('dropped.pbk');
    expect(inDocument(within(dialog).getByRole('list', { name: 'Entries in the file' }))).toBe(true);
  });

  it('dragWithoutFiles_isLeftAlone', async () => {
    await renderApp(pbkFake());
    const event = new Event('dragenter', { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: { types: ['text/plain'], files: [] } });
    act(() => {
      window.dispatchEvent(event);
    });
    expect(event.defaultPrevented).toBe(false);
    expect(screen.queryByText('Drop profile files to import them')).toBeNull();
  });
});

describe('export dialog', () => {
  it('exportsTheChosenProfiles_throughTheSaveDialog', async () => {
    const fake = new FakeMain();
    const a = fake.addProfile({ name: 'Alpha', server: 'a.example.com' });
    const b = fake.addProfile({ name: 'Beta', server: 'b.example.com' });
    await renderApp(fake);
    await userEvent.click(screen.getByRole('button', { name: 'Export…' }));
    const dialog = screen.getByRole('dialog', { name: 'Export profiles' });
    expect(dialog.textContent).toMatch(/passwords are never exported/);
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Beta' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Export 1 profile' }));
    await settle();
    expect(fake.callsTo('profiles.export')).toEqual([{ ids: [a.id] }]);
    expect(fake.savedFiles.map((f) => f.fileName)).toEqual(['Alpha.pptp.json']);
    expect(within(dialog).getByRole('status').textContent).toBe('Saved to /home/user/Alpha.pptp.json');
    expect(b.id).not.toBe(a.id);
  });

  it('withoutASaveDialog_downloadsTheFile', async () => {
    const fake = new FakeMain();
    fake.canSaveFiles = false;
    fake.addProfile({ name: 'Alpha', server: 'a.example.com' });
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    await renderApp(fake);
    await userEvent.click(screen.getByRole('button', { name: 'Export…' }));
    const dialog = screen.getByRole('dialog', { name: 'Export profiles' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Export 1 profile' }));
    await settle();
    expect(fake.callsTo('dialog.saveExport')).toEqual([]);
    expect(clicked).toHaveLength(1);
    expect(clicked[0]?.download).toBe('Alpha.pptp.json');
    expect(decodeURIComponent(clicked[0]?.href.split(',')[1] ?? '')).toMatch(/"name":"Alpha"/);
    expect(within(dialog).getByRole('status').textContent).toBe('Downloaded Alpha.pptp.json');
  });
});
