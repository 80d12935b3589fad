/**
 * How loud each security finding is. The words come from the shared schema
 * (securityFindings); this only ranks them: 'danger' where traffic or the password may cross
 * the network in clear text, 'warning' for choices that are merely weaker.
 */
import { securityFindings, type ProfileSettings, type SecurityWarning, type SecurityWarningCode } from '../../../preload/schema/profile';

export type SecurityLevel = 'info' | 'warning' | 'danger';

const DANGER: ReadonlySet<SecurityWarningCode> = new Set<SecurityWarningCode>(['auth-pap', 'mppe-none', 'mppe-optional']);

export interface RankedFinding extends SecurityWarning {
  readonly level: Exclude<SecurityLevel, 'info'>;
}

export function rankFindings(profile: Pick<ProfileSettings, 'auth' | 'mppe' | 'allowStateful'>): RankedFinding[] {
  return securityFindings(profile).map((f) => ({ ...f, level: DANGER.has(f.code) ? 'danger' : 'warning' }));
}

export function overallLevel(findings: readonly RankedFinding[]): SecurityLevel {
  if (findings.some((f) => f.level === 'danger')) return 'danger';
  return findings.length ? 'warning' : 'info';
}
