/** Many profiles: the filter (name, server, user; "no match"), compact rows with the state in words, arrow keys, the skip link. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeMain } from '../support/fake-bridge';
import { cleanupApp, renderApp } from '../support/render-app';

afterEach(cleanupApp);

function manyProfiles(n = 30): FakeMain {
  const fake = new FakeMain();
  for (let i = 1; i <= n; i++) {
    fake.addProfile({ name: `Site ${String(i).padStart(2, '0')}`, server: `vpn${i}.example.com`, username: i === 7 ? 'carol' : 'alice' });
  }
  fake.addProfile({ name: 'Zürich office', server: 'zh.example.ch' });
  return fake;
}

const list = () => screen.getByRole('list', { name: 'Profile list' });
const rows = () => within(list()).getAllByRole('button');

describe('profile list', () => {
  it('filter_matchesNameServerAndUser_caseAndAccentInsensitive', async () => {
    await renderApp(manyProfiles());
    expect(rows()).toHaveLength(31);
    const filter = screen.getByRole('searchbox', { name: 'Filter profiles' });
    // Every word must match somewhere (name, server or user).
    await userEvent.type(filter, 'alice 05');
    expect(rows().map((r) => r.querySelector('.profile-list__name')?.textContent)).toEqual(['Site 05']);
    await userEvent.clear(filter);
    await userEvent.type(filter, 'Site 2');
    expect(rows().map((r) => r.querySelector('.profile-list__name')?.textContent)).toEqual([
      'Site 02', 'Site 12', 'Site 20', 'Site 21', 'Site 22', 'Site 23', 'Site 24', 'Site 25', 'Site 26', 'Site 27', 'Site 28', 'Site 29',
    ]);
    await userEvent.clear(filter);
    await userEvent.type(filter, 'vpn22.');
    expect(rows()).toHaveLength(1);
    await userEvent.clear(filter);
    await userEvent.type(filter, 'CAROL');
    expect(rows()[0]?.textContent).toMatch(/Site 07/);
    await userEvent.clear(filter);
    await userEvent.type(filter, 'zurich');
    expect(rows()[0]?.textContent).toMatch(/Zürich office/);
  });

  it('noMatch_isSaid_andEscapeClearsTheFilter', async () => {
    await renderApp(manyProfiles(3));
    const filter = screen.getByRole('searchbox', { name: 'Filter profiles' });
    await userEvent.type(filter, 'nothing-like-this');
    expect(screen.queryByRole('list', { name: 'Profile list' })).toBeNull();
    expect(screen.getByText('No profile matches “nothing-like-this”.').textContent).toBeTruthy();
    expect(screen.getAllByRole('status').some((s) => s.textContent === 'No match')).toBe(true);
    await userEvent.keyboard('{Escape}');
    expect((filter as HTMLInputElement).value).toBe('');
    expect(rows()).toHaveLength(4);
  });

  it('rows_areCompact_andSayTheStateInWords', async () => {
    const fake = manyProfiles(2);
    const site = fake.profiles[0]!;
    await renderApp(fake);
    act(() => {
      fake.startAttempt(site.id);
      fake.serviceEvent({ event: 'phase', phase: 'lcp', status: 'started', at: 0 });
    });
    const row = rows().find((r) => r.dataset.profileId === site.id)!;
    expect(row.querySelector('.state-dot--connecting')).not.toBeNull();
    expect(row.textContent).toBe('Site 01vpn1.example.com, Connecting');
  });

  it('arrowKeys_moveFocus_homeAndEnd_enterOpens', async () => {
    const { store } = await renderApp(manyProfiles(5));
    // One Tab stop for the whole list.
    expect(rows().filter((r) => r.tabIndex === 0)).toHaveLength(1);
    rows()[0]!.focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement?.textContent).toMatch(/Site 03/);
    await userEvent.keyboard('{End}');
    expect(document.activeElement?.textContent).toMatch(/Zürich office/);
    await userEvent.keyboard('{Home}{ArrowUp}');
    expect(document.activeElement?.textContent).toMatch(/Site 01/);
    await userEvent.keyboard('{ArrowDown}{Enter}');
    const second = store.getState().profiles.find((p) => p.name === 'Site 02')!;
    expect(store.getState().view).toEqual({ view: 'profile', id: second.id });
    // Down from the filter enters the list.
    const filter = screen.getByRole('searchbox', { name: 'Filter profiles' });
    filter.focus();
    fireEvent.keyDown(filter, { key: 'ArrowDown' });
    expect(document.activeElement?.textContent).toMatch(/Site 01/);
  });

  it('skipLink_isTheFirstFocusable_andMovesFocusToTheMainPane', async () => {
    await renderApp(manyProfiles(2));
    await userEvent.tab();
    const link = screen.getByRole('link', { name: 'Skip to content' });
    expect(document.activeElement).toBe(link);
    await userEvent.keyboard('{Enter}');
    expect(document.activeElement).toBe(screen.getByRole('main'));
  });
});
