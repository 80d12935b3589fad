/**
 * One soak cycle through the service the app uses: connect over the RPC, check the namespace is
 * exactly the connected plan, move traffic through the tunnel, optionally inject one fault at a
 * chosen instant, end the tunnel, and check the namespace is exactly the baseline again and the
 * journal is gone (or, after a SIGKILL, that the next service start recovered it).
 *
 * Owns: the order of a cycle and how its outcome is classified: 'ok', a stopped attempt, or the
 * failure reason the service reported (with the check that it came with advice), plus the
 * residue found and the time from the fault to the tunnel being usable again.
 * Must not: decide which reasons a fault may explain (scenarios.ts says so per scenario).
 */
import { existsSync, rmSync } from 'node:fs';
import type { ConnectedEvent, DisconnectedEvent, ErrorEvent, TunnelEvent } from '../../../preload/schema/tunnel';
import type { ConnectOptions } from '../../../main/service/connect-options';
import { tcpExchange, runInNetns } from '../../interop/support/netns';
import { TEST_PASSWORD, TEST_USER, type PptpdVm } from '../../interop/support/pptpd-vm';
import type { IpGate } from './ip-gate';
import { diffBaseline, diffConnected, snapshot, type Snapshot } from './net-check';
import { journalPath, SoakService } from './soak-service';
import * as F from './faults';

/** What a fault does; `where` says when. */
export type FaultAction =
  | 'kill-pppd'
  | 'pause-vm'
  | 'tcp-reset'
  | 'gre-blackhole'
  | 'tun-delete'
  | 'resolv-rewrite'
  | 'route-foreign'
  | 'route-delete'
  | 'disconnect'
  | 'sigkill'
  /** Hold the gated `ip` past the service's 10 s command timeout (a machine under heavy load). */
  | 'stall';

export type FaultWhere =
  /** When the service reports that phase started. */
  | { readonly kind: 'phase'; readonly phase: 'tcp' | 'control' | 'call' | 'lcp' | 'auth' | 'ccp' | 'ipcp' | 'routes' }
  /** Held at the `ip` call of the network apply whose arguments contain `pattern`. */
  | { readonly kind: 'apply'; readonly pattern: string }
  /** While connected, after traffic. */
  | { readonly kind: 'connected' }
  /** Held at the `ip` call of the restore (after the user's disconnect) containing `pattern`. */
  | { readonly kind: 'restore'; readonly pattern: string };

export interface Fault {
  readonly action: FaultAction;
  readonly where: FaultWhere;
}

export interface CycleSpec {
  readonly auth: ConnectOptions['auth'];
  readonly mppe: ConnectOptions['mppe'];
  readonly routes: ConnectOptions['routes'];
  readonly dns: boolean;
  readonly traffic: boolean;
  readonly fault?: Fault;
  readonly reconnect?: ConnectOptions['reconnect'];
}

export interface CycleOutcome {
  /** 'ok', 'stopped' (disconnect before connected), or the failure reason reported. */
  readonly outcome: string;
  /** The failure's message and the phases reached, for the report's details. */
  readonly message?: string;
  /** Problems that are the service's fault whatever the scenario: residue, no advice, no end. */
  readonly residue: string[];
  readonly problems: string[];
  /** Notes the service logged (e.g. what restore kept and why). */
  readonly notes: string[];
  /** Fault injected → the tunnel's end was reported and the namespace was clean again. */
  readonly recoverMs?: number;
  readonly connectMs?: number;
}

export interface SoakContext {
  readonly vm: PptpdVm;
  readonly ns: string;
  readonly stateDir: string;
  readonly gate: IpGate;
  service: SoakService;
  baseline: Snapshot;
  /** Service restarts (after SIGKILL) and what their recovery found. */
  restarts: number;
}

const END_TIMEOUT_MS = 120_000;

export function connectOptions(spec: CycleSpec): ConnectOptions {
  return {
    server: '10.77.0.1',
    username: TEST_USER,
    password: TEST_PASSWORD,
    auth: spec.auth,
    mppe: spec.mppe,
    routes: spec.routes,
    dns: spec.dns,
    // LCP echo every 2 s, 3 misses: a dead path is found in seconds, as a desktop client should.
    lcpEcho: { intervalS: 2, failures: 3 },
    reconnect: spec.reconnect ?? { enabled: false, maxAttempts: 0 },
    label: 'soak',
  };
}

const isConnected = (e: TunnelEvent): e is ConnectedEvent => e.event === 'connected';
const isDisconnected = (e: TunnelEvent): e is DisconnectedEvent => e.event === 'disconnected';
const isEnd = (e: TunnelEvent): boolean => e.event === 'connected' || e.event === 'disconnected';

/** Ping + echo + a sized download through the tunnel (to the server's PPP address). */
async function traffic(ctx: SoakContext): Promise<string | null> {
  let pinged = false;
  for (let i = 0; i < 15 && !pinged; i++) {
    const r = await runInNetns(ctx.ns, 'ping', ['-c', '1', '-W', '1', ctx.vm.pppServerIp], { timeoutMs: 5_000 });
    pinged = r.code === 0;
  }
  if (!pinged) return 'no ping reply through the tunnel in 15 tries';
  const size = 64 * 1024;
  try {
    const got = await tcpExchange(ctx.ns, ctx.vm.pppServerIp, ctx.vm.services.sizedDownload, `${size}\n`, { timeoutMs: 30_000 });
    if (got.length !== size) return `sized download gave ${got.length} of ${size} bytes`;
  } catch (e) {
    return `sized download failed: ${(e as Error).message.split('\n')[0]}`;
  }
  return null;
}

async function inject(ctx: SoakContext, action: FaultAction, tunName: string | undefined): Promise<void> {
  const { ns, vm } = ctx;
  switch (action) {
    case 'kill-pppd':
      return F.killServerPppd(vm);
    case 'pause-vm':
      F.pauseVm(vm);
      await sleep(3_000);
      F.resumeVm(vm);
      return;
    case 'tcp-reset':
      return F.resetControlTcp(ns);
    case 'gre-blackhole':
      return F.blackholeGre(ns);
    case 'tun-delete':
      return F.deleteTun(ns, tunName ?? 'pptp0');
    case 'resolv-rewrite':
      return F.rewriteResolvConf(ns);
    case 'route-foreign':
      return F.addForeignRoute(ns);
    case 'route-delete':
      return F.deleteTunnelRoute(ns, '128.0.0.0/1', tunName ?? 'pptp0');
    case 'disconnect':
      await ctx.service.disconnect().catch(() => undefined);
      return;
    case 'sigkill':
      return ctx.service.kill9();
    case 'stall':
      await sleep(10_500);
      return;
  }
}

/** Undoes what the fault left that is not the service's to undo (foreign file, foreign route, firewall). */
async function clearFault(ctx: SoakContext, action: FaultAction): Promise<void> {
  if (action === 'gre-blackhole') await F.unblackholeGre(ctx.ns);
  if (action === 'route-foreign') await F.delForeignRoute(ctx.ns);
  if (action === 'resolv-rewrite') await F.rewriteResolvConf(ctx.ns, ctx.baseline.resolvConf);
  if (action === 'pause-vm') F.resumeVm(ctx.vm);
}

/** A fresh service after a SIGKILL: its start recovers the journal before it answers hello. */
async function restartService(ctx: SoakContext): Promise<void> {
  ctx.service = await SoakService.start(ctx.ns, ctx.stateDir, ctx.gate.dir);
  ctx.restarts++;
}

export async function runCycle(ctx: SoakContext, spec: CycleSpec): Promise<CycleOutcome> {
  const residue: string[] = [];
  const problems: string[] = [];
  const fault = spec.fault;
  let service = ctx.service;
  const mark = service.events.length;
  const t0 = performance.now();
  let faultAt: number | undefined;
  let tunName: string | undefined;
  /** Events from here on belong to a second attempt the fault started (disconnect @ tcp). */
  let secondMark: number | undefined;

  // Faults held at an `ip` call are armed before the step they stop.
  const gate = fault && fault.where.kind === 'apply' ? ctx.gate.arm(fault.where.pattern) : undefined;
  await service.connect(connectOptions(spec));

  const phaseFault = fault?.where.kind === 'phase' ? fault : undefined;
  let phaseJob: Promise<void> | undefined;
  if (phaseFault && phaseFault.where.kind === 'phase') {
    const phase = phaseFault.where.phase;
    phaseJob = (async () => {
      await service.waitFor((e) => (e.event === 'phase' && e.phase === phase && e.status === 'started') || isDisconnected(e), mark, 60_000);
      if (service.events.slice(mark).some(isDisconnected)) return;
      faultAt = performance.now();
      if (phase === 'tcp' && phaseFault.action === 'disconnect') {
        // Disconnect while the TCP connect is pending (the server held so the SYN waits), then
        // connect again at once, as an impatient user would, and only then let the stale TCP
        // connect complete: it must not end the new attempt, nor the old one a second time.
        F.pauseVm(ctx.vm);
        try {
          await sleep(300);
          await inject(ctx, 'disconnect', undefined);
          await service.waitFor(isDisconnected, mark, 10_000);
          secondMark = service.events.length;
          await service.connect(connectOptions({ ...spec, fault: undefined }));
          await sleep(300);
        } finally {
          F.resumeVm(ctx.vm);
        }
        const again = await service.waitFor(isEnd, secondMark, END_TIMEOUT_MS);
        if (isConnected(again)) {
          await sleep(1_500); // the stale connect has long completed by now
          const st = await service.status();
          if (st.state !== 'connected') problems.push(`status says ${st.state} while the new attempt is connected (an old attempt ended it)`);
          await service.disconnect();
          await service.waitFor(isDisconnected, secondMark, END_TIMEOUT_MS);
        } else problems.push(`the connect right after a disconnect failed: ${again.event === 'disconnected' ? again.reason : ''}`);
        const disc = service.events.slice(secondMark).filter(isDisconnected).length;
        if (disc !== 1) problems.push(`the second attempt ended ${disc} times`);
        return;
      }
      await inject(ctx, phaseFault.action, undefined);
    })().catch((e: unknown) => {
      problems.push(`injecting ${phaseFault.action}: ${(e as Error).message}`);
    });
  }
  if (gate && fault) {
    if (await gate.waitArrived(60_000)) {
      faultAt = performance.now();
      const tun = /dev (pptp\d+)/.exec(ctx.gate.calls().at(-1) ?? '')?.[1];
      await inject(ctx, fault.action, tun).catch((e: unknown) => problems.push(`injecting ${fault.action}: ${(e as Error).message}`));
    }
    gate.release();
  }

  // Connected, or the attempt ended.
  let first: TunnelEvent | undefined;
  try {
    first = await service.waitFor(isEnd, mark, END_TIMEOUT_MS);
  } catch (e) {
    if (fault?.action !== 'sigkill') problems.push(`no connected/disconnected: ${(e as Error).message}`);
  }
  await phaseJob;
  const connectMs = first && isConnected(first) ? Math.round(performance.now() - t0) : undefined;

  if (first && isConnected(first)) {
    tunName = first.tunName;
    const now = await snapshot(ctx.ns);
    const diff = diffConnected(ctx.baseline, now, {
      tunName: first.tunName ?? '',
      localIp: first.localIp,
      remoteIp: first.remoteIp,
      mtu: first.mtu,
      serverIp: ctx.vm.serverIp,
      routes: spec.routes,
      dns: spec.dns && first.dns.length > 0 ? first.dns : null,
    });
    // A fault already under way (phase/apply) may legitimately be tearing the tunnel down now.
    const ended = service.events.slice(mark).some(isDisconnected);
    if (!ended && faultAt === undefined) {
      const st = await service.status();
      if (st.state !== 'connected') problems.push(`status says ${st.state} after 'connected'`);
    }
    if (diff.length > 0 && !ended && faultAt === undefined) problems.push(...diff.map((d) => `connected state: ${d}`));
    if (spec.traffic && !ended && faultAt === undefined) {
      const bad = await traffic(ctx);
      if (bad) problems.push(`traffic: ${bad}`);
    }
    if (!service.events.slice(mark).some(isDisconnected)) {
      if (fault?.where.kind === 'connected') {
        faultAt = performance.now();
        await inject(ctx, fault.action, tunName).catch((e: unknown) => problems.push(`injecting ${fault.action}: ${(e as Error).message}`));
        // Faults the tunnel may survive: a 3 s server freeze (LCP echo allows 6 s), a foreign
        // route or resolv.conf, one of its routes deleted. Survived, the tunnel still carries
        // traffic (after a freeze), and then the user disconnects.
        if (['pause-vm', 'resolv-rewrite', 'route-foreign', 'route-delete'].includes(fault.action)) {
          const ended = await service.waitFor(isDisconnected, mark, 8_000).then(
            () => true,
            () => false,
          );
          if (!ended) {
            if (fault.action === 'pause-vm' && spec.traffic) {
              const bad = await traffic(ctx);
              if (bad) problems.push(`traffic after the server froze for 3 s: ${bad}`);
            }
            await service.disconnect().catch(() => undefined);
          }
        }
      } else if (fault?.where.kind === 'restore') {
        const held = ctx.gate.arm(fault.where.pattern);
        await service.disconnect();
        if (await held.waitArrived(30_000)) {
          faultAt = performance.now();
          await inject(ctx, fault.action, tunName).catch((e: unknown) => problems.push(`injecting ${fault.action}: ${(e as Error).message}`));
        } else problems.push(`restore never ran ip ... ${fault.where.pattern}`);
        held.release();
      } else if (service.alive) {
        await service.disconnect();
      }
    }
  }

  // The end.
  let outcome = 'ok';
  let message: string | undefined;
  if (fault?.action === 'sigkill') {
    await sleep(300); // an `ip` the gate held finishes, as it would have in the killed service
    // The next start recovers from the journal before it answers hello: the residue check below
    // (against the baseline, journal gone) is the proof.
    await restartService(ctx);
    service = ctx.service;
    outcome = 'killed';
  } else {
    let end: DisconnectedEvent | undefined;
    try {
      end = await service.waitFor(isDisconnected, mark, END_TIMEOUT_MS);
    } catch (e) {
      problems.push(`no disconnected event: ${(e as Error).message}`);
    }
    const events = service.events.slice(mark, secondMark);
    const errors = events.filter((e): e is ErrorEvent => e.event === 'error');
    for (const e of errors) if (!e.hint || e.hint.trim() === '') problems.push(`error ${e.reason} without advice`);
    const disconnects = events.filter(isDisconnected);
    if (disconnects.length > 1) problems.push(`the attempt ended ${disconnects.length} times`);
    const phases = events.filter((e) => e.event === 'phase' && e.status !== 'started').map((e) => (e.event === 'phase' ? `${e.phase}:${e.status}` : ''));
    message = `${errors.map((e) => e.message).join(' / ')} [${phases.join(' ')}]`;
    if (end) {
      if (!first || !isConnected(first)) outcome = end.reason === 'local-disconnect' ? 'stopped' : end.reason;
      else outcome = end.reason === 'local-disconnect' ? 'ok' : end.reason;
      if (!end.restored) problems.push(`disconnected with restored:false (${end.reason})`);
    }
    // status must be idle once the end was reported
    const st = await service.status().catch((e: unknown) => ({ state: `status failed: ${(e as Error).message}` }));
    if (st.state !== 'idle') problems.push(`status ${st.state} after the end`);
  }
  const notes = service.events
    .slice(fault?.action === 'sigkill' ? 0 : mark)
    .filter((e) => e.event === 'log' && e.level !== 'info')
    .map((e) => (e.event === 'log' ? e.message : ''));

  // A file another process rewrote while the tunnel was up is kept, and the service says so.
  // (Rewritten during the apply, before the DNS step, it is simply the original the service
  // backs up and puts back.)
  if (fault?.action === 'resolv-rewrite' && fault.where.kind === 'connected' && outcome === 'ok') {
    if (!notes.some((n) => n.includes('resolv.conf') && n.includes('someone else'))) problems.push('restore kept a rewritten resolv.conf without saying so');
  }

  // Residue: the namespace must be the baseline, except what another process put there itself.
  const now = await snapshot(ctx.ns);
  let expected = ctx.baseline;
  if (fault?.action === 'resolv-rewrite') expected = { ...expected, resolvConf: F.FOREIGN_RESOLV_CONF };
  if (fault?.action === 'route-foreign') {
    const withForeign = await snapshotWithForeignRoute(ctx);
    expected = { ...expected, routes: withForeign };
  }
  residue.push(...diffBaseline(expected, now));
  if (existsSync(journalPath(ctx.stateDir))) residue.push('the network journal is still there after the end');
  const recoverMs = faultAt !== undefined ? Math.round(performance.now() - faultAt) : undefined;
  if (fault) await clearFault(ctx, fault.action);
  // Whatever happened, the next cycle starts from the baseline (the soak never fixes the service's residue silently: it is reported above).
  if (residue.length > 0) await scrub(ctx);
  return { outcome, residue, problems, notes, ...(message !== undefined ? { message } : {}), ...(recoverMs !== undefined ? { recoverMs } : {}), ...(connectMs !== undefined ? { connectMs } : {}) };
}

/** The baseline's routes plus the foreign route, as `ip` prints it. */
async function snapshotWithForeignRoute(ctx: SoakContext): Promise<string[]> {
  const now = await snapshot(ctx.ns);
  const foreign = now.routes.filter((r) => r.includes(`"dst":"${F.FOREIGN_ROUTE.split('/')[0]}/24"`));
  return [...ctx.baseline.routes, ...foreign].sort();
}

/** Puts the namespace back to the baseline after residue was recorded, so one bug does not hide behind another. */
async function scrub(ctx: SoakContext): Promise<void> {
  const svc = ctx.service;
  if (svc.alive) {
    await svc.stop().catch(() => undefined);
  }
  rmSync(journalPath(ctx.stateDir), { force: true });
  await runInNetns(ctx.ns, 'sh', [
    '-c',
    'for l in $(ip -o link show | sed -n "s/^[0-9]*: \\(pptp[0-9]*\\).*/\\1/p"); do ip link del $l; done; ip route del 10.77.0.1/32 2>/dev/null; true',
  ]);
  await F.rewriteResolvConf(ctx.ns, ctx.baseline.resolvConf);
  await F.delForeignRoute(ctx.ns);
  ctx.service = await SoakService.start(ctx.ns, ctx.stateDir, ctx.gate.dir);
  ctx.restarts++;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export { isConnected, isDisconnected };
