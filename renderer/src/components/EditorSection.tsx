/**
 * One collapsible section of the profile editor: a native <details>/<summary> disclosure (keyboard
 * and screen-reader support come with the element), with the section's heading and a one-line
 * summary of its values visible while closed. Open state is controlled by the editor, so a
 * section holding a validation error can open itself.
 */
import type { ReactNode } from 'react';

export interface EditorSectionProps {
  id: string;
  title: string;
  /** What the section holds, in words (shown beside the title). */
  summary: string;
  /** 'warning' or 'danger' marks a summary that names a weaker choice. */
  tone?: 'warning' | 'danger' | undefined;
  open: boolean;
  onToggle: (open: boolean) => void;
  children: ReactNode;
}

export function EditorSection({ id, title, summary, tone, open, onToggle, children }: EditorSectionProps) {
  return (
    <details className="editor-section" id={id} open={open} onToggle={(e) => onToggle(e.currentTarget.open)} data-section={id}>
      <summary className="editor-section__summary">
        <h2 className="editor-section__title">{title}</h2>
        <span className={`editor-section__values${tone ? ` editor-section__values--${tone}` : ''}`} title={summary}>
          {summary}
        </span>
      </summary>
      <div className="editor-section__body">{children}</div>
    </details>
  );
}
