/**
 * IPv4 addresses and split-tunnel routes as users type them: the one set of rules the profile
 * schema, pptpctl's --routes and the service RPC apply (`routeProblem`). A route names a network
 * (host bits clear); `0.0.0.0/0` is refused because the whole Internet is the full tunnel
 * ("All traffic" in the app, `--routes default` in pptpctl), which installs and undoes its routes
 * differently. Pure (the renderer bundles this file). The configurator's own checks of what it
 * passes to the OS are main/service/net/validate.ts's.
 */

/** Dotted-quad IPv4 with no leading zeros ("010.0.0.1" is ambiguous: octal in some parsers). */
export function isIPv4(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

function ipv4ToInt(value: string): number {
  return value.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Parses "a.b.c.d/n". Returns undefined when it is not an IPv4 CIDR at all. */
export function parseCidr(value: string): { address: string; prefix: number } | undefined {
  const m = /^([0-9.]+)\/(0|[1-9][0-9]?)$/.exec(value);
  if (!m || !isIPv4(m[1] ?? '')) return undefined;
  const prefix = Number(m[2]);
  if (prefix > 32) return undefined;
  return { address: m[1] as string, prefix };
}

/** "10.1.2.3/8" -> "10.0.0.0/8" (host bits cleared); undefined when not an IPv4 CIDR. */
export function normalizeCidr(value: string): string | undefined {
  const c = parseCidr(value.trim());
  if (!c) return undefined;
  const mask = c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0;
  return `${intToIpv4((ipv4ToInt(c.address) & mask) >>> 0)}/${c.prefix}`;
}

/** An IPv4 CIDR whose host bits are zero, e.g. "10.0.0.0/8". */
export function isNetworkCidr(value: string): boolean {
  return parseCidr(value) !== undefined && normalizeCidr(value) === value;
}

/** Why a split route is refused, as a stable code and a sentence naming the fix. */
export type RouteProblem =
  | { readonly code: 'not-a-cidr'; readonly message: string }
  | { readonly code: 'host-bits-set'; readonly message: string; readonly network: string }
  | { readonly code: 'whole-internet'; readonly message: string };

/** The sentence for the whole Internet as a split route; the fix is the full tunnel. */
export const WHOLE_INTERNET_MESSAGE =
  '0.0.0.0/0 is the whole Internet: choose the full tunnel instead ("All traffic" in the app, --routes default in pptpctl)';

/** undefined when `value` is a usable split route; else why not. The one rule every edge applies. */
export function routeProblem(value: string): RouteProblem | undefined {
  const c = parseCidr(value);
  if (!c) return { code: 'not-a-cidr', message: 'Route must be an IPv4 network such as 10.0.0.0/8' };
  if (c.prefix === 0) return { code: 'whole-internet', message: WHOLE_INTERNET_MESSAGE };
  const network = normalizeCidr(value) as string;
  if (network !== value) {
    return { code: 'host-bits-set', network, message: `Route must name a network: ${value} has host bits set (did you mean ${network}?)` };
  }
  return undefined;
}
