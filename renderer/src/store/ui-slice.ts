/**
 * UI slice: which screen is shown, which dialog is open, and saving text files (main's save
 * dialog in Electron, a download in a plain browser). Navigation lives in the store so actions
 * elsewhere (removing the shown profile, finishing the editor) can move the view.
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

export type DialogKind = 'import' | 'export';

export type SaveOutcome =
  | { kind: 'saved'; path?: string }
  | { kind: 'downloaded'; fileName: string }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

export interface UiState {
  view: View;
  dialog: DialogKind | null;
}

export interface UiActions {
  navigate(view: View): void;
  openDialog(kind: DialogKind): void;
  closeDialog(): void;
  saveText(file: TextFile): Promise<SaveOutcome>;
}

export type UiSlice = UiState & UiActions;

export const uiInitialState: UiState = { view: { view: 'home' }, dialog: null };

export const createUiSlice: SliceCreator<UiSlice> = (api) => (set, get) => ({
  ...uiInitialState,
  navigate: (view) => set({ view }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
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
