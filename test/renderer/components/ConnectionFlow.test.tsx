/**
 * The app end to end over a FakeMain: list badges from the tunnel state, Connect, the timeline
 * from phase events, negotiated values and throughput once connected, the doctor's advice on
 * failure, and the password prompt for ask-every-time profiles. Service events are folded by
 * main's own reducer inside the FakeMain, which pushes the view as main does.
 */
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TunnelEventPayload } from '../../../preload/contract';
import { inDocument } from '../support/dom';
import { FakeMain } from '../support/fake-bridge';
import { cleanupApp, renderApp, settle } from '../support/render-app';
import { plots } from '../support/uplot-mock';

vi.mock('uplot', () => import('../support/uplot-mock'));

afterEach(cleanupApp);

let fake: FakeMain;
let office: string;
let home: string;

beforeEach(() => {
  fake = new FakeMain();
  office = fake.addProfile({ name: 'Office', server: 'vpn.example.com', username: 'alice' }, 'pw').id;
  home = fake.addProfile({ name: 'Home', server: 'home.example.net' }, 'pw').id;
  plots.length = 0;
});

/** A service event for `profileId`'s tunnel (main starts an attempt for it first if it has none). */
function push(event: TunnelEventPayload['event'], profileId = office) {
  act(() => {
    const s = fake.tunnel;
    if (s.state === 'idle' || s.profileId !== profileId) fake.startAttempt(profileId);
    fake.serviceEvent(event);
  });
}

function listItem(name: string) {
  const list = screen.getByRole('list', { name: 'Profile list' });
  return within(list).getByRole('button', { name: new RegExp(`^${name}`) });
}

describe('profile list badges', () => {
  it('showTheTunnelStateOnTheRightProfile', async () => {
    await renderApp(fake);
    expect(listItem('Office').textContent).not.toMatch(/Connect/);
    push({ event: 'phase', phase: 'lcp', status: 'started', at: 0 });
    expect(listItem('Office').textContent).toMatch(/Connecting/);
    expect(listItem('Home').textContent).toBe('Homehome.example.net');
    push({ event: 'connected', server: '192.0.2.1', localIp: '10.0.0.2', remoteIp: '10.0.0.1', dns: [], mtu: 1400, auth: 'mschapv2', mppe: { bits: 128, stateful: false }, elapsedMs: 300 });
    expect(listItem('Office').textContent).toMatch(/Connected/);
    fake.advice['tcp-unreachable'] = { title: 't', fix: 'f' };
    push({ event: 'error', reason: 'tcp-unreachable', message: 'refused' }, home);
    expect(listItem('Home').textContent).toMatch(/Failed/);
    expect(listItem('Office').textContent).not.toMatch(/Connected/);
  });

  it('emptyData_showsTheWelcome', async () => {
    await renderApp(new FakeMain());
    expect(inDocument(screen.getByRole('heading', { name: 'Welcome to PPTP Manager' }))).toBe(true);
    expect(inDocument(screen.getByRole('button', { name: 'Create a profile' }))).toBe(true);
    expect(screen.queryByRole('list', { name: 'Profile list' })).toBeNull();
  });
});

describe('connection view', () => {
  it('connect_followsPhases_thenShowsNegotiatedValuesAndTraffic', async () => {
    await renderApp(fake);
    await userEvent.click(listItem('Office'));
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await settle();
    expect(fake.callsTo('tunnel.connect')).toEqual([{ profileId: office }]);
    expect(inDocument(screen.getByRole('button', { name: 'Cancel' }))).toBe(true);

    push({ event: 'phase', phase: 'tcp', status: 'started', at: 0 });
    push({ event: 'phase', phase: 'tcp', status: 'done', at: 14, durationMs: 14 });
    push({ event: 'phase', phase: 'control', status: 'started', at: 14 });
    const timeline = screen.getByRole('list', { name: 'Connection phases' });
    const step = (phase: string) => screen.getByRole('list', { name: 'Connection phases' }).querySelector(`[data-step="${phase}"]`) as HTMLElement;
    expect(timeline).toBeTruthy();
    expect(step('tcp').dataset.status).toBe('ok');
    expect(step('tcp').textContent).toMatch(/Done.*14 ms/);
    expect(step('control').dataset.status).toBe('running');
    expect(step('control').textContent).toMatch(/In progress/);
    expect(step('ipcp').dataset.status).toBe('waiting');

    for (const phase of ['control', 'call', 'lcp', 'auth', 'ccp', 'ipcp', 'routes'] as const) {
      push({ event: 'phase', phase, status: 'done', at: 100, durationMs: 10, ...(phase === 'auth' ? { detail: { auth: 'mschapv2' } } : {}) });
    }
    // Plain words on the step; the protocol values only behind Details.
    expect(step('auth').textContent).toMatch(/Signed in with mschapv2/);
    expect(step('auth').textContent).not.toMatch(/auth: mschapv2/);
    await userEvent.click(screen.getByRole('button', { name: 'Details' }));
    expect(step('auth').textContent).toMatch(/auth: mschapv2/);
    push({ event: 'connected', server: '192.0.2.1', localIp: '10.0.0.2', remoteIp: '10.0.0.1', dns: ['10.0.0.53', '10.0.0.54'], mtu: 1400, auth: 'mschapv2', mppe: { bits: 128, stateful: false }, elapsedMs: 512 });
    const values = screen.getByLabelText('Negotiated values');
    expect(values.textContent).toMatch(/Local IP10\.0\.0\.2/);
    expect(values.textContent).toMatch(/DNS10\.0\.0\.53, 10\.0\.0\.54/);
    expect(values.textContent).toMatch(/MTU1400/);
    expect(values.textContent).toMatch(/EncryptionMPPE 128-bit, stateless/);
    expect(inDocument(screen.getByRole('button', { name: 'Disconnect' }))).toBe(true);

    push({ event: 'stats', uptimeMs: 1000, rxBytes: 2048, txBytes: 1024, rxPackets: 3, txPackets: 2, rxRate: 2048, txRate: 1024 });
    push({ event: 'stats', uptimeMs: 2000, rxBytes: 6144, txBytes: 2048, rxPackets: 6, txPackets: 4, rxRate: 4096, txRate: 1024 });
    await settle();
    const traffic = screen.getByRole('figure', { name: 'Throughput' });
    expect(traffic.textContent).toMatch(/Received 32\.8 kb\/s/); // 4096 B/s, shown in bit/s
    expect(screen.getByLabelText('Traffic totals').textContent).toMatch(/Received6\.0 KiB \(6 packets\)/);
    expect(plots).toHaveLength(1);
    expect(plots[0]?.data).toEqual([
      [1, 2],
      [16_384, 32_768],
      [8192, 8192],
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Disconnect' }));
    await settle();
    expect(fake.callsTo('tunnel.disconnect')).toHaveLength(1);
    expect(inDocument(screen.getByRole('button', { name: 'Connect' }))).toBe(true);
  });

  it('failure_showsTheDoctorsVerdict', async () => {
    fake.advice['gre-blocked'] = { title: 'GRE is blocked', fix: 'Allow IP protocol 47.' };
    await renderApp(fake);
    await userEvent.click(listItem('Office'));
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    push({ event: 'phase', phase: 'tcp', status: 'started', at: 0 });
    push({ event: 'phase', phase: 'tcp', status: 'done', at: 5, durationMs: 5 });
    push({ event: 'phase', phase: 'control', status: 'done', at: 9, durationMs: 4 });
    push({ event: 'phase', phase: 'call', status: 'done', at: 12, durationMs: 3 });
    push({ event: 'phase', phase: 'lcp', status: 'started', at: 12 });
    push({ event: 'error', reason: 'gre-blocked', message: 'No GRE packets for 10 s', phase: 'lcp' });
    expect(fake.tunnel).toMatchObject({ state: 'error', profileId: office, failure: { reason: 'gre-blocked', message: 'No GRE packets for 10 s', phase: 'lcp' } });
    await settle();
    const alert = screen.getByRole('alert', { name: 'Connection failed' });
    expect(within(alert).getByRole('heading').textContent).toBe('GRE is blocked');
    expect(alert.textContent).toMatch(/Allow IP protocol 47\./);
    const phases = screen.getByRole('list', { name: 'Connection phases' });
    const step = (phase: string) => phases.querySelector(`[data-step="${phase}"]`) as HTMLElement;
    expect(step('lcp').dataset.status).toBe('failed');
    // The error once: on its step, not again in the summary.
    expect(step('lcp').textContent).toMatch(/No GRE packets for 10 s/);
    expect(document.body.textContent!.split('No GRE packets for 10 s').length - 1).toBe(1);
    // Steps after the failed one: not reached.
    for (const later of ['auth', 'ccp', 'ipcp', 'routes']) expect(step(later).dataset.status).toBe('not-reached');
    // Nothing was changed on the system: no word about restoring it.
    push({ event: 'disconnected', reason: 'gre-blocked', restored: true });
    await settle();
    expect(document.body.textContent).not.toMatch(/restored/);
    expect(inDocument(screen.getByRole('button', { name: 'Connect' }))).toBe(true);
  });

  it('failureEventOnly_showsItsAdvice_afterTheErrorIsDismissed', async () => {
    await renderApp(fake);
    await userEvent.click(listItem('Office'));
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    push({ event: 'error', reason: 'auth-failed', message: 'E=691' });
    act(() => fake.tunnelInput({ kind: 'ended' }));
    await settle();
    const alert = screen.getByRole('alert', { name: 'Connection failed' });
    expect(alert.textContent).toMatch(/Advice title for auth-failed/);
    expect(alert.textContent).toMatch(/Advice fix for auth-failed/);
  });

  it('askEveryTime_promptsForThePassword_thenConnects', async () => {
    const ask = fake.addProfile({ name: 'Ask', server: 'ask.example.com', askPasswordEveryTime: true }).id;
    await renderApp(fake);
    await userEvent.click(listItem('Ask'));
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    const dialog = screen.getByRole('dialog', { name: 'Password for Ask' });
    const input = within(dialog).getByLabelText('Password');
    expect(document.activeElement).toBe(input);
    expect(within(dialog).queryByLabelText(/Remember/)).toBeNull();
    await userEvent.type(input, 'one-time{enter}');
    await settle();
    expect(fake.callsTo('tunnel.connect')).toEqual([{ profileId: ask, password: 'one-time' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.passwords.has(ask)).toBe(false);
  });

  it('weakProfile_showsALoudSecurityNote', async () => {
    fake.addProfile({ name: 'Legacy', server: 'old.example.com', auth: ['pap'], mppe: 'none' });
    await renderApp(fake);
    await userEvent.click(listItem('Legacy'));
    const note = screen.getByRole('region', { name: 'Security note' });
    expect(note.dataset.level).toBe('danger');
    expect(note.textContent).toMatch(/PAP is allowed/);
    expect(note.textContent).toMatch(/Encryption is off/);
  });

  it('delete_asksFirst_thenRemoves', async () => {
    await renderApp(fake);
    await userEvent.click(listItem('Home'));
    await userEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    await userEvent.click(screen.getByRole('button', { name: 'Keep' }));
    expect(fake.profiles).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete profile' }));
    await settle();
    expect(fake.profiles.map((p) => p.name)).toEqual(['Office']);
    expect(inDocument(screen.getByRole('heading', { name: 'Choose a profile' }))).toBe(true);
  });
});
