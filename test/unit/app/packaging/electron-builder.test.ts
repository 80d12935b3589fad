/**
 * Packaging config: electron-builder.yml targets and settings, the files it references exist,
 * the polkit action names the launcher the app runs through pkexec, and the install scripts
 * use only macros electron-builder defines and parse as shell.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { DEFAULT_LAUNCHER_PATH } from '../../../../main/app/supervisor/launch';
import { SERVICE_NODE_FLAGS } from '../../../../main/service/node-flags';

// js-yaml comes with electron-builder (no types of its own): load it untyped.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('electron-builder.yml', () => {
  it('targets_deb_AppImage_rpm_nsis_dmg', () => {
    expect(config.appId).toBe('org.pptpmanager.app');
    expect(config.linux.target).toEqual(expect.arrayContaining(['deb', 'AppImage', 'rpm']));
    expect(config.win.target).toContain('nsis');
    // mac targets are { target, arch } entries (test/unit/packaging/electron-builder-mac.test.ts).
    expect(config.mac.target.map((t: string | { target: string }) => (typeof t === 'string' ? t : t.target))).toEqual(expect.arrayContaining(['dmg', 'pkg']));
  });

  it('nativeModulesRebuiltForElectron_atPackagingTime', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(false);
  });

  it('shipsTheBundles_notTheSources', () => {
    expect(config.files).toContain('dist/**');
    expect(config.files.some((f: string) => f.startsWith('main/'))).toBe(false);
  });

  it('everyReferencedFileExists', () => {
    const refs = [
      config.icon,
      config.linux.icon,
      config.deb.afterInstall,
      config.deb.afterRemove,
      config.rpm.afterInstall,
      config.rpm.afterRemove,
      ...config.extraResources.map((r: { from: string }) => r.from),
    ];
    for (const ref of refs) expect(existsSync(path.join(root, ref)), ref).toBe(true);
    for (const state of ['disconnected', 'connecting', 'connected', 'error']) expect(existsSync(path.join(root, 'packaging/icons', `tray-${state}.png`))).toBe(true);
    expect(readFileSync(path.join(root, config.icon)).subarray(1, 4).toString('ascii')).toBe('PNG');
  });
});

describe('polkit policy and scripts', () => {
  const policy = readFileSync(path.join(root, 'packaging/linux/org.pptpmanager.policy'), 'utf8');

  it('policy_namesTheLauncher_withAuthAdminKeep', () => {
    expect(policy).toMatch(/<action id="org\.pptpmanager\.service">/);
    expect(policy).toMatch(/<allow_active>auth_admin_keep<\/allow_active>/);
    expect(policy).toContain(`<annotate key="org.freedesktop.policykit.exec.path">${DEFAULT_LAUNCHER_PATH}</annotate>`);
    expect(policy).not.toMatch(/<allow_(any|inactive|active)>yes</);
  });

  it('policy_isWellFormedXml_whenXmllintExists', () => {
    const r = spawnSync('xmllint', ['--noout', path.join(root, 'packaging/linux/org.pptpmanager.policy')]);
    if (r.error) {
      console.warn('xmllint not installed: XML well-formedness not checked');
      expect(policy.trim().endsWith('</policyconfig>')).toBe(true);
      return;
    }
    expect(r.status).toBe(0);
  });

  it('scripts_useOnlyKnownMacros_andParse', () => {
    for (const name of ['after-install.sh', 'after-remove.sh']) {
      const text = readFileSync(path.join(root, 'packaging/linux', name), 'utf8');
      const macros = [...text.matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]);
      for (const m of macros) expect(['executable', 'sanitizedProductName', 'productFilename'], `${name}: ${m}`).toContain(m);
      execFileSync('bash', ['-n', path.join(root, 'packaging/linux', name)]);
    }
    execFileSync('sh', ['-n', path.join(root, 'packaging/linux/pptp-manager-service')]);
    expect(readFileSync(path.join(root, 'packaging/linux/after-install.sh'), 'utf8')).toContain('/usr/share/polkit-1/actions/org.pptpmanager.policy');
    expect(readFileSync(path.join(root, 'packaging/linux/after-install.sh'), 'utf8')).toContain(DEFAULT_LAUNCHER_PATH.replace('/pptp-manager-service', ''));
  });

  it('launcher_runsTheServiceWithItsV8Flags_beforeTheScript', () => {
    // The exec line, continuation joined: the binary, then exactly SERVICE_NODE_FLAGS, then the script.
    const text = readFileSync(path.join(root, 'packaging/linux/pptp-manager-service'), 'utf8').replace(/\\\n\s*/g, '');
    const exec = text.split('\n').find((l) => l.startsWith('exec '));
    expect(exec).toBeDefined();
    const m = /"\$APP_DIR\/pptp-manager" (.*) "\$APP_DIR\/resources\/app\/dist\/service\.mjs"$/.exec(exec!.trim());
    expect(m, exec).not.toBeNull();
    expect(m![1]!.split(' ')).toEqual(SERVICE_NODE_FLAGS);
  });

  it('launcher_refusesArguments', () => {
    const r = spawnSync('sh', [path.join(root, 'packaging/linux/pptp-manager-service'), '--inspect=0.0.0.0:9229']);
    expect(r.status).toBe(64);
  });

  it('afterRemove_removesOnlyOnARealRemoval', () => {
    // rm/rmdir are replaced by recorders on PATH, so the real script runs without touching the system.
    const bin = mkdtempSync(path.join(os.tmpdir(), 'pptp-fake-bin-'));
    const record = path.join(bin, 'calls');
    for (const tool of ['rm', 'rmdir', 'update-desktop-database', 'apparmor_parser']) {
      writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> '${record}'\n`, { mode: 0o755 });
    }
    const run = (arg: string) => {
      rmSync(record, { force: true });
      const r = spawnSync('bash', [path.join(root, 'packaging/linux/after-remove.sh'), arg], { env: { PATH: `${bin}:/usr/bin:/bin` } });
      expect(r.status).toBe(0);
      return existsSync(record) ? readFileSync(record, 'utf8') : '';
    };
    for (const upgrade of ['upgrade', '1']) expect(run(upgrade)).not.toContain('rm ');
    for (const removal of ['remove', 'purge', '0']) {
      const calls = run(removal);
      expect(calls).toContain('rm -f /usr/lib/pptp-manager/pptp-manager-service');
      expect(calls).toContain('rm -f /usr/share/polkit-1/actions/org.pptpmanager.policy');
    }
    rmSync(bin, { recursive: true, force: true });
  });
});
