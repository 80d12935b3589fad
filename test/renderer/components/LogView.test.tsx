/**
 * The log view's profile and attempt filters, the diagnostic report (button -> preview -> copy
 * and save, and `createReport()` for other screens), the first-run security note (dismissed
 * once, remembered in settings) and the note in Settings → About.
 */
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../../preload/contract';
import { PPTP_SECURITY_NOTICE } from '../../../preload/schema/profile';
import { FakeMain, makeProfile } from '../support/fake-bridge';
import { cleanupApp, renderApp, settle } from '../support/render-app';

afterEach(() => {
  cleanupApp();
  vi.restoreAllMocks();
});

const office = makeProfile({ name: 'Office', server: 'vpn.office.example' });
const home = makeProfile({ name: 'Home', server: 'vpn.home.example' });

function line(seq: number, message: string, tags: { profileId?: string; attemptId?: string; level?: LogLine['level']; source?: string } = {}): LogLine {
  const { level = 'info', source = 'tunnel', ...rest } = tags;
  return { seq, time: Date.UTC(2025, 0, 1, 9, 0, seq), level, source, message, ...rest };
}

function lines(): string[] {
  return within(screen.getByRole('list', { name: 'Log lines' }))
    .queryAllByRole('listitem')
    .map((li) => li.querySelector('.log-line__message')?.textContent ?? '');
}

function twoProfilesThreeAttempts(): FakeMain {
  const fake = new FakeMain();
  fake.profiles = [office, home];
  fake.settings = { ...fake.settings, securityNoteDismissed: true };
  fake.logs = [
    line(1, 'PPTP Manager 1.0.0 started.', { source: 'app' }),
    line(2, 'Connecting "Office"', { source: 'app', profileId: office.id, attemptId: 'a1' }),
    line(3, 'Starting the tunnel service', { source: 'app', attemptId: 'a1' }),
    line(4, 'auth-failed: 691', { profileId: office.id, attemptId: 'a1', level: 'error' }),
    line(5, 'Connecting "Home"', { source: 'app', profileId: home.id, attemptId: 'b1' }),
    line(6, 'Connected to vpn.home.example', { profileId: home.id, attemptId: 'b1' }),
    line(7, 'Connecting "Office"', { source: 'app', profileId: office.id, attemptId: 'a2' }),
    line(8, 'Connected to vpn.office.example', { profileId: office.id, attemptId: 'a2' }),
  ];
  return fake;
}

describe('log view: grouped by profile and attempt', () => {
  it('profileFilter_showsItsLinesAndItsAttempts_attemptFilter_narrowsToOne', async () => {
    await renderApp(twoProfilesThreeAttempts());
    await userEvent.click(screen.getByRole('button', { name: 'Log' }));
    expect(lines()).toHaveLength(8);

    await userEvent.selectOptions(screen.getByLabelText('Profile'), office.id);
    expect(lines()).toEqual(['Connecting "Office"', 'Starting the tunnel service', 'auth-failed: 691', 'Connecting "Office"', 'Connected to vpn.office.example']);

    const attempt = screen.getByLabelText('Attempt') as HTMLSelectElement;
    const labels = Array.from(attempt.options).map((o) => o.textContent ?? '');
    expect(labels[0]).toBe('All attempts');
    expect(labels.slice(1)).toHaveLength(2); // Office's two attempts, newest first
    expect(labels[1]).toMatch(/Office \(2 lines\)$/);
    expect(labels[2]).toMatch(/Office · failed \(3 lines\)$/);

    await userEvent.selectOptions(attempt, 'a1');
    expect(lines()).toEqual(['Connecting "Office"', 'Starting the tunnel service', 'auth-failed: 691']);
    await userEvent.selectOptions(screen.getByLabelText('Level'), 'error');
    expect(lines()).toEqual(['auth-failed: 691']);

    // Another profile: the Office attempt no longer applies.
    await userEvent.selectOptions(screen.getByLabelText('Level'), 'info');
    await userEvent.selectOptions(screen.getByLabelText('Profile'), home.id);
    expect((screen.getByLabelText('Attempt') as HTMLSelectElement).value).toBe('');
    expect(lines()).toEqual(['Connecting "Home"', 'Connected to vpn.home.example']);
  });

  it('copy_includesTheAttemptTag', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await renderApp(twoProfilesThreeAttempts());
    await userEvent.click(screen.getByRole('button', { name: 'Log' }));
    await userEvent.selectOptions(screen.getByLabelText('Profile'), home.id);
    await userEvent.click(within(screen.getByRole('toolbar', { name: 'Log tools' })).getByRole('button', { name: 'Copy' }));
    await settle();
    expect(writeText).toHaveBeenCalledWith(
      '2025-01-01T09:00:05.000Z INFO  [app · attempt b1] Connecting "Home"\n2025-01-01T09:00:06.000Z INFO  [tunnel · attempt b1] Connected to vpn.home.example',
    );
  });
});

describe('diagnostic report', () => {
  it('button_opensThePreviewForTheChosenProfile_copyAndSave', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { fake } = await renderApp(twoProfilesThreeAttempts());
    await userEvent.click(screen.getByRole('button', { name: 'Log' }));
    await userEvent.selectOptions(screen.getByLabelText('Profile'), office.id);
    await userEvent.click(screen.getByRole('button', { name: 'Diagnostic report…' }));
    await settle();
    expect(fake.calls.filter((c) => c.channel === 'report.create').map((c) => c.request)).toEqual([{ profileId: office.id }]);
    const dialog = screen.getByRole('dialog', { name: 'Diagnostic report' });
    expect(within(dialog).getByText(/about Office/)).toBeTruthy();
    const text = (within(dialog).getByLabelText('Report text') as HTMLTextAreaElement).value;
    expect(text).toContain(`profile: ${office.id}`);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Copy' }));
    await settle();
    expect(writeText).toHaveBeenCalledWith(text);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save…' }));
    await settle();
    expect(fake.savedFiles).toEqual([{ fileName: 'pptp-manager-report.txt', text }]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('createReport_fromAnyScreen_opensTheSameDialog_andAFailureIsShownInTheLog', async () => {
    const { fake, store } = await renderApp(twoProfilesThreeAttempts());
    await act(async () => {
      await store.getState().createReport();
    });
    expect(within(screen.getByRole('dialog', { name: 'Diagnostic report' })).getByText(/about all profiles/)).toBeTruthy();
    act(() => store.getState().closeReport());
    fake.failures.set('report.create', { code: 'internal', message: 'Internal error' });
    await userEvent.click(screen.getByRole('button', { name: 'Log' }));
    await userEvent.click(screen.getByRole('button', { name: 'Diagnostic report…' }));
    await settle();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('alert').textContent).toBe('Could not create the report: Internal error');
  });
});

describe('the general "PPTP is weak" note', () => {
  it('showsAtFirstRun_untilDismissed_rememberedInSettings_andStaysInAbout', async () => {
    const fake = new FakeMain();
    await renderApp(fake);
    const note = screen.getByRole('region', { name: 'Before you start: PPTP is weak' });
    expect(within(note).getByText(PPTP_SECURITY_NOTICE)).toBeTruthy();
    await userEvent.click(within(note).getByRole('button', { name: 'I understand' }));
    await settle();
    expect(screen.queryByRole('region', { name: 'Before you start: PPTP is weak' })).toBeNull();
    expect(fake.settings.securityNoteDismissed).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const about = screen.getByRole('region', { name: 'PPTP security' });
    expect(within(about).getByRole('heading', { level: 3 }).textContent).toBe('PPTP encryption is weak');
    expect(within(about).getByText(PPTP_SECURITY_NOTICE)).toBeTruthy();
  });

  it('aDismissedNote_doesNotShowAgain', async () => {
    const fake = new FakeMain();
    fake.settings = { ...fake.settings, securityNoteDismissed: true };
    await renderApp(fake);
    expect(screen.queryByRole('region', { name: 'Before you start: PPTP is weak' })).toBeNull();
  });
});
