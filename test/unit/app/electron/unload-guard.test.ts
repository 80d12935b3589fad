import { describe, expect, it } from 'vitest';
import { UNLOAD_GUARD_DIALOG, unloadProceeds } from '../../../../main/app/electron/unload-guard';

describe('unload guard (unsaved editor changes on close/quit)', () => {
  it('keeps editing by default and on Escape (cancelId), discards only on the Discard button', () => {
    expect(unloadProceeds(UNLOAD_GUARD_DIALOG.defaultId)).toBe(false);
    expect(unloadProceeds(UNLOAD_GUARD_DIALOG.cancelId)).toBe(false);
    expect(unloadProceeds(UNLOAD_GUARD_DIALOG.buttons.indexOf('Discard changes'))).toBe(true);
    expect(unloadProceeds(-1)).toBe(false);
    expect(unloadProceeds(7)).toBe(false);
  });
});
