/** Small DOM assertions helpers (jest-dom is not a dependency). */

/** The accessible description: the text of the elements aria-describedby points at. */
export function description(el: Element): string {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids
    .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();
}

export function inDocument(el: Element | null): boolean {
  return el !== null && el.ownerDocument.body.contains(el);
}
