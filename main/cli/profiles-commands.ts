/**
 * `pptpctl profiles ...`: list, show, add, edit, import, export, set-password and remove, over
 * the same profiles file and keychain as the desktop app (main/profiles). `add` and `edit` take
 * connect's own flags (connect-flags.ts, one definition and one parser) plus --ask-password.
 * Every command gets a ProfilesContext (profiles-context.ts), so tests run them on a temporary
 * store with an in-memory keychain.
 *
 * Owns the commands' text and JSON output; the rules (names, conflicts, formats) are the
 * profile domain's. Decisions (as nmcli / clig.dev do it):
 *  - `add` on a terminal asks for the password (stored in the keychain) unless --ask-password or
 *    --password-stdin; without a terminal it stores none and says how to;
 *  - `remove` asks "[y/N]" on a terminal; without one it refuses unless --yes (exit 2);
 *  - `export --out F` never overwrites F without --force (exit 2);
 *  - `import` takes several files, reports every entry (a section per file when several) and one
 *    summary (import-report.ts); an unreadable file among several does not stop the others;
 *    warnings go to stderr.
 */
import type { Command } from 'commander';
import { open as openFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Profile, ProfileInput, ProfilePatch } from '../../preload/schema/profile';
import { securityWarnings } from '../../preload/schema/profile';
import type { ImportReport, StoreProblem } from '../../preload/schema/profile-store';
import { addConnectionOptions, checkSettings, settingsFromFlags, UsageError, type ConnectFlags } from './connect-flags';
import { EXIT_OK, EXIT_PROFILE, EXIT_USAGE, ExitError } from './exit-codes';
import { entryLine, entryResults, fileFailure, fileHeader, fileJson, importFailed, summarize, summaryLine, type FileImport } from './import-report';
import { errOut, out, warn } from './output';
import { describeProfile, type PasswordState } from './profile-describe';
import { realProfilesContext, type ProfilesContext } from './profiles-context';
import { withExamples } from './help';

export { openProfiles } from './profiles-context';

/** Problems that set profiles aside: the list shown is not everything the user had. */
function keptAside(problems: readonly StoreProblem[]): boolean {
  return problems.some((p) => p.kind === 'corrupt-file' || p.kind === 'invalid-profiles');
}

async function findProfile(ctx: ProfilesContext, name: string) {
  const opened = await ctx.open();
  const profile = await opened.service.getByName(name);
  if (!profile) throw new ExitError(EXIT_PROFILE, `no profile named ${JSON.stringify(name)} (see: pptpctl profiles list)`);
  return { ...opened, profile };
}

export async function cmdProfilesList(ctx: ProfilesContext, flags: { json?: boolean }): Promise<number> {
  const { service, dir, problems } = await ctx.open();
  const profiles = await service.list();
  const code = keptAside(problems) ? EXIT_PROFILE : EXIT_OK;
  if (flags.json) {
    out(JSON.stringify(profiles));
    return code;
  }
  if (profiles.length === 0) errOut(`No profiles in ${dir}. Add one with: pptpctl profiles add NAME --server HOST --user USER`);
  for (const p of profiles) out(`${p.name}\t${p.username}@${p.server}\tauth ${p.auth.join(',')}\tmppe ${p.mppe}${p.askPasswordEveryTime ? '\t(asks password)' : ''}`);
  return code;
}

async function passwordState(ctx: ProfilesContext, service: Awaited<ReturnType<ProfilesContext['open']>>['service'], p: Profile): Promise<PasswordState> {
  if (p.askPasswordEveryTime) return { kind: 'ask' };
  try {
    return (await service.getPassword(p.id)) === null ? { kind: 'none' } : { kind: 'stored' };
  } catch (e) {
    return { kind: 'unknown', why: `the keychain cannot be read: ${(e as Error).message}` };
  }
}

export async function cmdProfilesShow(ctx: ProfilesContext, name: string, flags: { json?: boolean }): Promise<number> {
  const { service, profile } = await findProfile(ctx, name);
  const password = await passwordState(ctx, service, profile);
  const warnings = securityWarnings(profile);
  if (flags.json) {
    out(JSON.stringify({ ...profile, password: password.kind, securityWarnings: warnings }));
    return EXIT_OK;
  }
  for (const line of describeProfile(profile, password)) out(line);
  for (const w of warnings) warn(w);
  return EXIT_OK;
}

interface ProfileFlags extends ConnectFlags {
  askPassword?: boolean;
  passwordStdin?: boolean;
  rename?: string;
  json?: boolean;
}

function checkPasswordFlags(flags: ProfileFlags): void {
  if (flags.askPassword && flags.passwordStdin) throw new UsageError('--ask-password stores no password, so --password-stdin has nothing to do; give one of them');
}

export async function cmdProfilesAdd(ctx: ProfilesContext, name: string, flags: ProfileFlags): Promise<number> {
  checkPasswordFlags(flags);
  if (!flags.server) throw new UsageError('--server is required: pptpctl profiles add NAME --server HOST --user USER');
  if (!flags.user) throw new UsageError('--user is required: pptpctl profiles add NAME --server HOST --user USER');
  const settings = checkSettings({ name, ...settingsFromFlags(flags), askPasswordEveryTime: flags.askPassword === true }, flags);
  const { service } = await ctx.open();
  if (await service.getByName(settings.name)) {
    throw new ExitError(EXIT_PROFILE, `a profile named ${JSON.stringify(settings.name)} already exists (change it with: pptpctl profiles edit ${JSON.stringify(settings.name)} ...)`);
  }
  let password: string | undefined;
  if (!settings.askPasswordEveryTime && (flags.passwordStdin || ctx.interactive())) {
    password = await ctx.password(flags, `Password for ${settings.username}@${settings.server} (kept in the keychain): `);
  }
  const profile = await service.create(settings, password);
  out(`Added ${JSON.stringify(profile.name)}: ${profile.username}@${profile.server}.`);
  if (profile.askPasswordEveryTime) errOut('The password will be asked at every connect.');
  else if (password !== undefined) errOut('The password is stored in the keychain.');
  else warn(`no password stored (no terminal to ask on): connect will ask, or store one with: pptpctl profiles set-password ${JSON.stringify(profile.name)} --password-stdin`);
  for (const w of securityWarnings(profile)) warn(w);
  return EXIT_OK;
}

/** The stored settings with `patch` applied the way the store merges (keepalive, reconnect field by field). */
function mergedSettings(p: Profile, patch: ProfilePatch): ProfileInput {
  const { id: _id, createdAt: _c, updatedAt: _u, ...settings } = p;
  return {
    ...settings,
    ...patch,
    keepalive: { ...p.keepalive, ...patch.keepalive },
    reconnect: { ...p.reconnect, ...patch.reconnect },
  };
}

export async function cmdProfilesEdit(ctx: ProfilesContext, name: string, flags: ProfileFlags): Promise<number> {
  checkPasswordFlags(flags);
  const patch: ProfilePatch = settingsFromFlags(flags);
  if (flags.rename !== undefined) patch.name = flags.rename;
  if (flags.askPassword !== undefined) patch.askPasswordEveryTime = flags.askPassword;
  if (Object.keys(patch).length === 0 && !flags.passwordStdin) {
    throw new UsageError('nothing to change: give the settings to change, e.g. --server HOST or --mtu 1400 (see: pptpctl profiles edit --help)');
  }
  const { service, profile } = await findProfile(ctx, name);
  const next = checkSettings(mergedSettings(profile, patch), flags);
  if (next.askPasswordEveryTime && flags.passwordStdin) throw new UsageError(`${JSON.stringify(profile.name)} asks for the password at every connect, so none is stored: add --no-ask-password to store one`);
  let password: string | undefined;
  const stopsAsking = profile.askPasswordEveryTime && !next.askPasswordEveryTime;
  if (flags.passwordStdin || (stopsAsking && ctx.interactive())) {
    password = await ctx.password(flags, `Password for ${next.username}@${next.server} (kept in the keychain): `);
  }
  const updated = await service.update(profile.id, patch, password);
  const changed = Object.keys(patch).map((k) => ({ username: 'user', usePeerDns: 'dns', allowStateful: 'stateful', askPasswordEveryTime: 'ask-password', keepalive: 'lcp-echo' })[k] ?? k);
  out(`Updated ${JSON.stringify(updated.name)}${changed.length ? `: ${changed.join(', ')}` : ''}${password !== undefined ? `${changed.length ? ', ' : ': '}password stored in the keychain` : ''}.`);
  if (stopsAsking && password === undefined) warn(`no password stored: connect will ask, or store one with: pptpctl profiles set-password ${JSON.stringify(updated.name)}`);
  if ('auth' in patch || 'mppe' in patch || 'allowStateful' in patch) for (const w of securityWarnings(updated)) warn(w);
  return EXIT_OK;
}

/** Reads and imports one file; with `several`, a file that yields nothing is a failed entry instead of an error. */
async function importOne(ctx: ProfilesContext, file: string, policy: 'rename' | 'skip' | 'replace', several: boolean): Promise<FileImport> {
  const [{ importFile }, { readImportFile }] = await Promise.all([import('../profiles/import/detect'), import('../profiles/import/read-limited')]);
  // Never more than the import limit, whatever the path is (a device, a FIFO, a huge file).
  const read = await readImportFile(file);
  const report: ImportReport = read.ok ? importFile(path.basename(file), read.bytes) : { format: 'unknown', entries: [], fileError: read.error, fileWarnings: [] };
  const failure = several ? fileFailure(path.basename(file), report) : undefined;
  if (failure || report.fileError) return { file, report, outcomes: [], results: failure ? [failure] : [] };
  const { service } = await ctx.open();
  const outcomes = await service.importMany(
    report.entries.flatMap((e) => (e.profile ? [e.profile] : [])),
    { onConflict: policy },
  );
  return { file, report, outcomes, results: entryResults(report.entries, outcomes) };
}

/** Prints one file's entry lines; its warnings (file-wide and per entry) go to stderr. */
function printFileLines(f: FileImport, several: boolean): void {
  for (const w of f.report.fileWarnings) warn(several ? `${f.file}: ${w}` : w);
  f.results.forEach((r, i) => {
    out(entryLine(r));
    // An entry's own notes (security, routes read differently, skipped) are warnings: stderr.
    for (const w of f.report.entries[i]?.warnings ?? []) if (!w.startsWith('skipped: ')) warn(`${r.name}: ${w}`);
  });
}

/**
 * `profiles import FILE...`. One file prints as it always has (progress on stderr, entry lines,
 * a summary; an unreadable or empty file is an error, exit 14). Several files print a section per
 * file and one summary over all; an unreadable file is a failed entry, not an abort (a script
 * importing a folder gets everything importable). Exit 14 only when nothing at all was imported
 * and something failed. Files are imported in order, so a later file's conflicts see earlier ones.
 */
export async function cmdProfilesImport(ctx: ProfilesContext, fileOrFiles: string | readonly string[], flags: { onConflict?: string; json?: boolean }): Promise<number> {
  const files = typeof fileOrFiles === 'string' ? [fileOrFiles] : fileOrFiles;
  if (files.length === 0) throw new UsageError('give at least one file to import');
  const policy = flags.onConflict ?? 'rename';
  if (policy !== 'rename' && policy !== 'skip' && policy !== 'replace') throw new UsageError('--on-conflict takes rename, skip or replace');
  const several = files.length > 1;
  const imports: FileImport[] = [];
  for (const file of files) imports.push(await importOne(ctx, file, policy, several));

  const first = imports[0]!;
  if (!several && first.report.fileError) {
    if (flags.json) out(JSON.stringify({ ok: false, format: first.report.format, error: first.report.fileError }));
    throw new ExitError(EXIT_PROFILE, `cannot import ${first.file}: ${first.report.fileError.message}`);
  }
  const all = imports.flatMap((f) => f.results);
  const summary = summarize(all);
  const failed = importFailed(summary, all.length);
  if (flags.json) {
    const perFile = imports.map(fileJson);
    // One file: its object (format, entries, outcomes, results) also at the top, as before `files`.
    const { file: _file, ...single } = perFile[0]!;
    out(JSON.stringify({ ...(several ? {} : single), ok: !failed, files: perFile, summary: { imported: summary.imported, ...summary.counts } }));
  } else {
    for (const f of imports) {
      if (several) out(fileHeader(f));
      else errOut(`Importing ${f.file} (${f.report.format})…`);
      printFileLines(f, several);
    }
    out(summaryLine(summary, all.length, files.length));
  }
  if (!several && first.report.entries.length === 0) throw new ExitError(EXIT_PROFILE, `${first.file} holds no profiles`);
  if (failed) throw new ExitError(EXIT_PROFILE, 'nothing was imported');
  return EXIT_OK;
}

export async function cmdProfilesExport(ctx: ProfilesContext, names: string[], flags: { out?: string; force?: boolean }): Promise<number> {
  const { service } = await ctx.open();
  const all = await service.list();
  const chosen = names.length === 0 ? all : names.map((n) => all.find((p) => p.name.toLowerCase() === n.toLowerCase()));
  const missing = names.filter((_, i) => !chosen[i]);
  if (missing.length) throw new ExitError(EXIT_PROFILE, `no profile named ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
  const { exportProfiles } = await import('../profiles/export/export');
  const text = exportProfiles(chosen.filter((p) => p !== undefined));
  if (flags.out) {
    if (flags.force) await writeFile(flags.out, text, { mode: 0o600 });
    else {
      // 'wx': created here or not at all, so an existing file is never overwritten (no check-then-write race).
      const handle = await openFile(flags.out, 'wx', 0o600).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'EEXIST') throw new ExitError(EXIT_USAGE, `${flags.out} already exists: add --force to overwrite it`);
        throw e;
      });
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
    }
    errOut(`Exported ${chosen.length} profile${chosen.length === 1 ? '' : 's'} to ${flags.out} (no passwords).`);
  } else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return EXIT_OK;
}

export async function cmdProfilesSetPassword(ctx: ProfilesContext, name: string, flags: { passwordStdin?: boolean }): Promise<number> {
  const { service, profile: p } = await findProfile(ctx, name);
  if (p.askPasswordEveryTime) throw new ExitError(EXIT_PROFILE, `${JSON.stringify(p.name)} asks for the password at every connect, so none is stored (change that with: pptpctl profiles edit ${JSON.stringify(p.name)} --no-ask-password)`);
  const password = await ctx.password(flags, `Password for ${p.username}@${p.server}: `);
  await service.setPassword(p.id, password);
  out(`Stored the password for ${JSON.stringify(p.name)} in the keychain.`);
  return EXIT_OK;
}

export async function cmdProfilesRemove(ctx: ProfilesContext, name: string, flags: { yes?: boolean }): Promise<number> {
  const { service, profile: p } = await findProfile(ctx, name);
  if (!flags.yes) {
    if (!ctx.interactive()) throw new ExitError(EXIT_USAGE, `not removing ${JSON.stringify(p.name)} without confirmation: there is no terminal to ask on; add --yes`);
    if (!(await ctx.confirm(`Remove the profile ${JSON.stringify(p.name)} (${p.username}@${p.server}) and its stored password?`))) {
      errOut('Nothing removed.');
      return EXIT_OK;
    }
  }
  const r = await service.remove(p.id);
  out(`Removed ${JSON.stringify(p.name)}.`);
  if (r.secretError) warn(`its keychain entry could not be deleted: ${r.secretError.message}`);
  return EXIT_OK;
}

/** Adds the `profiles` sub-commands to pptpctl's command table. */
export function addProfilesCommands(program: Command, setExit: (code: number) => void, ctx: ProfilesContext = realProfilesContext): void {
  const profiles = program.command('profiles').description('manage saved profiles (shared with the desktop app)');
  withExamples(profiles, ['pptpctl profiles list', 'pptpctl profiles add Office --server vpn.example.com --user alice', 'pptpctl profiles show Office']);
  const run = (fn: () => Promise<number>) => fn().then(setExit);

  withExamples(profiles.command('list').description('list the saved profiles').option('--json', 'one JSON array'), ['pptpctl profiles list', 'pptpctl profiles list --json | jq -r ".[].name"']).action((o) =>
    run(() => cmdProfilesList(ctx, o)),
  );
  withExamples(profiles.command('show <name>').description("show a profile's settings and where its password is").option('--json', 'one JSON object'), [
    'pptpctl profiles show Office',
    'pptpctl profiles show Office --json',
  ]).action((name: string, o) => run(() => cmdProfilesShow(ctx, name, o)));

  const passwordOptions = (cmd: Command) =>
    cmd
      .option('--ask-password', 'store no password: ask for it at every connect')
      .option('--no-ask-password', 'keep the password in the keychain (the default)')
      .option('--password-stdin', 'read the password to store from the first line of stdin');
  withExamples(passwordOptions(addConnectionOptions(profiles.command('add <name>').description('add a profile (on a terminal the password is asked for and kept in the keychain)'))), [
    'pptpctl profiles add Office --server vpn.example.com --user alice',
    'echo "$PASSWORD" | pptpctl profiles add Office --server vpn.example.com --user alice --password-stdin',
    'pptpctl profiles add Lab --server 192.0.2.10 --user bob --ask-password --routes 10.0.0.0/8 --dns off',
  ]).action((name: string, o: ProfileFlags) => run(() => cmdProfilesAdd(ctx, name, o)));
  withExamples(
    passwordOptions(addConnectionOptions(profiles.command('edit <name>').description('change a profile: only the settings given change'))).option('--rename <new-name>', 'give the profile a new name'),
    ['pptpctl profiles edit Office --mtu 1400 --routes 10.0.0.0/8,172.16.0.0/12', 'pptpctl profiles edit Office --rename "Office (old)"', 'pptpctl profiles edit Office --mtu auto --no-stateful'],
  ).action((name: string, o: ProfileFlags) => run(() => cmdProfilesEdit(ctx, name, o)));
  withExamples(
    profiles
      .command('import <files...>')
      .description('import .json (ours), rasphone.pbk, .nmconnection or pppd peers files; one line per entry (a section per file), then one summary')
      .option('--on-conflict <policy>', 'when a name is taken: rename | skip | replace', 'rename')
      .option('--json', 'one JSON object (a "files" array holds each file\'s part)'),
    [
      'pptpctl profiles import ~/Downloads/rasphone.pbk',
      'pptpctl profiles import office.nmconnection --on-conflict replace',
      'pptpctl profiles import /etc/NetworkManager/system-connections/*.nmconnection',
      'pptpctl profiles import a.json b.pbk --json | jq ".files[] | {file, ok}"',
    ],
  ).action((files: string[], o) => run(() => cmdProfilesImport(ctx, files, o)));
  withExamples(
    profiles
      .command('export [names...]')
      .description('export profiles (all when none named) as JSON, never with passwords')
      .option('--out <file>', 'write to a file instead of stdout (refuses to overwrite one)')
      .option('--force', 'with --out: overwrite the file if it exists'),
    ['pptpctl profiles export > profiles.json', 'pptpctl profiles export Office Lab --out office.json'],
  ).action((names: string[], o) => run(() => cmdProfilesExport(ctx, names, o)));
  withExamples(profiles.command('set-password <name>').description("store a profile's password in the OS keychain").option('--password-stdin', 'read the password from the first line of stdin'), [
    'pptpctl profiles set-password Office',
    'echo "$PASSWORD" | pptpctl profiles set-password Office --password-stdin',
  ]).action((name: string, o) => run(() => cmdProfilesSetPassword(ctx, name, o)));
  withExamples(profiles.command('remove <name>').description('remove a profile and its keychain entry (asks first unless --yes)').option('-y, --yes', 'do not ask for confirmation'), [
    'pptpctl profiles remove Office',
    'pptpctl profiles remove Office --yes',
  ]).action((name: string, o) => run(() => cmdProfilesRemove(ctx, name, o)));
}
