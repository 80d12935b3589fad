/**
 * Property: whatever an imported file does with a secret — a `password=` or `secret=` token,
 * `password = x`, pppd's `password x`, a JSON key, an unparsable line or an over-long line that
 * holds one, a route or value that carries one — the secret's value never appears anywhere in
 * the report (warnings, names, errors, profiles). Checked over every importer, with many
 * seeded-random secrets placed at every position of each base file.
 */
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../../main/profiles/import/detect';
import { mayHoldSecret, printable, SECRET_PLACEHOLDER, shown } from '../../../../main/profiles/import/printable';
import { utf8 } from './fixtures';

/** Deterministic PRNG (mulberry32), so a failure names a seed that reproduces it. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!%+_';
function secretFrom(next: () => number): string {
  let s = 'Zq';
  for (let i = 0; i < 12; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

/** Ways a line can carry the secret S, in the syntaxes the importers read (and some they do not). */
const SECRET_LINES: ReadonlyArray<(s: string) => string> = [
  (s) => `password=${s}`,
  (s) => `Password = ${s}`,
  (s) => `secret=${s}`,
  (s) => `passwd ${s}`,
  (s) => `password ${s}`,
  (s) => `password "${s}"`,
  (s) => `  password\t${s}`,
  (s) => `"password": "${s}"`,
  (s) => `vpn.secrets.password: ${s}`,
  (s) => `password-flags=0 password=${s}`,
  (s) => `this line is not key value password: ${s}`,
  (s) => `PreSharedKey=${s}`,
  (s) => `psk=${s}`,
  (s) => `pass\u0000word=${s}`,
  (s) => `\u001b[31mpassword=${s}\u001b[0m`,
  (s) => `password=${s}${'x'.repeat(5000)}`, // an over-long line
  (s) => `mtu password=${s}`,
  (s) => `routes=10.0.0.0/8,password=${s}`,
];

const BASES: ReadonlyArray<{ name: string; fileName: string; lines: string[] }> = [
  {
    name: 'rasphone.pbk',
    fileName: 'rasphone.pbk',
    lines: ['[Office VPN]', 'MEDIA=rastapi', 'Type=2', 'VpnStrategy=2', 'PhoneNumber=vpn.example.com', 'DataEncryption=256', 'AuthRestrictions=512'],
  },
  {
    name: 'nmconnection',
    fileName: 'office.nmconnection',
    lines: [
      '[connection]',
      'id=Office',
      'type=vpn',
      '[vpn]',
      'service-type=org.freedesktop.NetworkManager.pptp',
      'gateway=vpn.example.com',
      'user=alice',
      'require-mppe=yes',
      '[vpn-secrets]',
      '[ipv4]',
      'method=auto',
      'routes1=10.9.0.0/16',
    ],
  },
  {
    name: 'pppd peers',
    fileName: 'office',
    lines: ['pty "pptp vpn.example.com --nolaunchpppd"', 'name alice', 'remotename PPTP', 'require-mppe-128', 'refuse-pap', 'defaultroute', 'usepeerdns'],
  },
];

function checkReport(fileName: string, text: string, secret: string): void {
  const report = importFile(fileName, utf8(text));
  const all = JSON.stringify(report);
  if (all.includes(secret)) throw new Error(`${fileName}: the secret ${secret} appears in the report of:\n${text}\n=> ${all}`);
}

describe('no importer ever shows a secret', () => {
  for (const base of BASES) {
    it(`${base.name}_secretLinesAtEveryPosition`, () => {
      const next = rng(0x5ec12e7 + base.name.length);
      let files = 0;
      for (const make of SECRET_LINES) {
        for (let at = 0; at <= base.lines.length; at++) {
          const secret = secretFrom(next);
          const lines = [...base.lines];
          lines.splice(at, 0, make(secret));
          checkReport(base.fileName, lines.join('\n'), secret);
          // The same with the name detection has to guess from (no telling extension).
          checkReport('upload', lines.join('\r\n'), secret);
          files += 2;
        }
      }
      expect(files).toBe(SECRET_LINES.length * (base.lines.length + 1) * 2);
    });
  }

  it('ourJson_secretsInKeysValuesAndBrokenSyntax', () => {
    const next = rng(0x15011);
    const shapes: ReadonlyArray<(s: string) => string> = [
      (s) => JSON.stringify({ format: 'pptp-manager-profiles', version: 1, profiles: [{ name: 'A', server: 'vpn.example.com', password: s }] }),
      (s) => JSON.stringify({ format: 'pptp-manager-profiles', version: 1, secret: s, profiles: [{ name: 'A', server: 'vpn.example.com' }] }),
      (s) => JSON.stringify({ format: 'pptp-manager-profiles', version: 1, profiles: [{ name: 'A', server: 'vpn.example.com', routes: { mode: 'split', cidrs: [`password=${s}`] } }] }),
      (s) => JSON.stringify({ format: 'pptp-manager-profiles', version: 1, profiles: [{ name: 'A', server: `password=${s}` }] }),
      (s) => JSON.stringify({ format: 'pptp-manager-profiles', version: 1, profiles: [{ name: 'A', server: 'vpn.example.com', nested: { credentials: { pwd: s } } }] }),
      // Not JSON at all: the parser's own message quotes the text around the error.
      (s) => `{"format":"pptp-manager-profiles","version":1,"profiles":[{"name":"A","password": ${s}}]}`,
      (s) => `{"format":"pptp-manager-profiles","password": "${s}" oops}`,
      (s) => `{ password=${s} }`,
    ];
    for (const shape of shapes) {
      for (let i = 0; i < 5; i++) {
        const secret = secretFrom(next);
        checkReport('profiles.json', shape(secret), secret);
        checkReport('upload', shape(secret), secret);
      }
    }
  });

  it('brokenJson_saysWhere_notWhat', () => {
    const report = importFile('profiles.json', utf8('{\n  "format": "pptp-manager-profiles",\n  "password": hunter2hunter2\n}'));
    expect(report.fileError?.code).toBe('not-json');
    expect(report.fileError?.message).toMatch(/^The file is not valid JSON( \(line 3, column \d+\))?\.$/);
  });
});

describe('mayHoldSecret / printable', () => {
  it('recognisesAssignmentsAndPppdOptions', () => {
    for (const t of ['password=x', 'Password = x', 'secret=x', '"password": "x"', 'passwd x', 'vpn.secrets: x', 'PreSharedKey=x']) {
      expect(mayHoldSecret(t), t).toBe(true);
      expect(printable(t)).toBe(SECRET_PLACEHOLDER);
      expect(shown(t)).toBe(SECRET_PLACEHOLDER);
    }
  });

  it('leavesOrdinaryTextQuoted', () => {
    for (const t of ['vpn.example.com', 'Office VPN', 'Type=2', 'require-mppe-128', 'Secret office']) {
      expect(mayHoldSecret(t), t).toBe(false);
      expect(shown(t)).toBe(JSON.stringify(t));
    }
  });
});
