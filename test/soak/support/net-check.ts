/**
 * The soak's one invariant, checked after every step: the client namespace's links, routes (all
 * tables) and resolv.conf are exactly the baseline taken before (when no tunnel is up), or
 * exactly the baseline plus the connected plan (while connected): the TUN with its address and
 * MTU, its routes (0/1 + 128/1 for a full tunnel, the split CIDRs otherwise), the kernel's own
 * routes for the TUN address, the /32 host route to the server through the old link, and
 * resolv.conf naming the pushed DNS (or unchanged without DNS).
 *
 * Owns: the comparison and the words for each difference ("residue"). The snapshot itself is
 * the interop suite's netnsNetState (cli-runner.ts).
 */
import { netnsNetState, nameservers, type NetnsNetState } from '../../interop/support/cli-runner';

export type Snapshot = NetnsNetState;

export function snapshot(ns: string): Promise<Snapshot> {
  return netnsNetState(ns);
}

/** Differences between `now` and `base`: an empty list means exactly as before. */
export function diffBaseline(base: Snapshot, now: Snapshot): string[] {
  const out: string[] = [];
  for (const r of now.routes) if (!base.routes.includes(r)) out.push(`extra route ${r}`);
  for (const r of base.routes) if (!now.routes.includes(r)) out.push(`missing route ${r}`);
  for (const l of now.links) if (!base.links.includes(l)) out.push(`extra/changed link ${l}`);
  for (const l of base.links) if (!now.links.includes(l)) out.push(`missing/changed link ${l}`);
  if (now.resolvConf !== base.resolvConf) out.push(`resolv.conf differs: ${JSON.stringify(now.resolvConf.slice(0, 160))}`);
  return out;
}

export interface ConnectedPlan {
  readonly tunName: string;
  readonly localIp: string;
  readonly remoteIp: string;
  readonly mtu: number;
  readonly serverIp: string;
  readonly routes: 'default' | 'none' | readonly string[];
  /** Pushed DNS servers when DNS is applied, else null (resolv.conf must stay as it was). */
  readonly dns: readonly string[] | null;
}

type Row = Record<string, unknown>;

/** Differences between `now` and baseline + `plan` (empty: exactly the connected plan). */
export function diffConnected(base: Snapshot, now: Snapshot, plan: ConnectedPlan): string[] {
  const out: string[] = [];
  // Links: the baseline's unchanged, plus exactly the TUN.
  for (const l of base.links) if (!now.links.includes(l)) out.push(`missing/changed link ${l}`);
  const extraLinks = now.links.filter((l) => !base.links.includes(l)).map((l) => JSON.parse(l) as Row);
  const tun = extraLinks.find((l) => l.ifname === plan.tunName);
  if (!tun) out.push(`no link ${plan.tunName}`);
  for (const l of extraLinks) if (l !== tun) out.push(`extra link ${JSON.stringify(l)}`);
  if (tun) {
    if (tun.mtu !== plan.mtu) out.push(`${plan.tunName} mtu ${String(tun.mtu)}, planned ${plan.mtu}`);
    if (!(tun.flags as string[]).includes('UP')) out.push(`${plan.tunName} is not UP`);
    const addrs = tun.addresses as Row[];
    if (addrs.length !== 1 || addrs[0]?.local !== plan.localIp || addrs[0]?.address !== plan.remoteIp || addrs[0]?.prefixlen !== 32) {
      out.push(`${plan.tunName} addresses ${JSON.stringify(addrs)}, planned ${plan.localIp} peer ${plan.remoteIp}/32`);
    }
  }
  // Routes: the baseline's unchanged; every extra one is on the TUN or the server's host route.
  for (const r of base.routes) if (!now.routes.includes(r)) out.push(`missing route ${r}`);
  const extra = now.routes.filter((r) => !base.routes.includes(r)).map((r) => JSON.parse(r) as Row);
  const wanted = plan.routes === 'default' ? ['0.0.0.0/1', '128.0.0.0/1'] : plan.routes === 'none' ? [] : [...plan.routes];
  for (const dst of wanted) {
    if (!extra.some((r) => r.dev === plan.tunName && r.dst === dst && (r.table === undefined || r.table === 'main'))) out.push(`planned route ${dst} dev ${plan.tunName} missing`);
  }
  const hostRoute = extra.find((r) => r.dst === plan.serverIp && r.dev !== plan.tunName);
  if (!hostRoute) out.push(`host route to ${plan.serverIp} missing`);
  for (const r of extra) {
    if (r === hostRoute || r.dev === plan.tunName) continue;
    out.push(`unplanned route ${JSON.stringify(r)}`);
  }
  // DNS.
  if (plan.dns === null) {
    if (now.resolvConf !== base.resolvConf) out.push('resolv.conf changed although DNS is off');
  } else if (JSON.stringify(nameservers(now.resolvConf)) !== JSON.stringify(plan.dns)) {
    out.push(`resolv.conf nameservers ${JSON.stringify(nameservers(now.resolvConf))}, planned ${JSON.stringify(plan.dns)}`);
  }
  return out;
}
