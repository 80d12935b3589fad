/**
 * `pptpctl profiles ...`: list, import, export, set-password and remove, over the same profiles
 * file and keychain as the desktop app (main/profiles). Also openProfiles(), which `connect
 * --profile` uses. The profile modules are loaded on first use, so a plain `pptpctl connect
 * --server` never loads the keychain library.
 *
 * Owns the commands' text and JSON output; the rules (names, conflicts, formats) are the
 * profile domain's.
 */
import type { Command } from 'commander';
import type { StoreProblem } from '../../preload/schema/profile-store';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from './connect-flags';
import { EXIT_OK, EXIT_PROFILE, ExitError } from './exit-codes';
import { errOut, out } from './output';
import { passwordFor } from './password';

/** The user's profiles with the OS keychain ($PPTP_CONFIG_DIR or ~/.config/pptp-manager). */
export async function openProfiles() {
  const [{ ProfileStore }, { ProfileService }, { KeytarSecretStore }, { defaultConfigDir }] = await Promise.all([
    import('../profiles/store/profile-store'),
    import('../profiles/profile-service'),
    import('../profiles/keychain/keytar-secret-store'),
    import('../profiles/config-dir'),
  ]);
  const dir = defaultConfigDir(process.env, os.homedir());
  const store = await ProfileStore.open(dir);
  // What the store repaired on opening (a damaged file kept aside, invalid entries set aside)
  // is said on stderr whatever the command; `profiles list` also exits non-zero for it.
  for (const problem of store.problems) errOut(`pptpctl: note: ${problem.message}`);
  return { service: new ProfileService(store, new KeytarSecretStore()), dir, problems: store.problems };
}

/** Problems that set profiles aside: the list shown is not everything the user had. */
function keptAside(problems: readonly StoreProblem[]): boolean {
  return problems.some((p) => p.kind === 'corrupt-file' || p.kind === 'invalid-profiles');
}

async function cmdProfilesList(flags: { json?: boolean }): Promise<number> {
  const { service, dir, problems } = await openProfiles();
  const profiles = await service.list();
  const code = keptAside(problems) ? EXIT_PROFILE : EXIT_OK;
  if (flags.json) {
    out(JSON.stringify(profiles));
    return code;
  }
  if (profiles.length === 0) out(`No profiles in ${dir}. Import some with: pptpctl profiles import FILE`);
  for (const p of profiles) out(`${p.name}\t${p.username}@${p.server}\tauth ${p.auth.join(',')}\tmppe ${p.mppe}${p.askPasswordEveryTime ? '\t(asks password)' : ''}`);
  return code;
}

async function cmdProfilesImport(file: string, flags: { onConflict?: string; json?: boolean }): Promise<number> {
  const policy = flags.onConflict ?? 'rename';
  if (policy !== 'rename' && policy !== 'skip' && policy !== 'replace') throw new UsageError('--on-conflict takes rename, skip or replace');
  const [{ importFile }, { readImportFile }] = await Promise.all([import('../profiles/import/detect'), import('../profiles/import/read-limited')]);
  // Never more than the import limit, whatever the path is (a device, a FIFO, a huge file).
  const read = await readImportFile(file);
  const report = read.ok
    ? importFile(path.basename(file), read.bytes)
    : { format: 'unknown' as const, entries: [], fileError: read.error, fileWarnings: [] };
  if (report.fileError) {
    if (flags.json) out(JSON.stringify({ ok: false, format: report.format, error: report.fileError }));
    else errOut(`cannot import ${file}: ${report.fileError.message}`);
    return EXIT_PROFILE;
  }
  const { service } = await openProfiles();
  const importable = report.entries.filter((e) => e.profile);
  const outcomes = await service.importMany(importable.map((e) => e.profile!), { onConflict: policy });
  if (flags.json) {
    out(JSON.stringify({ ok: true, format: report.format, entries: report.entries.map((e) => ({ sourceName: e.sourceName, status: e.status, warnings: e.warnings, error: e.error })), outcomes: outcomes.map((o) => ({ status: o.status, ...('profile' in o && o.profile ? { name: o.profile.name } : {}) })) }));
  } else {
    out(`Format: ${report.format}`);
    for (const w of report.fileWarnings) out(`  note: ${w}`);
    let i = 0;
    for (const e of report.entries) {
      const outcome = e.profile ? outcomes[i++] : undefined;
      const status = e.error ? `error: ${e.error.message}` : outcome ? outcome.status : 'skipped';
      out(`  ${e.sourceName}: ${status}`);
      for (const w of e.warnings) out(`      - ${w}`);
    }
  }
  return outcomes.some((o) => o.status === 'failed') || report.entries.some((e) => e.status === 'error') ? EXIT_PROFILE : EXIT_OK;
}

async function cmdProfilesExport(names: string[], flags: { out?: string }): Promise<number> {
  const { service } = await openProfiles();
  const all = await service.list();
  const chosen = names.length === 0 ? all : names.map((n) => all.find((p) => p.name.toLowerCase() === n.toLowerCase()));
  const missing = names.filter((_, i) => !chosen[i]);
  if (missing.length) throw new ExitError(EXIT_PROFILE, `no profile named ${missing.map((m) => `"${m}"`).join(', ')}`);
  const { exportProfiles } = await import('../profiles/export/export');
  const text = exportProfiles(chosen.filter((p) => p !== undefined));
  if (flags.out) {
    await writeFile(flags.out, text, { mode: 0o600 });
    errOut(`Exported ${chosen.length} profile(s) to ${flags.out} (no passwords).`);
  } else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return EXIT_OK;
}

async function cmdProfilesSetPassword(name: string, flags: { passwordStdin?: boolean }): Promise<number> {
  const { service } = await openProfiles();
  const p = await service.getByName(name);
  if (!p) throw new ExitError(EXIT_PROFILE, `no profile named "${name}"`);
  if (p.askPasswordEveryTime) throw new ExitError(EXIT_PROFILE, `"${p.name}" asks for the password at every connect, so none is stored`);
  const password = await passwordFor(flags, `Password for ${p.username}@${p.server}: `);
  await service.setPassword(p.id, password);
  out(`Stored the password for "${p.name}" in the keychain.`);
  return EXIT_OK;
}

async function cmdProfilesRemove(name: string): Promise<number> {
  const { service } = await openProfiles();
  const p = await service.getByName(name);
  if (!p) throw new ExitError(EXIT_PROFILE, `no profile named "${name}"`);
  const r = await service.remove(p.id);
  out(`Removed "${p.name}".${r.secretError ? ` (its keychain entry could not be deleted: ${r.secretError.message})` : ''}`);
  return EXIT_OK;
}

/** Adds the `profiles` sub-commands to pptpctl's command table. */
export function addProfilesCommands(program: Command, setExit: (code: number) => void): void {
  const profiles = program.command('profiles').description('manage saved profiles (shared with the desktop app)');
  profiles.command('list').option('--json').action(async (o) => setExit(await cmdProfilesList(o)));
  profiles
    .command('import <file>')
    .description('import .json (ours), rasphone.pbk, .nmconnection or a pppd peers file')
    .option('--on-conflict <policy>', 'rename | skip | replace', 'rename')
    .option('--json')
    .action(async (file: string, o) => setExit(await cmdProfilesImport(file, o)));
  profiles
    .command('export [names...]')
    .description('export profiles (all when none named) as JSON, never with passwords')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (names: string[], o) => setExit(await cmdProfilesExport(names, o)));
  profiles
    .command('set-password <name>')
    .description("store a profile's password in the OS keychain")
    .option('--password-stdin', 'read the password from stdin')
    .action(async (name: string, o) => setExit(await cmdProfilesSetPassword(name, o)));
  profiles.command('remove <name>').description('remove a profile and its keychain entry').action(async (name: string) => setExit(await cmdProfilesRemove(name)));
}
