/**
 * Test connection from the profile view (the fake main answers tunnel.test with a scripted
 * result and pushes its steps on tunnel.testStep first, as main does), and the failure view's
 * rules: the connect-start error said once, "network restored" only after routes were set.
 */
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TunnelEventPayload } from '../../../preload/contract';
import type { DoctorResult } from '../../../preload/schema/doctor';
import { FakeMain } from '../support/fake-bridge';
import { cleanupApp, renderApp, settle } from '../support/render-app';

vi.mock('uplot', () => import('../support/uplot-mock'));
afterEach(cleanupApp);

let fake: FakeMain;
let office: string;

beforeEach(() => {
  fake = new FakeMain();
  office = fake.addProfile({ name: 'Office', server: 'vpn.example.com', username: 'alice' }, 'pw').id;
});

function push(event: TunnelEventPayload['event']) {
  act(() => {
    const s = fake.tunnel;
    if (s.state === 'idle' || s.profileId !== office) fake.startAttempt(office);
    fake.serviceEvent(event);
  });
}

async function openOffice() {
  await renderApp(fake);
  const list = screen.getByRole('list', { name: 'Profile list' });
  await userEvent.click(within(list).getByRole('button', { name: /^Office/ }));
}

const authFailed: DoctorResult = {
  steps: [
    { step: 'resolve', status: 'ok', message: 'vpn.example.com is 192.0.2.1' },
    { step: 'tcp', status: 'ok', message: 'The server accepts PPTP connections (TCP port 1723).', technical: '192.0.2.1:1723 accepts connections' },
    { step: 'control', status: 'ok', message: 'The PPTP server accepted the control connection.' },
    { step: 'call', status: 'ok', message: 'The server accepted the call.', technical: 'call set up (server call id 384, window 64)' },
    { step: 'gre', status: 'ok', message: 'Tunnel packets (GRE) pass both ways.' },
    { step: 'auth', status: 'failed', message: 'E=691 authentication failure', reason: 'auth-failed', advice: { title: 'Authentication failed', fix: 'Check the user name, password and domain.' } },
    { step: 'encryption', status: 'not-reached', message: 'Not reached: an earlier step failed.' },
    { step: 'ipcp', status: 'not-reached', message: 'Not reached: an earlier step failed.' },
  ],
  verdict: { kind: 'failed', reason: 'auth-failed', advice: { title: 'Authentication failed', fix: 'Check the user name, password and domain.' } },
};

describe('Test connection', () => {
  it('shows every step with plain words, the failing one with the advice once, and later steps not reached', async () => {
    fake.testResult = authFailed;
    await openOffice();
    await userEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await settle();
    expect(fake.callsTo('tunnel.test')).toEqual([{ profileId: office, credentials: true }]);
    const steps = screen.getByRole('list', { name: 'Test steps' });
    const step = (name: string) => steps.querySelector(`[data-step="${name}"]`) as HTMLElement;
    expect(step('gre').dataset.status).toBe('ok');
    expect(step('auth').dataset.status).toBe('failed');
    expect(step('auth').textContent).toMatch(/E=691 authentication failure/);
    expect(step('ipcp').textContent).toMatch(/Not reached/);
    const alert = screen.getByRole('alert', { name: 'Test failed' });
    expect(within(alert).getByRole('heading').textContent).toBe('Authentication failed');
    expect(alert.textContent).toMatch(/Check the user name, password and domain\./);
    // Protocol fields only behind Details.
    expect(steps.textContent).not.toMatch(/call id/);
    await userEvent.click(within(screen.getByRole('region', { name: 'Test connection' })).getByRole('button', { name: 'Details' }));
    expect(step('call').textContent).toMatch(/server call id 384, window 64/);
  });

  it('without password: says the password was not tested, and sends credentials false', async () => {
    fake.testResult = {
      steps: authFailed.steps.slice(0, 5).concat(
        (['auth', 'encryption', 'ipcp'] as const).map((s) => ({ step: s, status: 'not-tested' as const, message: 'Not tested: the test ran without a password.' })),
      ),
      verdict: { kind: 'works', credentialsTested: false, summary: 'the server is reachable and GRE works; credentials not tested.' },
    };
    await openOffice();
    await userEvent.click(screen.getByRole('button', { name: 'Test without password' }));
    await settle();
    expect(fake.callsTo('tunnel.test')).toEqual([{ profileId: office, credentials: false }]);
    expect(screen.getByText(/The server is reachable and tunnel packets pass\. The password was not tested\./)).toBeTruthy();
    const auth = screen.getByRole('list', { name: 'Test steps' }).querySelector('[data-step="auth"]') as HTMLElement;
    expect(auth.dataset.status).toBe('not-tested');
  });

  it('asks for the password of an ask-every-time profile, then tests with it', async () => {
    const ask = fake.addProfile({ name: 'Ask', server: 'ask.example.com', username: 'bob', askPasswordEveryTime: true }).id;
    await renderApp(fake);
    await userEvent.click(within(screen.getByRole('list', { name: 'Profile list' })).getByRole('button', { name: /^Ask/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    const dialog = screen.getByRole('dialog', { name: 'Password for Ask' });
    await userEvent.type(within(dialog).getByLabelText('Password'), 'once');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Test' }));
    await settle();
    expect(fake.callsTo('tunnel.test')).toEqual([{ profileId: ask, password: 'once' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('is not offered while the tunnel is up', async () => {
    await openOffice();
    push({ event: 'connected', server: '192.0.2.1', localIp: '10.0.0.2', remoteIp: '10.0.0.1', dns: [], mtu: 1400, auth: 'mschapv2', mppe: { bits: 128, stateful: false }, elapsedMs: 300 });
    await settle();
    expect(screen.queryByRole('button', { name: 'Test connection' })).toBeNull();
  });
});

describe('Test connection in the editor', () => {
  it('tests the saved profile, and with unsaved changes says save first', async () => {
    await openOffice();
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const test = () => screen.getByRole('button', { name: 'Test connection' }) as HTMLButtonElement;
    expect(test().disabled).toBe(false);
    const server = screen.getByLabelText(/^Server/) as HTMLInputElement;
    await userEvent.type(server, 'x');
    expect(test().disabled).toBe(true);
    expect(screen.getByText('Save first: the test uses the saved profile.')).toBeTruthy();
    await userEvent.type(server, '{backspace}');
    expect(test().disabled).toBe(false);
    await userEvent.click(test());
    await settle();
    expect(fake.callsTo('tunnel.test')).toEqual([{ profileId: office, credentials: true }]);
  });
});

describe('failure view', () => {
  it('a connect refused at start is said once', async () => {
    fake.failures.set('tunnel.connect', { code: 'service-unavailable', message: 'pkexec was dismissed' });
    await openOffice();
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    act(() => fake.tunnelInput({ kind: 'failed', profileId: office, reason: 'internal-error', message: 'pkexec was dismissed' }));
    await settle();
    expect(document.body.textContent!.split('pkexec was dismissed').length - 1).toBe(1);
  });

  it('says routes and DNS were restored only when the attempt had set them', async () => {
    await openOffice();
    for (const phase of ['tcp', 'control', 'call', 'lcp', 'auth', 'ccp', 'ipcp', 'routes'] as const) push({ event: 'phase', phase, status: 'done', at: 1, durationMs: 1 });
    push({ event: 'error', reason: 'keepalive-timeout', message: 'no echo reply' });
    push({ event: 'disconnected', reason: 'keepalive-timeout', restored: true });
    await settle();
    expect(screen.getByText('Routes and DNS were restored.')).toBeTruthy();
  });
});
