/**
 * A simulated macOS for the darwin NetworkConfigurator: a CommandRunner that keeps the state
 * behind ifconfig (interfaces, IPv4 addresses, MTU, flags), route (the IPv4 routing table, with
 * longest-prefix `get`) and scutil (the System Configuration dynamic store) and answers in the
 * output formats of the recorded outputs under test/fixtures/darwin/ (see formats.ts).
 *
 * Modelled from documented behaviour (ifconfig(8), route(8), scutil(8), XNU): a point-to-point
 * address adds a host route to the peer and brings the link up; deleting it removes that route;
 * closing a utun removes the interface with every route through it (if_detach); route(8)
 * answers "File exists" / "not in table" on stderr with exit 1; scutil exits 0 whatever
 * happens. Not modelled: configd's IPMonitor (no default-route or resolver changes follow an
 * OverridePrimary entry), scoped routes, IPv6, ARP. `snapshot()` is comparable with toEqual.
 */
import type { CommandName, CommandResult, CommandRunner } from '../../../main/service/net/command-runner';
import { formatIpv4, parseIpv4 } from '../../../main/service/net/validate';
import { formatIfconfig, formatRouteGet, formatScutilDictionary, type SimInterface, type SimRoute, type StoreValue } from './formats';

export type { SimInterface, SimRoute, StoreValue } from './formats';
export type StoreDictionary = Record<string, StoreValue>;

export interface MacSnapshot {
  readonly interfaces: readonly string[];
  readonly routes: readonly string[];
  readonly store: readonly string[];
}

const ok = (stdout = ''): CommandResult => ({ exitCode: 0, stdout, stderr: '' });
const fail = (stderr: string, stdout = '', exitCode = 1): CommandResult => ({ exitCode, stdout, stderr });

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function cidrOf(text: string): { network: number; prefix: number } | null {
  const [address, prefixText] = text.includes('/') ? text.split('/') : [text, '32'];
  const network = parseIpv4(address);
  const prefix = Number(prefixText);
  if (network === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return null;
  return { network: (network & maskOf(prefix)) >>> 0, prefix };
}

export interface SimulatedMacOptions {
  /** The utun the native helper opened (default utun3, down, MTU 1500, no address). */
  readonly utun?: string;
  readonly utunUp?: boolean;
}

export class SimulatedMac {
  readonly interfaces = new Map<string, SimInterface>();
  routes: SimRoute[] = [];
  readonly store = new Map<string, StoreDictionary>();
  /** Every command line run, for tests that look at the order. */
  readonly log: string[] = [];

  constructor(options: SimulatedMacOptions = {}) {
    // A MacBook on Wi-Fi: the shape of the recorded outputs in test/fixtures/darwin/.
    this.interfaces.set('lo0', { name: 'lo0', flagsHex: '8049', flags: ['UP', 'LOOPBACK', 'RUNNING', 'MULTICAST'], mtu: 16384, inet: [{ local: '127.0.0.1', peer: null, prefix: 8 }] });
    this.interfaces.set('en0', {
      name: 'en0',
      flagsHex: '8863',
      flags: ['UP', 'BROADCAST', 'SMART', 'RUNNING', 'SIMPLEX', 'MULTICAST'],
      mtu: 1500,
      inet: [{ local: '192.168.1.23', peer: null, prefix: 24 }],
    });
    this.openUtun(options.utun ?? 'utun3', options.utunUp ?? false);
    this.routes = [
      { network: 0, prefix: 0, gateway: '192.168.1.1', interface: 'en0', flags: ['UP', 'GATEWAY', 'DONE', 'STATIC', 'PRCLONING', 'GLOBAL'] },
      { network: parseIpv4('127.0.0.0') ?? 0, prefix: 8, gateway: null, interface: 'lo0', flags: ['UP', 'DONE', 'CLONING', 'STATIC'] },
      { network: parseIpv4('127.0.0.1') ?? 0, prefix: 32, gateway: null, interface: 'lo0', flags: ['UP', 'HOST', 'DONE', 'LOCAL'] },
      { network: parseIpv4('192.168.1.0') ?? 0, prefix: 24, gateway: null, interface: 'en0', flags: ['UP', 'DONE', 'CLONING', 'STATIC'] },
      { network: parseIpv4('192.168.1.23') ?? 0, prefix: 32, gateway: null, interface: 'lo0', flags: ['UP', 'HOST', 'DONE', 'LOCAL'] },
    ];
    const wifi = 'B7A5F3E2-4C1D-4E8F-9A0B-1C2D3E4F5A6B';
    this.store.set('State:/Network/Global/IPv4', { PrimaryInterface: 'en0', PrimaryService: wifi, Router: '192.168.1.1' });
    this.store.set(`State:/Network/Service/${wifi}/IPv4`, { Addresses: ['192.168.1.23'], InterfaceName: 'en0', Router: '192.168.1.1', SubnetMasks: ['255.255.255.0'] });
    this.store.set(`State:/Network/Service/${wifi}/DNS`, { ServerAddresses: ['192.168.1.1'], DomainName: 'home.arpa' });
  }

  /** What the native helper's `openTun` does: the kernel creates utunN. */
  openUtun(name: string, up = false): void {
    this.interfaces.set(name, {
      name,
      flagsHex: up ? '8051' : '8050',
      flags: up ? ['UP', 'POINTOPOINT', 'RUNNING', 'MULTICAST'] : ['POINTOPOINT', 'RUNNING', 'MULTICAST'],
      mtu: 1500,
      inet: [],
    });
  }

  /** The process holding the utun died or closed it: XNU detaches it and purges its routes. */
  closeUtun(name: string): void {
    this.interfaces.delete(name);
    this.routes = this.routes.filter((route) => route.interface !== name);
  }

  snapshot(): MacSnapshot {
    return {
      interfaces: [...this.interfaces.values()].map((i) => JSON.stringify({ ...i, flags: [...i.flags].sort() })).sort(),
      routes: this.routes.map((r) => `${formatIpv4(r.network)}/${r.prefix} ${r.gateway ?? '-'} ${r.interface} ${r.flags.join(',')}`).sort(),
      store: [...this.store.entries()].map(([key, dict]) => `${key} ${JSON.stringify(dict, Object.keys(dict).sort())}`).sort(),
    };
  }

  readonly run: CommandRunner = (command, args, stdin) => {
    this.log.push([command, ...args].join(' '));
    return Promise.resolve(this.#dispatch(command, args, stdin ?? ''));
  };

  #dispatch(command: CommandName, args: readonly string[], stdin: string): CommandResult {
    switch (command) {
      case 'ifconfig':
        return this.#ifconfig(args);
      case 'route':
        return this.#route(args);
      case 'scutil':
        return args.length === 0 ? this.#scutil(stdin) : fail(`scutil: unexpected arguments ${args.join(' ')}\n`);
      default:
        return fail(`${command}: command not found\n`, '', 127);
    }
  }

  #ifconfig(args: readonly string[]): CommandResult {
    const [name, ...rest] = args;
    const iface = name === undefined ? undefined : this.interfaces.get(name);
    if (iface === undefined) return fail(`ifconfig: interface ${name ?? ''} does not exist\n`);
    const setUp = (up: boolean): void => {
      const others = iface.flags.filter((f) => f !== 'UP');
      iface.flags = up ? ['UP', ...others] : others;
      iface.flagsHex = (parseInt(iface.flagsHex, 16) & ~1 | (up ? 1 : 0)).toString(16);
    };
    if (rest.length === 0) return ok(formatIfconfig(iface));
    if (rest.length === 1 && (rest[0] === 'up' || rest[0] === 'down')) {
      setUp(rest[0] === 'up');
      return ok();
    }
    if (rest.length === 2 && rest[0] === 'mtu') {
      const mtu = Number(rest[1]);
      // XNU if_utun.c utun_ioctl SIOCSIFMTU: at most UTUN_IF_MAX_MTU (65535 here), else EINVAL.
      if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) return fail('ifconfig: ioctl (SIOCSIFMTU): Invalid argument\n');
      iface.mtu = mtu;
      return ok();
    }
    if (rest[0] === 'inet' && (rest.length === 3 || (rest.length === 4 && rest[3] === 'delete'))) {
      const [, local, peer] = rest as [string, string, string];
      if (parseIpv4(local) === null || parseIpv4(peer) === null) return fail(`ifconfig: ${local}: bad value\n`);
      const peerRoute = (r: SimRoute): boolean => r.prefix === 32 && r.network === parseIpv4(peer) && r.interface === iface.name;
      if (rest[3] === 'delete') {
        const index = iface.inet.findIndex((a) => a.local === local);
        if (index === -1) return fail("ifconfig: ioctl (SIOCDIFADDR): Can't assign requested address\n");
        iface.inet.splice(index, 1);
        this.routes = this.routes.filter((r) => !peerRoute(r));
        return ok();
      }
      iface.inet = iface.inet.filter((a) => a.local !== local);
      iface.inet.push({ local, peer, prefix: 8 });
      if (!this.routes.some(peerRoute)) this.routes.push({ network: parseIpv4(peer) ?? 0, prefix: 32, gateway: null, interface: iface.name, flags: ['UP', 'HOST', 'DONE'] });
      setUp(true); // in_ifinit brings the interface up
      return ok();
    }
    return fail('usage: ifconfig [-C] [-L] [-d] [-m] [-r] [-u] [-v] [-x] interface address_family [address [dest_address]] [parameters]\n');
  }

  #route(args: readonly string[]): CommandResult {
    if (args[0] !== '-n') return fail('route: only -n is simulated\n');
    const [, verb, ...rest] = args;
    if (verb === 'get' && rest.length === 1) {
      const address = parseIpv4(rest[0]);
      if (address === null) return fail(`route: bad address: ${rest[0] ?? ''}\n`);
      const match = this.#lookup(address);
      if (match === null) return fail('route: writing to routing socket: not in table\n');
      const mtu = this.interfaces.get(match.interface)?.mtu ?? 1500;
      return ok(formatRouteGet(rest[0] ?? '', match, mtu));
    }
    const kind = rest[0];
    const cidr = rest[1] === undefined ? null : cidrOf(rest[1]);
    if ((kind !== '-host' && kind !== '-net') || cidr === null) return fail(`route: bad address: ${rest[1] ?? ''}\n`);
    if (kind === '-host' && cidr.prefix !== 32) return fail(`route: bad address: ${rest[1] ?? ''}\n`);
    const word = cidr.prefix === 32 ? 'host' : 'net';
    const destText = formatIpv4(cidr.network);
    const same = (r: SimRoute): boolean => r.network === cidr.network && r.prefix === cidr.prefix;
    if (verb === 'delete' && rest.length === 2) {
      const index = this.routes.findIndex(same);
      if (index === -1) return fail('route: writing to routing socket: not in table\n', `delete ${word} ${destText}: not in table\n`);
      this.routes.splice(index, 1);
      return ok(`delete ${word} ${destText}\n`);
    }
    if (verb === 'add') {
      let route: SimRoute;
      if (rest.length === 4 && rest[2] === '-interface') {
        const iface = this.interfaces.get(rest[3] ?? '');
        if (iface === undefined) return fail(`route: bad address: ${rest[3] ?? ''}\n`);
        route = { network: cidr.network, prefix: cidr.prefix, gateway: null, interface: iface.name, flags: ['UP', 'DONE', 'STATIC'] };
      } else if (rest.length === 3 && parseIpv4(rest[2]) !== null) {
        const via = this.#lookup(parseIpv4(rest[2]) ?? 0);
        if (via === null || via.gateway !== null) return fail('route: writing to routing socket: Network is unreachable\n', `add ${word} ${destText}: gateway ${rest[2] ?? ''}: Network is unreachable\n`);
        route = { network: cidr.network, prefix: cidr.prefix, gateway: rest[2] ?? null, interface: via.interface, flags: ['UP', 'GATEWAY', 'DONE', 'STATIC'] };
      } else {
        return fail('usage: route [-dnqtv] command [[modifiers] args]\n');
      }
      // route.c print order: UP, GATEWAY, HOST, ..., DONE, ..., STATIC (bit order of RTF_*).
      if (cidr.prefix === 32) route = { ...route, flags: route.gateway === null ? ['UP', 'HOST', 'DONE', 'STATIC'] : ['UP', 'GATEWAY', 'HOST', 'DONE', 'STATIC'] };
      const gatewayText = route.gateway ?? route.interface;
      if (this.routes.some(same)) return fail('route: writing to routing socket: File exists\n', `add ${word} ${destText}: gateway ${gatewayText}: File exists\n`);
      this.routes.push(route);
      return ok(`add ${word} ${destText}: gateway ${gatewayText}\n`);
    }
    return fail('usage: route [-dnqtv] command [[modifiers] args]\n');
  }

  #lookup(address: number): SimRoute | null {
    let best: SimRoute | null = null;
    for (const route of this.routes) {
      if (!route.flags.includes('UP') || ((address & maskOf(route.prefix)) >>> 0) !== route.network) continue;
      if (best === null || route.prefix > best.prefix) best = route;
    }
    return best;
  }

  /** scutil(8) reading commands from stdin: one current dictionary, the store, and output as it prints it. */
  #scutil(script: string): CommandResult {
    let current: StoreDictionary = {};
    let out = '';
    for (const line of script.split('\n')) {
      const words = line.trim().split(/\s+/).filter((w) => w !== '');
      const [verb, key, ...values] = words;
      if (verb === undefined || verb === 'open' || verb === 'close') continue;
      if (verb === 'quit' || verb === 'exit') break;
      switch (verb) {
        case 'd.init':
          current = {};
          break;
        case 'd.add': {
          if (key === undefined) break;
          const [type, ...rest] = values;
          if (type === '*') current[key] = rest;
          else if (type === '#') current[key] = Number(rest[0]);
          else if (type === '?') current[key] = rest[0] === 'TRUE' || rest[0] === '1' ? 1 : 0;
          else current[key] = values.join(' ');
          break;
        }
        case 'd.remove':
          if (key !== undefined) delete current[key];
          break;
        case 'd.show':
          out += formatScutilDictionary(current);
          break;
        case 'set':
          if (key !== undefined) this.store.set(key, { ...current });
          break;
        case 'get': {
          const found = key === undefined ? undefined : this.store.get(key);
          if (found === undefined) out += '  No such key\n';
          else current = { ...found };
          break;
        }
        case 'show': {
          const found = key === undefined ? undefined : this.store.get(key);
          out += found === undefined ? '  No such key\n' : formatScutilDictionary(found);
          break;
        }
        case 'remove':
          if (key === undefined || !this.store.delete(key)) out += '  No such key\n';
          break;
        default:
          out += `  unknown command: ${verb}\n`;
      }
    }
    return ok(out);
  }
}
