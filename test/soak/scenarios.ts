/**
 * The soak matrix: each scenario says how its cycles look (auth, routes, DNS, traffic), what it
 * does to the path or the machine around them, the fault it injects and where, and which
 * failure reasons that fault explains. A failure outside the set is "unexplained", and so is any
 * residue, a failure without advice, an attempt that ends twice or a status that is not idle
 * after the end.
 *
 * `full` is the `npm run soak` matrix (steady cycles scale with --cycles); `short` is the CI
 * subset test/interop/soak-short.test.ts runs (a few minutes on 2 cores).
 */
import type { ServerSetup } from '../interop/support/test-servers';
import { SERVER_SETUPS } from '../interop/support/test-servers';
import type { CycleSpec, Fault, FaultAction, FaultWhere } from './support/cycle';

export interface Scenario {
  readonly name: string;
  readonly cycles: number;
  /** Failure reasons this scenario's conditions explain ('stopped' / 'killed' are not failures). */
  readonly expected: readonly string[];
  /** impair.py arguments (a userspace netem, faults.ts) on the path while it runs. */
  readonly netem?: string;
  /** Busy-loop processes while it runs. */
  readonly cpuLoad?: number;
  /** The cycle spec for cycle `i` (0-based) and the server setup it needs. */
  spec(i: number): { cycle: CycleSpec; server: ServerSetup };
}

/** Auth methods the server config allows, alternated: pptpd is reconfigured between cycles. */
const AUTHS: readonly { server: ServerSetup; auth: CycleSpec['auth']; mppe: CycleSpec['mppe'] }[] = [
  { server: SERVER_SETUPS.mschapV2Mppe128, auth: ['mschapv2'], mppe: { mppe: 'require-128', allowStateful: false } },
  { server: SERVER_SETUPS.mschapV1Mppe128, auth: ['mschap'], mppe: { mppe: 'require-128', allowStateful: false } },
  { server: SERVER_SETUPS.chapNoMppe, auth: ['chap'], mppe: { mppe: 'none', allowStateful: false } },
  { server: SERVER_SETUPS.papNoMppe, auth: ['pap'], mppe: { mppe: 'none', allowStateful: false } },
];
const DEFAULT_AUTH = AUTHS[0]!;

const FULL_DNS = { routes: 'default' as const, dns: true };
const SPLIT = { routes: ['192.168.77.0/24', '10.200.0.0/16'], dns: false };

function steady(name: string, cycles: number, extra: Partial<Scenario> = {}): Scenario {
  return {
    name,
    cycles,
    expected: [],
    ...extra,
    spec: (i) => {
      const a = AUTHS[i % AUTHS.length]!;
      const shape = Math.floor(i / AUTHS.length) % 2 === 0 ? FULL_DNS : SPLIT;
      return { server: a.server, cycle: { auth: a.auth, mppe: a.mppe, ...shape, traffic: true } };
    },
  };
}

/**
 * A lossy or slow path may cost a negotiation or the tunnel; nothing else. An authentication that
 * got no answer in time is negotiation-failed (the engine never blames an unanswered one on the
 * password), so an auth-failed here is unexplained.
 */
const PATH_REASONS = ['negotiation-failed', 'gre-blocked', 'keepalive-timeout', 'peer-disconnected', 'tcp-unreachable', 'traffic'];

function faulted(name: string, fault: Fault, expected: readonly string[], cycles = 1): Scenario {
  return {
    name,
    cycles,
    expected,
    spec: () => ({ server: DEFAULT_AUTH.server, cycle: { auth: DEFAULT_AUTH.auth, mppe: DEFAULT_AUTH.mppe, ...FULL_DNS, traffic: true, fault } }),
  };
}

const PHASES = ['tcp', 'control', 'call', 'lcp', 'auth', 'ccp', 'ipcp'] as const;

/** What each fault explains when it hits a connect in progress or a live tunnel. */
const REASONS: Record<FaultAction, readonly string[]> = {
  'kill-pppd': ['peer-disconnected', 'keepalive-timeout', 'negotiation-failed', 'gre-blocked'],
  'pause-vm': ['keepalive-timeout', 'negotiation-failed', 'gre-blocked', 'peer-disconnected', 'tcp-unreachable'],
  'tcp-reset': ['peer-disconnected', 'tcp-unreachable'],
  'gre-blackhole': ['gre-blocked', 'keepalive-timeout', 'negotiation-failed'],
  'tun-delete': ['network-config-failed', 'peer-disconnected'],
  'resolv-rewrite': [],
  'route-foreign': [],
  'route-delete': [],
  disconnect: [],
  sigkill: [],
  // A step that times out fails the apply (rolled back); a restore step is retried.
  stall: ['network-config-failed'],
};

const APPLY_STEPS = ['link set dev pptp', 'address add', 'route get', 'route add 10.77.0.1/32', 'route add 0.0.0.0/1', 'route add 128.0.0.0/1'];
const RESTORE_STEPS = ['route del 128.0.0.0/1', 'route del 10.77.0.1/32', 'address del', 'mtu'];

function fault(action: FaultAction, where: FaultWhere): Fault {
  return { action, where };
}

function whereName(w: FaultWhere): string {
  return w.kind === 'phase' ? `phase ${w.phase}` : w.kind === 'connected' ? 'connected' : `${w.kind} "${w.pattern.trim()}"`;
}

function faultScenario(f: Fault): Scenario {
  return faulted(`${f.action} @ ${whereName(f.where)}`, f, REASONS[f.action]);
}

export interface MatrixOptions {
  /** Steady cycles on one service (the issue asks ≥ 200). */
  readonly cycles: number;
}

export function fullMatrix(o: MatrixOptions): Scenario[] {
  const list: Scenario[] = [steady('steady (4 auths × full+DNS / split)', o.cycles)];
  const pathCycles = Math.max(4, Math.round(o.cycles / 20));
  for (const [label, netem] of [
    ['netem loss 1%', '--loss 1'],
    ['netem loss 5%', '--loss 5'],
    ['netem loss 20%', '--loss 20'],
    ['netem delay 40ms±20ms', '--delay 40 --jitter 20'],
    ['netem reorder 25%', '--delay 10 --reorder 25'],
    ['netem duplicate 10%', '--duplicate 10'],
  ] as const) {
    list.push(steady(label, pathCycles, { netem, expected: PATH_REASONS }));
  }
  list.push(steady('CPU saturated (4 busy loops)', pathCycles * 2, { cpuLoad: 4 }));
  for (const phase of PHASES) {
    for (const action of ['kill-pppd', 'pause-vm', 'tcp-reset', 'gre-blackhole', 'disconnect', 'sigkill'] as const) {
      if (action === 'kill-pppd' && (phase === 'tcp' || phase === 'control')) continue; // no pppd yet
      list.push(faultScenario(fault(action, { kind: 'phase', phase })));
    }
  }
  for (const step of APPLY_STEPS) {
    for (const action of ['tun-delete', 'kill-pppd', 'disconnect', 'sigkill'] as const) list.push(faultScenario(fault(action, { kind: 'apply', pattern: step })));
  }
  list.push(faultScenario(fault('resolv-rewrite', { kind: 'apply', pattern: 'route add 128.0.0.0/1' })));
  for (const step of ['route add 10.77.0.1/32', 'route add 128.0.0.0/1']) list.push(faultScenario(fault('stall', { kind: 'apply', pattern: step })));
  for (const step of ['route del 10.77.0.1/32', 'address del']) list.push(faultScenario(fault('stall', { kind: 'restore', pattern: step })));
  for (const action of ['kill-pppd', 'pause-vm', 'tcp-reset', 'gre-blackhole', 'tun-delete', 'resolv-rewrite', 'route-foreign', 'route-delete', 'sigkill'] as const) {
    list.push(faultScenario(fault(action, { kind: 'connected' })));
  }
  for (const step of RESTORE_STEPS) {
    for (const action of ['resolv-rewrite', 'route-foreign', 'sigkill'] as const) list.push(faultScenario(fault(action, { kind: 'restore', pattern: step })));
  }
  return list;
}

/** The CI subset: every kind of check once, a few minutes on 2 cores. */
export function shortMatrix(): Scenario[] {
  return [
    steady('steady (4 auths × full+DNS / split)', 8),
    steady('netem loss 5% + delay 20ms±10ms', 2, { netem: '--loss 5 --delay 20 --jitter 10', expected: PATH_REASONS }),
    steady('CPU saturated (4 busy loops)', 2, { cpuLoad: 4 }),
    faultScenario(fault('disconnect', { kind: 'phase', phase: 'tcp' })),
    faultScenario(fault('kill-pppd', { kind: 'phase', phase: 'lcp' })),
    faultScenario(fault('gre-blackhole', { kind: 'phase', phase: 'auth' })),
    faultScenario(fault('tun-delete', { kind: 'apply', pattern: 'route add 0.0.0.0/1' })),
    faultScenario(fault('disconnect', { kind: 'apply', pattern: 'route add 10.77.0.1/32' })),
    faultScenario(fault('sigkill', { kind: 'apply', pattern: 'route add 128.0.0.0/1' })),
    faultScenario(fault('tcp-reset', { kind: 'connected' })),
    faultScenario(fault('resolv-rewrite', { kind: 'restore', pattern: 'route del 128.0.0.0/1' })),
    // The "network-config-failed from the 6th cycle under load": an `ip` of the restore
    // that runs into its timeout, then a connect that must still work.
    faultScenario(fault('stall', { kind: 'restore', pattern: 'route del 10.77.0.1/32' })),
    steady('connect after the stalled restore', 1),
  ];
}
