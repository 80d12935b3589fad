/**
 * What main asks when the page refuses to unload. The editor sets `beforeunload` while a profile
 * has unsaved changes; in Electron that refusal is silent (the close or quit just does nothing)
 * unless main handles `will-prevent-unload`. This module owns the question and how the answer is
 * read, as data, so it is tested without Electron; window.ts shows it with dialog.showMessageBoxSync.
 */
export const UNLOAD_GUARD_DIALOG = {
  type: 'question',
  buttons: ['Keep editing', 'Discard changes'],
  defaultId: 0,
  cancelId: 0,
  title: 'Discard changes?',
  message: 'This profile has changes that are not saved.',
  detail: 'Discard them and close, or keep editing.',
} as const;

/** True when the chosen button lets the close or quit go ahead (the page's refusal is overridden). */
export function unloadProceeds(buttonIndex: number): boolean {
  return UNLOAD_GUARD_DIALOG.buttons[buttonIndex] === 'Discard changes';
}
