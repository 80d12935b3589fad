/** The save dialog's suggestion stays in the chosen folder, with a base name only. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPORT_FILE_NAME, safeBaseName, saveDialogDefaultPath } from '../../../main/app/save-path';

describe('saveDialogDefaultPath', () => {
  const docs = path.join(path.sep, 'home', 'alice', 'Documents');
  it('anOrdinaryName_isKept', () => {
    expect(saveDialogDefaultPath(docs, 'pptp-profiles-2024-05-01.json')).toBe(path.join(docs, 'pptp-profiles-2024-05-01.json'));
  });
  it('directoryParts_ofEitherOS_areDropped', () => {
    for (const name of ['../../.bashrc', '/etc/passwd', '..\\..\\evil.json', 'C:\\Windows\\x.json', 'sub/dir/x.json']) {
      const p = saveDialogDefaultPath(docs, name);
      expect(path.dirname(p), name).toBe(docs);
    }
    expect(safeBaseName('../../.bashrc')).toBe('.bashrc');
    expect(safeBaseName('C:evil.json')).toBe('evil.json');
  });
  it('dotNamesAndEmpty_becomeTheDefault', () => {
    for (const name of ['', '.', '..', 'a/..', '...', '\u001b']) expect(safeBaseName(name), JSON.stringify(name)).toBe(DEFAULT_EXPORT_FILE_NAME);
  });
  it('controlCharacters_areRemoved', () => {
    expect(safeBaseName('Office\u001b[31m\n.json')).toBe('Office[31m.json');
  });
});
