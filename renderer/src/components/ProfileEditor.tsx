/**
 * The profile editor (new and edit): every setting with inline help, field-level messages from
 * the shared zod schema (shown once a field was left or the form submitted; main's own issues
 * are mapped onto the same fields), the password (kept in the keychain, never shown), and the
 * live security note for the auth and encryption choices.
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
  issuesToFieldErrors,
  validateForm,
  type FieldErrors,
  type FormField,
  type ProfileForm,
} from '../lib/profile-form';
import { useApp } from '../store/context';
import { TestConnection } from './TestConnection';
import { Field } from './Field';
import { SecurityNote } from './SecurityNote';

export interface ProfileEditorProps {
  /** The profile to edit; absent for a new one. */
  profile?: Profile;
}

export function ProfileEditor({ profile }: ProfileEditorProps) {
  const createProfile = useApp((s) => s.createProfile);
  const updateProfile = useApp((s) => s.updateProfile);
  const hasPassword = useApp((s) => s.hasPassword);
  const navigate = useApp((s) => s.navigate);
  const [form, setForm] = useState<ProfileForm>(() => (profile ? formFromProfile(profile) : emptyForm()));
  const [touched, setTouched] = useState<ReadonlySet<FormField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [storedPassword, setStoredPassword] = useState<boolean | null>(null);
  const [clearPassword, setClearPassword] = useState(false);
  const headingId = useId();
  const profileId = profile?.id;

  useEffect(() => {
    if (!profileId) return;
    let live = true;
    void hasPassword(profileId).then((has) => live && setStoredPassword(has));
    return () => {
      live = false;
    };
  }, [profileId, hasPassword]);

  // The test runs on the saved profile: with unsaved changes it says "save first" (TestConnection.tsx).
  const dirty = profile !== undefined && JSON.stringify(form) !== JSON.stringify(formFromProfile(profile));
  const validation = validateForm(form);
  const schemaErrors = validation.ok ? {} : validation.errors;
  const errorFor = (field: FormField): string | undefined =>
    serverErrors[field] ?? (submitted || touched.has(field) ? schemaErrors[field] : undefined);

  function update<K extends keyof ProfileForm>(key: K, value: ProfileForm[K]) {
    setForm((f) => ({ ...f, [key]: value }));
    if (key in serverErrors) setServerErrors((e) => ({ ...e, [key]: undefined }));
  }
  const touch = (field: FormField) => () => setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));

  function toggleAuth(method: AuthMethod, on: boolean) {
    update('auth', on ? AUTH_METHODS.filter((m) => m === method || form.auth.includes(m)) : form.auth.filter((m) => m !== method));
    touch('auth')();
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setFormError(null);
    if (!validation.ok) {
      // Move focus to the first invalid control so keyboard users land on the problem.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('form[aria-labelledby] [aria-invalid="true"]')?.focus());
      return;
    }
    setSaving(true);
    const password = form.askPasswordEveryTime || form.password === '' ? undefined : form.password;
    const result = profile
      ? await updateProfile(profile.id, { ...validation.value, domain: validation.value.domain ?? null, mtu: validation.value.mtu ?? null }, clearPassword && !password ? null : password)
      : await createProfile(validation.value, password);
    setSaving(false);
    if (result.ok) {
      navigate({ view: 'profile', id: result.value.id });
      return;
    }
    const mapped = issuesToFieldErrors(result.error.issues ?? []);
    if (result.error.code === 'name-taken') mapped.name = result.error.message;
    setServerErrors(mapped);
    setFormError(mapped.form ?? (Object.keys(mapped).length ? 'Some fields need attention.' : result.error.message));
  }

  const title = profile ? `Edit ${profile.name}` : 'New profile';
  return (
    <form className="editor" aria-labelledby={headingId} onSubmit={onSubmit} noValidate>
      <h1 id={headingId}>{title}</h1>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}

      <fieldset className="editor__group">
        <legend>Connection</legend>
        <Field label="Name" error={errorFor('name')} help="Shown in the list and the tray menu.">
          {(p) => <input {...p} type="text" value={form.name} onChange={(e) => update('name', e.target.value)} onBlur={touch('name')} autoComplete="off" data-autofocus />}
        </Field>
        <Field label="Server" error={errorFor('server')} help="Host name or IPv4 address of the PPTP server (TCP port 1723).">
          {(p) => <input {...p} type="text" value={form.server} onChange={(e) => update('server', e.target.value)} onBlur={touch('server')} autoComplete="off" spellCheck={false} />}
        </Field>
      </fieldset>

      <fieldset className="editor__group">
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

      <fieldset className="editor__group">
        <legend>Security</legend>
        <fieldset className="field" aria-describedby={errorFor('auth') ? 'auth-error' : undefined}>
          <legend className="field__label">Allowed authentication methods</legend>
          {AUTH_METHODS.map((m) => {
            // The method's one name labels the box; a weak method's security hint describes it.
            const hint = AUTH_METHOD_HINTS[m];
            const boxId = `${headingId}-auth-${m}`;
            return (
              <div key={m} className="check">
                <input
                  id={boxId}
                  type="checkbox"
                  checked={form.auth.includes(m)}
                  onChange={(e) => toggleAuth(m, e.target.checked)}
                  aria-describedby={hint ? `${boxId}-hint` : undefined}
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
            <p id="auth-error" className="field__error">
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
        <SecurityNote profile={{ auth: form.auth, mppe: form.mppe, allowStateful: form.allowStateful }} />
      </fieldset>

      <fieldset className="editor__group">
        <legend>Network</legend>
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
        <Field label="MTU (optional)" error={errorFor('mtu')} help="Leave empty to use what is negotiated (576–1500).">
          {(p) => <input {...p} type="number" inputMode="numeric" value={form.mtu} onChange={(e) => update('mtu', e.target.value)} onBlur={touch('mtu')} />}
        </Field>
      </fieldset>

      <fieldset className="editor__group">
        <legend>Reliability</legend>
        <Field label="Keepalive interval (seconds)" error={errorFor('lcpEchoIntervalS')} help="LCP echo every N seconds; 0 turns it off.">
          {(p) => <input {...p} type="number" value={form.lcpEchoIntervalS} onChange={(e) => update('lcpEchoIntervalS', e.target.value)} onBlur={touch('lcpEchoIntervalS')} />}
        </Field>
        <Field label="Missed keepalives before the link is dead" error={errorFor('lcpEchoFailures')}>
          {(p) => <input {...p} type="number" value={form.lcpEchoFailures} onChange={(e) => update('lcpEchoFailures', e.target.value)} onBlur={touch('lcpEchoFailures')} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={form.reconnectEnabled} onChange={(e) => update('reconnectEnabled', e.target.checked)} />
          Reconnect after an unexpected drop
        </label>
        <Field label="Reconnect attempts" error={errorFor('reconnectMaxAttempts')} help="0 means no limit.">
          {(p) => <input {...p} type="number" value={form.reconnectMaxAttempts} onChange={(e) => update('reconnectMaxAttempts', e.target.value)} onBlur={touch('reconnectMaxAttempts')} disabled={!form.reconnectEnabled} />}
        </Field>
      </fieldset>

      <div className="editor__actions">
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save profile'}
        </button>
        <button type="button" className="button" onClick={() => navigate(profile ? { view: 'profile', id: profile.id } : { view: 'home' })}>
          Cancel
        </button>
      </div>
      {profile && <TestConnection profile={profile} dirty={dirty} />}
    </form>
  );
}
