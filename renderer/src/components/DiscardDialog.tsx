/**
 * "Discard changes?": asked when the user leaves the editor with unsaved changes (another profile
 * or screen, Cancel, New profile, a shortcut). Keep editing is the safe default (focused first,
 * and what Escape or × does); Discard makes the move that was asked for.
 */
import { useApp } from '../store/context';
import { Dialog } from './Dialog';

export function DiscardDialog() {
  const keepEditing = useApp((s) => s.keepEditing);
  const discardChanges = useApp((s) => s.discardChanges);
  return (
    <Dialog title="Discard changes?" onClose={keepEditing}>
      <p>This profile has changes that are not saved. If you leave now, they are lost.</p>
      <div className="dialog__actions">
        <button type="button" className="button button--primary" onClick={keepEditing} data-autofocus>
          Keep editing
        </button>
        <button type="button" className="button" onClick={discardChanges}>
          Discard
        </button>
      </div>
    </Dialog>
  );
}
