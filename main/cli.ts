/**
 * pptpctl: the headless front end (DESIGN.md §6). Runs the tunnel service in-process (so it
 * needs root; on Linux CAP_NET_ADMIN + CAP_NET_RAW also do), prints a phase timeline or JSON lines, stays in
 * the foreground until SIGINT/SIGTERM or `pptpctl disconnect`, and exits with the code of the
 * failure reason (main/cli/exit-codes.ts). commander parses the command line (a well-kept
 * library: help, errors and sub-commands for free).
 *
 * This file is the command table and the connect/disconnect/status/recover flow; the
 * `profiles` sub-commands are main/cli/profiles-commands.ts. Like all of main/cli it imports
 * nothing from main/app (no Electron): profiles come from main/profiles (lint enforces it).
 */
import { Command, CommanderError, Option } from 'commander';
import type { TunnelEvent } from '../preload/schema/tunnel';
import { connectOptionsFromFlags, UsageError, type ConnectFlags } from './cli/connect-flags';
import { EXIT_CODE_BY_REASON, EXIT_CODE_TABLE, EXIT_INTERNAL, EXIT_NOT_PRIVILEGED, EXIT_NOT_RUNNING, EXIT_OK, EXIT_PROFILE, EXIT_USAGE, ExitError } from './cli/exit-codes';
import { errOut, out } from './cli/output';
import { passwordFor, readPasswordFromStdin } from './cli/password';
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

function requirePrivileges(what: string): void {
  if (!isPrivileged()) {
    throw new ExitError(EXIT_NOT_PRIVILEGED, `${what} needs ${privilegeRequirement()} (try: sudo pptpctl ...)`);
  }
}

async function resolveConnectOptions(flags: ConnectFlags & { profile?: string; passwordStdin?: boolean }): Promise<ConnectOptions> {
  if (flags.profile) {
    const { service } = await openProfiles();
    const profile = await service.getByName(flags.profile);
    if (!profile) throw new ExitError(EXIT_PROFILE, `no profile named "${flags.profile}" (see: pptpctl profiles list)`);
    let password: string | null = null;
    if (flags.passwordStdin) password = await readPasswordFromStdin();
    else if (!profile.askPasswordEveryTime) {
      try {
        password = await service.getPassword(profile.id);
      } catch (e) {
        errOut(`warning: cannot read the keychain (${(e as Error).message}); asking instead`);
      }
    }
    if (password === null) password = await passwordFor({}, `Password for ${profile.username}@${profile.server}: `);
    const built = connectOptionsFor(profile, password);
    if (!built.ok) throw new ExitError(EXIT_PROFILE, built.problem.message);
    return built.options;
  }
  if (!flags.server || !flags.user) connectOptionsFromFlags(flags, ''); // throws the usage error
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
  const options = await resolveConnectOptions(flags);
  requirePrivileges('connect');
  const json = flags.json === true;
  const statsS = flags.stats === undefined || flags.stats === false ? undefined : flags.stats === true ? 5 : Number(flags.stats);
  if (statsS !== undefined && !(statsS > 0)) throw new UsageError('--stats takes a positive number of seconds');
  const tty = !json && process.stdout.isTTY === true;
  const secrets = [options.password];
  const print = (e: TunnelEvent) => {
    if (json) {
      out(redactOutput(JSON.stringify(e), secrets));
      return;
    }
    if (tty && e.event === 'phase' && e.status === 'started') {
      process.stdout.write(`\r\x1b[2K  … ${e.phase}`);
      return;
    }
    const text = formatEvent(e);
    if (text === undefined) return;
    if (tty) process.stdout.write('\r\x1b[2K');
    out(redactOutput(text, secrets));
  };
  const driver = new TunnelDriver({
    onEvent: print,
    ...(statsS !== undefined ? { statsIntervalMs: statsS * 1000 } : {}),
    ...(process.env.PPTP_STATE_DIR ? { stateDir: process.env.PPTP_STATE_DIR } : {}),
  });
  const recovered = await driver.recover();
  if (recovered !== 'nothing to recover') {
    if (json) out(JSON.stringify({ event: 'log', level: 'warn', message: recovered }));
    else errOut(`note: ${recovered}`);
  }
  const control = new ControlSocketServer(controlSocketPath(), driver);
  await control.listen();
  if (!json) out(`Connecting to ${options.server} as ${options.username}${options.label && options.label !== options.server ? ` (${options.label})` : ''}…`);
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
    else errOut(r.message);
    return EXIT_NOT_RUNNING;
  }
  if (flags.json) out(JSON.stringify({ event: 'disconnect-requested', ok: true }));
  else out('Disconnected.');
  return EXIT_OK;
}

async function cmdStatus(flags: { json?: boolean }): Promise<number> {
  const r = await sendControlRequest(controlSocketPath(), 'status');
  if (!r.ok) {
    if (flags.json) out(JSON.stringify({ state: 'not-running' }));
    else out('No tunnel is running.');
    return EXIT_NOT_RUNNING;
  }
  const status = r.result as { state: string; label?: string; connected?: { localIp: string; remoteIp: string; dns: string[]; mtu: number; auth: string } };
  if (flags.json) out(JSON.stringify(status));
  else {
    out(`State: ${status.state}${status.label ? ` (${status.label})` : ''}`);
    if (status.connected) {
      const c = status.connected;
      out(`  ${c.localIp} ↔ ${c.remoteIp}, MTU ${c.mtu}, auth ${c.auth}${c.dns.length ? `, DNS ${c.dns.join(' ')}` : ''}`);
    }
  }
  return EXIT_OK;
}

async function cmdRecover(): Promise<number> {
  requirePrivileges('recover');
  const driver = new TunnelDriver({ onEvent: () => undefined, ...(process.env.PPTP_STATE_DIR ? { stateDir: process.env.PPTP_STATE_DIR } : {}) });
  const msg = await driver.recover();
  out(msg);
  return msg.startsWith('recovery failed') ? EXIT_CODE_BY_REASON['network-config-failed'] : EXIT_OK;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('pptpctl')
    .description('Userspace PPTP client: connect, inspect and diagnose PPTP VPN tunnels.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText('after', `\nExit codes:\n${EXIT_CODE_TABLE.map(([c, n, d]) => `  ${String(c).padStart(2)}  ${n.padEnd(22)} ${d}`).join('\n')}\n\nPPTP's encryption (MS-CHAPv2 + RC4) is broken; use it only where nothing better is available.`);
  const run = (fn: () => Promise<number>) => async () => setExit(await fn());

  program
    .command('connect')
    .description('connect and stay in the foreground until Ctrl-C, SIGTERM or `pptpctl disconnect`')
    .option('--server <host>', 'PPTP server host name or IPv4 address')
    .option('--user <name>', 'user name')
    .option('--domain <domain>', 'NT domain (sent as DOMAIN\\user by MS-CHAP)')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--profile <name>', 'use a saved profile (see `pptpctl profiles list`)')
    .option('--auth <list>', 'allowed methods: mschapv2,mschap,chap,pap,eap', 'mschapv2')
    .option('--mppe <mode>', 'required | 128 | 56 | 40 | optional | none', '128')
    .option('--stateful', 'accept stateful MPPE when the server insists (stateless is always asked for first)')
    .option('--routes <spec>', 'default | none | CIDR[,CIDR...]', 'default')
    .option('--dns <on|off>', 'apply the DNS servers the server pushes', 'on')
    .option('--mtu <n>', 'cap the tunnel MTU (576-1500)')
    .option('--lcp-echo <s[,n]>', 'LCP keepalive interval in seconds and failures (0 = off)')
    .addOption(new Option('--reconnect [attempts]', 'reconnect with backoff after a drop (0 or none = unlimited)'))
    .addOption(new Option('--stats [seconds]', 'print live statistics every N seconds (default 5)'))
    .option('--json', 'one JSON object per line')
    .action(async (opts: ConnectCliFlags, cmd: Command) => {
      const src = (k: string) => cmd.getOptionValueSource(k);
      // A profile supplies these; flags given explicitly with --profile are an error, not silently ignored.
      if (opts.profile && ['server', 'user'].some((k) => src(k) === 'cli')) throw new UsageError('--profile cannot be combined with --server/--user');
      setExit(await cmdConnect(opts));
    });
  program.command('disconnect').description('disconnect the tunnel a running `pptpctl connect` holds').option('--json').action(async (o) => setExit(await cmdDisconnect(o)));
  program.command('status').description('show the running tunnel').option('--json').action(async (o) => setExit(await cmdStatus(o)));
  program.command('recover').description('undo routes/DNS a crashed run left behind (also done by every connect)').action(run(cmdRecover));
  program
    .command('doctor')
    .description('diagnose a server step by step: resolve, TCP 1723, control, call, GRE, and with credentials auth, encryption, IPCP')
    .requiredOption('--server <host>', 'PPTP server')
    .option('--user <name>', 'user name (enables the auth, encryption and IPCP steps)')
    .option('--password-stdin', 'read the password from stdin')
    .option('--auth <list>', 'allowed methods', 'mschapv2')
    .option('--mppe <mode>', 'required | 128 | 56 | 40 | optional | none', '128')
    .option('--stateful', 'accept stateful MPPE when the server insists')
    .option('--json', 'one JSON object per line')
    .action(async (o: ConnectCliFlags) => {
      const password = o.user ? await passwordFor(o, `Password for ${o.user}@${o.server}: `) : undefined;
      setExit(await runDoctor({ server: o.server!, ...(o.user ? { user: o.user } : {}), ...(password !== undefined ? { password } : {}), flags: o, json: o.json === true, print: out }));
    });
  addProfilesCommands(program, setExit);
  return program;
}

async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (e instanceof UsageError) {
      errOut(`pptpctl: ${e.message}`);
      return EXIT_USAGE;
    }
    if (e instanceof ExitError) {
      errOut(`pptpctl: ${e.message}`);
      return e.code;
    }
    const code = (e as { code?: string }).code;
    // The profile store's and the keychain's stable codes (preload/schema/profile-store.ts,
    // main/profiles/keychain): a profile problem with its message, never a stack trace.
    if (code === 'keychain-unavailable' || code === 'keychain-failed' || (e instanceof Error && e.name === 'ProfileStoreError')) {
      errOut(`pptpctl: ${(e as Error).message}`);
      return EXIT_PROFILE;
    }
    errOut(`pptpctl: internal error: ${e instanceof Error ? e.stack : String(e)}`);
    return EXIT_INTERNAL;
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
