/**
 * The security note shown with every profile: PPTP itself is weak (always said, calmly), and each
 * weaker choice the profile makes is listed, louder the weaker it is (DESIGN.md §1).
 * Its title is an h2: it sits directly under a screen's h1 (editor, connection view), and a
 * deeper level skipped one (axe heading-order).
 */
import { PPTP_SECURITY_NOTICE, type ProfileSettings } from '../../../preload/schema/profile';
import { overallLevel, rankFindings } from '../lib/security';

const HEADINGS = {
  info: 'PPTP encryption is weak',
  warning: 'Weaker security settings',
  danger: 'Insecure settings: traffic or password may be exposed',
} as const;

export function SecurityNote({ profile }: { profile: Pick<ProfileSettings, 'auth' | 'mppe' | 'allowStateful'> }) {
  const findings = rankFindings(profile);
  const level = overallLevel(findings);
  return (
    <section className={`security-note security-note--${level}`} aria-label="Security note" aria-live="polite" data-level={level}>
      <h2 className="security-note__title">{HEADINGS[level]}</h2>
      <p className="security-note__notice">{PPTP_SECURITY_NOTICE}</p>
      {findings.length > 0 && (
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
