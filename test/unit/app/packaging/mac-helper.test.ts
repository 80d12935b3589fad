/**
 * packaging/mac: the pkg scripts parse as POSIX sh (`sh -n`), and the launchd plist and the
 * entitlements are well-formed XML property lists with the keys the helper relies on. They
 * cannot run here (no launchctl); their behaviour on a Mac is untested (docs/privileged-helper.md).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseServiceArgs } from '../../../../main/service/rpc/listen-args';
import { DARWIN_SERVICE_SOCKET } from '../../../../main/app/supervisor/launch';
import { JOURNAL_FILE } from '../../../../main/service/net/journal';
import { SERVICE_NODE_FLAGS } from '../../../../main/service/node-flags';

const MAC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../packaging/mac');
const read = (f: string) => readFileSync(path.join(MAC, f), 'utf8');

/** A small plist reader: checks the XML nesting and returns the top dict (strings, bools, arrays, dicts). */
function parsePlist(xml: string): Record<string, unknown> {
  const body = xml.replace(/<\?xml[^>]*\?>/, '').replace(/<!DOCTYPE[^>]*>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const tokens = body.match(/<[^>]+>|[^<]+/g)!.map((t) => t.trim()).filter(Boolean);
  let i = 0;
  const expect_ = (t: string) => {
    if (tokens[i] !== t) throw new Error(`expected ${t} at token ${i}, got ${tokens[i]}`);
    i++;
  };
  const value = (): unknown => {
    const t = tokens[i++];
    if (t === '<true/>') return true;
    if (t === '<false/>') return false;
    if (t === '<string>' || t === '<integer>') {
      const close = t.replace('<', '</');
      if (tokens[i] === close) return (i++, '');
      const text = tokens[i++]!;
      expect_(close);
      return t === '<integer>' ? Number(text) : text.replace(/&amp;/g, '&');
    }
    if (t === '<array>') {
      const out: unknown[] = [];
      while (tokens[i] !== '</array>') out.push(value());
      return (i++, out);
    }
    if (t === '<dict>') {
      const out: Record<string, unknown> = {};
      while (tokens[i] !== '</dict>') {
        expect_('<key>');
        const key = tokens[i++]!;
        expect_('</key>');
        out[key] = value();
      }
      return (i++, out);
    }
    throw new Error(`unexpected token ${t}`);
  };
  expect_('<plist version="1.0">');
  const top = value() as Record<string, unknown>;
  expect_('</plist>');
  if (i !== tokens.length) throw new Error('trailing content after </plist>');
  return top;
}

describe('packaging/mac', () => {
  it('scripts_areExecutable_andPassShN', () => {
    for (const script of ['scripts/postinstall', 'scripts/uninstall']) {
      const r = spawnSync('sh', ['-n', path.join(MAC, script)], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(statSync(path.join(MAC, script)).mode & 0o111).not.toBe(0);
    }
  });

  it('shN_catchesABrokenScript_soTheCheckCanFail', () => {
    expect(spawnSync('sh', ['-n', '-c', 'if true; then echo'], { encoding: 'utf8' }).status).not.toBe(0);
  });

  it('launchdPlist_runsTheServiceAsADaemon_withArgvTheServiceAccepts', () => {
    const plist = parsePlist(read('org.pptpmanager.service.plist'));
    expect(plist).toMatchObject({
      Label: 'org.pptpmanager.service',
      RunAtLoad: true,
      KeepAlive: true,
      UserName: 'root',
      EnvironmentVariables: { ELECTRON_RUN_AS_NODE: '1' },
    });
    const argv = plist.ProgramArguments as string[];
    expect(argv[0]).toMatch(/\.app\/Contents\/MacOS\//);
    // The service's V8 flags, exactly the list the app's direct child gets, before the script.
    expect(argv.slice(1, 1 + SERVICE_NODE_FLAGS.length)).toEqual(SERVICE_NODE_FLAGS);
    const script = 1 + SERVICE_NODE_FLAGS.length;
    expect(argv[script]).toMatch(/dist\/service\.mjs$/);
    const parsed = parseServiceArgs(argv.slice(script + 1));
    expect(parsed).toMatchObject({ mode: 'socket', socketPath: DARWIN_SERVICE_SOCKET, policy: { allowGroups: ['admin'] } });
  });

  it('scripts_installWhereThePlistAndAppLook', () => {
    const post = read('scripts/postinstall');
    expect(post).toContain('/Library/LaunchDaemons/$LABEL.plist');
    expect(post).toMatch(/chown root:wheel "\$PLIST_DST"/);
    expect(post).toMatch(/chmod 0644 "\$PLIST_DST"/);
    expect(post).toContain('launchctl bootstrap system');
    const uninstall = read('scripts/uninstall');
    expect(uninstall).toContain('launchctl bootout');
    expect(uninstall).toContain(JOURNAL_FILE);
    const stateDir = (parsePlist(read('org.pptpmanager.service.plist')).ProgramArguments as string[]).at(-1);
    expect(uninstall).toContain(`STATE_DIR=${stateDir}`);
    expect(post).toContain(`STATE_DIR=${stateDir}`);
  });

  it('entitlements_allowJitForV8_andNothingBroader', () => {
    const ent = parsePlist(read('entitlements.mac.plist'));
    expect(ent['com.apple.security.cs.allow-jit']).toBe(true);
    expect(ent['com.apple.security.cs.allow-unsigned-executable-memory']).toBeUndefined();
  });

  it('plistReader_rejectsBrokenXml', () => {
    expect(() => parsePlist('<plist version="1.0"><dict><key>a</key><true/></plist>')).toThrow();
  });
});
