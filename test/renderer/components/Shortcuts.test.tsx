/** Keyboard shortcuts through the real App: new, find, connect/disconnect, settings, help; guarded by unsaved changes. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeMain } from '../support/fake-bridge';
import { cleanupApp, renderApp, settle } from '../support/render-app';

afterEach(cleanupApp);

function key(k: string, mods: { ctrlKey?: boolean; shiftKey?: boolean } = {}, target: Element = document.body) {
  act(() => {
    fireEvent.keyDown(target, { key: k, ...mods });
  });
}

function twoProfiles() {
  const fake = new FakeMain();
  const office = fake.addProfile({ name: 'Office', server: 'vpn.example.com' }, 'pw');
  fake.addProfile({ name: 'Home', server: 'home.example.net' }, 'pw');
  return { fake, office };
}

describe('keyboard shortcuts', () => {
  it('ctrlN_opensTheNewProfileEditor_ctrlComma_theSettings', async () => {
    const { store } = await renderApp(twoProfiles().fake);
    key('n', { ctrlKey: true });
    expect(store.getState().view).toEqual({ view: 'new' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('New profile');
    key(',', { ctrlKey: true });
    expect(store.getState().view).toEqual({ view: 'settings' });
  });

  it('ctrlF_focusesTheFilter', async () => {
    await renderApp(twoProfiles().fake);
    key('f', { ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Filter profiles' }));
  });

  it('ctrlEnter_connectsTheSelectedProfile_andAgainDisconnects', async () => {
    const { fake, office } = twoProfiles();
    const { store } = await renderApp(fake);
    store.getState().navigate({ view: 'profile', id: office.id });
    key('Enter', { ctrlKey: true });
    await settle();
    expect(fake.callsTo('tunnel.connect')).toEqual([{ profileId: office.id }]);
    key('Enter', { ctrlKey: true });
    await settle();
    expect(fake.callsTo('tunnel.disconnect')).toHaveLength(1);
  });

  it('ctrlEnter_outsideAProfilesPage_doesNothing', async () => {
    const { fake } = twoProfiles();
    await renderApp(fake);
    key('Enter', { ctrlKey: true });
    await settle();
    expect(fake.callsTo('tunnel.connect')).toEqual([]);
  });

  it('questionMark_opensTheHelp_listingEveryShortcut_notWhileTyping', async () => {
    await renderApp(twoProfiles().fake);
    key('?', { shiftKey: true }, screen.getByRole('searchbox', { name: 'Filter profiles' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    key('?', { shiftKey: true });
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const text = help.textContent ?? '';
    for (const k of ['Ctrl+N', 'Ctrl+F', 'Ctrl+Enter', 'Ctrl+,', '?', '↑ / ↓']) expect(text).toContain(k);
    // Shortcuts do not act behind a dialog.
    key('n', { ctrlKey: true });
    expect(screen.queryByRole('heading', { name: 'New profile' })).toBeNull();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('buttonsSayTheirShortcut', async () => {
    await renderApp(twoProfiles().fake);
    const create = screen.getByRole('button', { name: 'New profile' });
    expect(create.getAttribute('aria-keyshortcuts')).toBe('Control+N');
    expect(create.getAttribute('title')).toBe('New profile (Ctrl+N)');
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', { name: 'Settings' }).getAttribute('aria-keyshortcuts')).toBe('Control+Comma');
    expect(screen.getByRole('searchbox', { name: 'Filter profiles' }).getAttribute('aria-keyshortcuts')).toBe('Control+F');
  });

  it('ctrlN_inAnEditorWithChanges_asksFirst', async () => {
    const { office, fake } = twoProfiles();
    const { store } = await renderApp(fake);
    store.getState().navigate({ view: 'edit', id: office.id });
    await settle();
    await userEvent.type(screen.getByLabelText('Server'), '.org');
    key('n', { ctrlKey: true }, screen.getByLabelText('Server'));
    const ask = screen.getByRole('dialog', { name: 'Discard changes?' });
    await userEvent.click(within(ask).getByRole('button', { name: 'Discard' }));
    expect(store.getState().view).toEqual({ view: 'new' });
  });
});
