/**
 * The `pptpctl profiles` commands run for real on a temporary profile store with an in-memory
 * keychain (the ProfilesContext seam), their stdout and stderr recorded through output.ts.
 */
import { Command } from 'commander';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../main/cli/connect-flags';
import { EXIT_OK, EXIT_PROFILE, EXIT_USAGE, ExitError } from '../../../main/cli/exit-codes';
import { streams } from '../../../main/cli/output';
import {
  addProfilesCommands,
  cmdProfilesAdd,
  cmdProfilesEdit,
  cmdProfilesExport,
  cmdProfilesImport,
  cmdProfilesRemove,
  cmdProfilesShow,
} from '../../../main/cli/profiles-commands';
import type { ProfilesContext } from '../../../main/cli/profiles-context';
import { MemorySecretStore } from '../../../main/profiles/keychain/memory-secret-store';
import { ProfileService } from '../../../main/profiles/profile-service';
import { ProfileStore } from '../../../main/profiles/store/profile-store';

let dir: string;
let stdout: string;
let stderr: string;
const saved = { ...streams };

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pptpctl-profiles-cmd-'));
  stdout = '';
  stderr = '';
  streams.stdout = { isTTY: false, write: (s: string) => (stdout += s) };
  streams.stderr = { isTTY: false, write: (s: string) => (stderr += s) };
  streams.env = {};
});
afterEach(() => {
  Object.assign(streams, saved);
  rmSync(dir, { recursive: true, force: true });
});

interface Fake {
  interactive?: boolean;
  answers?: boolean[];
  passwords?: string[];
}

async function setup(fake: Fake = {}) {
  const store = await ProfileStore.open(path.join(dir, 'config'));
  const secrets = new MemorySecretStore();
  const service = new ProfileService(store, secrets);
  const asked: string[] = [];
  const ctx: ProfilesContext = {
    open: async () => ({ service, dir: path.join(dir, 'config'), problems: [] }),
    interactive: () => fake.interactive ?? false,
    confirm: async (q) => {
      asked.push(q);
      return fake.answers?.shift() ?? false;
    },
    password: async (_flags, prompt) => {
      asked.push(prompt);
      const p = fake.passwords?.shift();
      if (p === undefined) throw new Error('no password scripted');
      return p;
    },
  };
  return { ctx, service, secrets, asked };
}

const office = { server: 'vpn.example.com', user: 'alice' };

describe('profiles add', () => {
  it('onATerminal_asksThePassword_storesItInTheKeychain', async () => {
    const { ctx, service, secrets, asked } = await setup({ interactive: true, passwords: ['s3cret'] });
    expect(await cmdProfilesAdd(ctx, 'Office', { ...office, mtu: '1400', routes: '10.0.0.0/8' })).toBe(EXIT_OK);
    const p = (await service.getByName('Office'))!;
    expect(p).toMatchObject({ server: 'vpn.example.com', username: 'alice', mtu: 1400, routes: { mode: 'split', cidrs: ['10.0.0.0/8'] }, askPasswordEveryTime: false });
    expect(await secrets.get(p.id)).toBe('s3cret');
    expect(asked[0]).toMatch(/alice@vpn\.example\.com/);
    expect(stdout).toBe('Added "Office": alice@vpn.example.com.\n');
    expect(stderr).toContain('stored in the keychain');
    expect(stdout + stderr).not.toContain('s3cret');
  });

  it('askPassword_storesNone_andDoesNotAsk', async () => {
    const { ctx, service, secrets, asked } = await setup({ interactive: true });
    await cmdProfilesAdd(ctx, 'Lab', { ...office, askPassword: true });
    expect((await service.getByName('Lab'))!.askPasswordEveryTime).toBe(true);
    expect(secrets.ids()).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('withoutATerminal_storesNoPassword_andSaysHowToSetOne', async () => {
    const { ctx, secrets } = await setup({ interactive: false });
    await cmdProfilesAdd(ctx, 'Office', office);
    expect(secrets.ids()).toEqual([]);
    expect(stderr).toMatch(/^pptpctl: warning: no password stored .*set-password "Office" --password-stdin/m);
  });

  it('sameOptionsAsConnect_weakChoicesAreWarnedOnStderr', async () => {
    const { ctx, service } = await setup();
    await cmdProfilesAdd(ctx, 'Old', { ...office, auth: 'mschapv2,pap', mppe: 'optional', stateful: true, dns: 'off', lcpEcho: '10,3', reconnect: '7' });
    expect(await service.getByName('Old')).toMatchObject({
      auth: ['mschapv2', 'pap'],
      mppe: 'optional',
      allowStateful: true,
      usePeerDns: false,
      keepalive: { lcpEchoIntervalS: 10, lcpEchoFailures: 3 },
      reconnect: { enabled: true, maxAttempts: 7 },
    });
    expect(stderr).toMatch(/^pptpctl: warning: PAP is allowed/m);
    expect(stderr).toMatch(/^pptpctl: warning: Encryption is optional/m);
  });

  it.each([
    [{ ...office, mtu: '9000' }, '--mtu "9000": MTU must be at most 1500'],
    [{ ...office, mtu: 'big' }, '--mtu takes a number (got "big")'],
    [{ ...office, server: 'bad host!' }, '--server "bad host!": Server must be a host name (vpn.example.com) or an IPv4 address (192.0.2.10)'],
    [{ ...office, lcpEcho: '5000' }, '--lcp-echo "5000": Keepalive interval must be at most 3600 seconds'],
    [{ ...office, mppe: '56' }, '--mppe 56 (exactly 56-bit) is for one connection; a profile takes required (40/56/128-bit), 128, optional or none'],
    [{ user: 'alice' }, '--server is required: pptpctl profiles add NAME --server HOST --user USER'],
    [{ ...office, askPassword: true, passwordStdin: true }, '--ask-password stores no password, so --password-stdin has nothing to do; give one of them'],
  ])('refuses %j with the friendly message', async (flags, message) => {
    const { ctx, service } = await setup();
    await expect(cmdProfilesAdd(ctx, 'X', flags)).rejects.toThrow(new UsageError(message));
    expect(await service.list()).toEqual([]);
  });

  it('aTakenName_isAProfileError_nothingAsked', async () => {
    const { ctx, asked } = await setup({ interactive: true, passwords: ['a', 'b'] });
    await cmdProfilesAdd(ctx, 'Office', office);
    await expect(cmdProfilesAdd(ctx, 'office', office)).rejects.toMatchObject({ code: EXIT_PROFILE, message: expect.stringMatching(/already exists/) });
    expect(asked).toHaveLength(1);
  });
});

describe('profiles edit', () => {
  it('changesOnlyWhatIsGiven', async () => {
    const { ctx, service } = await setup();
    await cmdProfilesAdd(ctx, 'Office', { ...office, mtu: '1400', lcpEcho: '20,5' });
    expect(await cmdProfilesEdit(ctx, 'Office', { server: '192.0.2.10', lcpEcho: '15' })).toBe(EXIT_OK);
    expect(await service.getByName('Office')).toMatchObject({ server: '192.0.2.10', username: 'alice', mtu: 1400, keepalive: { lcpEchoIntervalS: 15, lcpEchoFailures: 5 } });
    expect(stdout).toContain('Updated "Office": server, lcp-echo.');
  });

  it('mtuAuto_noStateful_rename_clear', async () => {
    const { ctx, service } = await setup();
    await cmdProfilesAdd(ctx, 'Office', { ...office, mtu: '1400', stateful: true });
    await cmdProfilesEdit(ctx, 'Office', { mtu: 'auto', stateful: false, rename: 'HQ' });
    const p = (await service.getByName('HQ'))!;
    expect(p.mtu).toBeUndefined();
    expect(p.allowStateful).toBe(false);
    expect(await service.getByName('Office')).toBeUndefined();
  });

  it('askPasswordOn_deletesTheStoredPassword', async () => {
    const { ctx, service, secrets } = await setup({ interactive: true, passwords: ['pw1'] });
    await cmdProfilesAdd(ctx, 'Office', office);
    await cmdProfilesEdit(ctx, 'Office', { askPassword: true });
    expect((await service.getByName('Office'))!.askPasswordEveryTime).toBe(true);
    expect(secrets.ids()).toEqual([]);
  });

  it('askPasswordOff_onATerminal_asksForTheOneToStore', async () => {
    const { ctx, service, secrets } = await setup({ interactive: true, passwords: ['pw2'] });
    await cmdProfilesAdd(ctx, 'Office', { ...office, askPassword: true });
    await cmdProfilesEdit(ctx, 'Office', { askPassword: false });
    expect(await secrets.get((await service.getByName('Office'))!.id)).toBe('pw2');
  });

  it('nothingGiven_isAUsageError', async () => {
    const { ctx } = await setup();
    await cmdProfilesAdd(ctx, 'Office', office);
    await expect(cmdProfilesEdit(ctx, 'Office', {})).rejects.toThrow(/nothing to change/);
  });

  it('badValue_saysTheFlag_andKeepsTheProfile', async () => {
    const { ctx, service } = await setup();
    await cmdProfilesAdd(ctx, 'Office', office);
    await expect(cmdProfilesEdit(ctx, 'Office', { reconnect: '5000' })).rejects.toThrow('--reconnect "5000": Reconnect attempts must be at most 1000');
    expect((await service.getByName('Office'))!.reconnect.maxAttempts).toBe(5);
  });
});

describe('profiles show', () => {
  it('human_keyValueLines_andWhereThePasswordIs', async () => {
    const { ctx } = await setup({ interactive: true, passwords: ['pw'] });
    await cmdProfilesAdd(ctx, 'Office', { ...office, routes: '10.0.0.0/8,172.16.0.0/12' });
    stdout = '';
    await cmdProfilesShow(ctx, 'office', {});
    expect(stdout).toContain('Office\n  server:     vpn.example.com\n  user:       alice\n  password:   stored in the keychain\n');
    expect(stdout).toContain('  routes:     10.0.0.0/8, 172.16.0.0/12\n');
    expect(stdout).toContain('  encryption: Required, 128-bit only (recommended), stateless\n');
    expect(stdout).not.toContain('pw\n');
  });

  it('json_oneObject_withPasswordState_neverThePassword', async () => {
    const { ctx } = await setup({ passwords: [] });
    await cmdProfilesAdd(ctx, 'Office', { ...office, auth: 'pap' });
    stdout = '';
    await cmdProfilesShow(ctx, 'Office', { json: true });
    const shown = JSON.parse(stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({ name: 'Office', password: 'none', auth: ['pap'] });
    expect(shown.securityWarnings).toEqual([expect.stringMatching(/^PAP is allowed/)]);
  });

  it('unknownName_isExit14', async () => {
    const { ctx } = await setup();
    await expect(cmdProfilesShow(ctx, 'Nope', {})).rejects.toMatchObject({ code: EXIT_PROFILE });
  });
});

describe('profiles remove', () => {
  it('withoutATerminal_andWithoutYes_refuses_exit2', async () => {
    const { ctx, service } = await setup();
    await cmdProfilesAdd(ctx, 'Office', office);
    await expect(cmdProfilesRemove(ctx, 'Office', {})).rejects.toMatchObject({ code: EXIT_USAGE, message: expect.stringMatching(/no terminal to ask on; add --yes/) });
    expect(await service.getByName('Office')).toBeDefined();
  });

  it('onATerminal_asks_noKeepsIt_yesRemovesItAndItsPassword', async () => {
    const { ctx, service, secrets, asked } = await setup({ interactive: true, passwords: ['pw'], answers: [false, true] });
    await cmdProfilesAdd(ctx, 'Office', office);
    expect(await cmdProfilesRemove(ctx, 'Office', {})).toBe(EXIT_OK);
    expect(asked.at(-1)).toBe('Remove the profile "Office" (alice@vpn.example.com) and its stored password?');
    expect(stderr).toContain('Nothing removed.');
    expect(await service.getByName('Office')).toBeDefined();
    await cmdProfilesRemove(ctx, 'Office', {});
    expect(await service.getByName('Office')).toBeUndefined();
    expect(secrets.ids()).toEqual([]);
  });

  it('yes_removesWithoutAsking', async () => {
    const { ctx, service, asked } = await setup();
    await cmdProfilesAdd(ctx, 'Office', office);
    await cmdProfilesRemove(ctx, 'Office', { yes: true });
    expect(await service.list()).toEqual([]);
    expect(asked).toEqual([]);
  });
});

describe('profiles export --out', () => {
  it('refusesToOverwrite_withoutForce', async () => {
    const { ctx } = await setup();
    await cmdProfilesAdd(ctx, 'Office', office);
    const file = path.join(dir, 'out.json');
    writeFileSync(file, 'precious');
    await expect(cmdProfilesExport(ctx, [], { out: file })).rejects.toThrow(new ExitError(EXIT_USAGE, `${file} already exists: add --force to overwrite it`));
    expect(readFileSync(file, 'utf8')).toBe('precious');
    await cmdProfilesExport(ctx, [], { out: file, force: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ profiles: [{ name: 'Office' }] });
  });

  it('newFile_isWritten_summaryOnStderr', async () => {
    const { ctx } = await setup();
    await cmdProfilesAdd(ctx, 'Office', office);
    const file = path.join(dir, 'new.json');
    expect(await cmdProfilesExport(ctx, ['office'], { out: file })).toBe(EXIT_OK);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ profiles: [{ name: 'Office' }] });
    expect(stderr).toContain(`Exported 1 profile to ${file} (no passwords).`);
  });
});

describe('profiles import', () => {
  const peers = (server: string) => `pty "pptp ${server} --nolaunchpppd"\nname alice\nremotename PPTP\nrequire-mppe-128\nfile /etc/ppp/options.pptp\nipparam office\n`;

  it('oneLinePerEntry_renamedOldToNew_andASummary', async () => {
    const { ctx } = await setup();
    await cmdProfilesAdd(ctx, 'office', office);
    stdout = '';
    const file = path.join(dir, 'office');
    writeFileSync(file, peers('192.0.2.10'));
    expect(await cmdProfilesImport(ctx, file, {})).toBe(EXIT_OK);
    expect(stdout).toBe('  renamed   office → office (2) (the name was taken)\nImported 1 of 1 entry: 1 renamed.\n');
  });

  it('skip_isSaidWithWhy', async () => {
    const { ctx } = await setup();
    await cmdProfilesAdd(ctx, 'office', office);
    stdout = '';
    const file = path.join(dir, 'office');
    writeFileSync(file, peers('192.0.2.10'));
    expect(await cmdProfilesImport(ctx, file, { onConflict: 'skip' })).toBe(EXIT_OK);
    expect(stdout).toMatch(/^ {2}skipped {3}office: .+\nImported 0 of 1 entry: 1 skipped\.\n$/);
  });

  it('partialImport_exits0_withWarningsOnStderr', async () => {
    const { ctx } = await setup();
    const file = path.join(dir, 'two.json');
    writeFileSync(
      file,
      JSON.stringify({ format: 'pptp-manager-profiles', version: 1, profiles: [{ name: 'Good', server: 'vpn.example.com', username: 'a', auth: ['mschapv2', 'pap'] }, { name: 'Bad', server: 'bad host!' }] }),
    );
    const code = await cmdProfilesImport(ctx, file, {});
    expect(stdout).toMatch(/^ {2}created {3}Good$/m);
    expect(stdout).toMatch(/^ {2}failed {4}Bad: .*Server must be a host name/m);
    expect(stdout).toMatch(/^Imported 1 of 2 entries: 1 created, 1 failed\.$/m);
    expect(stderr).toMatch(/^pptpctl: warning: Good: PAP is allowed/m);
    expect(code).toBe(EXIT_OK);
  });

  it('nothingImported_andFailures_isExit14', async () => {
    const { ctx } = await setup();
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ format: 'pptp-manager-profiles', version: 1, profiles: [{ name: 'Bad', server: 'bad host!' }] }));
    await expect(cmdProfilesImport(ctx, file, {})).rejects.toMatchObject({ code: EXIT_PROFILE, message: 'nothing was imported' });
    expect(stdout).toMatch(/Imported 0 of 1 entry: 1 failed\./);
  });
});

describe('profiles import, several files', () => {
  const peers = (server: string) => `pty "pptp ${server} --nolaunchpppd"\nname alice\nremotename PPTP\nrequire-mppe-128\nfile /etc/ppp/options.pptp\nipparam office\n`;
  const ours = (profiles: object[]) => JSON.stringify({ format: 'pptp-manager-profiles', version: 1, profiles });
  /** Two peers files both named "office" (a peers file's profile is named after the file). */
  const twoOffices = (): [string, string] => {
    for (const d of ['a', 'b']) mkdirSync(path.join(dir, d));
    return [path.join(dir, 'a', 'office'), path.join(dir, 'b', 'office')];
  };

  it('aSectionPerFile_thenOneSummaryOverAll', async () => {
    const { ctx, service } = await setup();
    const a = path.join(dir, 'office');
    const b = path.join(dir, 'lab.json');
    writeFileSync(a, peers('192.0.2.10'));
    writeFileSync(b, ours([{ name: 'Lab', server: 'lab.example.com', username: 'bob' }, { name: 'Bad', server: 'bad host!' }]));
    expect(await cmdProfilesImport(ctx, [a, b], {})).toBe(EXIT_OK);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`${a} (pppd-peers):`);
    expect(lines[1]).toBe('  created   office');
    expect(lines[2]).toBe(`${b} (pptp-manager-json):`);
    expect(lines[3]).toBe('  created   Lab');
    expect(lines[4]).toMatch(/^ {2}failed {4}Bad: .*Server must be a host name/);
    expect(lines.slice(5)).toEqual(['Imported 2 of 3 entries from 2 files: 2 created, 1 failed.', '']);
    expect((await service.list()).map((p) => p.name).sort()).toEqual(['Lab', 'office']);
  });

  it('anUnreadableFile_isAFailedEntryOfItsSection_theOthersStillImport', async () => {
    const { ctx, service } = await setup();
    const missing = path.join(dir, 'nope.pbk');
    const good = path.join(dir, 'office');
    writeFileSync(good, peers('192.0.2.10'));
    expect(await cmdProfilesImport(ctx, [missing, good], {})).toBe(EXIT_OK);
    expect(stdout).toMatch(new RegExp(`^${missing.replace(/[.]/g, '\\.')}:\n {2}failed {4}nope\\.pbk: .+\n`));
    expect(stdout).not.toMatch(/ENOENT|Error:|at /);
    expect(stdout).toMatch(/^Imported 1 of 2 entries from 2 files: 1 created, 1 failed\.$/m);
    expect(await service.getByName('office')).toBeDefined();
  });

  it('nothingImportableInAnyFile_isExit14', async () => {
    const { ctx } = await setup();
    const empty = path.join(dir, 'empty.json');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(empty, ours([]));
    writeFileSync(bad, ours([{ name: 'Bad', server: 'bad host!' }]));
    await expect(cmdProfilesImport(ctx, [path.join(dir, 'missing'), empty, bad], {})).rejects.toMatchObject({ code: EXIT_PROFILE, message: 'nothing was imported' });
    expect(stdout).toMatch(/failed {4}missing: /);
    expect(stdout).toMatch(/failed {4}empty\.json: the file holds no profiles/);
    expect(stdout).toMatch(/^Imported 0 of 3 entries from 3 files: 3 failed\.$/m);
  });

  it('onlySkipped_acrossFiles_isExit0', async () => {
    const { ctx } = await setup();
    await cmdProfilesAdd(ctx, 'office', office);
    const [a, b] = twoOffices();
    writeFileSync(a, peers('192.0.2.10'));
    writeFileSync(b, peers('192.0.2.11'));
    stdout = '';
    expect(await cmdProfilesImport(ctx, [a, b], { onConflict: 'skip' })).toBe(EXIT_OK);
    expect(stdout).toMatch(/^Imported 0 of 2 entries from 2 files: 2 skipped\.$/m);
  });

  it('laterFiles_seeEarlierOnes_forConflicts', async () => {
    const { ctx } = await setup();
    const [a, b] = twoOffices();
    writeFileSync(a, peers('192.0.2.10'));
    writeFileSync(b, peers('192.0.2.11'));
    expect(await cmdProfilesImport(ctx, [a, b], {})).toBe(EXIT_OK);
    expect(stdout).toContain('  renamed   office → office (2) (the name was taken)');
  });

  it('json_hasAFilesArray_andOneSummary', async () => {
    const { ctx } = await setup();
    const good = path.join(dir, 'lab.json');
    const missing = path.join(dir, 'missing.json');
    writeFileSync(good, ours([{ name: 'Lab', server: 'lab.example.com', username: 'bob' }]));
    expect(await cmdProfilesImport(ctx, [good, missing], { json: true })).toBe(EXIT_OK);
    const j = JSON.parse(stdout);
    expect(j).toMatchObject({ ok: true, summary: { imported: 1, created: 1, failed: 1 } });
    expect(j.files).toHaveLength(2);
    expect(j.files[0]).toMatchObject({ file: good, ok: true, format: 'pptp-manager-json', results: [{ status: 'created', name: 'Lab' }] });
    expect(j.files[1]).toMatchObject({ file: missing, ok: false, error: { code: expect.any(String) }, results: [{ status: 'failed', name: 'missing.json' }] });
    expect(j).not.toHaveProperty('results');
  });

  it('json_oneFile_keepsItsTopLevelFields_andAddsFiles', async () => {
    const { ctx } = await setup();
    const good = path.join(dir, 'lab.json');
    writeFileSync(good, ours([{ name: 'Lab', server: 'lab.example.com', username: 'bob' }]));
    expect(await cmdProfilesImport(ctx, [good], { json: true })).toBe(EXIT_OK);
    const j = JSON.parse(stdout);
    expect(j).toMatchObject({ ok: true, format: 'pptp-manager-json', results: [{ status: 'created', name: 'Lab' }], summary: { imported: 1 }, files: [{ file: good }] });
    expect(j).not.toHaveProperty('file');
  });

  it('oneUnreadableFile_aloneIsStillAnError_exit14', async () => {
    const { ctx } = await setup();
    const missing = path.join(dir, 'missing.pbk');
    await expect(cmdProfilesImport(ctx, [missing], {})).rejects.toMatchObject({ code: EXIT_PROFILE, message: expect.stringMatching(new RegExp(`^cannot import ${missing.replace(/[.]/g, '\\.')}: `)) });
    expect(stdout).toBe('');
  });
});

describe('addProfilesCommands', () => {
  const program = new Command('pptpctl');
  addProfilesCommands(program, () => undefined);
  const profiles = program.commands.find((c) => c.name() === 'profiles');
  const sub = (name: string) => profiles?.commands.find((c) => c.name() === name);

  it('registersEverySubCommand', () => {
    expect(profiles?.commands.map((c) => c.name())).toEqual(['list', 'show', 'add', 'edit', 'import', 'export', 'set-password', 'remove']);
  });

  it('addAndEdit_takeConnectsOptions_withoutDefaults', () => {
    const connectish = ['--server', '--user', '--domain', '--auth', '--mppe', '--stateful', '--no-stateful', '--routes', '--dns', '--mtu', '--lcp-echo', '--reconnect'];
    for (const name of ['add', 'edit']) {
      const longs = sub(name)!.options.map((o) => o.long);
      for (const flag of connectish) expect(longs, `${name} ${flag}`).toContain(flag);
      expect(longs).toContain('--ask-password');
      expect(sub(name)!.options.filter((o) => o.defaultValue !== undefined && !o.negate).map((o) => o.long)).toEqual([]);
    }
    expect(sub('export')?.options.map((o) => o.long)).toEqual(['--out', '--force']);
    expect(sub('remove')?.options.map((o) => o.long)).toEqual(['--yes']);
  });

  it('everyCommandHasExamplesInItsHelp', () => {
    for (const c of profiles!.commands) {
      let help = '';
      c.configureOutput({ writeOut: (s) => (help += s) });
      c.outputHelp();
      expect(help, c.name()).toMatch(/Examples:\n {2}\$ pptpctl profiles /);
    }
  });
});
