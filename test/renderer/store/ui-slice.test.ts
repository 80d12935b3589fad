/** The ui slice's unsaved-changes guard: moves wait while the editor is dirty, then discard or keep. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../renderer/src/services/bridge';
import { createAppStore, type AppStore } from '../../../renderer/src/store/app-store';
import { FakeMain } from '../support/fake-bridge';

let store: AppStore;
beforeEach(() => {
  setBridge(new FakeMain().bridge);
  store = createAppStore();
});
afterEach(() => setBridge(null));

describe('ui slice: unsaved-changes guard', () => {
  it('clean_navigatesAtOnce', () => {
    store.getState().navigate({ view: 'logs' });
    expect(store.getState().view).toEqual({ view: 'logs' });
    expect(store.getState().pendingView).toBeNull();
  });

  it('dirty_holdsTheMove_discardMakesIt', () => {
    store.getState().navigate({ view: 'new' });
    store.getState().setEditorDirty(true);
    store.getState().navigate({ view: 'settings' });
    expect(store.getState().view).toEqual({ view: 'new' });
    expect(store.getState().pendingView).toEqual({ view: 'settings' });
    store.getState().discardChanges();
    expect(store.getState().view).toEqual({ view: 'settings' });
    expect(store.getState().editorDirty).toBe(false);
    expect(store.getState().pendingView).toBeNull();
  });

  it('dirty_keepEditing_staysAndForgetsTheMove', () => {
    store.getState().navigate({ view: 'new' });
    store.getState().setEditorDirty(true);
    store.getState().navigate({ view: 'home' });
    store.getState().keepEditing();
    expect(store.getState().view).toEqual({ view: 'new' });
    expect(store.getState().pendingView).toBeNull();
    expect(store.getState().editorDirty).toBe(true);
  });

  it('theSameView_isNoMove_evenWhenDirty', () => {
    store.getState().navigate({ view: 'edit', id: 'a' });
    store.getState().setEditorDirty(true);
    store.getState().navigate({ view: 'edit', id: 'a' });
    expect(store.getState().pendingView).toBeNull();
    store.getState().navigate({ view: 'edit', id: 'b' });
    expect(store.getState().pendingView).toEqual({ view: 'edit', id: 'b' });
  });

  it('droppedFiles_openTheImportDialog_eachDropAFreshOne', () => {
    const f = new File(['x'], 'a.pbk');
    store.getState().importDroppedFiles([f]);
    expect(store.getState().dialog).toBe('import');
    expect(store.getState().importFiles).toEqual([f]);
    const first = store.getState().importDropCount;
    store.getState().importDroppedFiles([f]);
    expect(store.getState().importDropCount).toBe(first + 1);
    store.getState().closeDialog();
    expect(store.getState().importFiles).toBeNull();
  });
});
