/**
 * What the app says about security, each thing once, where it belongs:
 *  - `SecurityNote`: with a profile (editor, connection view), graded by the profile's choices:
 *    calm and short for the strongest settings PPTP offers, each weaker choice listed and louder
 *    the weaker it is. It does not repeat the general "PPTP is weak" note;
 *  - `PptpWeaknessNote`: the general note (PPTP itself is broken), in Settings → About;
 *  - `FirstRunSecurityNote`: the same general note at first run, until dismissed; the dismissal
 *    is the setting `securityNoteDismissed`, so it shows once per user, not once per launch.
 *    It is a banner, not a modal: it blocks nothing (after Tunnelblick's and Viscosity's
 *    first-launch notes, without their modality).
 *  Its title is an h2 directly under a screen's h1 (connection view) and an h3 inside the
 *  editor's Security section: a skipped level is an axe heading-order violation.
 */
import { PPTP_SECURITY_NOTICE, type ProfileSettings } from '../../../preload/schema/profile';
import { overallLevel, rankFindings } from '../lib/security';
import { useApp } from '../store/context';
import '../styles/logs.css';

const HEADINGS = {
  info: 'Strongest settings PPTP offers',
  warning: 'Weaker security settings',
  danger: 'Insecure settings: traffic or password may be exposed',
} as const;

/** Why PPTP is weak, in more words than the one-line notice (shown in About and at first run). */
export const PPTP_WEAKNESS_DETAIL =
  'MS-CHAPv2 can be cracked offline from one captured login, and MPPE is unauthenticated RC4, so traffic can be read and changed by someone on the path. PPTP Manager uses the strongest settings PPTP has (MS-CHAPv2 with the server’s proof checked, 128-bit MPPE required) and warns in the profile editor about every weaker choice.';

/** `headingLevel` keeps the page's heading order: h2 under a screen's h1, h3 inside an editor section. */
export function SecurityNote({ profile, headingLevel = 2 }: { profile: Pick<ProfileSettings, 'auth' | 'mppe' | 'allowStateful'>; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const findings = rankFindings(profile);
  const level = overallLevel(findings);
  return (
    <section className={`security-note security-note--${level}`} aria-label="Security note" aria-live="polite" data-level={level}>
      <Heading className="security-note__title">{HEADINGS[level]}</Heading>
      {findings.length === 0 ? (
        <p className="security-note__notice">MS-CHAPv2 with the server’s proof checked, and 128-bit MPPE encryption required.</p>
      ) : (
        <ul className="security-note__findings">
          {findings.map((f) => (
            <li key={f.code} className={`finding finding--${f.level}`} data-code={f.code}>
              {f.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The general note, for Settings → About. `headingLevel` keeps the page's heading order. */
export function PptpWeaknessNote({ headingLevel = 3 }: { headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="security-note security-note--info" aria-label="PPTP security" data-level="info">
      <Heading className="security-note__title">PPTP encryption is weak</Heading>
      <p className="security-note__notice">{PPTP_SECURITY_NOTICE}</p>
      <p className="security-note__notice">{PPTP_WEAKNESS_DETAIL}</p>
    </section>
  );
}

/** The general note at first run: shown until the user dismisses it (remembered in settings). */
export function FirstRunSecurityNote() {
  const loaded = useApp((s) => s.settingsLoaded);
  const dismissed = useApp((s) => s.settings.securityNoteDismissed);
  const updateSettings = useApp((s) => s.updateSettings);
  if (!loaded || dismissed) return null;
  return (
    <div className="security-note security-note--info first-run-note" role="region" aria-label="Before you start: PPTP is weak" data-level="info">
      <p className="security-note__title">
        <strong>Before you start: PPTP is weak</strong>
      </p>
      <p className="security-note__notice">{PPTP_SECURITY_NOTICE}</p>
      <p className="security-note__notice">{PPTP_WEAKNESS_DETAIL} This note stays in Settings → About.</p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={() => void updateSettings({ securityNoteDismissed: true })}>
          I understand
        </button>
      </div>
    </div>
  );
}
