/** Log view filters and tools, settings persistence and theme, dialog keyboard behaviour. */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../../preload/contract';
import { Dialog } from '../../../renderer/src/components/Dialog';
import { inDocument } from '../support/dom';
import { FakeMain } from '../support/fake-bridge';
import { cleanupApp, renderApp, settle } from '../support/render-app';

afterEach(() => {
  cleanupApp();
  vi.restoreAllMocks();
});

function line(seq: number, level: LogLine['level'], message: string): LogLine {
  return { seq, time: Date.UTC(2025, 0, 1, 9, 0, seq), level, source: 'tunnel', message };
}

describe('log view', () => {
  it('filtersByLevelAndText_andAppendsPushedLines', async () => {
    const fake = new FakeMain();
    fake.logs = [line(1, 'debug', 'LCP ConfReq id=1'), line(2, 'info', 'Control connection up'), line(3, 'warn', 'Echo reply late'), line(4, 'error', 'GRE blocked')];
    await renderApp(fake);
    await userEvent.click(screen.getByRole('button', { name: 'Log' }));
    const lines = () => within(screen.getByRole('list', { name: 'Log lines' })).queryAllByRole('listitem').map((li) => li.textContent ?? '');
    expect(lines()).toHaveLength(3); // info and above by default
    await userEvent.selectOptions(screen.getByLabelText('Level'), 'debug');
    expect(lines()).toHaveLength(4);
    await userEvent.selectOptions(screen.getByLabelText('Level'), 'warn');
    expect(lines().map((l) => l.replace(/^.*tunnel/, ''))).toEqual(['Echo reply late', 'GRE blocked']);
    await userEvent.type(screen.getByLabelText('Filter'), 'gre');
    expect(lines()).toHaveLength(1);
    act(() => fake.emit('log.line', line(5, 'error', 'GRE still blocked')));
    expect(lines()).toHaveLength(2);
    expect(screen.getByText(/2 of 5 lines shown/)).toBeTruthy();
  });

  it('copy_export_clear', async () => {
    const fake = new FakeMain();
    fake.logs = [line(1, 'info', 'one'), line(2, 'warn', 'two')];
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await renderApp(fake);
    await userEvent.click(screen.getByRole('button', { name: 'Log' }));
    const tools = screen.getByRole('toolbar', { name: 'Log tools' });
    await userEvent.click(within(tools).getByRole('button', { name: 'Copy' }));
    await settle();
    expect(writeText).toHaveBeenCalledWith('2025-01-01T09:00:01.000Z INFO  [tunnel] one\n2025-01-01T09:00:02.000Z WARN  [tunnel] two');
    await userEvent.click(within(tools).getByRole('button', { name: 'Export…' }));
    await settle();
    expect(fake.savedFiles).toEqual([{ fileName: 'pptp-manager.log', text: 'one\ntwo' }]);
    await userEvent.click(within(tools).getByRole('button', { name: 'Clear' }));
    await settle();
    expect(fake.logs).toEqual([]);
    expect(within(screen.getByRole('list', { name: 'Log lines' })).queryAllByRole('listitem')).toHaveLength(0);
  });
});

describe('settings screen', () => {
  it('eachChange_isSavedThroughSettingsSet_andTheThemeApplies', async () => {
    const fake = new FakeMain();
    const office = fake.addProfile({ name: 'Office', server: 'vpn.example.com' });
    await renderApp(fake);
    await userEvent.click(screen.getByRole('button', { name: 'Settings' }));
    await userEvent.click(screen.getByLabelText('Start PPTP Manager when I log in'));
    await userEvent.click(screen.getByLabelText(/Reconnect automatically/));
    await userEvent.selectOptions(screen.getByLabelText('Connect automatically when the app starts'), 'Office');
    await userEvent.click(screen.getByRole('radio', { name: 'Dark' }));
    await settle();
    expect(fake.callsTo('settings.set')).toEqual([
      { patch: { launchAtLogin: true } },
      { patch: { autoReconnect: false } },
      { patch: { autoConnectProfileId: office.id } },
      { patch: { theme: 'dark' } },
    ]);
    expect(fake.settings).toMatchObject({ launchAtLogin: true, autoReconnect: false, autoConnectProfileId: office.id, theme: 'dark' });
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect((screen.getByLabelText('Start PPTP Manager when I log in') as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByRole('radio', { name: 'Same as the system' }));
    await settle();
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(screen.getByLabelText('About this app').textContent).toMatch(/0\.1\.0-test/);
  });

  it('savedSettings_areShownAtStart', async () => {
    const fake = new FakeMain();
    fake.settings = { ...fake.settings, startMinimised: true, theme: 'light' };
    await renderApp(fake);
    expect(document.documentElement.dataset.theme).toBe('light');
    await userEvent.click(screen.getByRole('button', { name: 'Settings' }));
    expect((screen.getByLabelText('Start minimised to the tray') as HTMLInputElement).checked).toBe(true);
  });
});

describe('dialog keyboard behaviour', () => {
  function Harness({ onClose }: { onClose: () => void }) {
    return (
      <>
        <button type="button">Outside</button>
        <Dialog title="Test dialog" onClose={onClose}>
          <input aria-label="First field" />
          <button type="button">Last button</button>
        </Dialog>
      </>
    );
  }

  it('focusesInside_trapsTab_andEscapeCloses', async () => {
    const onClose = vi.fn();
    render(<Harness onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: 'Test dialog' });
    const close = within(dialog).getByRole('button', { name: 'Close' });
    const last = within(dialog).getByRole('button', { name: 'Last button' });
    expect(document.activeElement).toBe(close);
    await userEvent.tab();
    expect(document.activeElement).toBe(within(dialog).getByLabelText('First field'));
    await userEvent.tab();
    expect(document.activeElement).toBe(last);
    await userEvent.tab();
    expect(document.activeElement).toBe(close);
    await userEvent.tab({ shift: true });
    expect(document.activeElement).toBe(last);
    await userEvent.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('importDialog_escapeCloses_andFocusReturnsToTheOpener', async () => {
    await renderApp(new FakeMain());
    const opener = within(screen.getByRole('navigation', { name: 'Profiles' })).getByRole('button', { name: 'Import…' });
    await userEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Import profiles' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Profile file'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(inDocument(opener)).toBe(true);
  });
});
