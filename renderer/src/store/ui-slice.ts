/**
 * UI slice: which screen is shown, which dialog is open, and saving text files (main's save
 * dialog in Electron, a download in a plain browser). Navigation lives in the store so actions
 * elsewhere (removing the shown profile, finishing the editor) can move the view.
 *
 * The unsaved-changes guard lives here too, because every way of leaving the editor goes
 * through `navigate`: while the editor reports unsaved changes (`setEditorDirty`), a move to
 * another view is held in `pendingView` and the editor asks "Discard changes?";
 * `discardChanges` then makes the move and `keepEditing` drops it. Files dropped on the
 * window wait in `importFiles` for the import dialog.
 */
import type { TextFile } from '../../../preload/contract';
import { downloadText } from '../services/files';
import type { SliceCreator } from './types';

export type View =
  | { view: 'home' }
  | { view: 'profile'; id: string }
  | { view: 'new' }
  | { view: 'edit'; id: string }
  | { view: 'logs' }
  | { view: 'settings' };

export type DialogKind = 'import' | 'export' | 'shortcuts';

export type SaveOutcome =
  | { kind: 'saved'; path?: string }
  | { kind: 'downloaded'; fileName: string }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

export interface UiState {
  view: View;
  dialog: DialogKind | null;
  /** The editor holds changes that are not saved. */
  editorDirty: boolean;
  /** Where navigation was asked to go while the editor had unsaved changes (awaiting the user). */
  pendingView: View | null;
  /** Files dropped on the window, for the import dialog to preview; null when picked by hand. */
  importFiles: readonly File[] | null;
  /** Counts drops, so each drop opens a fresh import dialog (its React key). */
  importDropCount: number;
}

export interface UiActions {
  /** Moves to `view`, unless the editor has unsaved changes: then the move waits for the user. */
  navigate(view: View): void;
  setEditorDirty(dirty: boolean): void;
  /** The user chose to drop the editor's changes: make the waiting move. */
  discardChanges(): void;
  /** The user chose to stay in the editor: forget the waiting move. */
  keepEditing(): void;
  openDialog(kind: DialogKind): void;
  /** Opens the import dialog on these files (dropped on the window). */
  importDroppedFiles(files: readonly File[]): void;
  closeDialog(): void;
  saveText(file: TextFile): Promise<SaveOutcome>;
}

export type UiSlice = UiState & UiActions;

export const uiInitialState: UiState = { view: { view: 'home' }, dialog: null, editorDirty: false, pendingView: null, importFiles: null, importDropCount: 0 };

export function sameView(a: View, b: View): boolean {
  return a.view === b.view && ('id' in a ? a.id : null) === ('id' in b ? b.id : null);
}

export const createUiSlice: SliceCreator<UiSlice> = (api) => (set, get) => ({
  ...uiInitialState,
  navigate(view) {
    const s = get();
    if (sameView(s.view, view)) return;
    if (s.editorDirty) set({ pendingView: view });
    else set({ view, pendingView: null });
  },
  setEditorDirty: (editorDirty) => set(editorDirty ? { editorDirty } : { editorDirty, pendingView: null }),
  discardChanges() {
    const pending = get().pendingView;
    set({ editorDirty: false, pendingView: null, ...(pending ? { view: pending } : {}) });
  },
  keepEditing: () => set({ pendingView: null }),
  openDialog: (dialog) => set({ dialog, importFiles: null }),
  closeDialog: () => set({ dialog: null, importFiles: null }),
  importDroppedFiles: (files) => set((s) => ({ dialog: 'import', importFiles: [...files], importDropCount: s.importDropCount + 1 })),
  async saveText(file) {
    if (get().appInfo?.canSaveFiles) {
      const r = await api.saveFile(file.fileName, file.text);
      if (!r.ok) return { kind: 'failed', message: r.error.message };
      return r.value.saved ? { kind: 'saved', ...(r.value.path ? { path: r.value.path } : {}) } : { kind: 'cancelled' };
    }
    try {
      downloadText(file.fileName, file.text);
      return { kind: 'downloaded', fileName: file.fileName };
    } catch (error) {
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  },
});

export const uiSelectors = {
  selectedProfileId: (s: UiState): string | null => (s.view.view === 'profile' || s.view.view === 'edit' ? s.view.id : null),
};

export function describeSave(outcome: SaveOutcome): string {
  switch (outcome.kind) {
    case 'saved':
      return outcome.path ? `Saved to ${outcome.path}` : 'Saved';
    case 'downloaded':
      return `Downloaded ${outcome.fileName}`;
    case 'cancelled':
      return 'Not saved';
    case 'failed':
      return `Could not save: ${outcome.message}`;
  }
}
