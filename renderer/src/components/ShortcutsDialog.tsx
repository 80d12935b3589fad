/**
 * The keyboard help (opened with `?` or the sidebar's "Keyboard shortcuts" link): every shortcut
 * from lib/shortcuts.ts, written for this platform (Ctrl, or ⌘ on a Mac), plus the list keys.
 */
import { useIsMac } from '../hooks/useShortcuts';
import { LIST_KEYS, SHORTCUTS, shortcutLabel } from '../lib/shortcuts';
import { useApp } from '../store/context';
import { Dialog } from './Dialog';
import '../styles/editor.css';

export function ShortcutsDialog() {
  const close = useApp((s) => s.closeDialog);
  const mac = useIsMac();
  return (
    <Dialog title="Keyboard shortcuts" onClose={close}>
      <table className="shortcut-table">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.command}>
              <td>
                <kbd>{shortcutLabel(s.command, mac)}</kbd>
              </td>
              <td>{s.description}</td>
            </tr>
          ))}
          {LIST_KEYS.map((k) => (
            <tr key={k.keys}>
              <td>
                <kbd>{k.keys}</kbd>
              </td>
              <td>{k.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog__actions">
        <button type="button" className="button button--primary" onClick={close} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
