/**
 * Importer for pppd peers files (/etc/ppp/peers/NAME) that run pptp-linux:
 * `pty "pptp HOST --nolaunchpppd ..."`. One file is one entry, named after the file.
 *
 * pppd reads options as words (quotes and backslash escapes; `#` starts a comment). Real peers
 * files put one option and its arguments per line, so each line is read as `option args...`;
 * an option this importer does not know is reported, never guessed at. Lines that would load
 * code or more options (`plugin`, `file`, `call`, `init`, `connect`...) or pass data to scripts
 * (`ipparam`) are ignored with a warning. Passwords are never read: a `password` line is
 * reported and dropped, and chap-secrets is never opened.
 *
 * Mapping (pppd(8) option names): name/user -> user ("DOMAIN\\user" splits), refuse-X removes a
 * method, require-X (an authenticator option, common in client files) is read as "only X",
 * require-mppe-128 / require-mppe / require-mppe-40 / nomppe / noccp -> MPPE policy,
 * mppe-stateful, defaultroute / replacedefaultroute -> full tunnel (absent: no default route, so
 * split with no routes, as pppd does), usepeerdns, mtu/mru, lcp-echo-interval/-failure,
 * persist + maxfail -> reconnect.
 */
import { AUTH_METHODS, type AuthMethod } from '../../../preload/vocabulary';
import type { ImportReport } from '../../../preload/schema/profile-store';
import { decodeImportBytes, MAX_LINE_LENGTH, splitLines } from './decode';
import { shown } from './printable';
import { finishEntry, type EntryDraft } from './report';

/** Words of one line, pppd style: quotes, backslash escapes, `#` comment outside quotes. */
export function pppdWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '\\' && i + 1 < line.length) {
      const next = line[i + 1] as string;
      if (next === '\\' || next === '"' || next === "'" || next === ' ' || next === '#') {
        word += next;
        i++;
      } else {
        word += c; // "CORP\alice": keep the backslash, pppd users write domains this way
      }
      inWord = true;
      continue;
    }
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === '#') break;
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    word += c;
    inWord = true;
  }
  if (inWord) words.push(word);
  return words;
}

/** pptp-linux options that take a value (pptp(8)); the first other word is the server. */
const PPTP_VALUED = new Set(['--phone', '--timeout', '--logstring', '--localbind', '--loglevel', '--window', '--rtmark', '--test-type', '--test-rate', '--max-echo-wait', '--idle-wait']);

function serverFromPty(command: string): string | undefined {
  const words = pppdWords(command);
  const program = words[0]?.replace(/^.*\//, '');
  if (program !== 'pptp') return undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '--') break;
    if (w.startsWith('--')) {
      if (PPTP_VALUED.has(w)) i++;
      continue;
    }
    return w;
  }
  return undefined;
}

const AUTH_OPTION: Readonly<Record<string, AuthMethod>> = {
  pap: 'pap',
  chap: 'chap',
  mschap: 'mschap',
  'mschap-v2': 'mschapv2',
  eap: 'eap',
};

/** Options that change nothing for this client, read silently. */
const HARMLESS = new Set([
  'noauth', 'nodetach', 'updetach', 'lock', 'nolock', 'debug', 'kdebug', 'logfd', 'logfile', 'dump', 'noipdefault',
  'nobsdcomp', 'nodeflate', 'novj', 'novjccomp', 'noaccomp', 'nopcomp', 'noproxyarp', 'noipx', 'nomultilink',
  'ipcp-accept-local', 'ipcp-accept-remote', 'hide-password', 'show-password', 'holdoff', 'idle', 'linkname',
  'unit', 'remotename', 'nomppe-stateful', 'noccp-if-unused', 'require-mppe-56', 'lcp-max-configure', 'ktune',
  'noipv6', '+ipv6', 'defaultroute-metric', 'mppe-stateless', 'noreplacedefaultroute', 'nopersist',
]);

/** Options that pull in code, scripts or other files: ignored, and said so. */
const IGNORED_WITH_WARNING = new Set(['plugin', 'file', 'call', 'ipparam', 'init', 'connect', 'disconnect', 'welcome', 'pppd', 'setenv']);

export function importPppdPeers(bytes: Uint8Array, fileName = 'peer'): ImportReport {
  const format = 'pppd-peers' as const;
  const decoded = decodeImportBytes(bytes);
  if (!decoded.ok) return { format, entries: [], fileError: decoded.error, fileWarnings: [] };
  const sourceName = fileName.replace(/^.*[\\/]/, '') || 'peer';
  const warnings: string[] = [];
  const draft: EntryDraft = { name: sourceName, username: '' };
  const refused = new Set<AuthMethod>();
  const required = new Set<AuthMethod>();
  let mppe: 'require-128' | 'require-any' | 'none' | undefined;
  let mppe40 = false;
  let defaultRoute = false;
  let persist = false;
  let maxfail: number | undefined;
  let mtu: number | undefined;
  let mru: number | undefined;
  const keepalive: NonNullable<EntryDraft['keepalive']> = {};
  let ptySeen = false;
  let pptpServer: string | undefined;

  const number = (lineNo: number, option: string, value: string | undefined): number | undefined => {
    if (value !== undefined && /^[0-9]{1,6}$/.test(value)) return Number(value);
    warnings.push(`line ${lineNo}: ${option} needs a number, got ${shown(value ?? '')}; ignored.`);
    return undefined;
  };

  splitLines(decoded.text).forEach((raw, i) => {
    const lineNo = i + 1;
    if (raw.length > MAX_LINE_LENGTH) {
      warnings.push(`line ${lineNo}: longer than ${MAX_LINE_LENGTH} characters, skipped.`);
      return;
    }
    const [option, ...args] = pppdWords(raw);
    if (option === undefined) return;
    const arg = args[0];
    if (option.startsWith('refuse-') && AUTH_OPTION[option.slice(7)]) {
      refused.add(AUTH_OPTION[option.slice(7)] as AuthMethod);
    } else if (option.startsWith('require-') && AUTH_OPTION[option.slice(8)]) {
      required.add(AUTH_OPTION[option.slice(8)] as AuthMethod);
    } else if (IGNORED_WITH_WARNING.has(option)) {
      warnings.push(`line ${lineNo}: "${option}" is ignored (this client runs no pppd plugins, scripts or option files).`);
    } else if (HARMLESS.has(option)) {
      // nothing to carry over
    } else {
      switch (option) {
        case 'pty':
          ptySeen = true;
          draft.server = arg === undefined ? undefined : serverFromPty(arg);
          if (!draft.server) warnings.push(`line ${lineNo}: the pty command ${shown(arg ?? '')} does not run pptp with a server.`);
          break;
        case 'pptp_server': // the kernel-mode pptp.so plugin names the server this way
          pptpServer = arg;
          break;
        case 'name':
        case 'user':
          if (arg === undefined) break;
          if (/^[^\\]+\\[^\\]+$/.test(arg)) {
            const [domain, user] = arg.split('\\') as [string, string];
            draft.domain = domain;
            draft.username = user;
          } else {
            draft.username = arg;
          }
          break;
        case 'password':
          warnings.push(`line ${lineNo}: a password in the peers file is never imported; enter it in the profile.`);
          break;
        case 'require-mppe-128':
          mppe = 'require-128';
          break;
        case 'require-mppe':
          if (mppe !== 'require-128') mppe = 'require-any';
          break;
        case 'require-mppe-40':
          mppe40 = true;
          if (mppe !== 'require-128') mppe = 'require-any';
          break;
        case 'nomppe':
        case 'noccp':
          mppe = 'none';
          break;
        case 'mppe-stateful':
          draft.allowStateful = true;
          break;
        case 'defaultroute':
        case 'replacedefaultroute':
          defaultRoute = true;
          break;
        case 'nodefaultroute':
          defaultRoute = false;
          break;
        case 'usepeerdns':
          draft.usePeerDns = true;
          break;
        case 'mtu':
          mtu = number(lineNo, option, arg);
          break;
        case 'mru':
          mru = number(lineNo, option, arg);
          break;
        case 'lcp-echo-interval': {
          const v = number(lineNo, option, arg);
          if (v !== undefined) keepalive.lcpEchoIntervalS = v;
          break;
        }
        case 'lcp-echo-failure': {
          const v = number(lineNo, option, arg);
          if (v !== undefined) keepalive.lcpEchoFailures = v;
          break;
        }
        case 'persist':
          persist = true;
          break;
        case 'maxfail':
          maxfail = number(lineNo, option, arg);
          break;
        default:
          warnings.push(`line ${lineNo}: the option ${shown(option)} is not understood and was ignored.`);
      }
    }
  });

  if (!draft.server && pptpServer) draft.server = pptpServer;
  if (!ptySeen && !pptpServer) warnings.push('No "pty \\"pptp SERVER ...\\"" line was found.');

  let auth: AuthMethod[] = AUTH_METHODS.filter((m) => !refused.has(m));
  if (required.size) {
    auth = auth.filter((m) => required.has(m));
    warnings.push('require-* options were read as "allow only these methods" (in pppd they demand that the server authenticates itself).');
  }
  if (auth.length === 0) {
    warnings.push('Every authentication method was refused; MS-CHAPv2 was allowed so the profile can connect.');
    auth = ['mschapv2'];
  }
  draft.auth = auth;
  draft.mppe = mppe ?? 'optional';
  if (mppe40 && mppe !== 'require-128') warnings.push('40-bit MPPE was asked for; the profile requires MPPE and accepts any key length.');
  draft.routes = defaultRoute ? { mode: 'full' } : { mode: 'split', cidrs: [] };
  if (!defaultRoute) warnings.push('No defaultroute: only the server side of the link goes through the tunnel. Add networks under split tunnelling.');
  draft.usePeerDns = draft.usePeerDns ?? false;

  const size = mtu !== undefined && mru !== undefined ? Math.min(mtu, mru) : (mtu ?? mru);
  if (size !== undefined) {
    if (size >= 576 && size <= 1500) draft.mtu = size;
    else warnings.push(`The MTU ${size} is outside 576..1500 and was left out.`);
  }
  if (keepalive.lcpEchoIntervalS !== undefined && keepalive.lcpEchoIntervalS > 3600) {
    warnings.push(`lcp-echo-interval ${keepalive.lcpEchoIntervalS} is above 3600 s; the default was used.`);
    delete keepalive.lcpEchoIntervalS;
  }
  if (keepalive.lcpEchoFailures !== undefined && (keepalive.lcpEchoFailures < 1 || keepalive.lcpEchoFailures > 100)) {
    warnings.push(`lcp-echo-failure ${keepalive.lcpEchoFailures} is outside 1..100; the default was used.`);
    delete keepalive.lcpEchoFailures;
  }
  draft.keepalive = keepalive;
  // pppd's maxfail counts failed attempts (default 10; 0 = no limit) and only matters with persist.
  draft.reconnect = persist ? { enabled: true, maxAttempts: Math.min(maxfail ?? 10, 1000) } : { enabled: false };

  return { format, entries: [finishEntry(sourceName, draft, warnings)], fileWarnings: [] };
}
