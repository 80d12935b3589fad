/**
 * "Skip to content": the first focusable element of the window, shown when focused, moving focus
 * past the header and the profile list to the main pane (WCAG 2.4.1). Focus is moved by script
 * so the page's URL never changes.
 */
import '../styles/editor.css';

export const MAIN_CONTENT_ID = 'main-content';

export function SkipLink() {
  return (
    <a
      className="skip-link"
      href={`#${MAIN_CONTENT_ID}`}
      onClick={(e) => {
        e.preventDefault();
        document.getElementById(MAIN_CONTENT_ID)?.focus();
      }}
    >
      Skip to content
    </a>
  );
}
