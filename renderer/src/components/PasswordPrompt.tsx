/**
 * Asks for the password at connect (or for a connection test): for profiles that ask every time (used once, never stored)
 * and for profiles with nothing in the keychain (optionally remembered there).
 */
import { useState, type FormEvent } from 'react';
import { useApp } from '../store/context';
import { profilesSelectors } from '../store/profiles-slice';
import { Dialog } from './Dialog';

export function PasswordPrompt() {
  const prompt = useApp((s) => s.passwordPrompt);
  const profile = useApp(profilesSelectors.byId(prompt?.profileId));
  const submitPassword = useApp((s) => s.submitPassword);
  const cancel = useApp((s) => s.cancelPasswordPrompt);
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!prompt) return null;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (password === '') {
      setError('Enter the password.');
      return;
    }
    setBusy(true);
    const r = await submitPassword(password, remember);
    setBusy(false);
    if (!r.ok && r.error.code !== 'password-required' && r.error.code !== 'no-password') setError(r.error.message);
    else setPassword('');
  }

  return (
    <Dialog title={`Password for ${profile?.name ?? 'this profile'}`} onClose={cancel}>
      <form onSubmit={onSubmit} className="stack" noValidate>
        <p className="muted">
          {prompt.mode === 'ask' ? 'This profile asks for the password at every connect; it is not stored.' : 'No password is stored for this profile.'}
        </p>
        <label className="field">
          <span className="field__label">Password</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            aria-invalid={error ? true : undefined}
            data-autofocus
          />
        </label>
        {prompt.mode === 'missing' && (
          <label className="check">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
            Remember it in the system keychain
          </label>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {prompt.purpose === 'test' ? 'Test' : 'Connect'}
          </button>
          <button type="button" className="button" onClick={cancel}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
