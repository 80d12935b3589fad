/**
 * DarwinNetworkConfigurator: applies a NetworkPlan on macOS with ifconfig (utun address, peer,
 * MTU, up), route (the server's host route through the gateway that reached it before, the
 * tunnel routes through the utun) and scutil (pushed DNS in the System Configuration dynamic
 * store), journaling each change before making it -- the same journal and the same promise as
 * Linux: rollback on a failing step, idempotent undo, restore, recoverFromJournal after a crash.
 *
 * DNS, and why this way. macOS resolves through configd, which builds the resolver list from
 * State:/Network/Service/<id>/DNS entries of active services (an IPv4 entry makes a service
 * active; configd's IPMonitor ranks services). Tunnelblick's up scripts instead overwrite the
 * PRIMARY service's State:.../DNS (saving the original in State:/Network/OpenVPN/OldDNS) and
 * Mullvad's daemon overwrites the DNS of every service and has to watch the store because
 * DHCP renewals write them back. Both modify keys other components own, so a crash or a
 * DHCP renewal in between makes "exactly as before" depend on a watcher. We publish our OWN
 * service instead, as Apple's PPP/IPSec VPN controllers do: State:/Network/Service/<SERVICE_ID>/IPv4
 * (utun addresses, Router = peer) and .../DNS (ServerAddresses; SearchDomains for the full
 * tunnel, SupplementalMatchDomains for a split tunnel, so only those domains go to the tunnel's
 * servers; without domains scutil(8) documents a domain-less supplemental resolver as an
 * additional default). For the full tunnel the IPv4 entry carries OverridePrimary = 1, which
 * makes IPMonitor rank our service first, so our resolver becomes the default one. Nothing
 * of anyone else is overwritten; undo removes our two keys (or puts back what they held, which
 * the journal records), and configd recomputes everything from what is left.
 *
 * The journal, rollback, restore and crash recovery are JournaledConfigurator's. Owns: the
 * ifconfig/route/scutil commands of each step and idempotent undo (a vanished utun, a route
 * already "not in table", an absent key are success). Must not: build arguments or
 * scripts from unvalidated text, run a shell, or touch the original default route.
 */
import { err, ok, type Result } from '../../../engine/wire/result';
import { createExecFileRunner, guardArgs, guardScript, type CommandName, type CommandRunner } from '../command-runner';
import { defaultStateDir } from '../journal';
import { JournaledConfigurator, STEP_DONE as DONE, type JournaledConfiguratorOptions, type StepFailure, type StepOutcome, type UndoOutcome } from '../journaled-configurator';
import {
  isDarwinUndoRecord,
  networkError,
  type DarwinUndoRecord,
  type NetworkConfigError,
  type NetworkPlan,
  type NetworkStep,
  type ScutilDictionary,
  type UndoRecord,
} from '../types';
import { isUtunName } from '../validate';
import { isRouteAlreadyExists, isRouteAlreadyGone, parseRouteGet, routeArgs, routeReportedFailure } from './bsd-route';
import { ifconfigArgs, isIfconfigAlreadyGone, parseIfconfig, type UtunState } from './ifconfig';
import { DNS_KEY, IPV4_KEY, OUR_KEYS, parseScutilShow, removeScript, sameDictionary, setScript, showScript, tunnelDictionaries, typedDictionary } from './scutil';

export interface DarwinConfiguratorOptions extends JournaledConfiguratorOptions {
  /** Journal (default $PPTP_STATE_DIR or /var/lib/pptp-manager). */
  readonly stateDir?: string;
  /** Runs ifconfig/route/scutil (default: execFile, no shell). Tests inject the simulated macOS. */
  readonly runner?: CommandRunner;
}

export class DarwinNetworkConfigurator extends JournaledConfigurator {
  readonly platform = 'darwin';
  readonly #runner: CommandRunner;
  /** Whether each utun was UP when this apply first looked at it (before any change of ours). */
  readonly #upBefore = new Map<string, boolean>();
  /** utuns whose 'utun-up' record is already in the journal (this apply). */
  readonly #upJournaled = new Set<string>();

  constructor(options: DarwinConfiguratorOptions = {}) {
    super(options.stateDir ?? defaultStateDir(), options);
    this.#runner = options.runner ?? createExecFileRunner();
  }

  protected override checkPlan(plan: NetworkPlan): Result<void, NetworkConfigError> {
    const notUtun = plan.steps.map((step) => ('dev' in step ? step.dev : step.tunDev)).find((dev) => !isUtunName(dev));
    return notUtun === undefined ? ok(undefined) : err(networkError('plan', `${JSON.stringify(notUtun)} is not a utun interface`));
  }

  protected override startApply(): void {
    this.#upBefore.clear();
    this.#upJournaled.clear();
  }

  /**
   * Runs one command; arguments and script are guarded once more here, whatever runner is
   * injected. Success is exit 0 and, for route(8), no routing-socket error in its output.
   */
  async #run(command: CommandName, args: readonly string[], stdin?: string): Promise<Result<string, StepFailure>> {
    const line = [command, ...args];
    const bad = guardArgs(args, command);
    if (bad !== null) return err({ message: `refused unsafe argument ${JSON.stringify(bad)}`, command: line });
    const badScript = stdin === undefined ? null : guardScript(stdin);
    if (badScript !== null) return err({ message: `refused unsafe script line ${JSON.stringify(badScript)}`, command: line });
    const result = await this.#runner(command, args, stdin);
    const output = `${result.stderr}\n${result.stdout}`.trim();
    const failed = result.exitCode !== 0 || (command === 'route' && args[1] !== 'get' && routeReportedFailure(output));
    if (!failed) return ok(result.stdout);
    return {
      ok: false,
      error: { message: result.stderr.trim() || output || `${command} exited with ${result.exitCode}`, command: line, stderr: output },
    };
  }

  /** Journal first, then the one command (see JournaledConfigurator.journaled). */
  #journaledRun(record: DarwinUndoRecord, command: CommandName, args: readonly string[]): Promise<Result<string, StepFailure>> {
    return this.journaled(record, () => this.#run(command, args));
  }

  async #showUtun(dev: string): Promise<Result<UtunState, StepFailure>> {
    const shown = await this.#run('ifconfig', ifconfigArgs.show(dev));
    if (!shown.ok) return shown;
    const state = parseIfconfig(shown.value, dev);
    if (state !== null && !this.#upBefore.has(dev)) this.#upBefore.set(dev, state.flags.includes('UP'));
    return state === null ? err({ message: `ifconfig ${dev} printed something unexpected`, command: ['ifconfig', dev], stderr: shown.value.slice(0, 200) }) : ok(state);
  }

  protected async applyStep(step: NetworkStep, plan: NetworkPlan): Promise<Result<StepOutcome, StepFailure>> {
    switch (step.kind) {
      case 'link-mtu': {
        const state = await this.#showUtun(step.dev);
        if (!state.ok) return state;
        if (state.value.mtu === step.mtu) return DONE;
        const set = await this.#journaledRun({ kind: 'utun-mtu', dev: step.dev, previousMtu: state.value.mtu }, 'ifconfig', ifconfigArgs.setMtu(step.dev, step.mtu));
        return set.ok ? DONE : set;
      }
      case 'link-address': {
        const { dev, local, peer } = step;
        const state = await this.#showUtun(dev);
        if (!state.ok) return state;
        if (state.value.inet.some((a) => a.local === local && a.peer === peer)) return DONE; // already there: not ours to remove
        // Setting an address brings a BSD interface up by itself (XNU in_ifinit): a link that was
        // down gets its 'utun-up' record now, before the command, so a crash right after it is undone too.
        if (this.#upBefore.get(dev) === false && !this.#upJournaled.has(dev)) {
          await this.journal.append({ kind: 'utun-up', dev });
          this.#upJournaled.add(dev);
        }
        const added = await this.#journaledRun({ kind: 'utun-address', dev, local, peer }, 'ifconfig', ifconfigArgs.addAddress(dev, local, peer));
        return added.ok ? DONE : added;
      }
      case 'link-up': {
        // Only a link that was down before we started gets a record, so undo never downs a link that was up.
        const state = await this.#showUtun(step.dev);
        if (!state.ok) return state;
        if (state.value.flags.includes('UP')) return DONE;
        if (this.#upJournaled.has(step.dev)) {
          const up = await this.#run('ifconfig', ifconfigArgs.up(step.dev));
          return up.ok ? DONE : up;
        }
        this.#upJournaled.add(step.dev);
        const up = await this.#journaledRun({ kind: 'utun-up', dev: step.dev }, 'ifconfig', ifconfigArgs.up(step.dev));
        if (!up.ok) this.#upJournaled.delete(step.dev);
        return up.ok ? DONE : up;
      }
      case 'server-route':
        return this.#applyServerRoute(step.server, step.tunDev);
      case 'tunnel-route': {
        const added = await this.#journaledRun({ kind: 'bsd-route', dest: step.dest, gateway: null, interface: step.dev }, 'route', routeArgs.add(step.dest, null, step.dev));
        return added.ok ? DONE : added;
      }
      case 'dns': {
        const address = plan.steps.find((s): s is Extract<NetworkStep, { kind: 'link-address' }> => s.kind === 'link-address');
        if (address === undefined) return err({ message: 'a DNS step needs the link address step of the same plan' });
        return this.#applyDns(step, address);
      }
    }
  }

  async #applyServerRoute(server: string, tunDev: string): Promise<Result<StepOutcome, StepFailure>> {
    const got = await this.#run('route', routeArgs.get(server));
    if (!got.ok) return got;
    const route = parseRouteGet(got.value);
    if (route.kind === 'local') return ok({ kind: 'server-route', route: { kind: 'local' } });
    if (route.kind === 'unusable') return err({ message: route.reason, command: ['route', ...routeArgs.get(server)], stderr: got.value.slice(0, 400) });
    if (route.interface === tunDev) return err({ message: `the route to ${server} already goes through ${tunDev}` });
    const gateway = route.kind === 'via-gateway' ? route.gateway : null;
    const dest = `${server}/32`;
    await this.journal.append({ kind: 'bsd-route', dest, gateway, interface: gateway === null ? route.interface : null });
    const added = await this.#run('route', routeArgs.add(dest, gateway, gateway === null ? route.interface : null));
    if (!added.ok) {
      await this.journal.dropLast();
      // A host route to the server exists already (not ours): traffic to it bypasses the tunnel anyway.
      if (isRouteAlreadyExists(added.error.stderr ?? '')) return ok({ kind: 'server-route', route: { kind: 'already-present' } });
      return added;
    }
    return ok({
      kind: 'server-route',
      route: gateway === null ? { kind: 'on-link', dev: route.interface } : { kind: 'via-gateway', via: gateway, dev: route.interface },
    });
  }

  async #applyDns(step: Extract<NetworkStep, { kind: 'dns' }>, address: Extract<NetworkStep, { kind: 'link-address' }>): Promise<Result<StepOutcome, StepFailure>> {
    const { ipv4, dns } = tunnelDictionaries({
      dev: step.dev,
      local: address.local,
      peer: address.peer,
      servers: step.servers,
      domains: step.domains ?? [],
      routeAllDomains: step.routeAllDomains,
    });
    for (const [key, dict] of [
      [IPV4_KEY, ipv4],
      [DNS_KEY, dns],
    ] as const) {
      const shown = await this.#run('scutil', [], showScript(key));
      if (!shown.ok) return shown;
      const before = parseScutilShow(shown.value);
      if (before.kind === 'garbled') return err({ message: `scutil show ${key}: ${before.reason}`, command: ['scutil'], stderr: shown.value.slice(0, 400) });
      const previous = before.kind === 'absent' ? null : typedDictionary(before.dictionary);
      if (before.kind === 'dictionary' && previous === null) return err({ message: `${key} holds entries we did not write; not touching it` });
      // The record stays even if the set fails: undo (remove, or put back `previous`) is idempotent.
      await this.journal.append({ kind: 'scutil-key', key, previous });
      const set = await this.#setKey(key, dict);
      if (!set.ok) return set;
    }
    return ok({ kind: 'dns', backend: 'scutil' });
  }

  /** Sets (dict) or removes (null) one of our keys and checks the store shows exactly that afterwards. */
  async #setKey(key: string, dict: ScutilDictionary | null): Promise<Result<void, StepFailure>> {
    const ran = await this.#run('scutil', [], dict === null ? removeScript(key) : setScript(key, dict));
    if (!ran.ok) return ran;
    const after = parseScutilShow(ran.value);
    const typed = after.kind === 'dictionary' ? typedDictionary(after.dictionary) : null;
    const matches = dict === null ? after.kind === 'absent' : typed !== null && sameDictionary(typed, dict);
    if (matches) return ok(undefined);
    return err({
      message: `scutil did not ${dict === null ? 'remove' : 'set'} ${key} (${after.kind === 'garbled' ? after.reason : `it shows ${after.kind}`})`,
      command: ['scutil'],
      stderr: ran.value.slice(0, 400),
    });
  }

  protected outOfScope(record: UndoRecord, tunName: string): string | null {
    switch (record.kind) {
      case 'utun-mtu':
      case 'utun-address':
      case 'utun-up':
        return record.dev === tunName ? null : `${record.kind} on ${record.dev}, not the tunnel's ${tunName}`;
      case 'bsd-route':
        // Tunnel routes go through the utun; the only other route is the server's /32 host route.
        return record.interface === tunName || record.dest.endsWith('/32') ? null : `route ${record.dest}`;
      case 'scutil-key':
        return OUR_KEYS.includes(record.key) ? null : `scutil key ${record.key}`;
      default:
        return `a Linux record (${record.kind})`;
    }
  }

  protected async undoRecord(record: UndoRecord): Promise<UndoOutcome> {
    if (!isDarwinUndoRecord(record)) return err(`the journal holds a Linux record (${record.kind}); it cannot be undone on macOS`);
    if (record.kind === 'scutil-key') {
      const set = await this.#setKey(record.key, record.previous);
      return set.ok ? ok(null) : err(set.error.message);
    }
    const [command, args]: [CommandName, string[]] =
      record.kind === 'bsd-route'
        ? ['route', routeArgs.delete(record.dest)]
        : [
            'ifconfig',
            record.kind === 'utun-mtu'
              ? ifconfigArgs.setMtu(record.dev, record.previousMtu)
              : record.kind === 'utun-address'
                ? ifconfigArgs.deleteAddress(record.dev, record.local, record.peer)
                : ifconfigArgs.down(record.dev),
          ];
    const result = await this.#run(command, args);
    if (result.ok) return ok(null);
    const output = result.error.stderr ?? result.error.message;
    if (command === 'route' ? isRouteAlreadyGone(output) : isIfconfigAlreadyGone(output)) return ok(null);
    return err(`${command} ${args.join(' ')}: ${result.error.message}`);
  }
}
