/**
 * The profile editor (new and edit). The essentials come first and are always shown (name,
 * server, user, domain, password or "ask every time"); the rest sits in collapsible sections
 * (Security, Routes and DNS, MTU, Keepalive, Reconnect) whose closed summary still says their
 * values. Field messages come from the shared zod schema (shown once a field was left or the
 * form submitted; main's own issues are mapped onto the same fields); on a failed save the
 * sections holding errors open and focus goes to the first invalid field. Save and Cancel sit
 * in a sticky footer, always visible. Unsaved changes are guarded: leaving through the app
 * asks "Discard changes?" (ui-slice holds the waiting move), closing the window triggers the
 * browser's beforeunload prompt. The security note with the graded warnings stays beside the
 * security choices, and the Security section starts open when the profile makes a weaker one.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Profile } from '../../../preload/schema/profile';
import {
  AUTH_METHOD_LABELS,
  AUTH_METHODS,
  MPPE_REQUIREMENT_LABELS,
  MPPE_REQUIREMENTS,
  type AuthMethod,
  type MppeRequirement,
} from '../../../preload/vocabulary';
import { AUTH_METHOD_HINTS } from '../lib/labels';
import {
  emptyForm,
  formFromProfile,
  isFormDirty,
  issuesToFieldErrors,
  SECTION_TITLES,
  sectionSummary,
  sectionsWithErrors,
  validateForm,
  type EditorSection as SectionName,
  type FieldErrors,
  type FormField,
  type ProfileForm,
} from '../lib/profile-form';
import { overallLevel, rankFindings } from '../lib/security';
import { useApp } from '../store/context';
import { DiscardDialog } from './DiscardDialog';
import { EditorSection } from './EditorSection';
import { TestConnection } from './TestConnection';
import { Field } from './Field';
import { SecurityNote } from './SecurityNote';
import '../styles/editor.css';

const SUMMARY_LABELS = { auth: AUTH_METHOD_LABELS, mppe: MPPE_REQUIREMENT_LABELS };

export interface ProfileEditorProps {
  /** The profile to edit; absent for a new one. */
  profile?: Profile;
}

function securityLevel(f: ProfileForm) {
  return overallLevel(rankFindings({ auth: f.auth, mppe: f.mppe, allowStateful: f.allowStateful }));
}

export function ProfileEditor({ profile }: ProfileEditorProps) {
  const createProfile = useApp((s) => s.createProfile);
  const updateProfile = useApp((s) => s.updateProfile);
  const hasPassword = useApp((s) => s.hasPassword);
  const navigate = useApp((s) => s.navigate);
  const setEditorDirty = useApp((s) => s.setEditorDirty);
  const leaving = useApp((s) => s.pendingView !== null);
  const [initial] = useState<ProfileForm>(() => (profile ? formFromProfile(profile) : emptyForm()));
  const [form, setForm] = useState<ProfileForm>(initial);
  const [touched, setTouched] = useState<ReadonlySet<FormField>>(new Set());
  const [edited, setEdited] = useState<ReadonlySet<keyof ProfileForm>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [storedPassword, setStoredPassword] = useState<boolean | null>(null);
  const [clearPassword, setClearPassword] = useState(false);
  const [open, setOpen] = useState<ReadonlySet<SectionName>>(() => new Set(securityLevel(initial) !== 'info' ? ['security'] : []));
  /** Bumped to move focus to the first invalid field once the sections holding it are open. */
  const [focusRequest, setFocusRequest] = useState(0);
  const headingId = useId();
  const formId = `${headingId}-form`;
  const profileId = profile?.id;
  const dirty = isFormDirty(initial, form) || clearPassword;

  useEffect(() => {
    if (!profileId) return;
    let live = true;
    void hasPassword(profileId).then((has) => live && setStoredPassword(has));
    return () => {
      live = false;
    };
  }, [profileId, hasPassword]);

  // The store's guard and the window's close both need to know about unsaved changes.
  useEffect(() => {
    setEditorDirty(dirty);
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty, setEditorDirty]);
  useEffect(() => () => setEditorDirty(false), [setEditorDirty]);

  useEffect(() => {
    if (focusRequest === 0) return;
    const first = document.getElementById(formId)?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (!first) return;
    // Centred, so the sticky footer never hides the field.
    first.focus({ preventScroll: true });
    first.scrollIntoView?.({ block: 'center' });
  }, [focusRequest, formId]);

  const validation = validateForm(form);
  const schemaErrors = validation.ok ? {} : validation.errors;
  const errorFor = (field: FormField): string | undefined =>
    serverErrors[field] ?? (submitted || touched.has(field) ? schemaErrors[field] : undefined);

  function update<K extends keyof ProfileForm>(key: K, value: ProfileForm[K]) {
    setForm((f) => ({ ...f, [key]: value }));
    setEdited((e) => (e.has(key) ? e : new Set(e).add(key)));
    if (key in serverErrors) setServerErrors((e) => ({ ...e, [key]: undefined }));
  }
  /** A field's message shows once it was left after an edit (passing through an empty field says nothing yet). */
  const touch = (field: FormField) => () => {
    if (field !== 'form' && field !== 'auth' && !edited.has(field)) return;
    setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
  };

  function toggleAuth(method: AuthMethod, on: boolean) {
    update('auth', on ? AUTH_METHODS.filter((m) => m === method || form.auth.includes(m)) : form.auth.filter((m) => m !== method));
    touch('auth')();
  }

  function setSectionOpen(section: SectionName, isOpen: boolean) {
    setOpen((o) => {
      if (o.has(section) === isOpen) return o;
      const next = new Set(o);
      if (isOpen) next.add(section);
      else next.delete(section);
      return next;
    });
  }

  /** Opens the sections holding errors, then moves focus to the first invalid control. */
  function showErrors(errors: FieldErrors) {
    const withErrors = sectionsWithErrors(errors);
    if (withErrors.length) setOpen((o) => new Set([...o, ...withErrors]));
    setFocusRequest((n) => n + 1);
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setFormError(null);
    if (!validation.ok) {
      showErrors(validation.errors);
      return;
    }
    setSaving(true);
    const password = form.askPasswordEveryTime || form.password === '' ? undefined : form.password;
    const result = profile
      ? await updateProfile(profile.id, { ...validation.value, domain: validation.value.domain ?? null, mtu: validation.value.mtu ?? null }, clearPassword && !password ? null : password)
      : await createProfile(validation.value, password);
    setSaving(false);
    if (result.ok) {
      setEditorDirty(false);
      navigate({ view: 'profile', id: result.value.id });
      return;
    }
    const mapped = issuesToFieldErrors(result.error.issues ?? []);
    if (result.error.code === 'name-taken') mapped.name = result.error.message;
    setServerErrors(mapped);
    setFormError(mapped.form ?? (Object.keys(mapped).length ? 'Some fields need attention.' : result.error.message));
    showErrors(mapped);
  }

  const level = securityLevel(form);
  const sectionProps = (section: SectionName) => ({
    id: `${headingId}-${section}`,
    title: SECTION_TITLES[section],
    summary: sectionSummary(section, form, SUMMARY_LABELS),
    open: open.has(section),
    onToggle: (isOpen: boolean) => setSectionOpen(section, isOpen),
  });
  const invalid = (field: FormField) => (errorFor(field) ? { 'aria-invalid': true as const } : {});

  const title = profile ? `Edit ${profile.name}` : 'New profile';
  return (
    <form id={formId} className="editor" aria-labelledby={headingId} onSubmit={onSubmit} noValidate>
      <h1 id={headingId}>{title}</h1>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}

      <fieldset className="editor__group editor__essentials">
        <legend>Connection</legend>
        <Field label="Name" error={errorFor('name')} help="Shown in the list and the tray menu.">
          {(p) => <input {...p} type="text" value={form.name} onChange={(e) => update('name', e.target.value)} onBlur={touch('name')} autoComplete="off" autoFocus={!profile} />}
        </Field>
        <Field label="Server" error={errorFor('server')} help="Host name or IPv4 address of the PPTP server (TCP port 1723).">
          {(p) => <input {...p} type="text" value={form.server} onChange={(e) => update('server', e.target.value)} onBlur={touch('server')} autoComplete="off" spellCheck={false} />}
        </Field>
      </fieldset>

      <fieldset className="editor__group editor__essentials">
        <legend>Sign-in</legend>
        <Field label="User name" error={errorFor('username')}>
          {(p) => <input {...p} type="text" value={form.username} onChange={(e) => update('username', e.target.value)} onBlur={touch('username')} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field label="Domain (optional)" error={errorFor('domain')} help="Windows domain, sent as DOMAIN\user. Leave empty if the server does not need one.">
          {(p) => <input {...p} type="text" value={form.domain} onChange={(e) => update('domain', e.target.value)} onBlur={touch('domain')} autoComplete="off" spellCheck={false} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={form.askPasswordEveryTime} onChange={(e) => update('askPasswordEveryTime', e.target.checked)} />
          Ask for the password at every connect (nothing is stored)
        </label>
        {!form.askPasswordEveryTime && (
          <Field
            label="Password"
            help={
              profile
                ? storedPassword
                  ? 'A password is stored in the system keychain. Leave empty to keep it.'
                  : 'No password is stored yet. It is kept in the system keychain, never in files.'
                : 'Kept in the system keychain, never in profile files, logs or exports.'
            }
          >
            {(p) => <input {...p} type="password" value={form.password} onChange={(e) => update('password', e.target.value)} autoComplete="new-password" />}
          </Field>
        )}
        {profile && storedPassword && !form.askPasswordEveryTime && (
          <label className="check">
            <input type="checkbox" checked={clearPassword} onChange={(e) => setClearPassword(e.target.checked)} />
            Remove the stored password
          </label>
        )}
      </fieldset>

      <EditorSection {...sectionProps('security')} tone={level === 'info' ? undefined : level}>
        <fieldset className="field" aria-describedby={errorFor('auth') ? `${headingId}-auth-error` : undefined}>
          <legend className="field__label">Allowed authentication methods</legend>
          {AUTH_METHODS.map((m) => {
            // The method's one name labels the box; a weak method's security hint describes it.
            const hint = AUTH_METHOD_HINTS[m];
            const boxId = `${headingId}-auth-${m}`;
            const describedBy = [errorFor('auth') ? `${headingId}-auth-error` : null, hint ? `${boxId}-hint` : null].filter(Boolean).join(' ');
            return (
              <div key={m} className="check">
                <input
                  id={boxId}
                  type="checkbox"
                  checked={form.auth.includes(m)}
                  onChange={(e) => toggleAuth(m, e.target.checked)}
                  aria-describedby={describedBy || undefined}
                  {...invalid('auth')}
                />
                <label htmlFor={boxId}>{AUTH_METHOD_LABELS[m]}</label>
                {hint && (
                  <span id={`${boxId}-hint`} className="field__help">
                    ({hint})
                  </span>
                )}
              </div>
            );
          })}
          {errorFor('auth') && (
            <p id={`${headingId}-auth-error`} className="field__error">
              {errorFor('auth')}
            </p>
          )}
          <p className="field__help">MS-CHAPv2 is the only method that also proves the server knows your password and yields MPPE keys.</p>
        </fieldset>
        <Field label="Encryption (MPPE)" error={errorFor('mppe')} help="128-bit MPPE, required, is the strongest PPTP offers.">
          {(p) => (
            <select {...p} value={form.mppe} onChange={(e) => update('mppe', e.target.value as MppeRequirement)}>
              {MPPE_REQUIREMENTS.map((m) => (
                <option key={m} value={m}>
                  {MPPE_REQUIREMENT_LABELS[m]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label className="check">
          <input type="checkbox" checked={form.allowStateful} onChange={(e) => update('allowStateful', e.target.checked)} disabled={form.mppe === 'none'} />
          Allow stateful MPPE (if the server insists)
        </label>
        <SecurityNote headingLevel={3} profile={{ auth: form.auth, mppe: form.mppe, allowStateful: form.allowStateful }} />
      </EditorSection>

      <EditorSection {...sectionProps('routes')}>
        <fieldset className="field">
          <legend className="field__label">Routes</legend>
          <label className="check">
            <input type="radio" name="routes" checked={form.routesMode === 'full'} onChange={() => update('routesMode', 'full')} />
            All traffic through the VPN
          </label>
          <label className="check">
            <input type="radio" name="routes" checked={form.routesMode === 'split'} onChange={() => update('routesMode', 'split')} />
            Only these networks (split tunnel)
          </label>
        </fieldset>
        {form.routesMode === 'split' && (
          <Field label="Networks" error={errorFor('cidrs')} help="One IPv4 network per line, e.g. 10.0.0.0/8.">
            {(p) => <textarea {...p} rows={4} value={form.cidrs} onChange={(e) => update('cidrs', e.target.value)} onBlur={touch('cidrs')} spellCheck={false} />}
          </Field>
        )}
        <label className="check">
          <input type="checkbox" checked={form.usePeerDns} onChange={(e) => update('usePeerDns', e.target.checked)} />
          Use the DNS servers the VPN offers
        </label>
      </EditorSection>

      <EditorSection {...sectionProps('mtu')}>
        <Field label="MTU (optional)" error={errorFor('mtu')} help="Leave empty to use what is negotiated (576–1500).">
          {(p) => <input {...p} type="number" inputMode="numeric" value={form.mtu} onChange={(e) => update('mtu', e.target.value)} onBlur={touch('mtu')} />}
        </Field>
      </EditorSection>

      <EditorSection {...sectionProps('keepalive')}>
        <Field label="Keepalive interval (seconds)" error={errorFor('lcpEchoIntervalS')} help="LCP echo every N seconds; 0 turns it off.">
          {(p) => <input {...p} type="number" value={form.lcpEchoIntervalS} onChange={(e) => update('lcpEchoIntervalS', e.target.value)} onBlur={touch('lcpEchoIntervalS')} />}
        </Field>
        <Field label="Missed keepalives before the link is dead" error={errorFor('lcpEchoFailures')}>
          {(p) => <input {...p} type="number" value={form.lcpEchoFailures} onChange={(e) => update('lcpEchoFailures', e.target.value)} onBlur={touch('lcpEchoFailures')} />}
        </Field>
      </EditorSection>

      <EditorSection {...sectionProps('reconnect')}>
        <label className="check">
          <input type="checkbox" checked={form.reconnectEnabled} onChange={(e) => update('reconnectEnabled', e.target.checked)} />
          Reconnect after an unexpected drop
        </label>
        <Field label="Reconnect attempts" error={errorFor('reconnectMaxAttempts')} help="0 means no limit.">
          {(p) => <input {...p} type="number" value={form.reconnectMaxAttempts} onChange={(e) => update('reconnectMaxAttempts', e.target.value)} onBlur={touch('reconnectMaxAttempts')} disabled={!form.reconnectEnabled} />}
        </Field>
      </EditorSection>

      {profile && <TestConnection profile={profile} dirty={dirty} />}

      <div className="editor__footer">
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save profile'}
        </button>
        <button type="button" className="button" onClick={() => navigate(profile ? { view: 'profile', id: profile.id } : { view: 'home' })}>
          Cancel
        </button>
        {dirty && <span className="editor__unsaved muted">Unsaved changes</span>}
      </div>
      {leaving && <DiscardDialog />}
    </form>
  );
}
