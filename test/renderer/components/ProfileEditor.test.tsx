/** The profile editor: schema messages per field, security note loudness, save paths, sections, the unsaved-changes guard. */
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { PPTP_SECURITY_NOTICE } from '../../../preload/schema/profile';
import { ProfileEditor } from '../../../renderer/src/components/ProfileEditor';
import { description, inDocument } from '../support/dom';
import { FakeMain } from '../support/fake-bridge';
import { cleanupApp, renderWithStore, settle } from '../support/render-app';

afterEach(cleanupApp);

function securityNote() {
  return screen.getByRole('region', { name: 'Security note' });
}

describe('ProfileEditor', () => {
  it('submitEmpty_showsFieldMessagesFromTheSharedSchema_andSavesNothing', async () => {
    const { fake } = await renderWithStore(<ProfileEditor />);
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(inDocument(screen.getByText('Name is required'))).toBe(true);
    expect(inDocument(screen.getByText('Server is required'))).toBe(true);
    expect(description(screen.getByLabelText('Server'))).toMatch(/Server is required/);
    expect(fake.callsTo('profiles.create')).toEqual([]);
  });

  it('blurringAField_showsOnlyThatFieldsMessage', async () => {
    await renderWithStore(<ProfileEditor />);
    await userEvent.type(screen.getByLabelText('Server'), '300.1.1.1');
    await userEvent.tab();
    expect(inDocument(screen.getByText(/Server must be a host name/))).toBe(true);
    expect(screen.queryByText('Name is required')).toBeNull();
  });

  it('splitRoutes_badLine_isNamedByLineNumber', async () => {
    await renderWithStore(<ProfileEditor />);
    await userEvent.type(screen.getByLabelText('Name'), 'Office');
    await userEvent.type(screen.getByLabelText('Server'), 'vpn.example.com');
    await userEvent.click(screen.getByLabelText('Only these networks (split tunnel)'));
    await userEvent.type(screen.getByLabelText('Networks'), '10.0.0.0/8{enter}10.1.2.3/8');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    expect(inDocument(screen.getByText('Line 2: Route must name a network: 10.1.2.3/8 has host bits set (did you mean 10.0.0.0/8?)'))).toBe(true);
  });

  it('defaults_showTheCalmNotice_weakerChoices_getLouder', async () => {
    await renderWithStore(<ProfileEditor />);
    expect(securityNote().getAttribute('data-level')).toBe('info');
    // The general "PPTP is weak" note is said once (first run, About), not in every editor.
    expect(within(securityNote()).queryByText(PPTP_SECURITY_NOTICE)).toBeNull();
    expect(within(securityNote()).getByRole('heading').textContent).toBe('Strongest settings PPTP offers');

    await userEvent.click(screen.getByLabelText('MS-CHAPv1'));
    expect(securityNote().getAttribute('data-level')).toBe('warning');
    expect(inDocument(within(securityNote()).getByText(/MS-CHAP version 1 is allowed/))).toBe(true);

    const papBox = screen.getByLabelText('PAP');
    // One name per method; the clear-text warning is PAP's description, not part of its label.
    expect(document.getElementById(papBox.getAttribute('aria-describedby') ?? '')?.textContent).toBe('(clear text)');
    await userEvent.click(papBox);
    expect(securityNote().getAttribute('data-level')).toBe('danger');
    expect(within(securityNote()).getByRole('heading').textContent).toMatch(/Insecure settings/);
    const pap = within(securityNote()).getByText(/PAP is allowed/);
    expect(pap.classList.contains('finding--danger')).toBe(true);
  });

  it('encryptionNone_isDanger_andListsTheWarning', async () => {
    await renderWithStore(<ProfileEditor />);
    await userEvent.selectOptions(screen.getByLabelText('Encryption (MPPE)'), 'none');
    expect(securityNote().getAttribute('data-level')).toBe('danger');
    expect(inDocument(within(securityNote()).getByText('Encryption is off: all traffic is sent unencrypted.'))).toBe(true);
  });

  it('noAuthMethod_isAFieldError', async () => {
    await renderWithStore(<ProfileEditor />);
    await userEvent.click(screen.getByLabelText('MS-CHAPv2'));
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    expect(inDocument(screen.getByText('Allow at least one authentication method'))).toBe(true);
  });

  it('validNew_createsWithPassword_andOpensTheProfile', async () => {
    const { fake, store } = await renderWithStore(<ProfileEditor />);
    await userEvent.type(screen.getByLabelText('Name'), 'Office');
    await userEvent.type(screen.getByLabelText('Server'), 'vpn.example.com');
    await userEvent.type(screen.getByLabelText('User name'), 'alice');
    await userEvent.type(screen.getByLabelText('Password'), 'hunter2');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await settle();
    const [req] = fake.callsTo('profiles.create') as { profile: { name: string; username: string }; password: string }[];
    expect(req?.profile).toMatchObject({ name: 'Office', username: 'alice', mppe: 'require-128' });
    expect(req?.password).toBe('hunter2');
    const created = fake.profiles[0]!;
    expect(store.getState().view).toEqual({ view: 'profile', id: created.id });
  });

  it('askEveryTime_hidesThePassword_andStoresNone', async () => {
    const { fake } = await renderWithStore(<ProfileEditor />);
    await userEvent.type(screen.getByLabelText('Name'), 'Ask');
    await userEvent.type(screen.getByLabelText('Server'), 'ask.example.com');
    await userEvent.click(screen.getByLabelText(/Ask for the password at every connect/));
    expect(screen.queryByLabelText('Password')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await settle();
    expect(fake.callsTo('profiles.create')).toEqual([{ profile: expect.objectContaining({ askPasswordEveryTime: true }) }]);
  });

  it('mainRefusesTheName_showsItOnTheNameField', async () => {
    const fake = new FakeMain();
    fake.addProfile({ name: 'Office', server: 'a.example.com' });
    await renderWithStore(<ProfileEditor />, fake);
    await userEvent.type(screen.getByLabelText('Name'), 'office');
    await userEvent.type(screen.getByLabelText('Server'), 'b.example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await settle();
    expect(description(screen.getByLabelText('Name'))).toMatch(/already exists/);
  });

  it('edit_clearingDomainAndMtu_sendsNulls_andKeepsThePassword', async () => {
    const fake = new FakeMain();
    const p = fake.addProfile({ name: 'Corp', server: 'corp.example.com', domain: 'CORP', mtu: 1400 }, 'pw');
    await renderWithStore(<ProfileEditor profile={p} />, fake);
    expect(inDocument(screen.getByRole('heading', { name: 'Edit Corp' }))).toBe(true);
    expect(inDocument(screen.getByText(/A password is stored in the system keychain/))).toBe(true);
    await userEvent.clear(screen.getByLabelText('Domain (optional)'));
    await userEvent.clear(screen.getByLabelText('MTU (optional)'));
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await settle();
    const [req] = fake.callsTo('profiles.update') as { id: string; patch: Record<string, unknown>; password?: unknown }[];
    expect(req?.id).toBe(p.id);
    expect(req?.patch.domain).toBeNull();
    expect(req?.patch.mtu).toBeNull();
    expect(req && 'password' in req).toBe(false);
    expect(fake.profiles[0]?.domain).toBeUndefined();
    expect(fake.passwords.get(p.id)).toBe('pw');
  });
});

function section(title: string): HTMLDetailsElement {
  const heading = screen.getByRole('heading', { level: 2, name: title });
  return heading.closest('details') as HTMLDetailsElement;
}

describe('ProfileEditor sections and unsaved changes', () => {
  it('newProfile_focusesName_andTabbingPastAnUntouchedFieldSaysNothingYet', async () => {
    await renderWithStore(<ProfileEditor />);
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    await userEvent.tab();
    expect(screen.queryByText('Name is required')).toBeNull();
    await userEvent.type(screen.getByLabelText('Server'), 'x');
    await userEvent.clear(screen.getByLabelText('Server'));
    await userEvent.tab();
    expect(inDocument(screen.getByText('Server is required'))).toBe(true);
  });

  it('essentialsFirst_theRestInClosedSections_whoseSummarySaysTheirValues', async () => {
    await renderWithStore(<ProfileEditor />);
    const titles = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(titles).toEqual(['Security', 'Routes and DNS', 'MTU', 'Keepalive', 'Reconnect']);
    for (const t of titles) expect(section(t!).open).toBe(false);
    expect(section('MTU').querySelector('summary')?.textContent).toBe('MTUNegotiated');
    expect(section('Security').querySelector('summary')?.textContent).toMatch(/MS-CHAPv2; encryption required, 128-bit only/);
    // The essentials are outside every section.
    for (const label of ['Name', 'Server', 'User name', 'Password']) expect(screen.getByLabelText(label).closest('details')).toBeNull();
    await userEvent.click(section('MTU').querySelector('summary')!);
    expect(section('MTU').open).toBe(true);
  });

  it('anErrorInAClosedSection_opensIt_andFocusesTheField', async () => {
    const { fake } = await renderWithStore(<ProfileEditor />);
    await userEvent.type(screen.getByLabelText('Name'), 'Office');
    await userEvent.type(screen.getByLabelText('Server'), 'vpn.example.com');
    await userEvent.click(section('MTU').querySelector('summary')!);
    await userEvent.type(screen.getByLabelText('MTU (optional)'), '99999');
    await userEvent.click(section('MTU').querySelector('summary')!);
    expect(section('MTU').open).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await settle();
    expect(section('MTU').open).toBe(true);
    expect(document.activeElement).toBe(screen.getByLabelText('MTU (optional)'));
    expect(section('Keepalive').open).toBe(false);
    expect(fake.callsTo('profiles.create')).toEqual([]);
  });

  it('weakerSecurity_opensTheSecuritySection_withTheWarningBesideTheChoice', async () => {
    const fake = new FakeMain();
    const p = fake.addProfile({ name: 'Legacy', server: 'old.example.com', auth: ['pap'] });
    await renderWithStore(<ProfileEditor profile={p} />, fake);
    expect(section('Security').open).toBe(true);
    expect(section('Security').querySelector('.editor-section__values--danger')).not.toBeNull();
    expect(within(section('Security')).getByRole('region', { name: 'Security note' }).getAttribute('data-level')).toBe('danger');
  });

  it('cancelWithChanges_asksDiscard_keepEditingStays_discardLeaves', async () => {
    const fake = new FakeMain();
    const p = fake.addProfile({ name: 'Corp', server: 'corp.example.com' });
    const { store } = await renderWithStore(<ProfileEditor profile={p} />, fake, (s) => s.getState().navigate({ view: 'edit', id: p.id }));
    // No changes: Cancel leaves at once.
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(store.getState().view).toEqual({ view: 'profile', id: p.id });
    act(() => store.getState().navigate({ view: 'edit', id: p.id }));
    await userEvent.type(screen.getByLabelText('Name'), ' HQ');
    expect(screen.getByText('Unsaved changes').textContent).toBe('Unsaved changes');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    const ask = screen.getByRole('dialog', { name: 'Discard changes?' });
    expect(document.activeElement).toBe(within(ask).getByRole('button', { name: 'Keep editing' }));
    await userEvent.click(within(ask).getByRole('button', { name: 'Keep editing' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().view).toEqual({ view: 'edit', id: p.id });
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Corp HQ');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Discard changes?' })).getByRole('button', { name: 'Discard' }));
    expect(store.getState().view).toEqual({ view: 'profile', id: p.id });
    expect(fake.callsTo('profiles.update')).toEqual([]);
  });

  it('unsavedChanges_holdTheWindowClose_savingReleasesIt', async () => {
    const fake = new FakeMain();
    const p = fake.addProfile({ name: 'Corp', server: 'corp.example.com' });
    const { store } = await renderWithStore(<ProfileEditor profile={p} />, fake);
    const closeWindow = () => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(closeWindow()).toBe(false);
    await userEvent.type(screen.getByLabelText('User name'), 'bob');
    expect(closeWindow()).toBe(true);
    expect(store.getState().editorDirty).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    await settle();
    expect(store.getState().editorDirty).toBe(false);
    expect(store.getState().view).toEqual({ view: 'profile', id: p.id });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
