/**
 * planNetwork: turns what IPCP negotiated plus the profile's routing/DNS choices into an
 * ordered list of steps (a value; nothing is touched here). Validation happens here, so a
 * hostile address or CIDR is refused before any command exists.
 *
 * Order: MTU, address (local peer remote/32), link up, the host route to the server (looked up
 * before any tunnel route exists, so it goes through the old path and the tunnel never loops),
 * the tunnel routes, DNS last (queries move to the tunnel servers once the routes to them exist).
 *
 * Full tunnel uses 0.0.0.0/1 + 128.0.0.0/1 (OpenVPN's "def1"): together they cover everything
 * and, being more specific than 0.0.0.0/0, win over the default route without replacing it.
 * The original default route is never touched, so restoring is just deleting our two routes,
 * and a crash can never leave the machine without its default route.
 */
import { err, ok, type Result } from '../../engine/wire/result';
import { networkError, type NetworkConfigError, type NetworkPlan, type NetworkPlanInput, type NetworkStep } from './types';
import { isDomainName, isInterfaceName, isMtu, isUsableHostIpv4, parseCidr } from './validate';

/** OpenVPN def1: two halves of the address space. */
export const FULL_TUNNEL_ROUTES = ['0.0.0.0/1', '128.0.0.0/1'] as const;
/** glibc reads at most 3 nameservers (MAXNS); resolved takes more but we keep one rule. */
export const MAX_DNS_SERVERS = 3;
/** A split-route list this long is a mistake or an attack, not a profile. */
export const MAX_SPLIT_ROUTES = 256;
/** resolv.conf(5) allows six search domains; we keep the same bound for every OS. */
export const MAX_DNS_DOMAINS = 6;

function refuse(message: string): Result<never, NetworkConfigError> {
  return err(networkError('plan', message));
}

export function planNetwork(input: NetworkPlanInput): Result<NetworkPlan, NetworkConfigError> {
  if (!isUsableHostIpv4(input.serverIp)) return refuse(`invalid server address ${JSON.stringify(input.serverIp)}`);
  if (!isInterfaceName(input.tunName)) return refuse(`invalid TUN interface name ${JSON.stringify(input.tunName)}`);
  if (!isUsableHostIpv4(input.localIp)) return refuse(`invalid local address ${JSON.stringify(input.localIp)}`);
  if (!isUsableHostIpv4(input.remoteIp)) return refuse(`invalid remote address ${JSON.stringify(input.remoteIp)}`);
  if (!isMtu(input.mtu)) return refuse(`invalid MTU ${JSON.stringify(input.mtu)} (68..65535)`);

  let routeDests: string[];
  if (input.routes === 'default') {
    routeDests = [...FULL_TUNNEL_ROUTES];
  } else if (input.routes === 'none') {
    routeDests = [];
  } else if (Array.isArray(input.routes)) {
    if (input.routes.length > MAX_SPLIT_ROUTES) return refuse(`too many split routes (${input.routes.length} > ${MAX_SPLIT_ROUTES})`);
    routeDests = [];
    for (const text of input.routes as readonly unknown[]) {
      const cidr = parseCidr(text);
      if (cidr === null) return refuse(`invalid route ${JSON.stringify(text)} (expected a.b.c.d/n with host bits zero)`);
      if (cidr.prefix === 0) return refuse('the split route 0.0.0.0/0 would replace the default route: use routes "default"');
      if (!routeDests.includes(cidr.text)) routeDests.push(cidr.text);
    }
  } else {
    return refuse(`invalid routes mode ${JSON.stringify(input.routes)}`);
  }

  let dnsServers: string[] = [];
  if (input.dns !== null) {
    if (!Array.isArray(input.dns)) return refuse('dns must be a list of addresses or null');
    for (const server of input.dns as readonly unknown[]) {
      if (!isUsableHostIpv4(server)) return refuse(`invalid DNS server ${JSON.stringify(server)}`);
      if (!dnsServers.includes(server)) dnsServers.push(server);
    }
    dnsServers = dnsServers.slice(0, MAX_DNS_SERVERS);
  }

  const domains: string[] = [];
  if (input.dnsDomains !== undefined) {
    if (!Array.isArray(input.dnsDomains)) return refuse('dnsDomains must be a list of domain names');
    if (input.dnsDomains.length > MAX_DNS_DOMAINS) return refuse(`too many DNS domains (${input.dnsDomains.length} > ${MAX_DNS_DOMAINS})`);
    for (const domain of input.dnsDomains as readonly unknown[]) {
      if (!isDomainName(domain)) return refuse(`invalid DNS domain ${JSON.stringify(domain)} (lower-case letters, digits, '-' and '.')`);
      if (!domains.includes(domain)) domains.push(domain);
    }
  }

  const dev = input.tunName;
  const steps: NetworkStep[] = [
    { kind: 'link-mtu', dev, mtu: input.mtu },
    { kind: 'link-address', dev, local: input.localIp, peer: input.remoteIp },
    { kind: 'link-up', dev },
  ];
  if (routeDests.length > 0) steps.push({ kind: 'server-route', server: input.serverIp, tunDev: dev });
  for (const dest of routeDests) steps.push({ kind: 'tunnel-route', dest, dev });
  if (dnsServers.length > 0) {
    steps.push({
      kind: 'dns',
      dev,
      servers: dnsServers,
      routeAllDomains: input.routes === 'default',
      ...(domains.length > 0 ? { domains } : {}),
    });
  }
  return ok({ input, steps });
}

/** Re-checks a plan that did not come from planNetwork (apply never trusts its argument). */
export function validatePlan(plan: NetworkPlan): Result<NetworkPlan, NetworkConfigError> {
  if (typeof plan !== 'object' || plan === null || !Array.isArray(plan.steps)) return refuse('a plan must have steps');
  for (const step of plan.steps) {
    const problem = stepProblem(step);
    if (problem !== null) return refuse(`invalid step ${describeStep(step)}: ${problem}`);
  }
  return ok(plan);
}

function stepProblem(step: NetworkStep): string | null {
  if (!isInterfaceName('dev' in step ? step.dev : step.tunDev)) return 'bad interface name';
  switch (step.kind) {
    case 'link-mtu':
      return isMtu(step.mtu) ? null : 'bad MTU';
    case 'link-address':
      return isUsableHostIpv4(step.local) && isUsableHostIpv4(step.peer) ? null : 'bad address';
    case 'link-up':
      return null;
    case 'server-route':
      return isUsableHostIpv4(step.server) ? null : 'bad server address';
    case 'tunnel-route': {
      const cidr = parseCidr(step.dest);
      return cidr !== null && cidr.text === step.dest && cidr.prefix > 0 ? null : 'bad route';
    }
    case 'dns':
      if (step.domains !== undefined && !(Array.isArray(step.domains) && step.domains.length <= MAX_DNS_DOMAINS && step.domains.every(isDomainName))) {
        return 'bad DNS domains';
      }
      return Array.isArray(step.servers) && step.servers.length > 0 && step.servers.length <= MAX_DNS_SERVERS && step.servers.every(isUsableHostIpv4)
        ? null
        : 'bad DNS servers';
    default:
      return 'unknown step';
  }
}

/** A short human description used in errors and logs: "tunnel-route 0.0.0.0/1 dev pptp0". */
export function describeStep(step: NetworkStep): string {
  switch (step.kind) {
    case 'link-mtu':
      return `link-mtu ${step.dev} ${step.mtu}`;
    case 'link-address':
      return `link-address ${step.dev} ${step.local} peer ${step.peer}`;
    case 'link-up':
      return `link-up ${step.dev}`;
    case 'server-route':
      return `server-route ${step.server}`;
    case 'tunnel-route':
      return `tunnel-route ${step.dest} dev ${step.dev}`;
    case 'dns':
      return `dns ${step.servers.join(',')} on ${step.dev}`;
    default:
      return `unknown step ${JSON.stringify(step)}`;
  }
}
