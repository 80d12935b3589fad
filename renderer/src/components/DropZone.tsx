/**
 * The window as a drop target for profile files: while files are dragged over it, an overlay says
 * "Drop to import"; dropping them opens the import dialog on those files (the dialog reads their
 * bytes and previews each through profiles.importPreview). Drags that carry no files (text,
 * links) are left alone, and nothing happens while another dialog is open or profiles are
 * read-only. Dropping is always prevented from navigating the window to the file.
 */
import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../store/context';
import '../styles/editor.css';

function carriesFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

export function DropZone() {
  const store = useAppStore();
  const [over, setOver] = useState(false);
  const depth = useRef(0);

  useEffect(() => {
    const accepts = () => {
      const s = store.getState();
      return !s.profilesReadOnly && (s.dialog === null || s.dialog === 'import') && s.passwordPrompt === null && s.pendingView === null;
    };
    function onDragEnter(e: DragEvent) {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current += 1;
      if (accepts()) setOver(true);
    }
    function onDragOver(e: DragEvent) {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = accepts() ? 'copy' : 'none';
    }
    function onDragLeave(e: DragEvent) {
      if (!carriesFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    }
    function onDrop(e: DragEvent) {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length > 0 && accepts()) store.getState().importDroppedFiles(files);
    }
    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [store]);

  if (!over) return null;
  return (
    <div className="drop-overlay" role="status">
      <p className="drop-overlay__text">Drop profile files to import them</p>
    </div>
  );
}
