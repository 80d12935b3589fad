/**
 * pptpctl: the headless front end (DESIGN.md §6). Runs the tunnel service in-process (so it
 * needs root; on Linux CAP_NET_ADMIN + CAP_NET_RAW also do), prints a phase timeline or JSON lines, stays in
 * the foreground until SIGINT/SIGTERM or `pptpctl disconnect`, and exits with the code of the
 * failure reason (main/cli/exit-codes.ts). commander parses the command line (a well-kept
 * library: help, errors and sub-commands for free).
 *
 * This file is the command table, the connect/disconnect/status/recover flow and the one place
 * errors become stderr lines and exit codes (`main`). Output rules (stdout vs stderr, the error
 * and warning prefixes, colour, live lines) are main/cli/output.ts's; the `profiles`
 * sub-commands are main/cli/profiles-commands.ts. Like all of main/cli it imports nothing from
 * main/app (no Electron): profiles come from main/profiles (lint enforces it).
 */
import { Command, CommanderError, Option } from 'commander';
import type { TunnelEvent } from '../preload/schema/tunnel';
import { addConnectionOptions, connectOptionsFromFlags, UsageError, type ConnectFlags } from './cli/connect-flags';
import { EXIT_ALREADY_RUNNING, EXIT_CODE_BY_REASON, EXIT_CODE_TABLE, EXIT_INTERNAL, EXIT_NOT_PRIVILEGED, EXIT_NOT_RUNNING, EXIT_OK, EXIT_PROFILE, EXIT_USAGE, ExitError } from './cli/exit-codes';
import { error, errOut, live, out, outStyled, stdoutColour, terminalText, warn, ERROR_PREFIX } from './cli/output';
import { passwordFor, PASSWORD_FLAG_HELP } from './cli/password';
import { addProfilesCommands, openProfiles } from './cli/profiles-commands';
import { formatEvent } from './cli/timeline';
import { runDoctor } from './cli/doctor';
import { ControlSocketServer, controlSocketPath, sendControlRequest } from './cli/control-socket';
import type { ConnectOptions } from './service/connect-options';
import { connectOptionsFor } from './profiles/connect-options';
import { TunnelDriver } from './service/tunnel-driver';
import { isPrivileged } from './service/privileges';
import { redactOutput } from './cli/redact';
import { privilegeRequirement } from './cli/platform';
import { withExamples } from './cli/help';
import { versionText } from './cli/version';
import { cliStatusSchema, formatStatus, StatusTracker } from './cli/status';
import { describeSystemError, isSystemError, plainErrnoText } from './cli/system-errors';

function requirePrivileges(what: string): void {
  if (!isPrivileged()) {
    throw new ExitError(EXIT_NOT_PRIVILEGED, `${what} needs ${privilegeRequirement()} (try: sudo pptpctl ...)`);
  }
}

/** The connection flags a profile supplies: given with --profile they are an error, not silently ignored. */
const PROFILE_SUPPLIED = ['server', 'user', 'domain', 'auth', 'mppe', 'stateful', 'routes', 'dns', 'mtu', 'lcpEcho', 'reconnect'] as const;

async function resolveConnectOptions(flags: ConnectFlags & { profile?: string; passwordStdin?: boolean }): Promise<ConnectOptions> {
  if (flags.profile) {
    const { service } = await openProfiles();
    const profile = await service.getByName(flags.profile);
    if (!profile) throw new ExitError(EXIT_PROFILE, `no profile named ${JSON.stringify(flags.profile)} (see: pptpctl profiles list)`);
    let password: string | null = null;
    if (flags.passwordStdin) password = await passwordFor(flags, '');
    else if (!profile.askPasswordEveryTime) {
      try {
        password = await service.getPassword(profile.id);
      } catch (e) {
        warn(`cannot read the keychain (${plainErrnoText((e as Error).message)}); asking instead`);
      }
    }
    if (password === null) password = await passwordFor({}, `Password for ${profile.username}@${profile.server}: `);
    const built = connectOptionsFor(profile, password);
    if (!built.ok) throw new ExitError(EXIT_PROFILE, built.problem.message);
    return built.options;
  }
  if (!flags.server || !flags.user) connectOptionsFromFlags(flags, ''); // throws the usage error
  connectOptionsFromFlags(flags, ''); // bad flags are said before the password is asked for
  const password = await passwordFor(flags, `Password for ${flags.user}@${flags.server}: `);
  return connectOptionsFromFlags(flags, password);
}

interface ConnectCliFlags extends ConnectFlags {
  profile?: string;
  passwordStdin?: boolean;
  json?: boolean;
  stats?: boolean | string;
}

async function cmdConnect(flags: ConnectCliFlags): Promise<number> {
  const statsS = flags.stats === undefined || flags.stats === false ? undefined : flags.stats === true ? 5 : Number(flags.stats);
  if (statsS !== undefined && !(statsS > 0)) throw new UsageError('--stats takes a positive number of seconds');
  const options = await resolveConnectOptions(flags);
  requirePrivileges('connect');
  const json = flags.json === true;
  const secrets = [options.password];
  const tracker = new StatusTracker(flags.profile ? options.label : undefined, options.server);
  let networkTouched = false;
  const print = (e: TunnelEvent) => {
    if (tracker.observe(e)) return; // a stats report taken for `pptpctl status`
    if (e.event === 'phase' && e.phase === 'routes') networkTouched = true;
    if (json) {
      out(redactOutput(JSON.stringify(e), secrets));
      return;
    }
    if (e.event === 'phase' && e.status === 'started') {
      live(`  … ${e.phase}`, 'transient');
      return;
    }
    if (e.event === 'log') {
      if (e.level === 'warn' || e.level === 'error') warn(redactOutput(plainErrnoText(e.message), secrets));
      return;
    }
    if (e.event === 'error') {
      error(redactOutput(plainErrnoText(formatEvent(e)!), secrets));
      return;
    }
    const text = formatEvent(e, { paint: stdoutColour, networkTouched });
    if (text === undefined) return;
    if (e.event === 'stats') live(redactOutput(text, secrets), 'lasting');
    // The marks were coloured after the text was made terminal-safe: keep them.
    else outStyled(terminalText(redactOutput(text, secrets)).replace(/[✓✗]/g, (m) => stdoutColour(m === '✓' ? 'green' : 'red', m)));
  };
  const driver = new TunnelDriver({
    onEvent: print,
    ...(statsS !== undefined ? { statsIntervalMs: statsS * 1000 } : {}),
    ...(process.env.PPTP_STATE_DIR ? { stateDir: process.env.PPTP_STATE_DIR } : {}),
  });
  const recovered = await driver.recover();
  if (recovered !== 'nothing to recover') {
    if (json) out(JSON.stringify({ event: 'log', level: 'warn', message: recovered }));
    else warn(recovered);
  }
  const control = new ControlSocketServer(controlSocketPath(), driver, () => tracker.snapshot(driver.status(), () => driver.emitStats()));
  await control.listen();
  if (!json) errOut(`Connecting to ${options.server} as ${options.username}${options.label && options.label !== options.server ? ` (${options.label})` : ''}…`);
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 2) process.exit(EXIT_INTERNAL);
    void driver.disconnect().catch(() => undefined);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await driver.connect(options);
  const reason = await driver.waitForEnd();
  await control.close();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return EXIT_CODE_BY_REASON[reason];
}

async function cmdDisconnect(flags: { json?: boolean }): Promise<number> {
  const r = await sendControlRequest(controlSocketPath(), 'disconnect', { waitForClose: true });
  if (!r.ok) {
    if (flags.json) out(JSON.stringify({ event: 'error', reason: 'not-running', message: r.message }));
    throw new ExitError(EXIT_NOT_RUNNING, r.message);
  }
  if (flags.json) out(JSON.stringify({ event: 'disconnect-requested', ok: true }));
  else out('Disconnected.');
  return EXIT_OK;
}

async function cmdStatus(flags: { json?: boolean }): Promise<number> {
  const r = await sendControlRequest(controlSocketPath(), 'status');
  if (!r.ok) {
    if (flags.json) out(JSON.stringify({ state: 'not-running' }));
    else errOut('No tunnel is running.');
    return EXIT_NOT_RUNNING;
  }
  const parsed = cliStatusSchema.safeParse(r.result);
  if (!parsed.success) throw new ExitError(EXIT_INTERNAL, 'the running pptpctl sent a status this pptpctl does not understand (different versions?)');
  if (flags.json) out(JSON.stringify(parsed.data));
  else for (const line of formatStatus(parsed.data)) out(line);
  return EXIT_OK;
}

async function cmdRecover(): Promise<number> {
  requirePrivileges('recover');
  const driver = new TunnelDriver({ onEvent: () => undefined, ...(process.env.PPTP_STATE_DIR ? { stateDir: process.env.PPTP_STATE_DIR } : {}) });
  const msg = await driver.recover();
  if (msg.startsWith('recovery failed')) throw new ExitError(EXIT_CODE_BY_REASON['network-config-failed'], plainErrnoText(msg));
  out(msg);
  return EXIT_OK;
}

const EXIT_CODES_HELP = `\nExit codes:\n${EXIT_CODE_TABLE.map(([c, n, d]) => `  ${String(c).padStart(3)}  ${n.padEnd(22)} ${d}`).join('\n')}\n`;

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('pptpctl')
    .description('Userspace PPTP client: connect, inspect and diagnose PPTP VPN tunnels.')
    .version(versionText(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(add --help for usage and examples)')
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // commander's own errors ("error: unknown option '--bogus'") get pptpctl's one prefix.
      outputError: (s, write) => write(`${ERROR_PREFIX}${s.replace(/^error: /, '')}`),
    });
  withExamples(program, [
    'echo "$PASSWORD" | sudo pptpctl connect --server vpn.example.com --user alice --password-stdin',
    'sudo pptpctl connect --profile Office',
    'sudo pptpctl status',
    'sudo pptpctl doctor --server vpn.example.com',
    'pptpctl profiles add Office --server vpn.example.com --user alice',
  ]);
  program.addHelpText('after', `${EXIT_CODES_HELP}\nPPTP's encryption (MS-CHAPv2 + RC4) is broken; use it only where nothing better is available.`);
  const run = (fn: () => Promise<number>) => async () => setExit(await fn());

  const connect = addConnectionOptions(program.command('connect').description('connect and stay in the foreground until Ctrl-C, SIGTERM or `pptpctl disconnect`'))
    .option('--password-stdin', 'read the password from the first line of stdin (else it is asked for on the terminal)')
    .option('--profile <name>', 'use a saved profile and its stored password (see `pptpctl profiles list`)')
    .addOption(new Option('--stats [seconds]', 'show live statistics every N seconds (default 5); updated in place on a terminal'))
    .option('--json', 'one JSON object per line on stdout');
  withExamples(connect, [
    'echo "$PASSWORD" | sudo pptpctl connect --server vpn.example.com --user alice --password-stdin',
    'sudo pptpctl connect --server 192.0.2.10 --user alice --routes 10.0.0.0/8 --dns off --stats',
    'sudo pptpctl connect --profile Office --json',
  ]).action(async (opts: ConnectCliFlags, cmd: Command) => {
    const given = PROFILE_SUPPLIED.filter((k) => cmd.getOptionValueSource(k) === 'cli');
    if (opts.profile && given.length) {
      const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new UsageError(`--profile takes its settings from the profile, so ${given.map(flag).join(', ')} cannot be given with it (change the profile with: pptpctl profiles edit NAME ${flag(given[0]!)} ...)`);
    }
    setExit(await cmdConnect(opts));
  });
  withExamples(program.command('disconnect').description('disconnect the tunnel a running `pptpctl connect` holds').option('--json', 'one JSON object'), ['sudo pptpctl disconnect']).action(
    async (o) => setExit(await cmdDisconnect(o)),
  );
  withExamples(program.command('status').description('show the running tunnel: server, addresses, uptime, traffic and encryption').option('--json', 'one JSON object'), [
    'sudo pptpctl status',
    'sudo pptpctl status --json | jq .rxBytes',
  ]).action(async (o) => setExit(await cmdStatus(o)));
  withExamples(program.command('recover').description('undo routes/DNS a crashed run left behind (also done by every connect)'), ['sudo pptpctl recover']).action(run(cmdRecover));
  const doctor = program
    .command('doctor')
    .description('diagnose a server step by step: resolve, TCP 1723, control, call, GRE, and with credentials auth, encryption, IPCP')
    .requiredOption('--server <host>', 'PPTP server')
    .option('--user <name>', 'user name (enables the auth, encryption and IPCP steps)')
    .option('--password-stdin', 'read the password from the first line of stdin (else it is asked for on the terminal)')
    .option('--auth <list>', 'allowed methods (default: mschapv2)')
    .option('--mppe <mode>', 'required | 128 | 56 | 40 | optional | none (default: 128)')
    .option('--stateful', 'accept stateful MPPE when the server insists')
    .option('--json', 'one JSON object per line');
  withExamples(doctor, ['sudo pptpctl doctor --server vpn.example.com', 'echo "$PASSWORD" | sudo pptpctl doctor --server vpn.example.com --user alice --password-stdin']).action(
    async (o: ConnectCliFlags) => {
      if (o.user) connectOptionsFromFlags({ ...o, server: o.server, routes: 'none', dns: 'off' }, ''); // bad flags before the password prompt
      const password = o.user ? await passwordFor(o, `Password for ${o.user}@${o.server}: `) : undefined;
      setExit(await runDoctor({ server: o.server!, ...(o.user ? { user: o.user } : {}), ...(password !== undefined ? { password } : {}), flags: o, json: o.json === true, print: out }));
    },
  );
  addProfilesCommands(program, setExit);
  return program;
}

/** `--password VALUE` anywhere before `--`: refused before commander sees it, with the ways that work. */
function passwordOnCommandLine(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--password' || a.startsWith('--password='));
}

/** Turns anything thrown into its stderr line and exit code: one prefix, no stack trace but for bugs. */
function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE; // commander printed it
  if (e instanceof UsageError) {
    error(e.message);
    return EXIT_USAGE;
  }
  if (e instanceof ExitError) {
    error(plainErrnoText(e.message));
    return e.code;
  }
  const code = (e as { code?: string }).code;
  if (code === 'busy') {
    error(`${(e as Error).message}: disconnect it first (pptpctl disconnect)`);
    return EXIT_ALREADY_RUNNING;
  }
  // The profile store's and the keychain's stable codes (preload/schema/profile-store.ts,
  // main/profiles/keychain): a profile problem with its message, never a stack trace.
  if (code === 'keychain-unavailable' || code === 'keychain-failed' || code === 'invalid-argument' || (e instanceof Error && e.name === 'ProfileStoreError')) {
    error(plainErrnoText((e as Error).message));
    return EXIT_PROFILE;
  }
  if (isSystemError(e)) {
    error(describeSystemError(e));
    return EXIT_INTERNAL;
  }
  error(`internal error (a bug in pptpctl; please report it): ${e instanceof Error ? e.stack : String(e)}`);
  return EXIT_INTERNAL;
}

async function main(argv: string[]): Promise<number> {
  if (passwordOnCommandLine(argv.slice(2))) {
    error(PASSWORD_FLAG_HELP);
    return EXIT_USAGE;
  }
  let code = EXIT_OK;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    return exitCodeFor(e);
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // Let stdout drain, then leave even if a stray handle lingers.
    setTimeout(() => process.exit(code), 50).unref();
  },
  () => process.exit(EXIT_INTERNAL),
);
