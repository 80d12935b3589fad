/**
 * The diagnostic report a user copies or saves for support (report.create): plain text with the
 * app and engine versions, the OS, Electron and Node, the privilege mode, the settings, the
 * profiles (or the chosen one) without secrets, the timelines of the last attempts and the last
 * log lines. Pure: the core gathers the facts (system-facts.ts, stores, tracker) and passes them in.
 *
 * Secrets, twice over:
 *  - profiles are written field by field from a list (a password field added to the profile
 *    some day would not be copied by accident); passwords live in the keychain and are never
 *    read for the report; whether a profile asks every time is said instead;
 *  - the finished text passes `redact` (the log's SecretRegistry: current passwords and any key
 *    material registered, plus the password=... patterns) before it is returned.
 * User names and server names ARE included: support needs them (a misspelt server, a missing
 * DOMAIN\ prefix). The view says so before the user shares the report.
 *
 * Must not: do I/O, read clocks or the environment.
 */
import type { AppInfo, PhaseRecord, PhaseStatus, Settings } from '../../../preload/contract';
import type { Profile } from '../../../preload/schema/profile';
import type { AttemptRecord } from './attempt-tracker';
import type { LogLine } from './log-buffer';

/** Log lines put in a report (the newest). */
export const REPORT_LOG_LINES = 400;

export interface SystemFacts {
  readonly os: string;
  readonly platform: string;
  readonly arch: string;
  readonly electron?: string;
  readonly chrome?: string;
  readonly node: string;
  /** The tunnel service's RPC protocol version the app speaks. */
  readonly rpcVersion: number;
}

export interface ReportInput {
  readonly now: Date;
  readonly info: AppInfo;
  readonly system: SystemFacts;
  readonly settings: Settings;
  /** Every profile, for names; `only` picks the one the report is about. */
  readonly profiles: readonly Profile[];
  readonly only?: string;
  readonly attempts: readonly AttemptRecord[];
  readonly lines: readonly LogLine[];
  readonly redact: (text: string) => string;
}

export function reportFileName(now: Date): string {
  return `pptp-manager-report-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.txt`;
}

export function buildReport(input: ReportInput): string {
  const { info, system, settings, now } = input;
  const nameOf = (id: string | null | undefined) => (id ? (input.profiles.find((p) => p.id === id)?.name ?? `(removed profile ${id.slice(0, 8)})`) : 'none');
  const profiles = input.only ? input.profiles.filter((p) => p.id === input.only) : input.profiles;
  const attempts = input.only ? input.attempts.filter((a) => a.profileId === input.only) : input.attempts;
  // One profile: its lines, every line of its attempts (also earlier runs', known from the lines),
  // and the app's own lines that belong to no attempt; not other profiles' attempts.
  const attemptIds = new Set(attempts.map((a) => a.attemptId));
  for (const l of input.lines) if (l.attemptId !== undefined && l.profileId === input.only) attemptIds.add(l.attemptId);
  const about = (l: LogLine) => l.profileId === input.only || (l.attemptId !== undefined ? attemptIds.has(l.attemptId) : l.profileId === undefined);
  const lines = (input.only ? input.lines.filter(about) : input.lines).slice(-REPORT_LOG_LINES);

  const out: string[] = [];
  const section = (title: string) => out.push('', `== ${title} ==`);
  const row = (key: string, value: string) => out.push(`${`${key}:`.padEnd(22)}${value}`);

  out.push(`PPTP Manager diagnostic report, created ${now.toISOString()}`);
  out.push('Contains server and user names; never passwords, password hashes or keys. Check it before you share it.');

  section('App');
  row('App', `${info.name} ${info.version}`);
  row('Tunnel engine', `${info.version} (userspace, built with the app; service RPC v${system.rpcVersion})`);
  row('OS', system.os);
  row('Platform', `${system.platform} (${system.arch})`);
  row('Electron', system.electron ?? 'not running under Electron');
  if (system.chrome) row('Chromium', system.chrome);
  row('Node', system.node);
  row('Privilege mode', info.privilegeMode + (info.privilegeNote ? ` (${info.privilegeNote})` : ''));

  section('Settings');
  row('Auto-connect', nameOf(settings.autoConnectProfileId));
  row('Auto-reconnect', yesNo(settings.autoReconnect));
  row('Launch at login', yesNo(settings.launchAtLogin));
  row('Start minimised', yesNo(settings.startMinimised));
  row('Notifications', yesNo(settings.notifications));
  row('Theme', settings.theme);

  section(input.only ? 'Profile' : `Profiles (${profiles.length})`);
  if (profiles.length === 0) out.push(input.only ? '(the profile no longer exists)' : '(none)');
  for (const p of profiles) {
    out.push(`- ${p.name} [${p.id}]`);
    row('  Server', p.server);
    row('  User name', p.username || '(none)');
    if (p.domain) row('  Domain', p.domain);
    row('  Credentials', p.askPasswordEveryTime ? 'password asked at every connect' : 'password kept in the keychain (not included)');
    row('  Authentication', p.auth.join(', '));
    row('  Encryption', `${p.mppe}${p.allowStateful ? ', stateful allowed' : ''}`);
    row('  Routes', p.routes.mode === 'split' ? `split: ${p.routes.cidrs.join(', ')}` : p.routes.mode);
    row('  Use server DNS', yesNo(p.usePeerDns));
    row('  MTU', p.mtu !== undefined ? String(p.mtu) : 'negotiated');
    row('  Keepalive', `LCP echo every ${p.keepalive.lcpEchoIntervalS} s, ${p.keepalive.lcpEchoFailures} failures`);
    row('  Reconnect', p.reconnect.enabled ? `up to ${p.reconnect.maxAttempts} attempts` : 'off');
  }

  section(`Last connection attempts (${attempts.length})`);
  if (attempts.length === 0) out.push('(none since the app started)');
  for (const a of attempts) {
    out.push(`- attempt ${a.attemptId}: ${nameOf(a.profileId)}, started ${new Date(a.startedAt).toISOString()}${a.reconnect > 0 ? `, automatic reconnect ${a.reconnect}` : ''}`);
    const t = a.attempt;
    if (!t) continue;
    for (const phase of t.phases) out.push(`    ${phaseLine(phase)}`);
    if (t.failure) out.push(`    failed: ${t.failure.reason}${t.failure.phase ? ` in ${t.failure.phase}` : ''}: ${t.failure.message}`);
    if (t.advice) out.push(`    advice: ${t.advice.title} ${t.advice.fix}`);
    if (t.ended) out.push(`    ended: ${t.ended.reason}, network ${t.ended.restored ? 'restored' : 'NOT fully restored'}`);
    if (t.stats) out.push(`    traffic: ${t.stats.rxBytes} bytes in, ${t.stats.txBytes} bytes out over ${Math.round(t.stats.uptimeMs / 1000)} s${t.stats.rttMs != null ? `, RTT ${Math.round(t.stats.rttMs)} ms` : ''}`);
  }

  section(`Log (last ${lines.length} lines)`);
  for (const l of lines) {
    const tags = [l.source, l.profileId ? nameOf(l.profileId) : undefined, l.attemptId ? `attempt ${l.attemptId}` : undefined].filter(Boolean).join(' · ');
    out.push(`${new Date(l.time).toISOString()} ${l.level.toUpperCase().padEnd(5)} [${tags}] ${l.message}`);
  }
  return input.redact(out.join('\n') + '\n');
}

function yesNo(v: boolean): string {
  return v ? 'yes' : 'no';
}

const PHASE_MARKS: Record<PhaseStatus, string> = { pending: '·', started: '…', done: '✓', failed: '✗', 'not-reached': '–' };

function phaseLine(p: PhaseRecord): string {
  const mark = PHASE_MARKS[p.status];
  const time = p.durationMs !== undefined ? `${Math.round(p.durationMs)} ms` : p.status === 'pending' || p.status === 'not-reached' ? 'not reached' : '';
  const detail = p.detail ? Object.entries(p.detail).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ') : '';
  return `${mark} ${p.phase.padEnd(10)} ${time.padEnd(12)} ${detail}`.trimEnd();
}
